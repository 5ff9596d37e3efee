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
  'payment.flag.reversed', // {amount}: the agent took money back (issue 9 item 3)
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

// ------------------------------------------------------------ the agent's cumulative reports (R4.3.3, issue 9 item 3)

/**
 * What the agent says of one of its payments: money received so far (`paid`, its states Paid,
 * Delivered, PartiallyPaid) or money taken back (`reversed`, its states Reversed, PartiallyReversed).
 * Amounts are cumulative: what the payment holds after the event, never what the event moved.
 */
export interface AgentPaymentReport {
  agentPaymentId: string;
  kind: PaymentKind;
  reported: 'paid' | 'reversed';
  /** paid: what the payer has paid in all; reversed: what is still kept after the reversal. */
  cumulativeQepik: number;
}

/** What the contract keeps of one payment at the agent, whatever order its reports came in. */
export interface AgentPaymentLedger {
  agentPaymentId: string;
  kind: PaymentKind;
  /** The largest amount any `paid` report gave (a high-water mark: an older, smaller report changes nothing). */
  paidHighWaterQepik: number;
  /** The smallest amount a `reversed` report said is still kept; absent until the first reversal. */
  keptAfterReversalQepik?: number;
  /** Of what this payment holds, how much counts towards the price (money flagged as not due counts nothing). */
  appliedQepik: number;
}

/**
 * What one agent payment holds now. Paid reports only raise the high-water mark; reversal reports
 * only lower what is kept; so any order and any number of the same reports give the same amount.
 * (The agent takes no new money on a payment once it has reversed it.)
 */
export function heldQepik(ledger: Pick<AgentPaymentLedger, 'paidHighWaterQepik' | 'keptAfterReversalQepik'> | undefined): number {
  if (!ledger) return 0;
  return ledger.keptAfterReversalQepik === undefined ? ledger.paidHighWaterQepik : Math.min(ledger.paidHighWaterQepik, ledger.keptAfterReversalQepik);
}

/**
 * The ledger of an agent payment as the contract recorded it before ledgers existed (issue 9 item 3):
 * from its recorded payments, named `<agent payment>@<cumulative>`, so a running contract keeps its balance.
 */
export function ledgerFromRecorded(
  agentPaymentId: string,
  kind: PaymentKind,
  recorded: readonly { paymentId: string; amountQepik: number; flag?: PaymentFlagCode }[],
): AgentPaymentLedger | undefined {
  const mine = recorded.filter((p) => p.paymentId.startsWith(`${agentPaymentId}@`));
  if (mine.length === 0) return undefined;
  const highWater = Math.max(...mine.map((p) => Number(p.paymentId.slice(agentPaymentId.length + 1).split('#')[0]) || 0));
  const applied = mine.filter((p) => p.flag === undefined || p.flag === 'payment.flag.overpaid').reduce((sum, p) => sum + p.amountQepik, 0);
  return { agentPaymentId, kind, paidHighWaterQepik: highWater, appliedQepik: applied };
}

export interface ReportOutcome {
  ledger: AgentPaymentLedger;
  /** New money this report adds (to be applied by applyPayment), 0 when none. */
  addedQepik: number;
  /** Money this report takes back from what counted towards the price (or the Bar fee), 0 when none. */
  reversedQepik: number;
  /** Money taken back in all by this report, counted or not. */
  takenBackQepik: number;
}

/** How a report changes an agent payment's ledger (issue 9 item 3): only the change of what it holds moves money. */
export function settleReport(before: AgentPaymentLedger | undefined, report: AgentPaymentReport): ReportOutcome {
  const start: AgentPaymentLedger = before ?? { agentPaymentId: report.agentPaymentId, kind: report.kind, paidHighWaterQepik: 0, appliedQepik: 0 };
  const cumulative = Math.max(0, Math.floor(report.cumulativeQepik));
  const ledger: AgentPaymentLedger =
    report.reported === 'paid'
      ? { ...start, paidHighWaterQepik: Math.max(start.paidHighWaterQepik, cumulative) }
      : { ...start, keptAfterReversalQepik: Math.min(start.keptAfterReversalQepik ?? cumulative, cumulative) };
  const change = heldQepik(ledger) - heldQepik(start);
  if (change >= 0) return { ledger, addedQepik: change, reversedQepik: 0, takenBackQepik: 0 };
  const reversed = Math.min(-change, ledger.appliedQepik);
  return { ledger: { ...ledger, appliedQepik: ledger.appliedQepik - reversed }, addedQepik: 0, reversedQepik: reversed, takenBackQepik: -change };
}

/**
 * What of the Bar fee a contract still keeps (R4.2.2, issue 9 item 3): fees recorded before ledgers
 * existed, and what each fee payment's ledger still holds of what it applied. The workflow decides
 * with it whether the order stands; the read model keeps it for the statistics (R3.2).
 */
export function barFeeKeptQepik(
  payments: readonly { paymentId: string; kind: PaymentKind; amountQepik: number; flag?: PaymentFlagCode }[],
  agentPayments: readonly AgentPaymentLedger[] = [],
): number {
  const ledgers = agentPayments.filter((l) => l.kind === 'bar_fee');
  const covered = (paymentId: string) => ledgers.some((l) => paymentId.startsWith(`${l.agentPaymentId}@`));
  const before = payments.filter((p) => p.kind === 'bar_fee' && !p.flag && !covered(p.paymentId)).reduce((sum, p) => sum + p.amountQepik, 0);
  return before + ledgers.reduce((sum, l) => sum + Math.min(l.appliedQepik, heldQepik(l)), 0);
}

/**
 * Whether the order still stands on money kept (issue 9 item 3, R4.2.1, R4.2.2): the Bar fee on the
 * already-paid path, otherwise what the order required of the price (the first instalment or all of it).
 */
export function orderCoveredByPayments(c: { approvedAsAlreadyPaid: boolean; price?: PriceTerms; paidQepik: number; barFeeKeptQepik: number }): boolean {
  if (c.approvedAsAlreadyPaid) return c.barFeeKeptQepik >= BAR_FEE_QEPIK;
  if (!c.price) return false;
  return c.paidQepik >= amountDueForOrderQepik(c.price);
}
