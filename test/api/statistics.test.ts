/**
 * Statistics (R3.2, issue 11) over real HTTP: known contracts and assigned cases are written by the
 * read-model activities themselves (recordContract, recordAssignment), changed the way contracts
 * change (status changes, an amendment's new order, a Bar fee reversed, a write repeated and one
 * arriving late), and every figure the API answers is checked against a plain SQL count over the
 * read models, for the Bar office (everything), a bureau head (the bureau), a lawyer (their own)
 * and an individual lawyer (a bureau of one). R2.5: the scope is the caller's, whatever the query
 * says. The exports (CSV, XLSX read back with exceljs) hold the same table.
 */
import { randomBytes } from 'node:crypto';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordContract } from '../../activities/contract/read-model';
import { createAssignmentActivities } from '../../activities/assignment/read-model';
import type { AssignmentView } from '../../workflows/assignment/messages';
import type { ContractView } from '../../workflows/contract/messages';
import { expectStatus, loginDemoLawyers } from '../support/api';
import { loginNewAdmin } from '../support/bar-office';
import { HttpClient } from '../support/http-client';
import { actors, startTestSystem, type TestSystem } from '../support/system';

let system: TestSystem;
let browsers: Record<'admin' | 'head' | 'lawyer' | 'colleague' | 'individual', HttpClient>;
const tag = randomBytes(3).toString('hex');
/** A year no other test writes in: the figures of 2011 are this file's alone. */
const PERIOD = 'from=2011-01&to=2011-12';
const COLLEAGUE = { kind: 'lawyer' as const, id: 'lawyer-qasimova', bureauId: 'baki-1' };

interface Seed {
  id: string;
  lawyer: { id: string; bureauId?: string };
  status: string;
  caseType: string;
  institution: string;
  month: string;
  versions?: number;
  barFee?: boolean;
}

let n = 0;
function view(seed: Seed, revision: number, more: Partial<ContractView> = {}): ContractView {
  const terms = {
    caseType: seed.caseType,
    institution: { id: seed.institution, name: seed.institution },
    applicant: { firstName: 'Statistika', lastName: 'Testov' },
  };
  return {
    contractId: seed.id,
    contractNumber: `2011-S${tag}-${++n}`,
    lawyerId: seed.lawyer.id,
    bureauId: seed.lawyer.bureauId!,
    status: seed.status,
    revision,
    draft: terms,
    terms,
    paidQepik: 0,
    balanceDueQepik: 0,
    currentVersion: seed.versions ?? 0,
    payments: seed.barFee ? [{ paymentId: `${seed.id}-fee@2050`, kind: 'bar_fee', method: 'card', amountQepik: 2050, paidAt: '2011-06-01T10:00:00Z' }] : [],
    ...more,
  } as unknown as ContractView;
}

/** A contract through the read-model activity, then dated in its month of 2011 (the read model's own column). */
async function seedContract(seed: Seed, revision = 1, more: Partial<ContractView> = {}) {
  await recordContract(system.db, view(seed, revision, more));
  await system
    .db('contracts')
    .where({ id: seed.id })
    .update({ created_at: `${seed.month}-15T08:00:00Z` });
}

