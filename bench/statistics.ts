/**
 * Statistics (R3.2, issue 11) over a million contracts: `npm run bench -- statistics` (or
 * `npx tsx bench/statistics.ts`). Fills a database of its own straight with SQL
 * (`INSERT … SELECT generate_series`, no workflows): 100 bureaus of 15 lawyers and 500 individual
 * lawyers (bureaus of one), 60 institutions, case types and statuses weighted as a working
 * cabinet, three years of dates, orders (a tenth amended), Bar fees on the already-paid path, and
 * 100,000 assigned cases over 40 courts. The triggers of migration 019 are off during the fill and
 * `statistics_rebuild()` computes the cube once, as the migration does on an existing database;
 * a check then compares the cube with plain GROUP BY counts over the contracts.
 *
 * Then it times the service call the page and the API make (`statisticsReport`: the one cube query,
 * the names, the figures) for the Bar office, a bureau head and a lawyer, over varied periods (the
 * last 12 months by month, three years by quarter, one year by year), one at a time, and the cost
 * the triggers add to a read-model write (a status change of one contract). Prints p50/p95/p99,
 * writes bench/results/statistics.json, and exits non-zero when a scope's p99 misses 200 ms.
 *
 * Options (argv or environment):
 *   --contracts N    BENCH_STATISTICS_CONTRACTS    contracts to fill (default 1000000)
 *   --iterations N   BENCH_STATISTICS_ITERATIONS   timed calls per scope (default 50, after 5 unmeasured)
 * PostgreSQL: DATABASE_URL (a server where a fresh database is created and dropped), else an
 * embedded cluster of its own under .bench-data/statistics on a free port (EVK_BENCH_STATISTICS_POSTGRES_PORT).
 */
import './env';
import { performance } from 'node:perf_hooks';
import { statisticsReport } from '../api/statistics/service';
import type { Actor } from '../domain/shared/actor';
import { monthOf, type Period } from '../domain/statistics';
import type { Knex } from '../platform/db';
import { runOnOwnDatabase } from './own-database';
import { type Summary, summarize } from './stats';

const say = (message: string) => console.log(`[bench:statistics] ${message}`);

/** The floor of issue 11: statistics over 1,000,000 contracts answer in under 200 ms at p99. */
const FLOOR_P99_MS = 200;
const BUREAUS = 100;
const LAWYERS_PER_BUREAU = 15;
const INDIVIDUALS = 500;
const LAWYERS = BUREAUS * LAWYERS_PER_BUREAU + INDIVIDUALS;
const INSTITUTIONS = 60;
const COURTS = 40;
const ASSIGNMENTS = 100_000;

const STATUSES = [
  ['active', 45],
  ['finished', 20],
  ['awaiting_payment', 10],
  ['awaiting_approval', 8],
  ['draft', 7],
  ['terminated', 5],
  ['awaiting_fee', 3],
  ['discarded', 2],
] as const;
const CASE_TYPES = [
  ['criminal', 40],
  ['civil', 30],
  ['administrative', 10],
  ['administrative_offence', 10],
  ['commercial', 10],
] as const;
const ASSIGNMENT_STATUSES = [
  ['current', 45],
  ['archived', 40],
  ['awaiting_approval', 10],
  ['declined', 5],
] as const;

interface Options {
  contracts: number;
  iterations: number;
}

