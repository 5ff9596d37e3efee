/** issue 12: when the applicant is reminded of the second instalment, and whether it is still owed. */
import { bakuInstant } from '../shared/dates';
import { balanceDueQepik, type MoneyFacts } from './payments';

/** The remainder is due by the end of its day; the reminder's reference time is 09:00 Baku on that day. */
export function instalmentDueAt(dueOn: string): string {
  return bakuInstant(dueOn, '09:00');
}

/** When a reminder `leadMs` before the due time goes out (epoch ms). */
export function instalmentReminderAt(dueAt: string, leadMs: number): number {
  return new Date(dueAt).getTime() - leadMs;
}

/** Still owed: the order was issued (the first instalment is paid) and part of the price is unpaid. */
export function remainderStillOwed(facts: MoneyFacts): boolean {
  return facts.status === 'active' && facts.price?.plan === 'two_instalments' && balanceDueQepik(facts) > 0;
}
