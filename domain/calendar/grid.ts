/**
 * The calendar's days (R8.4): month, week and day views in Baku time, weeks starting on Monday.
 * Days are "YYYY-MM-DD" strings; arithmetic is done on UTC midnights, so no server time zone leaks in.
 */
import { bakuInstant } from '../shared/dates';

export const CALENDAR_VIEWS = ['month', 'week', 'day'] as const;
export type CalendarView = (typeof CALENDAR_VIEWS)[number];

const pad = (n: number) => String(n).padStart(2, '0');
const utc = (day: string) => Date.parse(`${day}T00:00:00Z`);
const dayOf = (ms: number) => {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
};

export const addDays = (day: string, n: number): string => dayOf(utc(day) + n * 86_400_000);
/** 0 = Monday … 6 = Sunday. */
export const weekday = (day: string): number => (new Date(utc(day)).getUTCDay() + 6) % 7;
export const mondayOf = (day: string): string => addDays(day, -weekday(day));
export const isDay = (value: unknown): value is string => typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) && dayOf(utc(value)) === value;

/** The days a view shows around `day`: [first, last] inclusive. The month view shows whole weeks. */
export function viewRange(view: CalendarView, day: string): { first: string; last: string } {
  if (view === 'day') return { first: day, last: day };
  if (view === 'week') return { first: mondayOf(day), last: addDays(mondayOf(day), 6) };
  const firstOfMonth = `${day.slice(0, 8)}01`;
  const [y, m] = [Number(day.slice(0, 4)), Number(day.slice(5, 7))];
  const lastOfMonth = dayOf(Date.UTC(y, m, 0));
  return { first: mondayOf(firstOfMonth), last: addDays(mondayOf(lastOfMonth), 6) };
}

/** The instants [from, to) that cover the days first..last in Baku. */
export const rangeInstants = (first: string, last: string) => ({ from: bakuInstant(first), to: bakuInstant(addDays(last, 1)) });

/** Every day from first to last, inclusive. */
export function daysBetween(first: string, last: string): string[] {
  const days: string[] = [];
  for (let d = first; d <= last; d = addDays(d, 1)) days.push(d);
  return days;
}

/** The previous and next day, week or month that the view's arrows go to. */
export function neighbours(view: CalendarView, day: string): { previous: string; next: string } {
  if (view === 'day') return { previous: addDays(day, -1), next: addDays(day, 1) };
  if (view === 'week') return { previous: addDays(day, -7), next: addDays(day, 7) };
  const [y, m] = [Number(day.slice(0, 4)), Number(day.slice(5, 7))];
  const shift = (delta: number) => dayOf(Date.UTC(y, m - 1 + delta, 1));
  return { previous: shift(-1), next: shift(1) };
}