function parseOptions(argv: string[], env: NodeJS.ProcessEnv): Options {
  const args = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(argv[i]);
    if (!m) throw new Error(`unknown argument "${argv[i]}" (see the header of bench/statistics.ts)`);
    if (m[2] !== undefined) args.set(m[1], m[2]);
    else if (i + 1 < argv.length) args.set(m[1], argv[++i]);
    else throw new Error(`--${m[1]} needs a value`);
  }
  for (const name of args.keys())
    if (!['contracts', 'iterations'].includes(name)) throw new Error(`unknown option --${name}; known: --contracts, --iterations`);
  const int = (name: string, envName: string, fallback: number) => {
    const raw = args.get(name) ?? env[envName];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} / ${envName} must be a positive integer, got "${raw}"`);
    return value;
  };
  return {
    contracts: int('contracts', 'BENCH_STATISTICS_CONTRACTS', 1_000_000),
    iterations: int('iterations', 'BENCH_STATISTICS_ITERATIONS', 50),
  };
}

/** A weighted pick in SQL for r in [0, 100). */
function weighted(r: string, entries: readonly (readonly [string, number])[]): string {
  let acc = 0;
  const whens = entries.map(([value, weight]) => `WHEN ${r} < ${(acc += weight)} THEN '${value}'`);
  return `CASE ${whens.join(' ')} ELSE '${entries[entries.length - 1][0]}' END`;
}

// ---------------------------------------------------------------------------------------------
// Filling

async function fill(db: Knex, contracts: number): Promise<void> {
  const started = performance.now();
  await db.raw(`
    INSERT INTO bureaus (id, name, address, agent_contract_number, agent_contract_valid_from, individual)
    SELECT 'sb' || b, 'Bakı şəhəri ' || b || ' saylı Vəkil Bürosu', 'Bakı', 'PA-sb-' || b, DATE '2000-01-01', b > ${BUREAUS} FROM generate_series(1, ${BUREAUS + INDIVIDUALS}) b`);
  // Lawyers 1..1500 in the bureaus (the first of each is its head), 1501..2000 practising alone.
  await db.raw(`
    INSERT INTO lawyers (id, fin, mobile_signature_user_id, first_name, last_name, license_number, bureau_id, is_head)
    SELECT 'sl' || l, 'S' || lpad(l::text, 6, '0'), 'stat-user-' || l, 'Vəkil', 'Vəkilov ' || l, 'VL-S' || l,
           'sb' || CASE WHEN l <= ${BUREAUS * LAWYERS_PER_BUREAU} THEN 1 + (l - 1) / ${LAWYERS_PER_BUREAU} ELSE ${BUREAUS} + l - ${BUREAUS * LAWYERS_PER_BUREAU} END,
           l > ${BUREAUS * LAWYERS_PER_BUREAU} OR (l - 1) % ${LAWYERS_PER_BUREAU} = 0
      FROM generate_series(1, ${LAWYERS}) l`);
  await db.raw(`INSERT INTO institutions (id, name, kind) SELECT 'si' || i, i || ' saylı qurum', 'court' FROM generate_series(1, ${INSTITUTIONS}) i`);

  // The list indexes of the contracts (R4.8, migration 006 and before) serve no statistics; building them for a million rows
  // would double the fill, so this database does without them (the primary key stays, for the writes timed below).
  const indexes: { name: string }[] = (
    await db.raw(`SELECT indexname AS name FROM pg_indexes WHERE tablename IN ('contracts', 'assignments') AND indexname NOT LIKE '%_pkey'`)
  ).rows;
  for (const { name } of indexes) await db.raw(`DROP INDEX IF EXISTS "${name}"`);
  await db.transaction(async (trx) => {
    // No triggers and no foreign-key checks while filling: the cube is computed once afterwards.
    await trx.raw('SET LOCAL session_replication_role = replica');
    await trx.raw('SELECT setseed(0.3142)');
    // Lawyers' shares are uneven (the square of a uniform number favours the first ones); most
    // institutions get few contracts; versions: one order once paid, a tenth of them amended.
    await trx.raw(`
      INSERT INTO contracts (id, number, lawyer_id, bureau_id, status, revision, case_type, institution_id, institution_name,
                             names_folded, total_qepik, paid_qepik, balance_due_qepik, current_version, bar_fee_kept_qepik, view, created_at, updated_at)
      SELECT 'sc' || g, 'S-' || g, 'sl' || lawyer,
             'sb' || CASE WHEN lawyer <= ${BUREAUS * LAWYERS_PER_BUREAU} THEN 1 + (lawyer - 1) / ${LAWYERS_PER_BUREAU} ELSE ${BUREAUS} + lawyer - ${BUREAUS * LAWYERS_PER_BUREAU} END,
             status, 3, case_type, 'si' || institution, institution || ' saylı qurum', '', 100000, 0, 0,
             CASE WHEN status IN ('active', 'finished', 'terminated') THEN CASE WHEN amended THEN 2 ELSE 1 END ELSE 0 END,
             CASE WHEN status IN ('active', 'finished') AND fee THEN 2050 ELSE 0 END,
             '{}'::jsonb, created, created
        FROM (
          SELECT g,
                 1 + floor(power(random(), 1.6) * ${LAWYERS})::int AS lawyer,
                 ${weighted('floor(random() * 100)', STATUSES)} AS status,
                 ${weighted('floor(random() * 100)', CASE_TYPES)} AS case_type,
                 1 + floor(power(random(), 2) * ${INSTITUTIONS})::int AS institution,
                 random() < 0.1 AS amended,
                 random() < 0.08 AS fee,
                 now() - random() * interval '1095 days' AS created
            FROM generate_series(1, ${contracts}) g
        ) s`);
    await trx.raw(`
      INSERT INTO assignments (id, number, lawyer_id, bureau_id, court, case_number, defended_person_name, assigned_at, status, revision, view)
      SELECT 'sa' || g, 'T-' || g, 'sl' || lawyer,
             'sb' || CASE WHEN lawyer <= ${BUREAUS * LAWYERS_PER_BUREAU} THEN 1 + (lawyer - 1) / ${LAWYERS_PER_BUREAU} ELSE ${BUREAUS} + lawyer - ${BUREAUS * LAWYERS_PER_BUREAU} END,
             court || ' saylı rayon məhkəməsi', '1(101)-' || g, 'Müdafiə olunan', assigned, status, 1, '{}'::jsonb
        FROM (
          SELECT g, 1 + floor(random() * ${LAWYERS})::int AS lawyer, 1 + floor(power(random(), 2) * ${COURTS})::int AS court,
                 ${weighted('floor(random() * 100)', ASSIGNMENT_STATUSES)} AS status,
                 (now() - random() * interval '1095 days')::date AS assigned
            FROM generate_series(1, ${ASSIGNMENTS}) g
        ) s`);
  });
  say(`rows written in ${Math.round((performance.now() - started) / 1000)} s; statistics_rebuild()…`);
  const rebuilt = performance.now();
  await db.raw('SELECT statistics_rebuild()');
  say(`cube rebuilt in ${Math.round((performance.now() - rebuilt) / 1000)} s`);
  await db.raw('VACUUM ANALYZE statistics_cube');
  await db.raw('ANALYZE contracts');
}

/** The cube against plain counts over the contracts: the whole office by status and the period total. */
async function verify(db: Knex): Promise<string[]> {
  const problems: string[] = [];
  const direct: { status: string; n: string }[] = (
    await db.raw(`SELECT status, count(*) AS n FROM contracts WHERE status NOT IN ('draft', 'discarded') GROUP BY status ORDER BY status`)
  ).rows;
  const cube: { status: string; n: string }[] = (
    await db.raw(
      `SELECT value AS status, sum(n) AS n FROM statistics_cube WHERE scope = 'office' AND span = 'm' AND dimension = 'status' GROUP BY value HAVING sum(n) <> 0 ORDER BY value`,
    )
  ).rows;
  if (JSON.stringify(direct.map((r) => [r.status, Number(r.n)])) !== JSON.stringify(cube.map((r) => [r.status, Number(r.n)]))) {
    problems.push(`office by status: contracts ${JSON.stringify(direct)} but cube ${JSON.stringify(cube)}`);
  }
  const [{ orders: directOrders }] = (await db.raw(`SELECT sum(current_version) AS orders FROM contracts WHERE status NOT IN ('draft', 'discarded')`)).rows;
  const [{ orders: cubeOrders }] = (
    await db.raw(`SELECT sum(orders) AS orders FROM statistics_cube WHERE scope = 'office' AND span = 'y' AND dimension = 'all'`)
  ).rows;
  if (Number(directOrders) !== Number(cubeOrders)) problems.push(`orders: contracts ${directOrders}, cube ${cubeOrders}`);
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Measuring

function rng(seedValue: number) {
  let a = seedValue >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SCOPES = ['office', 'head', 'lawyer'] as const;
type ScopeName = (typeof SCOPES)[number];

function actorFor(scope: ScopeName, random: () => number): Actor {
  if (scope === 'office') return { kind: 'admin', id: 'admin-bench' };
  const bureau = 1 + Math.floor(random() * BUREAUS);
  const head = (bureau - 1) * LAWYERS_PER_BUREAU + 1;
  if (scope === 'head') return { kind: 'lawyer', id: `sl${head}`, bureauId: `sb${bureau}`, isHead: true };
  return { kind: 'lawyer', id: `sl${head + 1 + Math.floor(random() * (LAWYERS_PER_BUREAU - 1))}`, bureauId: `sb${bureau}`, isHead: false };
}

/** The periods people ask for: the last 12 months by month, three years by quarter, one year by year. */
function periodFor(i: number, random: () => number): Period {
  const now = new Date();
  const thisMonth = now.getUTCFullYear() * 12 + now.getUTCMonth();
  if (i % 3 === 0) return { from: monthOf(thisMonth - 11), to: monthOf(thisMonth), by: 'month' };
  if (i % 3 === 1) return { from: monthOf(thisMonth - 35), to: monthOf(thisMonth), by: 'quarter' };
  const year = now.getUTCFullYear() - Math.floor(random() * 3);
  return { from: `${year}-01`, to: `${year}-12`, by: 'year' };
}

interface ScopeResult {
  scope: ScopeName;
  latencyMs: Summary;
  /** Contracts in the figures (median over the calls). */
  medianContracts: number;
}

async function measureScope(db: Knex, scope: ScopeName, iterations: number): Promise<ScopeResult> {
  const random = rng(SCOPES.indexOf(scope) * 7919 + 1);
  const times: number[] = [];
  const contracts: number[] = [];
  const warmup = 5;
  for (let i = 0; i < warmup + iterations; i++) {
    const actor = actorFor(scope, random);
    const period = periodFor(i, random);
    const started = performance.now();
    const report = await statisticsReport(db, actor, period, 'az');
    const ms = performance.now() - started;
    if (i >= warmup) {
      times.push(ms);
      contracts.push(report.figures.find((f) => f.id === 'contracts_by_period')!.rows.reduce((s, r) => s + r.values[0], 0));
    }
  }
  contracts.sort((a, b) => a - b);
  return { scope, latencyMs: summarize(times), medianContracts: contracts[Math.floor(contracts.length / 2)] ?? 0 };
}

/** The plan of the office's cube query over 36 months read month by month (what a period not of whole years costs at most). */
async function explainOffice(db: Knex): Promise<string[]> {
  const now = new Date();
  const to = monthOf(now.getUTCFullYear() * 12 + now.getUTCMonth());
  const from = monthOf(now.getUTCFullYear() * 12 + now.getUTCMonth() - 35);
  const { rows } = await db.raw<{ rows: { 'QUERY PLAN': string }[] }>(
    `EXPLAIN (ANALYZE, COSTS OFF, BUFFERS OFF) SELECT dimension, value, CASE WHEN dimension = 'all' THEN month END AS month,
            sum(n), sum(orders), sum(bar_fees), sum(bar_fee_qepik) FROM statistics_cube WHERE scope = 'office' AND span = 'm' AND month >= ?::date AND month <= ?::date GROUP BY 1, 2, 3`,
    [`${from}-01`, `${to}-01`],
  );
  return rows.map((r) => r['QUERY PLAN']);
}

/** What the triggers add to a read-model write: one contract's status changed, with and without them. */
async function measureWrites(db: Knex, contracts: number, count: number): Promise<{ withTriggers: Summary; withoutTriggers: Summary }> {
  const random = rng(4242);
  const time = async (replica: boolean) => {
    const times: number[] = [];
    for (let i = 0; i < count; i++) {
      const id = `sc${1 + Math.floor(random() * contracts)}`;
      const started = performance.now();
      await db.transaction(async (trx) => {
        if (replica) await trx.raw('SET LOCAL session_replication_role = replica');
        await trx.raw(
          `UPDATE contracts SET status = CASE status WHEN 'active' THEN 'finished' WHEN 'finished' THEN 'active' ELSE status END, revision = revision + 1 WHERE id = ?`,
          [id],
        );
      });
      times.push(performance.now() - started);
    }
    return summarize(times);
  };
  const withoutTriggers = await time(true);
  const withTriggers = await time(false);
  return { withTriggers, withoutTriggers };
}

export interface StatisticsBenchResult {
  runAt: string;
  options: Options;
  machine: { cpus: number; cpuModel: string; node: string; postgres?: string; loadAverageAtStart: number };
  fillSeconds: number;
  contractsMiB: number;
  cubeRows: number;
  cubeMiB: number;
  problems: string[];
  plan: string[];
  scopes: ScopeResult[];
  writes: { withTriggers: Summary; withoutTriggers: Summary };
  floorP99Ms: number;
  pass: boolean;
}

async function runStatisticsBench(db: Knex, options: Options): Promise<Omit<StatisticsBenchResult, 'runAt' | 'options' | 'machine'>> {
  say(`filling ${options.contracts} contracts and ${ASSIGNMENTS} assigned cases with SQL, then statistics_rebuild()…`);
  const started = performance.now();
  await fill(db, options.contracts);
  const fillSeconds = Math.round((performance.now() - started) / 100) / 10;
  const sizes = (
    await db.raw(
      `SELECT pg_total_relation_size('contracts') AS contracts, pg_total_relation_size('statistics_cube') AS cube, (SELECT count(*) FROM statistics_cube) AS rows`,
    )
  ).rows[0];
  const mib = (bytes: string) => Math.round(Number(bytes) / 2 ** 20);
  say(`filled in ${fillSeconds} s: contracts ${mib(sizes.contracts)} MiB, cube ${sizes.rows} rows (${mib(sizes.cube)} MiB)`);
  const problems = await verify(db);
  for (const p of problems) say(`MISMATCH ${p}`);
  const plan = await explainOffice(db);
  for (const line of plan) say(line);
  const scopes: ScopeResult[] = [];
  for (const scope of SCOPES) {
    scopes.push(await measureScope(db, scope, options.iterations));
    const r = scopes[scopes.length - 1];
    say(`${scope}: p50 ${r.latencyMs.p50} ms, p99 ${r.latencyMs.p99} ms (median ${r.medianContracts} contracts in the figures)`);
  }
  const writes = await measureWrites(db, options.contracts, 100);
  say(`a status change: p50 ${writes.withoutTriggers.p50} → ${writes.withTriggers.p50} ms with the cube's triggers`);
  const pass = problems.length === 0 && scopes.every((s) => s.latencyMs.p99 < FLOOR_P99_MS);
  return {
    fillSeconds,
    contractsMiB: mib(sizes.contracts),
    cubeRows: Number(sizes.rows),
    cubeMiB: mib(sizes.cube),
    problems,
    plan,
    scopes,
    writes,
    floorP99Ms: FLOOR_P99_MS,
    pass,
  };
}