beforeAll(async () => {
  system = await startTestSystem({ web: true });
  const lawyers = await loginDemoLawyers(system);
  const admin = (await loginNewAdmin(system)).browser;
  browsers = { admin, head: lawyers.head, lawyer: lawyers.lawyer, colleague: lawyers.colleague, individual: lawyers.individual };

  const institutions: string[] = (await system.db('institutions').orderBy('id').limit(3).select('id')).map((r: { id: string }) => r.id);
  const [i1, i2, i3] = institutions;
  const s = (id: string, lawyer: Seed['lawyer'], status: string, caseType: string, institution: string, month: string, extra: Partial<Seed> = {}): Seed => ({
    id: `stat-${tag}-${id}`,
    lawyer,
    status,
    caseType,
    institution,
    month,
    ...extra,
  });
  const seeds = [
    s('a', actors.lawyer, 'active', 'criminal', i1, '2011-01', { versions: 1 }),
    s('b', actors.lawyer, 'active', 'criminal', i2, '2011-02', { versions: 1 }),
    s('c', actors.lawyer, 'awaiting_approval', 'civil', i1, '2011-02'),
    s('d', actors.lawyer, 'awaiting_fee', 'civil', i3, '2011-05'),
    s('e', actors.lawyer, 'draft', 'civil', i1, '2011-05'),
    s('f', actors.lawyer, 'discarded', 'commercial', i1, '2011-05'),
    s('g', COLLEAGUE, 'active', 'administrative', i2, '2011-04', { versions: 1, barFee: true }),
    s('h', COLLEAGUE, 'awaiting_payment', 'criminal', i2, '2011-07'),
    s('i', actors.head, 'finished', 'administrative_offence', i3, '2011-11', { versions: 1 }),
    s('j', actors.head, 'active', 'criminal', i1, '2011-12', { versions: 1, barFee: true }),
    s('k', actors.individual, 'active', 'civil', i1, '2011-03', { versions: 1, barFee: true }),
    s('l', actors.individual, 'terminated', 'criminal', i3, '2011-09'),
  ];
  for (const seed of seeds) await seedContract(seed);
  const byId = (id: string) => seeds.find((x) => x.id === `stat-${tag}-${id}`)!;

  // The way contracts change afterwards:
  // a status change (archived), and a submission of a draft;
  await recordContract(system.db, view({ ...byId('a'), status: 'finished', versions: 1 }, 2));
  await recordContract(system.db, view({ ...byId('e'), status: 'awaiting_approval' }, 2));
  // an amendment issues version 2 of the order;
  await recordContract(system.db, view({ ...byId('b'), versions: 2 }, 2));
  // the agent takes a Bar fee back (issue 9 item 3): nothing of it is kept any more;
  const feePayment = `${byId('k').id}-fee`;
  await recordContract(
    system.db,
    view(byId('k'), 2, {
      agentPayments: [{ agentPaymentId: feePayment, kind: 'bar_fee', paidHighWaterQepik: 2050, keptAfterReversalQepik: 0, appliedQepik: 2050 }],
    }),
  );
  // the same write again (a retried activity), and an older one arriving late: both change nothing.
  await recordContract(system.db, view({ ...byId('b'), versions: 2 }, 2));
  await recordContract(system.db, view({ ...byId('a'), status: 'active' }, 1));
  // a contract moved to another month of the read model.
  await system
    .db('contracts')
    .where({ id: byId('c').id })
    .update({ created_at: '2011-08-20T08:00:00Z' });

  const activities = createAssignmentActivities({ db: system.db });
  const assignment = (id: string, lawyer: { id: string; bureauId?: string }, court: string, status: string, assignedAt: string, revision: number) =>
    activities.recordAssignment({
      assignmentId: `stat-${tag}-as-${id}`,
      assignmentNumber: `T-2011-S${tag}${id}`,
      lawyerId: lawyer.id,
      bureauId: lawyer.bureauId!,
      status,
      revision,
      details: { court, caseNumber: `1(101)-${id}/2011`, defendedPerson: { name: 'Müdafiə olunan' }, assignedAt },
    } as unknown as AssignmentView);
  await assignment('1', actors.lawyer, 'Bakı Ağır Cinayətlər Məhkəməsi', 'awaiting_approval', '2011-03-10', 1);
  await assignment('1', actors.lawyer, 'Bakı Ağır Cinayətlər Məhkəməsi', 'current', '2011-03-10', 2);
  await assignment('2', actors.lawyer, 'Nəsimi Rayon Məhkəməsi', 'archived', '2011-06-01', 1);
  await assignment('3', actors.head, 'Bakı Ağır Cinayətlər Məhkəməsi', 'declined', '2011-10-05', 1);
  await assignment('4', actors.individual, 'Gəncə Apellyasiya Məhkəməsi', 'current', '2011-12-31', 1);
}, 120_000);

