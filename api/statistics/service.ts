/**
 * The statistics as pages and the JSON API read them (R3.2): one query over `statistics_cube`
 * (migration 019, kept by the read-model writes) for the caller's scope and period, then the
 * figures with their labels in the caller's language. The scope is the caller's (R2.5).
 */
import type { Knex } from 'knex';
import {
  type CubeSum,
  type Dimension,
  type FigureId,
  figureRows,
  figuresFor,
  type Measure,
  type Period,
  scopeKey,
  scopeOf,
  type StatisticsScope,
} from '../../domain/statistics';
import type { Actor } from '../../domain/shared/actor';
import { type Locale, translate } from '../../locales';
import { HttpError } from '../http/errors';

export interface FigureColumn {
  key: string;
  label: string;
  /** `label`: the row's name; `count`: a number of things; `qepik`: money, integer qəpik. */
  kind: 'label' | 'count' | 'qepik';
}

export interface Figure {
  id: FigureId;
  title: string;
  columns: FigureColumn[];
  rows: { key: string; label: string; values: number[] }[];
}

export interface StatisticsReport {
  scope: StatisticsScope;
  period: Period;
  figures: Figure[];
}

/** The caller's scope, or 403 for a role that has none (applicants, operators). */
export function statisticsScope(actor: Actor): StatisticsScope {
  const scope = scopeOf(actor);
  if (!scope) throw new HttpError(403, 'forbidden', 'statistics.not_for_your_role');
  return scope;
}

interface SumRow {
  dimension: Dimension;
  value: string;
  month: Date | string | null;
  n: string | number;
  orders: string | number;
  bar_fees: string | number;
  bar_fee_qepik: string | number;
}

/** `YYYY-MM` of a cube month (a date column: node-postgres gives a Date at local midnight, or the text when so configured). */
const monthText = (month: Date | string): string =>
  typeof month === 'string' ? month.slice(0, 7) : `${month.getFullYear()}-${String(month.getMonth() + 1).padStart(2, '0')}`;

/**
 * The parts of a period as the cube holds them: whole years as year rows (the period figures keep
 * their months), and the months before and after them as month rows.
 */
function cubeRanges(period: Period): { span: 'm' | 'y'; from: string; to: string; only?: 'all' | 'not_all' }[] {
  const [fromYear, fromMonth] = period.from.split('-').map(Number);
  const [toYear, toMonth] = period.to.split('-').map(Number);
  const firstFull = fromMonth === 1 ? fromYear : fromYear + 1;
  const lastFull = toMonth === 12 ? toYear : toYear - 1;
  if (firstFull > lastFull) return [{ span: 'm', from: period.from, to: period.to }];
  const ranges: ReturnType<typeof cubeRanges> = [
    { span: 'y', from: `${firstFull}-01`, to: `${lastFull}-01`, only: 'not_all' },
    { span: 'm', from: `${firstFull}-01`, to: `${lastFull}-12`, only: 'all' },
  ];
  if (fromMonth !== 1) ranges.push({ span: 'm', from: period.from, to: `${fromYear}-12` });
  if (toMonth !== 12) ranges.push({ span: 'm', from: `${toYear}-01`, to: period.to });
  return ranges;
}

/** Every figure's sums for a scope and period: an index-only range scan of the cube per part of the period. */
export async function cubeSums(db: Knex, scope: StatisticsScope, period: Period): Promise<CubeSum[]> {
  const key = scopeKey(scope);
  const parts = cubeRanges(period);
  const bindings: string[] = [];
  const selects = parts.map((part) => {
    bindings.push(key, part.span, `${part.from}-01`, `${part.to}-01`);
    const only = part.only === 'all' ? ` AND dimension = 'all'` : part.only === 'not_all' ? ` AND dimension <> 'all'` : '';
    return `SELECT dimension, value, month, n, orders, bar_fees, bar_fee_qepik FROM statistics_cube WHERE scope = ? AND span = ? AND month >= ?::date AND month <= ?::date${only}`;
  });
  // Grouped by the cube's own columns (bytewise text, a date): no per-row formatting, a cheap sort.
  const { rows } = await db.raw<{ rows: SumRow[] }>(
    `SELECT dimension, value, CASE WHEN dimension = 'all' THEN month END AS month,
            sum(n) AS n, sum(orders) AS orders, sum(bar_fees) AS bar_fees, sum(bar_fee_qepik) AS bar_fee_qepik
       FROM (${selects.join(' UNION ALL ')}) c
      GROUP BY 1, 2, 3`,
    bindings,
  );
  return rows.map((r) => ({
    dimension: r.dimension,
    value: r.value,
    month: r.month === null ? undefined : monthText(r.month),
    n: Number(r.n),
    orders: Number(r.orders),
    bar_fees: Number(r.bar_fees),
    bar_fee_qepik: Number(r.bar_fee_qepik),
  }));
}

async function namesOf(db: Knex, table: 'bureaus' | 'institutions', ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows: { id: string; name: string }[] = await db(table).whereIn('id', ids).select('id', 'name');
  return new Map(rows.map((r) => [r.id, r.name]));
}

const MEASURE_KIND: Record<Measure, FigureColumn['kind']> = { n: 'count', orders: 'count', bar_fees: 'count', bar_fee_qepik: 'qepik' };

function periodLabel(locale: Locale, key: string): string {
  const quarter = /^(\d{4})-Q([1-4])$/.exec(key);
  return quarter
    ? translate(locale, 'statistics.quarter', { year: quarter[1], quarter: quarter[2], roman: ['I', 'II', 'III', 'IV'][Number(quarter[2]) - 1] })
    : key;
}

/** The figures of the caller's scope over the period, labelled in `locale`. */
export async function statisticsReport(db: Knex, actor: Actor, period: Period, locale: Locale): Promise<StatisticsReport> {
  const scope = statisticsScope(actor);
  const sums = await cubeSums(db, scope, period);
  const values = (dimension: Dimension) => [...new Set(sums.filter((s) => s.dimension === dimension && s.value !== '').map((s) => s.value))];
  const [bureaus, institutions] = await Promise.all([namesOf(db, 'bureaus', values('bureau')), namesOf(db, 'institutions', values('institution'))]);
  const t = (key: string, params?: Record<string, unknown>) => translate(locale, key, params);
  const notGiven = t('statistics.not_given');
  const label: Record<Dimension, (key: string) => string> = {
    all: (key) => periodLabel(locale, key),
    case_type: (key) => (key ? t(`caseType.${key}`) : notGiven),
    institution: (key) => (key ? (institutions.get(key) ?? key) : notGiven),
    status: (key) => t(`status.${key}`),
    bureau: (key) => bureaus.get(key) ?? key,
    assignment_court: (key) => key || notGiven,
    assignment_status: (key) => t(`assignment.status.${key}`),
  };
  const figures = figuresFor(scope).map((definition): Figure => {
    const base = `statistics.figure.${definition.id}`;
    return {
      id: definition.id,
      title: t(base),
      columns: [
        { key: 'key', label: t(`${base}.key`), kind: 'label' },
        ...definition.measures.map((m) => ({ key: m, label: t(`${base}.${m}`), kind: MEASURE_KIND[m] })),
      ],
      rows: figureRows(definition, sums, period).map((r) => ({ ...r, label: label[definition.dimension](r.key) })),
    };
  });
  return { scope, period, figures };
}
