/**
 * The period of the statistics (R3.2): a range of whole months, from and to inclusive, shown by
 * month, quarter or year. Months are `YYYY-MM` (what an `<input type="month">` sends).
 */
import type { FieldError } from '../shared/field-error';

export const GRANULARITIES = ['month', 'quarter', 'year'] as const;
export type Granularity = (typeof GRANULARITIES)[number];

/** Ten years at most: the figures of a longer range are read by year from several requests. */
export const MAX_PERIOD_MONTHS = 120;

export interface Period {
  /** First month, `YYYY-MM`. */
  from: string;
  /** Last month, `YYYY-MM`, inclusive. */
  to: string;
  by: Granularity;
}

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** Months since year 0: a number to count and compare with. */
export const monthIndex = (month: string): number => Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1;
export const monthOf = (index: number): string => `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;

/** This month and the eleven before it, by month, in Baku time. */
export function defaultPeriod(today: Date): Period {
  const baku = new Date(today.getTime() + 4 * 3_600_000);
  const to = monthOf(baku.getUTCFullYear() * 12 + baku.getUTCMonth());
  return { from: monthOf(monthIndex(to) - 11), to, by: 'month' };
}

/** Reads `from`, `to`, `by`; what is absent comes from the default; each wrong value is an error at its field. */
export function parsePeriod(input: { from?: unknown; to?: unknown; by?: unknown }, today: Date): { period: Period; errors: FieldError[] } {
  const fallback = defaultPeriod(today);
  const errors: FieldError[] = [];
  const text = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);
  const month = (field: 'from' | 'to'): string => {
    const v = text(input[field]);
    if (v === undefined) return fallback[field];
    if (MONTH.test(v)) return v;
    errors.push({ field, code: 'statistics.month_invalid' });
    return fallback[field];
  };
  const from = month('from');
  const to = month('to');
  const byText = text(input.by);
  let by: Granularity = 'month';
  if (byText !== undefined) {
    if ((GRANULARITIES as readonly string[]).includes(byText)) by = byText as Granularity;
    else errors.push({ field: 'by', code: 'statistics.granularity_unknown' });
  }
  if (errors.length === 0) {
    const span = monthIndex(to) - monthIndex(from) + 1;
    if (span < 1) errors.push({ field: 'to', code: 'statistics.period_reversed' });
    else if (span > MAX_PERIOD_MONTHS) errors.push({ field: 'from', code: 'statistics.period_too_long', params: { months: MAX_PERIOD_MONTHS } });
  }
  return { period: { from, to, by }, errors };
}

/** The bucket of a month: `2026-03`, `2026-Q1` or `2026`. */
export function bucketOf(month: string, by: Granularity): string {
  const index = monthIndex(month);
  const year = Math.floor(index / 12);
  if (by === 'year') return String(year);
  if (by === 'quarter') return `${year}-Q${Math.floor((index % 12) / 3) + 1}`;
  return month;
}

/** Every bucket of the period in order, so that a period without contracts shows as 0, not as a gap. */
export function bucketsOf(period: Period): string[] {
  const buckets: string[] = [];
  for (let i = monthIndex(period.from); i <= monthIndex(period.to); i++) {
    const b = bucketOf(monthOf(i), period.by);
    if (buckets[buckets.length - 1] !== b) buckets.push(b);
  }
  return buckets;
}
