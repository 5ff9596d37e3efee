/**
 * The Presidium's figures (R3.2) and who sees which (R2.5): the Bar office all of them over every
 * contract, a bureau head the bureau's, a lawyer their own. The scope comes from who is asking,
 * never from the request.
 */
import { ASSIGNMENT_STATUSES } from '../assignment';
import { CONTRACT_STATUSES } from '../contract/status';
import { CASE_TYPES } from '../contract/terms';
import type { Actor } from '../shared/actor';
import { bucketOf, bucketsOf, type Period } from './period';

export type StatisticsScope = { kind: 'office' } | { kind: 'bureau'; bureauId: string } | { kind: 'lawyer'; lawyerId: string };

/** The Bar office: everything; a head: the bureau; a lawyer: their own; nobody else (applicants, operators). */
export function scopeOf(actor: Actor): StatisticsScope | undefined {
  if (actor.kind === 'admin') return { kind: 'office' };
  if (actor.kind !== 'lawyer') return undefined;
  if (actor.isHead && actor.bureauId) return { kind: 'bureau', bureauId: actor.bureauId };
  return { kind: 'lawyer', lawyerId: actor.id };
}

/** The scope's key in `statistics_cube` (migration 019). */
export function scopeKey(scope: StatisticsScope): string {
  if (scope.kind === 'office') return 'office';
  return scope.kind === 'bureau' ? `bureau:${scope.bureauId}` : `lawyer:${scope.lawyerId}`;
}

/** The dimensions of `statistics_cube`; `all` is one value per month (the period figures). */
export type Dimension = 'all' | 'case_type' | 'institution' | 'status' | 'bureau' | 'assignment_court' | 'assignment_status';
/** What a column counts: contracts (or assigned cases), orders issued, Bar fees kept (how many, and the amount in qəpik). */
export type Measure = 'n' | 'orders' | 'bar_fees' | 'bar_fee_qepik';

export const FIGURE_IDS = [
  'contracts_by_period',
  'contracts_by_case_type',
  'contracts_by_institution',
  'contracts_by_status',
  'contracts_by_bureau',
  'orders_by_period',
  'bar_fees_by_period',
  'assignments_by_court',
  'assignments_by_status',
] as const;
export type FigureId = (typeof FIGURE_IDS)[number];

export interface FigureDefinition {
  id: FigureId;
  dimension: Dimension;
  /** The columns after the first (the key): the first measure is the one charted. */
  measures: readonly Measure[];
  /** Known values shown even when nothing counts (in this order); otherwise the values found, largest first. */
  fixed?: readonly string[];
  officeOnly?: boolean;
}

/** The statuses a contract has once submitted: drafts are not yet contracts. */
export const COUNTED_CONTRACT_STATUSES = CONTRACT_STATUSES.filter((s) => s !== 'draft' && s !== 'discarded');

export const FIGURES: readonly FigureDefinition[] = [
  { id: 'contracts_by_period', dimension: 'all', measures: ['n'] },
  { id: 'contracts_by_case_type', dimension: 'case_type', measures: ['n'], fixed: CASE_TYPES },
  { id: 'contracts_by_institution', dimension: 'institution', measures: ['n'] },
  { id: 'contracts_by_status', dimension: 'status', measures: ['n'], fixed: COUNTED_CONTRACT_STATUSES },
  { id: 'contracts_by_bureau', dimension: 'bureau', measures: ['n'], officeOnly: true },
  { id: 'orders_by_period', dimension: 'all', measures: ['orders'] },
  { id: 'bar_fees_by_period', dimension: 'all', measures: ['bar_fee_qepik', 'bar_fees'] },
  { id: 'assignments_by_court', dimension: 'assignment_court', measures: ['n'] },
  { id: 'assignments_by_status', dimension: 'assignment_status', measures: ['n'], fixed: ASSIGNMENT_STATUSES },
];

export function figuresFor(scope: StatisticsScope): FigureDefinition[] {
  return FIGURES.filter((f) => !f.officeOnly || scope.kind === 'office');
}

/** One row of `statistics_cube` summed over the period: a month only for the `all` dimension. */
export interface CubeSum {
  dimension: Dimension;
  value: string;
  /** `YYYY-MM`, for the `all` dimension. */
  month?: string;
  n: number;
  orders: number;
  bar_fees: number;
  bar_fee_qepik: number;
}

export interface FigureRow {
  key: string;
  values: number[];
}

/** A figure's rows from the summed cube: period figures by bucket (every bucket), the others by value. */
export function figureRows(definition: FigureDefinition, sums: readonly CubeSum[], period: Period): FigureRow[] {
  const mine = sums.filter((s) => s.dimension === definition.dimension);
  const totals = new Map<string, number[]>();
  const add = (key: string, sum: CubeSum) => {
    const values = totals.get(key) ?? definition.measures.map(() => 0);
    definition.measures.forEach((m, i) => (values[i] += sum[m]));
    totals.set(key, values);
  };
  if (definition.dimension === 'all') {
    for (const key of bucketsOf(period))
      totals.set(
        key,
        definition.measures.map(() => 0),
      );
    for (const s of mine) if (s.month) add(bucketOf(s.month, period.by), s);
    return [...totals].map(([key, values]) => ({ key, values }));
  }
  for (const key of definition.fixed ?? [])
    totals.set(
      key,
      definition.measures.map(() => 0),
    );
  for (const s of mine) add(s.value, s);
  const rows = [...totals].map(([key, values]) => ({ key, values }));
  const fixed = definition.fixed;
  if (fixed) {
    // A value outside the known list (an old status, say) is shown after them, not lost.
    const order = (key: string) => (fixed.includes(key) ? fixed.indexOf(key) : fixed.length);
    return rows.sort((a, b) => order(a.key) - order(b.key) || a.key.localeCompare(b.key));
  }
  return rows.filter((r) => r.values.some((v) => v !== 0)).sort((a, b) => b.values[0] - a.values[0] || a.key.localeCompare(b.key));
}