afterAll(async () => {
  await system?.close();
});

type Scope = { lawyer_id?: string; bureau_id?: string };

/** The figures counted straight from the read models with plain SQL: contracts once submitted, in 2011 (Baku time). */
async function counted(scope: Scope, by: 'quarter' | 'month') {
  const db = system.db;
  const contracts = () =>
    db('contracts')
      .where(scope)
      .whereNotIn('status', ['draft', 'discarded'])
      .where('created_at', '>=', '2010-12-31T20:00:00Z')
      .where('created_at', '<', '2011-12-31T20:00:00Z');
  const grouped = async (column: string) => {
    const rows: { key: string | null; n: string }[] = await contracts().groupBy(column).select({ key: column }).count({ n: '*' });
    return Object.fromEntries(rows.map((r) => [r.key ?? '', Number(r.n)]));
  };
  const bucket = by === 'quarter' ? `to_char(created_at AT TIME ZONE 'Asia/Baku', 'YYYY-"Q"Q')` : `to_char(created_at AT TIME ZONE 'Asia/Baku', 'YYYY-MM')`;
  const periods: { key: string; n: string; orders: string; fees: string; fee_qepik: string }[] = await contracts()
    .groupByRaw(bucket)
    .select(
      db.raw(`${bucket} AS key`),
      db.raw('count(*) AS n'),
      db.raw('sum(current_version) AS orders'),
      db.raw('count(*) FILTER (WHERE bar_fee_kept_qepik > 0) AS fees'),
      db.raw('sum(bar_fee_kept_qepik) AS fee_qepik'),
    );
  const assignments = async (column: string) => {
    const rows: { key: string; n: string }[] = await db('assignments')
      .where(scope)
      .whereBetween('assigned_at', ['2011-01-01', '2011-12-31'])
      .groupBy(column)
      .select({ key: column })
      .count({ n: '*' });
    return Object.fromEntries(rows.map((r) => [r.key, Number(r.n)]));
  };
  const period = (measure: 'n' | 'orders' | 'fees' | 'fee_qepik') =>
    Object.fromEntries(periods.filter((p) => Number(p[measure]) !== 0).map((p) => [p.key, Number(p[measure])]));
  return {
    contracts_by_case_type: await grouped('case_type'),
    contracts_by_institution: await grouped('institution_id'),
    contracts_by_status: await grouped('status'),
    contracts_by_bureau: await grouped('bureau_id'),
    contracts_by_period: period('n'),
    orders_by_period: period('orders'),
    bar_fees_by_period: { amount: period('fee_qepik'), count: period('fees') },
    assignments_by_court: await assignments('court'),
    assignments_by_status: await assignments('status'),
  };
}

interface FigureJson {
  id: string;
  title: string;
  columns: { key: string; label: string; kind: string }[];
  rows: { key: string; label: string; values: number[] }[];
}

/** A figure's rows as key → value of one column, leaving out zeros (the fixed lists show them). */
const asCounts = (figure: FigureJson, column = 0) =>
  Object.fromEntries(figure.rows.filter((r) => r.values[column] !== 0).map((r) => [r.key, r.values[column]]));

async function figuresOf(browser: HttpClient, query = `${PERIOD}&by=quarter`): Promise<{ scope: { kind: string }; figures: FigureJson[] }> {
  return expectStatus(await browser.get(`/api/statistics?${query}`), 200, 'GET /api/statistics').body;
}

