import { describe, expect, it } from 'vitest';
import {
  type AgentPaymentLedger,
  amountDueNowQepik,
  applyPayment,
  BAR_FEE_QEPIK,
  balanceDueQepik,
  heldQepik,
  ledgerFromRecorded,
  type MoneyFacts,
  orderCoveredByPayments,
  settleReport,
} from '../../domain/contract/payments';
import { isVerificationCode, orderVerdict, orderVerificationPath, VERIFICATION_CODE_BYTES } from '../../domain/contract/verification';
import type { PriceTerms } from '../../domain/contract/terms';
import { describe as describeCode } from '../../locales';

const twoInstalments: PriceTerms = { totalQepik: 100_000, plan: 'two_instalments', firstInstalmentQepik: 30_000 };
const single: PriceTerms = { totalQepik: 50_000, plan: 'single' };
const facts = (over: Partial<MoneyFacts & { recordedPaymentIds: string[] }>): MoneyFacts & { recordedPaymentIds: string[] } => ({
  status: 'awaiting_payment',
  price: twoInstalments,
  paidQepik: 0,
  approvedAsAlreadyPaid: false,
  recordedPaymentIds: [],
  ...over,
});
const pay = (amountQepik: number, paymentId = 'p1') => ({ paymentId, kind: 'contract' as const, amountQepik });

describe('what is due (R4.1.6, R4.2.2, R4.3)', () => {
  it('R4.1.6 the first instalment is due before the order, the remainder after it', () => {
    expect(amountDueNowQepik(facts({}))).toBe(30_000);
    expect(amountDueNowQepik(facts({ status: 'active', paidQepik: 30_000 }))).toBe(70_000);
    expect(balanceDueQepik(facts({ status: 'active', paidQepik: 30_000 }))).toBe(70_000);
  });

  it('R4.2.2 on the already-paid path the Bar fee is due and no balance is owed', () => {
    expect(amountDueNowQepik(facts({ status: 'awaiting_fee', approvedAsAlreadyPaid: true }))).toBe(BAR_FEE_QEPIK);
    expect(balanceDueQepik(facts({ status: 'active', approvedAsAlreadyPaid: true }))).toBe(0);
  });
});

describe('applying a payment (R4.3, R4.2.2)', () => {
  it('R4.3 the first instalment makes the order due; the remainder pays the balance', () => {
    const first = applyPayment(facts({}), pay(30_000));
    expect(first).toMatchObject({ duplicate: false, paidQepik: 30_000, applied: 'paid', becomesActive: true });
    expect(first.flag).toBeUndefined();
    const rest = applyPayment(facts({ status: 'active', paidQepik: 30_000 }), pay(70_000, 'p2'));
    expect(rest).toMatchObject({ paidQepik: 100_000, applied: 'balance_paid', becomesActive: false });
  });

  it('R4.3 part of a single price is applied but the order waits for the rest', () => {
    expect(applyPayment(facts({ price: single }), pay(20_000))).toMatchObject({ paidQepik: 20_000, applied: 'paid', becomesActive: false });
  });

  it('R4.3 a payment the agent reports twice counts once', () => {
    expect(applyPayment(facts({ recordedPaymentIds: ['p1'] }), pay(30_000))).toMatchObject({ duplicate: true, paidQepik: 0, becomesActive: false });
  });

  it('R4.3.3 money when nothing is due is recorded with a flag, not applied', () => {
    const outcome = applyPayment(facts({ status: 'awaiting_approval' }), pay(30_000));
    expect(outcome).toMatchObject({
      duplicate: false,
      paidQepik: 0,
      becomesActive: false,
      flag: { code: 'payment.flag.nothing_due', params: { status: 'awaiting_approval' } },
    });
    expect(outcome.applied).toBeUndefined();
    expect(describeCode('en', outcome.flag?.code ?? '', outcome.flag?.params)).toBe(
      'Payment received while the contract was awaiting_approval; nothing was due.',
    );
  });

  it('R4.3 more than the balance is applied and flagged', () => {
    const outcome = applyPayment(facts({ status: 'active', paidQepik: 30_000 }), pay(80_000));
    expect(outcome).toMatchObject({ paidQepik: 110_000, applied: 'balance_paid', flag: { code: 'payment.flag.overpaid' } });
    expect(describeCode('en', 'payment.flag.overpaid')).toBe('Paid more than was due.');
  });

  it('R4.2.2 the Bar fee of 20.50 AZN activates an already-paid contract; less, or at the wrong time, is flagged', () => {
    const fee = (amountQepik: number) => ({ paymentId: 'f1', kind: 'bar_fee' as const, amountQepik });
    const awaitingFee = facts({ status: 'awaiting_fee', approvedAsAlreadyPaid: true });
    expect(applyPayment(awaitingFee, fee(BAR_FEE_QEPIK))).toMatchObject({ applied: 'bar_fee_paid', becomesActive: true, paidQepik: 0 });
    const below = applyPayment(awaitingFee, fee(2000));
    expect(below).toMatchObject({ becomesActive: false, flag: { code: 'payment.flag.bar_fee_below' } });
    expect(describeCode('en', below.flag?.code ?? '', below.flag?.params)).toBe('Bar fee below 20.50 AZN.');
    const early = applyPayment(facts({ status: 'awaiting_approval' }), fee(BAR_FEE_QEPIK));
    expect(describeCode('en', early.flag?.code ?? '', early.flag?.params)).toBe('Bar fee received while the contract was awaiting_approval.');
  });
});

