/** What the applicant owes and when (R4.1.6, R4.2.2, R4.3). Money is integer qəpik. */
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
