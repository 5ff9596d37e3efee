import { describe, expect, it } from 'vitest';
import { amountDueNowQepik, applyPayment, BAR_FEE_QEPIK, balanceDueQepik, type MoneyFacts } from '../../domain/contract/payments';
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