describe("the agent's cumulative reports (R4.3, issue 9 item 3)", () => {
  const report = (reported: 'paid' | 'reversed', cumulativeQepik: number) => ({ agentPaymentId: 'pp_1', kind: 'contract' as const, reported, cumulativeQepik });
  /** Applies reports in order, counting all added money as applied; what the contract holds, paid and taken back. */
  function run(reports: ReturnType<typeof report>[]) {
    let ledger: AgentPaymentLedger | undefined;
    let paid = 0;
    for (const r of reports) {
      const outcome = settleReport(ledger, r);
      ledger = { ...outcome.ledger, appliedQepik: outcome.ledger.appliedQepik + outcome.addedQepik };
      paid += outcome.addedQepik - outcome.reversedQepik;
    }
    return { paid, held: heldQepik(ledger) };
  }

  it('issue 9 item 3: a late, older report (Price 300, Debt 200 after Price 300, Debt 0) adds nothing: 300 paid, not 400', () => {
    expect(run([report('paid', 30_000), report('paid', 10_000)])).toEqual({ paid: 30_000, held: 30_000 });
    expect(run([report('paid', 10_000), report('paid', 30_000)])).toEqual({ paid: 30_000, held: 30_000 });
  });

  it('issue 9 item 3: reports in any order and any number of times give the same balance', () => {
    const reports = [report('paid', 10_000), report('paid', 30_000), report('paid', 30_000), report('reversed', 20_000), report('paid', 10_000)];
    const permutations = (xs: typeof reports): (typeof reports)[] =>
      xs.length <= 1 ? [xs] : xs.flatMap((x, i) => permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((rest) => [x, ...rest]));
    const outcomes = new Set(permutations(reports).map((p) => JSON.stringify(run(p))));
    expect([...outcomes]).toEqual([JSON.stringify({ paid: 20_000, held: 20_000 })]);
  });

  it('issue 9 item 3: a reversal takes back what the payment no longer holds, never more than counted', () => {
    const paid = settleReport(undefined, report('paid', 30_000));
    expect(paid.addedQepik).toBe(30_000);
    // Counted as not due (flagged): a reversal takes nothing off the price paid.
    const flagged = settleReport(paid.ledger, report('reversed', 0));
    expect(flagged).toMatchObject({ reversedQepik: 0, takenBackQepik: 30_000 });
    const counted = settleReport({ ...paid.ledger, appliedQepik: 30_000 }, report('reversed', 0));
    expect(counted).toMatchObject({ reversedQepik: 30_000, takenBackQepik: 30_000, ledger: { appliedQepik: 0 } });
  });

  it('issue 9 item 3: a contract recorded before ledgers keeps its balance (payments named <agent id>@<cumulative>)', () => {
    const ledger = ledgerFromRecorded('pp_1', 'contract', [
      { paymentId: 'pp_1@10000', amountQepik: 10_000 },
      { paymentId: 'pp_1@30000', amountQepik: 20_000 },
      { paymentId: 'pp_2@5000', amountQepik: 5_000 },
    ]);
    expect(ledger).toEqual({ agentPaymentId: 'pp_1', kind: 'contract', paidHighWaterQepik: 30_000, appliedQepik: 30_000 });
    expect(settleReport(ledger, report('paid', 10_000)).addedQepik).toBe(0);
  });

  it('issue 9 item 3 R4.2.1 R4.2.2: the order stands on the money kept — the first instalment, or the Bar fee on the already-paid path', () => {
    expect(orderCoveredByPayments({ approvedAsAlreadyPaid: false, price: twoInstalments, paidQepik: 30_000, barFeeKeptQepik: 0 })).toBe(true);
    expect(orderCoveredByPayments({ approvedAsAlreadyPaid: false, price: twoInstalments, paidQepik: 29_999, barFeeKeptQepik: 0 })).toBe(false);
    expect(orderCoveredByPayments({ approvedAsAlreadyPaid: true, price: twoInstalments, paidQepik: 0, barFeeKeptQepik: BAR_FEE_QEPIK })).toBe(true);
    expect(orderCoveredByPayments({ approvedAsAlreadyPaid: true, price: twoInstalments, paidQepik: 0, barFeeKeptQepik: 0 })).toBe(false);
  });
});

describe('the public check of an order (R4.2.1, issue 9 items 3 and 9)', () => {
  it('issue 9 item 3: an order whose payment was reversed (and not covered again) is not valid', () => {
    expect(orderVerdict({ supersededAt: null, contractStatus: 'active', paymentReversed: true })).toEqual({ valid: false, status: 'payment_reversed' });
    expect(orderVerdict({ supersededAt: null, contractStatus: 'active', paymentReversed: false })).toEqual({ valid: true, status: 'current' });
  });

  it('issue 9 item 9: the link carries a 20-character base64url code (120 bits); anything else is no code', () => {
    expect(orderVerificationPath('EVO-2026-000001', 'AbCdEfGhIjKlMnOpQr_-')).toBe('/verify/EVO-2026-000001?code=AbCdEfGhIjKlMnOpQr_-');
    expect(VERIFICATION_CODE_BYTES * 8).toBeGreaterThanOrEqual(80);
    expect(isVerificationCode('AbCdEfGhIjKlMnOpQr_-')).toBe(true);
    for (const bad of ['', 'short', 'AbCdEfGhIjKlMnOpQr_=', 'AbCdEfGhIjKlMnOpQr_-x', undefined, ['AbCdEfGhIjKlMnOpQr_-']])
      expect(isVerificationCode(bad)).toBe(false);
  });
});