describe('statistics (R3.2): every figure equals an independent count, in each scope (R2.5)', () => {
  it.each([
    ['admin', 'office', {}],
    ['head', 'bureau', { bureau_id: 'baki-1' }],
    ['lawyer', 'lawyer', { lawyer_id: 'lawyer-mammadov' }],
    ['colleague', 'lawyer', { lawyer_id: 'lawyer-qasimova' }],
    ['individual', 'bureau', { bureau_id: 'quliyev' }],
  ] as const)('%s sees the %s figures of 2011, each equal to a plain SQL count', async (who, scopeKind, scope) => {
    // R2.5: a query naming another scope changes nothing.
    const answer = await figuresOf(browsers[who], `${PERIOD}&by=quarter&scope=office&lawyerId=head-huseynova&bureauId=quliyev`);
    expect(answer.scope.kind).toBe(scopeKind);
    const expected = await counted(scope, 'quarter');
    const figure = (id: string) => answer.figures.find((f) => f.id === id)!;
    const ids = answer.figures.map((f) => f.id);
    expect(ids).toEqual([
      'contracts_by_period',
      'contracts_by_case_type',
      'contracts_by_institution',
      'contracts_by_status',
      ...(scopeKind === 'office' ? ['contracts_by_bureau'] : []),
      'orders_by_period',
      'bar_fees_by_period',
      'assignments_by_court',
      'assignments_by_status',
    ]);
    for (const id of ids.filter((i) => i !== 'bar_fees_by_period')) {
      expect(asCounts(figure(id)), id).toEqual(expected[id as keyof typeof expected]);
    }
    expect(asCounts(figure('bar_fees_by_period'), 0)).toEqual(expected.bar_fees_by_period.amount);
    expect(asCounts(figure('bar_fees_by_period'), 1)).toEqual(expected.bar_fees_by_period.count);
    // Every quarter is listed, zeros included, in order.
    expect(figure('contracts_by_period').rows.map((r) => r.key)).toEqual(['2011-Q1', '2011-Q2', '2011-Q3', '2011-Q4']);
  });

  it('the known changes show: the archived, the amended, the reversed fee, the moved month; nothing twice', async () => {
    const answer = await figuresOf(browsers.lawyer, `${PERIOD}&by=month`);
    const figure = (id: string) => answer.figures.find((f) => f.id === id)!;
    // lawyer-mammadov: a (finished, 1 order), b (active, 2 orders after the amendment), c (moved to August), d, e (submitted in May).
    expect(asCounts(figure('contracts_by_status'))).toEqual({ finished: 1, active: 1, awaiting_approval: 2, awaiting_fee: 1 });
    expect(asCounts(figure('orders_by_period'))).toEqual({ '2011-01': 1, '2011-02': 2 });
    expect(asCounts(figure('contracts_by_period'))).toEqual({ '2011-01': 1, '2011-02': 1, '2011-05': 2, '2011-08': 1 });
    expect(figure('contracts_by_period').rows).toHaveLength(12);
    expect(asCounts(figure('assignments_by_status'))).toEqual({ current: 1, archived: 1 });
    // Periods that are not whole years (read as months) and whole years with months around them agree.
    const around = await figuresOf(browsers.lawyer, 'from=2010-12&to=2012-01&by=year');
    expect(asCounts(around.figures.find((f) => f.id === 'contracts_by_status')!)).toEqual(asCounts(figure('contracts_by_status')));
    expect(asCounts(around.figures.find((f) => f.id === 'contracts_by_period')!)).toEqual({ '2011': 5 });
    const fromFebruary = await figuresOf(browsers.lawyer, 'from=2011-02&to=2011-12');
    expect(asCounts(fromFebruary.figures.find((f) => f.id === 'contracts_by_case_type')!)).toEqual({ criminal: 1, civil: 3 });
    // The individual lawyer's fee was taken back: no fee kept; the bureau's two fees stand.
    const individual = await figuresOf(browsers.individual);
    expect(individual.figures.find((f) => f.id === 'bar_fees_by_period')!.rows.every((r) => r.values.every((v) => v === 0))).toBe(true);
    const office = await figuresOf(browsers.admin, `${PERIOD}&by=year`);
    expect(office.figures.find((f) => f.id === 'bar_fees_by_period')!.rows).toEqual([{ key: '2011', label: '2011', values: [4100, 2] }]);
    expect(office.figures.find((f) => f.id === 'contracts_by_period')!.rows[0].values).toEqual([11]);
  });

  it('refuses a wrong period at its field, in the caller language', async () => {
    const refused = await browsers.admin.get('/api/statistics?from=2011-13&to=2011-01&by=week', { 'accept-language': 'az' });
    expect(refused.status).toBe(400);
    const fields = (refused.body.error.fields as { field: string; message: string }[]).map((f) => f.field);
    expect(fields).toEqual(['from', 'by']);
    expect(refused.body.error.fields[0].message).toMatch(/İİİİ-AA/);
    const reversed = await browsers.admin.get('/api/statistics?from=2011-05&to=2011-01');
    expect(reversed.body.error.fields).toMatchObject([{ field: 'to', code: 'statistics.period_reversed' }]);
  });
});

