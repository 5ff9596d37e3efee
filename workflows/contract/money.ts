/** Money from outside (R4.2.2, R4.3): the payment agent's signals, applied by the money rules. */
import { setHandler } from '@temporalio/workflow';
import { applyPayment, type PaymentKind } from '../../domain/contract/payments';
import { barFeePaid, paymentCompleted, paymentFailed, type PaymentNotice, type RecordedPayment } from './messages';
import type { ContractRun } from './run';

export function handleMoneyFromOutside(run: ContractRun): void {
  setHandler(paymentCompleted, (notice) => receivePayment(run, 'contract', notice));
  setHandler(barFeePaid, (notice) => receivePayment(run, 'bar_fee', notice));
  setHandler(paymentFailed, (notice) => {
    const { state } = run;
    // The callback and the payer's return may both report the same failure.
    if (state.payments.some((p) => p.paymentId === notice.paymentId) || state.lastPaymentFailure?.paymentId === notice.paymentId) return;
    state.lastPaymentFailure = notice;
    run.record('payment_failed', undefined, notice.reason);
    void run.commit();
  });
}

function receivePayment(run: ContractRun, kind: PaymentKind, notice: PaymentNotice): void {
  const { state } = run;
  const outcome = applyPayment(
    {
      status: state.status,
      price: state.terms?.price,
      paidQepik: state.paidQepik,
      approvedAsAlreadyPaid: state.approvedAsAlreadyPaid,
      recordedPaymentIds: state.payments.map((p) => p.paymentId),
    },
    { paymentId: notice.paymentId, kind, amountQepik: notice.amountQepik },
  );
  if (outcome.duplicate) return; // the agent told us twice
  const payment: RecordedPayment = { ...notice, kind, flag: outcome.flag?.code, flagParams: outcome.flag?.params };
  state.payments.push(payment);
  state.lastPaymentFailure = undefined;
  state.paidQepik = outcome.paidQepik;
  if (outcome.applied) run.record(outcome.applied, undefined, `${notice.amountQepik}`);
  if (outcome.becomesActive) becomeActive(run);
  if (outcome.flag) run.record('payment_flagged', undefined, outcome.flag.code, outcome.flag.params);
  void run.commit();
}

/** Paid (or the Bar fee paid): the order is issued (R4.2.1). */
function becomeActive(run: ContractRun): void {
  const state = run.agreed();
  state.status = 'active';
  state.awaitingPaymentSince = undefined;
  run.issueNextVersion();
  run.notify('order_issued');
}
