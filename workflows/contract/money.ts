/**
 * Money from outside (R4.2.2, R4.3): the payment agent's signals, applied by the money rules. The
 * agent's reports are cumulative (issue 9 item 3): for each payment at the agent the workflow keeps
 * a high-water mark and applies only what exceeds it, so reports in any order and any number of
 * times give the same balance; a reversal takes back what the payment no longer holds and flags the
 * contract for its lawyer, the head and the Bar office.
 */
import { setHandler } from '@temporalio/workflow';
import {
  applyPayment,
  barFeeKeptQepik,
  ledgerFromRecorded,
  orderCoveredByPayments,
  type PaymentKind,
  type PaymentOutcome,
  settleReport,
} from '../../domain/contract/payments';
import { barFeePaid, paymentCompleted, paymentFailed, paymentReported, type AgentPaymentNotice, type PaymentNotice, type RecordedPayment } from './messages';
import { now, type ContractRun } from './run';

export function handleMoneyFromOutside(run: ContractRun): void {
  // The signals before issue 9 (an amount the API computed); running contracts and recorded histories still have them.
  setHandler(paymentCompleted, (notice) => {
    if (receivePayment(run, 'contract', notice)) void run.commit();
  });
  setHandler(barFeePaid, (notice) => {
    if (receivePayment(run, 'bar_fee', notice)) void run.commit();
  });
  setHandler(paymentReported, (notice) => receiveReport(run, notice));
  setHandler(paymentFailed, (notice) => {
    const { state } = run;
    // The callback and the payer's return may both report the same failure.
    if (state.payments.some((p) => p.paymentId === notice.paymentId) || state.lastPaymentFailure?.paymentId === notice.paymentId) return;
    state.lastPaymentFailure = notice;
    run.record('payment_failed', undefined, notice.reason);
    void run.commit();
  });
}

/** Applies a payment of new money; undefined when the agent told us twice. */
function receivePayment(run: ContractRun, kind: PaymentKind, notice: PaymentNotice): PaymentOutcome | undefined {
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
  if (outcome.duplicate) return undefined; // the agent told us twice
  const payment: RecordedPayment = { ...notice, kind, flag: outcome.flag?.code, flagParams: outcome.flag?.params };
  state.payments.push(payment);
  state.lastPaymentFailure = undefined;
  state.paidQepik = outcome.paidQepik;
  if (outcome.applied) run.record(outcome.applied, undefined, `${notice.amountQepik}`);
  if (outcome.becomesActive) becomeActive(run);
  if (outcome.flag) run.record('payment_flagged', undefined, outcome.flag.code, outcome.flag.params);
  // Money paid again after a reversal covers the order once more (issue 9 item 3).
  if (outcome.applied && state.paymentReversal?.orderUncovered && orderCovered(run))
    state.paymentReversal = { ...state.paymentReversal, orderUncovered: false };
  return outcome;
}

/** The agent's cumulative report of one payment (issue 9 item 3). */
function receiveReport(run: ContractRun, notice: AgentPaymentNotice): void {
  const { state } = run;
  const ledgers = (state.agentPayments ??= []);
  const index = ledgers.findIndex((l) => l.agentPaymentId === notice.agentPaymentId);
  const before =
    index >= 0
      ? ledgers[index]
      : ledgerFromRecorded(
          notice.agentPaymentId,
          notice.kind,
          state.payments.filter((p) => p.kind === notice.kind),
        );
  const outcome = settleReport(before, notice);
  const ledger = outcome.ledger;
  if (index >= 0) ledgers[index] = ledger;
  else ledgers.push(ledger);

  if (outcome.addedQepik > 0) {
    let paymentId = `${notice.agentPaymentId}@${ledger.paidHighWaterQepik}`;
    for (let n = 2; state.payments.some((p) => p.paymentId === paymentId); n++) paymentId = `${notice.agentPaymentId}@${ledger.paidHighWaterQepik}#${n}`;
    const method = notice.method;
    const applied = receivePayment(run, notice.kind, { paymentId, amountQepik: outcome.addedQepik, method, paidAt: notice.at });
    const counts = applied && (applied.applied !== undefined || applied.flag?.code === 'payment.flag.overpaid');
    if (counts) ledger.appliedQepik += outcome.addedQepik;
    void run.commit();
    return;
  }
  if (outcome.takenBackQepik > 0) {
    reversePayment(run, notice, outcome.reversedQepik, outcome.takenBackQepik);
    void run.commit();
  }
  // Otherwise the report adds nothing to what was recorded (older, or the same again): nothing changes.
}

/** The agent took money back (its states Reversed, PartiallyReversed): what was paid goes down, and the contract is flagged. */
function reversePayment(run: ContractRun, notice: AgentPaymentNotice, reversedQepik: number, takenBackQepik: number): void {
  const { state } = run;
  if (notice.kind === 'contract') state.paidQepik = Math.max(0, state.paidQepik - reversedQepik);
  const orderIssued = state.issuedVersions.length > 0 || run.effects.some((e) => e.kind === 'issueDocuments');
  state.paymentReversal = {
    agentPaymentId: notice.agentPaymentId,
    kind: notice.kind,
    reversedQepik: takenBackQepik,
    at: now(),
    orderUncovered: orderIssued && !orderCovered(run),
  };
  run.record('payment_reversed', undefined, `${takenBackQepik}`);
  run.notify('payment_reversed');
}

function orderCovered(run: ContractRun): boolean {
  const { state } = run;
  return orderCoveredByPayments({
    approvedAsAlreadyPaid: state.approvedAsAlreadyPaid,
    price: state.terms?.price,
    paidQepik: state.paidQepik,
    barFeeKeptQepik: barFeeKeptQepik(state.payments, state.agentPayments),
  });
}

/** Paid (or the Bar fee paid): the order is issued (R4.2.1). */
function becomeActive(run: ContractRun): void {
  const state = run.agreed();
  state.status = 'active';
  state.awaitingPaymentSince = undefined;
  run.issueNextVersion();
  run.notify('order_issued');
  run.writeWithTheOrder();
}
