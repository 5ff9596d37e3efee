/** What the applicant owes and when (R4.1.6, R4.2.2, R4.3). Money is integer qəpik. */
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
