/** Refusals and field errors of the statistics (R3.2); texts in locales/<language>/statistics.json. */
export const STATISTICS_CODES = [
  'statistics.month_invalid',
  'statistics.period_reversed',
  'statistics.period_too_long',
  'statistics.granularity_unknown',
  'statistics.figure_unknown',
  'statistics.not_for_your_role',
] as const;

export type StatisticsCode = (typeof STATISTICS_CODES)[number];