describe('exports (R3.2): CSV and XLSX hold the same table', () => {
  it('one table as CSV: attachment, no-store, the rows of the JSON answer', async () => {
    const { figures } = await figuresOf(browsers.admin);
    const institutions = figures.find((f) => f.id === 'contracts_by_institution')!;
    const csv = await browsers.admin.get(`/api/statistics/export.csv?${PERIOD}&by=quarter&figure=contracts_by_institution`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csv.headers.get('content-disposition')).toContain('attachment; filename="statistika-2011-01-2011-12-contracts_by_institution.csv"');
    expect(csv.headers.get('cache-control')).toBe('no-store');
    const lines = csv.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe(institutions.columns.map((c) => c.label).join(','));
    expect(lines.slice(1)).toEqual(institutions.rows.map((r) => [/[",]/.test(r.label) ? `"${r.label.replace(/"/g, '""')}"` : r.label, ...r.values].join(',')));
    const unknown = await browsers.admin.get(`/api/statistics/export.csv?${PERIOD}&figure=contracts_by_weather`);
    expect(unknown.status).toBe(400);
    // A lawyer has no table by bureau to export.
    expect((await browsers.lawyer.get(`/api/statistics/export.csv?${PERIOD}&figure=contracts_by_bureau`)).status).toBe(400);
  });

  it('all tables as XLSX: one sheet each, read back with exceljs, equal to the tables (money in manat)', async () => {
    const { figures } = await figuresOf(browsers.head);
    const xlsx = await browsers.head.getBytes(`/api/statistics/export.xlsx?${PERIOD}&by=quarter`);
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers.get('content-disposition')).toContain('filename="statistika-2011-01-2011-12.xlsx"');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.bytes as unknown as ArrayBuffer);
    expect(workbook.worksheets).toHaveLength(figures.length);
    workbook.worksheets.forEach((sheet, index) => {
      const figure = figures[index];
      const rows = (sheet.getSheetValues() as unknown[][]).filter(Boolean).map((r) => r.slice(1));
      expect(rows[0]).toEqual(figure.columns.map((c) => c.label));
      expect(rows.slice(1)).toEqual(figure.rows.map((r) => [r.label, ...r.values.map((v, i) => (figure.columns[i + 1].kind === 'qepik' ? v / 100 : v))]));
    });
  });
});

describe('the page "Statistik məlumatlar" (R3.2)', () => {
  it('draws each figure as an SVG with its title beside the table, with the lawyer’s own scope', async () => {
    const page = await browsers.lawyer.get(`/statistics?${PERIOD}&by=quarter`, { accept: 'text/html' });
    expect(page.status).toBe(200);
    expect(page.text).toContain('<svg role="img" aria-label="');
    expect(page.text).toMatch(/<title>Müraciətin növü üzrə müqavilələr: diaqram/);
    expect(page.text).not.toContain('data-figure="contracts_by_bureau"');
    const refused = await browsers.lawyer.get('/statistics?from=2011-13&to=2011-12', { accept: 'text/html' });
    expect(refused.text).toContain('value="2011-13"');
    expect(refused.text).toContain('class="field-error"');
  });
});