function report(r: StatisticsBenchResult): string {
  const header = ['scope (statisticsReport: every figure)', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', `under ${r.floorP99Ms} ms p99`, 'contracts (median)'];
  const rows = r.scopes.map((s) => [
    s.scope,
    s.latencyMs.p50.toFixed(1),
    s.latencyMs.p95.toFixed(1),
    s.latencyMs.p99.toFixed(1),
    s.latencyMs.max.toFixed(1),
    s.latencyMs.p99 < r.floorP99Ms ? 'yes' : 'NO',
    String(s.medianContracts),
  ]);
  const cells = [header, ...rows];
  const widths = header.map((_, c) => Math.max(...cells.map((row) => row[c].length)));
  const line = (row: string[]) => row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('   ');
  const w = r.writes;
  return [
    `Machine: ${r.machine.cpus} cores (${r.machine.cpuModel}), Node ${r.machine.node}, PostgreSQL ${r.machine.postgres ?? '?'}; load average ${r.machine.loadAverageAtStart} at start`,
    `Statistics over ${r.options.contracts} contracts (${r.contractsMiB} MiB) and ${ASSIGNMENTS} assigned cases; filled in ${r.fillSeconds} s; cube ${r.cubeRows} rows (${r.cubeMiB} MiB); ${r.options.iterations} calls per scope, one at a time`,
    '',
    line(header),
    widths.map((x) => '-'.repeat(x)).join('   '),
    ...rows.map(line),
    '',
    `A read-model write (one status change): p50 ${w.withoutTriggers.p50} ms / p99 ${w.withoutTriggers.p99} ms without the triggers, p50 ${w.withTriggers.p50} ms / p99 ${w.withTriggers.p99} ms with them`,
    r.problems.length ? `Cube mismatches: ${r.problems.join('; ')}` : 'The cube equals plain counts over the contracts (office by status, orders).',
    r.pass ? `PASS: every scope under ${r.floorP99Ms} ms at p99.` : `FAIL: a scope missed ${r.floorP99Ms} ms at p99, or the cube is wrong.`,
  ].join('\n');
}

/** `npm run bench -- statistics [--contracts N] [--iterations N]`: its own PostgreSQL, a fresh database, dropped at the end. */
export async function statisticsMain(argv: string[]): Promise<void> {
  const result: StatisticsBenchResult = await runOnOwnDatabase('statistics', parseOptions(argv, process.env), say, runStatisticsBench);
  console.log(`\n${report(result)}\n\nFigures written to bench/results/statistics.json.`);
  if (!result.pass) throw new Error(`statistics missed the ${FLOOR_P99_MS} ms p99 floor or the cube is wrong (see above)`);
}

if (require.main === module) {
  statisticsMain(process.argv.slice(2)).then(
    () => process.exit(0),
    (err: unknown) => {
      console.error('[bench:statistics] failed:', err);
      process.exit(1);
    },
  );
}
