/** What the applicant owes and when (R4.1.6, R4.2.2, R4.3). Money is integer qəpik. */
import type { CodeParams } from '../shared/codes';
import { formatAzn } from '../shared/money';
import type { ContractStatus } from './status';
import type { PriceTerms } from './terms';

/** The Bar's fee paid by the bureau head on the already-paid path (R4.2.2): 20.50 AZN. */
export const BAR_FEE_QEPIK = 2050;
/** The second instalment: price 1000 AZN, first 300 → 700. */
export function remainderQepik(price: Partial<PriceTerms>): number {
  const total = price.totalQepik ?? 0;
  if (price.plan !== 'two_instalments') return 0;
  return Math.max(0, total - (price.firstInstalmentQepik ?? 0));
}

/** What the applicant must pay before the order is issued. */
export function amountDueForOrderQepik(price: PriceTerms): number {
  return price.plan === 'two_instalments' ? (price.firstInstalmentQepik ?? price.totalQepik) : price.totalQepik;
}

/** What the money rules need to know of a contract. */
export interface MoneyFacts {
  status: ContractStatus;
  /** Absent while the contract is a draft. */
  price?: PriceTerms;
  paidQepik: number;
  /** Approved as already paid (R4.2.2): the price was settled outside the system. */
  approvedAsAlreadyPaid: boolean;
}

/** What is still owed of the price, whatever the status (R4.1.6): 0 once paid or settled outside. */
export function balanceDueQepik(c: MoneyFacts): number {
  if (!c.price || c.approvedAsAlreadyPaid) return 0;
  return Math.max(0, c.price.totalQepik - c.paidQepik);
}

/**
 * What the next payment is for, now (R4.2.2, R4.3): before the order the applicant's first payment
 * (all of a single price), on the already-paid path the Bar fee, after the order the balance.
 */
export function amountDueNowQepik(c: MoneyFacts): number {
  if (c.status === 'awaiting_payment' && c.price) return Math.max(0, amountDueForOrderQepik(c.price) - c.paidQepik);
  if (c.status === 'awaiting_fee') return BAR_FEE_QEPIK;
  return balanceDueQepik(c);
}

// ------------------------------------------------------------ applying a payment (R4.2.2, R4.3)

export type PaymentKind = 'contract' | 'bar_fee';

/** Why a payment was accepted but not applied, or applied with a remark; locale keys (workflow.json). */
export const PAYMENT_FLAG_CODES = [
  'payment.flag.bar_fee_wrong_status', // {status}: the Bar fee came when no fee was due
  'payment.flag.bar_fee_below', // {amount}: less than the 20.50 AZN fee
  'payment.flag.overpaid', // more than the balance; applied all the same
  'payment.flag.nothing_due', // {status}: a contract payment when nothing was due
] as const;
export type PaymentFlagCode = (typeof PAYMENT_FLAG_CODES)[number];

export interface PaymentFlag {
  code: PaymentFlagCode;
  params?: CodeParams;
}

/** What the contract's history says of an applied payment. */
export type PaymentEvent = 'bar_fee_paid' | 'paid' | 'balance_paid';

export interface PaymentOutcome {
  /** The agent reported a payment already recorded: nothing changes. */
  duplicate: boolean;
  flag?: PaymentFlag;
  /** Paid of the price after this payment (a Bar fee is not part of the price). */
  paidQepik: number;
  /** The history event of an applied payment; undefined when it was only flagged. */
  applied?: PaymentEvent;
  /** The order is now due: the contract becomes active and its documents are issued. */
  becomesActive: boolean;
}

export interface IncomingPayment {
  paymentId: string;
  kind: PaymentKind;
  amountQepik: number;
}

/**
 * How a payment the agent reports changes the contract. A payment reported twice counts once; money
 * that arrives when it is not due is recorded with a flag, never lost (R4.3.3); the first instalment
 * (or the whole single price) makes the order due (R4.3); on the already-paid path the Bar fee does
 * (R4.2.2).
 */
export function applyPayment(c: MoneyFacts & { recordedPaymentIds: readonly string[] }, payment: IncomingPayment): PaymentOutcome {
  const unchanged = { paidQepik: c.paidQepik, becomesActive: false };
  if (c.recordedPaymentIds.includes(payment.paymentId)) return { duplicate: true, ...unchanged };
  const flagged = (code: PaymentFlagCode, params?: CodeParams): PaymentOutcome => ({
    duplicate: false,
    flag: params ? { code, params } : { code },
    ...unchanged,
  });
  if (payment.kind === 'bar_fee') {
    if (c.status !== 'awaiting_fee') return flagged('payment.flag.bar_fee_wrong_status', { status: c.status });
    if (payment.amountQepik < BAR_FEE_QEPIK) return flagged('payment.flag.bar_fee_below', { amount: formatAzn(BAR_FEE_QEPIK) });
    return { duplicate: false, paidQepik: c.paidQepik, applied: 'bar_fee_paid', becomesActive: true };
  }
  const balance = balanceDueQepik(c);
  if (!c.price || !(c.status === 'awaiting_payment' || (c.status === 'active' && balance > 0))) {
    return flagged('payment.flag.nothing_due', { status: c.status });
  }
  const paidQepik = c.paidQepik + payment.amountQepik;
  return {
    duplicate: false,
    flag: payment.amountQepik > balance ? { code: 'payment.flag.overpaid' } : undefined,
    paidQepik,
    applied: c.status === 'active' ? 'balance_paid' : 'paid',
    becomesActive: c.status === 'awaiting_payment' && paidQepik >= amountDueForOrderQepik(c.price),
  };
}
