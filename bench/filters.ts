/**
 * The R4.8 list filters over a large read model: `npm run bench -- filters` (or
 * `npx tsx bench/filters.ts`). Seeds 100,000 contracts straight into `contracts` with SQL
 * (`INSERT … SELECT generate_series`: Azerbaijani names, statuses, case types, institutions and
 * three years of dates over 5 bureaus of 10 lawyers; no workflows), then times the query the API
 * and the list pages run (api/contract/search.ts: the count and the first page of 20), one at a
 * time, with different values each time: every filter alone, a person's whole name (few matches),
 * and the five combined, for a lawyer's own cases, for a bureau head across the bureau, and for the
 * Bar office over every contract. Prints p50/p95/p99 and, for each scenario, the buffers and scans
 * of its first measured count and page (EXPLAIN ANALYZE, BUFFERS: what does not depend on the
 * machine's load), and writes them to bench/results/filters.json.
 *
 * Options (argv or environment):
 *   --contracts N    BENCH_FILTER_CONTRACTS    rows to seed (default 100000)
 *   --iterations N   BENCH_FILTER_ITERATIONS   timed queries per scenario (default 200)
 *   --keep-database yes|no  BENCH_FILTER_KEEP  keep the seeded database (evk_bench_filters_<N>) and
 *                    reuse it next time instead of seeding again (default no: fresh, dropped)
 * PostgreSQL: DATABASE_URL (a server where a fresh database is created and dropped), else an
 * embedded cluster of its own under .bench-data/filters on a free port (EVK_BENCH_FILTERS_POSTGRES_PORT).
 */
import './env';
import { performance } from 'node:perf_hooks';
import {
  type ContractFilters,
  type ContractSearch,
  LIST_COLUMNS,
  type ListScope,
  lookUpNameTerms,
  searchContracts,
  searchQueries,
} from '../api/contract/search';
import { type Actor, CASE_TYPES, foldForSearch } from '../domain/contract';
import type { Knex } from '../platform/db';
import { NAME_WORD_TRIGGERS } from '../migrations/029_contract_name_words';
import { seedDemoData } from '../simulators/demo-seed';
import { runOnOwnDatabase } from './own-database';
import { type Summary, summarize } from './stats';

const say = (message: string) => console.log(`[bench:filters] ${message}`);

const BUREAUS = 5;
const LAWYERS_PER_BUREAU = 10;
const LAWYERS = BUREAUS * LAWYERS_PER_BUREAU;

// prettier-ignore
const FIRST_NAMES = ['Əli', 'Vəli', 'Rəşad', 'Gülnarə', 'Şükür', 'Ülviyyə', 'Çingiz', 'Ağa', 'İlham', 'Nərgiz', 'Səbinə', 'Elçin', 'Fərid', 'Könül', 'Tural', 'Aysel', 'Orxan', 'Lalə', 'Ramil', 'Günel', 'Elnur', 'Səidə', 'Vüsal', 'Aygün', 'Nurlan', 'Xədicə', 'Kamran', 'Zərifə', 'Emin', 'Şəbnəm'];
// prettier-ignore
const LAST_NAMES = ['Əliyev', 'Məmmədova', 'Hüseynov', 'Quliyeva', 'Qasımov', 'Şükürova', 'Babayev', 'Cəfərova', 'İsmayılov', 'Rəhimova', 'Həsənov', 'Abbasova', 'Kərimov', 'Nəbiyeva', 'Orucov', 'Süleymanova', 'Vəliyev', 'Mustafayeva', 'Çələbiyev', 'Ağayeva', 'Bağırov', 'Tağıyeva', 'Novruzov', 'Zeynalova', 'Əsgərov', 'Sadıqova', 'Mirzəyev', 'Hacıyeva', 'Paşayev', 'Rüstəmova', 'Yusifov', 'Qənbərova', 'Salmanov', 'Ələkbərova', 'Fərzəliyev', 'İbrahimova', 'Muradov', 'Şirinova', 'Xəlilov', 'Ömərova'];
// prettier-ignore
const PATRONYMICS = ['Vüqar oğlu', 'Əli qızı', 'Rəşid oğlu', 'Kamran qızı', 'İlqar oğlu', 'Nizami qızı', 'Şahin oğlu', 'Elşən qızı', 'Fuad oğlu', 'Ağalar qızı', 'Məhəmməd oğlu', 'Tofiq qızı', 'Rövşən oğlu', 'Zaur qızı', 'Çingiz oğlu', 'Süleyman qızı'];
/** Weighted as a working cabinet would be: most cases active or in the archive. */
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
const CASE_TYPE_WEIGHTS: Record<string, number> = { criminal: 40, civil: 30, administrative: 10, administrative_offence: 10, commercial: 10 };
const STAGES = ['pre_trial', 'first_instance', 'appeal', 'cassation', 'other'];

interface Options {
  contracts: number;
  iterations: number;
  keepDatabase: boolean;
}

function parseOptions(argv: string[], env: NodeJS.ProcessEnv): Options {
  const args = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(argv[i]);
    if (!m) throw new Error(`unknown argument "${argv[i]}" (see the header of bench/filters.ts)`);
    if (m[2] !== undefined) args.set(m[1], m[2]);
    else if (i + 1 < argv.length) args.set(m[1], argv[++i]);
    else throw new Error(`--${m[1]} needs a value`);
  }
  for (const name of args.keys())
    if (!['contracts', 'iterations', 'keep-database'].includes(name))
      throw new Error(`unknown option --${name}; known: --contracts, --iterations, --keep-database`);
  const int = (name: string, envName: string, fallback: number) => {
    const raw = args.get(name) ?? env[envName];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} / ${envName} must be a positive integer, got "${raw}"`);
    return value;
  };
  const keep = (args.get('keep-database') ?? env.BENCH_FILTER_KEEP ?? 'no').toLowerCase();
  if (!['yes', 'no', 'true', 'false', '1', '0'].includes(keep)) throw new Error(`--keep-database / BENCH_FILTER_KEEP must be yes or no, got "${keep}"`);
  return {
    contracts: int('contracts', 'BENCH_FILTER_CONTRACTS', 100_000),
    iterations: int('iterations', 'BENCH_FILTER_ITERATIONS', 200),
    keepDatabase: ['yes', 'true', '1'].includes(keep),
  };
}

// ---------------------------------------------------------------------------------------------
// Seeding

/** `(ARRAY[…])[1 + n % len]` for a text array: picks by a number computed in SQL. */
const sqlArray = (values: readonly string[]) => `ARRAY[${values.map((v) => `'${v.replace(/'/g, "''")}'`).join(',')}]::text[]`;

/** A weighted pick in SQL: `CASE WHEN r < w1 THEN v1 WHEN r < w1+w2 THEN v2 … END` for r in [0, 100). */
function weighted(r: string, entries: readonly (readonly [string, number])[]): string {
  let acc = 0;
  const whens = entries.map(([value, weight]) => {
    acc += weight;
    return `WHEN ${r} < ${acc} THEN '${value}'`;
  });
  return `CASE ${whens.join(' ')} ELSE '${entries[entries.length - 1][0]}' END`;
}

async function seed(db: Knex, contracts: number, institutions: string[]): Promise<void> {
  await db.raw(`
    INSERT INTO bureaus (id, name, address, agent_contract_number, agent_contract_valid_from, individual)
    SELECT 'bench-b' || b, 'Bakı şəhəri ' || b || ' saylı Vəkil Bürosu (bench)', 'Bakı', 'PA-bench-' || b, DATE '2000-01-01', false FROM generate_series(1, ${BUREAUS}) b
    ON CONFLICT (id) DO NOTHING`);
  await db.raw(`
    INSERT INTO lawyers (id, fin, mobile_signature_user_id, first_name, last_name, patronymic, license_number, bureau_id, is_head)
    SELECT 'bench-l' || l, 'BL' || lpad(l::text, 5, '0'), 'bench-user-' || l,
           (${sqlArray(FIRST_NAMES)})[1 + l % ${FIRST_NAMES.length}], (${sqlArray(LAST_NAMES)})[1 + l % ${LAST_NAMES.length}], NULL,
           'VL-B' || l, 'bench-b' || (1 + (l - 1) / ${LAWYERS_PER_BUREAU}), (l - 1) % ${LAWYERS_PER_BUREAU} = 0
    FROM generate_series(1, ${LAWYERS}) l
    ON CONFLICT (id) DO NOTHING`);

  const first = sqlArray(FIRST_NAMES);
  const firstF = sqlArray(FIRST_NAMES.map(foldForSearch));
  const last = sqlArray(LAST_NAMES);
  const lastF = sqlArray(LAST_NAMES.map(foldForSearch));
  const patr = sqlArray(PATRONYMICS);
  const patrF = sqlArray(PATRONYMICS.map(foldForSearch));
  const inst = sqlArray(institutions);
  // The names of the applicant (a…) and the protected person (p…), the way recordContract writes
  // them: "surname name patronymic", names_folded = foldForSearch(applicant + ' ' + protected).
  await db.transaction(async (trx) => {
    // No triggers and no foreign-key checks while filling (the rows are consistent by construction):
    // migration 019's statistics trigger upserts its counters once per row, which made a million
    // rows take over half an hour. The statistics are not read here, so they are not rebuilt.
    await trx.raw('SET LOCAL session_replication_role = replica');
    // Migration 029's triggers fire in replica mode too: off for the fill, the table of name words rebuilt after it.
    for (const trigger of NAME_WORD_TRIGGERS) await trx.raw(`ALTER TABLE contracts DISABLE TRIGGER ${trigger}`);
    // The indexes are built once after the fill (as CREATE INDEX on a loaded table would leave
    // them), not maintained row by row: their definitions are read back from the catalogue.
    await trx.raw("SET LOCAL maintenance_work_mem = '256MB'");
    const indexes: { rows: { name: string; definition: string }[] } = await trx.raw(`
      SELECT indexname AS name, indexdef AS definition FROM pg_indexes
      WHERE schemaname = current_schema() AND tablename = 'contracts'
        AND indexname NOT IN (SELECT conname FROM pg_constraint WHERE conrelid = 'contracts'::regclass)`);
    for (const index of indexes.rows) await trx.raw(`DROP INDEX ${index.name}`);
    await trx.raw('SELECT setseed(0.4242)');
    await trx.raw(`
      INSERT INTO contracts (id, number, lawyer_id, bureau_id, status, revision, case_type, institution_id, institution_name,
                             protected_party_name, applicant_name, names_folded, total_qepik, paid_qepik, balance_due_qepik,
                             current_version, stage, view, created_at, updated_at)
      SELECT 'bench-' || g, to_char(created, 'YYYY') || '-B' || lpad(g::text, 6, '0'), 'bench-l' || lawyer, 'bench-b' || (1 + (lawyer - 1) / ${LAWYERS_PER_BUREAU}),
             status, 3, case_type, (${inst})[s.i], inst_row.name,
             (${last})[pl] || ' ' || (${first})[pf] || ' ' || (${patr})[pp],
             (${last})[al] || ' ' || (${first})[af] || ' ' || (${patr})[ap],
             (${lastF})[al] || ' ' || (${firstF})[af] || ' ' || (${patrF})[ap] || ' ' || (${lastF})[pl] || ' ' || (${firstF})[pf] || ' ' || (${patrF})[pp],
             100000, 0, 100000, 1, (${sqlArray(STAGES)})[1 + (g % ${STAGES.length})],
             jsonb_build_object('contractId', 'bench-' || g, 'status', status, 'padding', repeat(md5(g::text), 30)),
             created, created + interval '3 days'
      FROM (
        SELECT g,
               1 + floor(random() * ${LAWYERS})::int AS lawyer,
               ${weighted('floor(random() * 100)', STATUSES)} AS status,
               ${weighted('floor(random() * 100)', Object.entries(CASE_TYPE_WEIGHTS))} AS case_type,
               1 + floor(random() * ${institutions.length})::int AS i,
               1 + floor(random() * ${FIRST_NAMES.length})::int AS af, 1 + floor(random() * ${LAST_NAMES.length})::int AS al, 1 + floor(random() * ${PATRONYMICS.length})::int AS ap,
               1 + floor(random() * ${FIRST_NAMES.length})::int AS pf, 1 + floor(random() * ${LAST_NAMES.length})::int AS pl, 1 + floor(random() * ${PATRONYMICS.length})::int AS pp,
               now() - random() * interval '1095 days' AS created
        FROM generate_series(1, ${contracts}) g
      ) s
      JOIN LATERAL (SELECT name FROM institutions WHERE id = (${inst})[s.i]) inst_row ON true`);
    for (const index of indexes.rows) await trx.raw(index.definition);
    for (const trigger of NAME_WORD_TRIGGERS) await trx.raw(`ALTER TABLE contracts ENABLE ALWAYS TRIGGER ${trigger}`);
  });
  // Migration 029's table of name words, which its triggers (off during the fill) would have written: in created_at order,
  // as a working cabinet writes it; its key and index built after it, as for the contracts above.
  await db.transaction(async (trx) => {
    await trx.raw("SET LOCAL maintenance_work_mem = '256MB'");
    const wordIndexes: { rows: { name: string; definition: string }[] } = await trx.raw(`
      SELECT indexname AS name, indexdef AS definition FROM pg_indexes
      WHERE schemaname = current_schema() AND tablename = 'contract_name_words'
        AND indexname NOT IN (SELECT conname FROM pg_constraint WHERE conrelid = 'contract_name_words'::regclass)`);
    const keys: { rows: { name: string; definition: string }[] } = await trx.raw(
      "SELECT conname AS name, pg_get_constraintdef(oid) AS definition FROM pg_constraint WHERE conrelid = 'contract_name_words'::regclass AND contype = 'p'",
    );
    for (const index of wordIndexes.rows) await trx.raw(`DROP INDEX ${index.name}`);
    for (const key of keys.rows) await trx.raw(`ALTER TABLE contract_name_words DROP CONSTRAINT ${key.name}`);
    await trx.raw('SELECT contract_name_words_rebuild()');
    for (const key of keys.rows) await trx.raw(`ALTER TABLE contract_name_words ADD CONSTRAINT ${key.name} ${key.definition}`);
    for (const index of wordIndexes.rows) await trx.raw(index.definition);
  });
  // As autovacuum leaves a table that has settled: statistics, and the visibility map that lets counts read indexes only.
  await db.raw('VACUUM ANALYZE contracts');
  await db.raw('VACUUM ANALYZE contract_name_words');
}

// ---------------------------------------------------------------------------------------------
// Measuring

const FILTERS = ['name', 'caseType', 'institution', 'status', 'dateRange'] as const;
/**
 * `person`: a surname and a first name typed whole ("Sadıqova Emin"), as someone looking for one
 * client would: a name few of a scope's cases match (about 0.3 %), the case migration 027 is for.
 */
type Filter = (typeof FILTERS)[number] | 'person';

/** Deterministic pseudo-random numbers (mulberry32), so two runs ask the same questions. */
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

/** Who lists: a lawyer their own current cases, a head the bureau's, the Bar office every contract (no name filter, issue 9 item 6). */
type Who = 'lawyer' | 'head' | 'barOffice';

interface Scenario {
  who: Who;
  scope: ListScope;
  filters: Filter[];
  /** Every filter the lister has, with the values of one existing case. */
  combined: boolean;
  label: string;
}

interface ScenarioResult {
  label: string;
  who: Who;
  scope: ListScope;
  filters: Filter[];
  latencyMs: Summary;
  /** Rows matched (the list's total), median over the iterations. */
  medianTotal: number;
  /**
   * EXPLAIN (ANALYZE, BUFFERS) of the first measured query: its count (with a name: the matches,
   * their number and the page from them, one query) and its page when that is a query of its own.
   */
  plan: { count: PlanSummary; page?: PlanSummary };
}

/** What a plan read: its scans (node, index, rows out, rows removed by the filter) and the buffers it touched. */
interface PlanSummary {
  scans: string[];
  buffers: number;
  heapFetches: number;
  /** Inside PostgreSQL, on this machine under its load at the time (the buffers are what carries over). */
  executionMs: number;
}

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  'Actual Rows'?: number;
  'Rows Removed by Filter'?: number;
  'Heap Fetches'?: number;
  'Shared Hit Blocks'?: number;
  'Shared Read Blocks'?: number;
  Plans?: PlanNode[];
}

async function explain(db: Knex, query: Knex.QueryBuilder | Knex.Raw): Promise<PlanSummary> {
  const { sql, bindings } = query.toSQL();
  const answer = await db.raw(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${sql}`, bindings as readonly Knex.RawBinding[]);
  const [{ Plan: root, 'Execution Time': executionMs }] = answer.rows[0]['QUERY PLAN'] as [{ Plan: PlanNode; 'Execution Time': number }];
  const scans: string[] = [];
  let heapFetches = 0;
  const walk = (node: PlanNode) => {
    if (node['Node Type'].includes('Scan') && node['Node Type'] !== 'Subquery Scan') {
      const removed = node['Rows Removed by Filter'] ? `, ${node['Rows Removed by Filter']} removed` : '';
      scans.push(`${node['Node Type']}${node['Index Name'] ? ` ${node['Index Name']}` : ''} (${node['Actual Rows']} rows${removed})`);
    }
    heapFetches += node['Heap Fetches'] ?? 0;
    for (const child of node.Plans ?? []) walk(child);
  };
  walk(root);
  return {
    scans,
    buffers: (root['Shared Hit Blocks'] ?? 0) + (root['Shared Read Blocks'] ?? 0),
    heapFetches,
    executionMs: Math.round(executionMs * 100) / 100,
  };
}

function makeFilters(which: Filter[], random: () => number, institutions: string[]): ContractFilters {
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)];
  const f: ContractFilters = {};
  for (const w of which) {
    if (w === 'name') {
      // What people type: a whole first name ("Əli"), the start of a surname ("Məmməd"), or a surname in plain letters ("quliyeva").
      const kind = random();
      f.name = kind < 0.34 ? pick(FIRST_NAMES) : kind < 0.67 ? pick(LAST_NAMES).slice(0, 5) : foldForSearch(pick(LAST_NAMES));
    }
    if (w === 'person') f.name = `${pick(LAST_NAMES)} ${pick(FIRST_NAMES)}`;
    if (w === 'caseType') f.caseType = pick(CASE_TYPES);
    if (w === 'institution') f.institutionId = pick(institutions);
    if (w === 'status') f.status = pick(['active', 'awaiting_payment', 'awaiting_approval'] as const);
    if (w === 'dateRange') {
      // A period of up to a year within the three years of data.
      const start = new Date(Date.now() - Math.floor(random() * 1000) * 86_400_000);
      const end = new Date(start.getTime() + (30 + Math.floor(random() * 335)) * 86_400_000);
      f.from = start.toISOString().slice(0, 10);
      f.to = end.toISOString().slice(0, 10);
    }
  }
  return f;
}

const BAR_OFFICE: Actor = { kind: 'admin', id: 'bench-admin' };

function actorFor(scope: ListScope, random: () => number): Actor {
  const bureau = 1 + Math.floor(random() * BUREAUS);
  const head = (bureau - 1) * LAWYERS_PER_BUREAU + 1;
  // The lawyer's own current cases: any lawyer; the bureau's: its head.
  const lawyer = scope === 'mine' ? head + Math.floor(random() * LAWYERS_PER_BUREAU) : head;
  return { kind: 'lawyer', id: `bench-l${lawyer}`, bureauId: `bench-b${bureau}`, isHead: lawyer === head };
}

interface SampleRow {
  lawyer_id: string;
  bureau_id: string;
  case_type: string;
  institution_id: string;
  status: string;
  protected_party_name: string;
  created_at: Date;
}

/**
 * The five filters combined as someone looking for a case they know: values of one existing
 * current case (a part of its protected person's surname, its case type, institution, status,
 * and a period of a month or more around its date), so that the query finds at least that case.
 */
function filtersFromCase(row: SampleRow, random: () => number): ContractFilters {
  const surname = row.protected_party_name.split(' ')[0];
  const day = (d: Date) => d.toISOString().slice(0, 10);
  const before = Math.floor(random() * 180) + 1;
  const after = Math.floor(random() * 180) + 1;
  return {
    name: surname.slice(0, 4 + Math.floor(random() * Math.max(1, surname.length - 4))),
    caseType: row.case_type as ContractFilters['caseType'],
    institutionId: row.institution_id,
    status: row.status as ContractFilters['status'],
    from: day(new Date(row.created_at.getTime() - before * 86_400_000)),
    to: day(new Date(row.created_at.getTime() + after * 86_400_000)),
  };
}

function actorOfCase(who: Who, scope: ListScope, row: SampleRow): Actor {
  if (who === 'barOffice') return BAR_OFFICE;
  const bureau = Number(row.bureau_id.replace('bench-b', ''));
  const head = `bench-l${(bureau - 1) * LAWYERS_PER_BUREAU + 1}`;
  const id = scope === 'mine' ? row.lawyer_id : head;
  return { kind: 'lawyer', id, bureauId: row.bureau_id, isHead: id === head };
}

async function runScenario(db: Knex, scenario: Scenario, iterations: number, institutions: string[]): Promise<ScenarioResult> {
  const random = rng(
    (scenario.filters[0] === 'person' ? FILTERS.length : FILTERS.indexOf(scenario.filters[0] ?? 'name')) * 1000 +
      scenario.filters.length * 17 +
      (scenario.scope === 'bureau' ? 7 : 0) +
      (scenario.who === 'barOffice' ? 13 : 0),
  );
  const times: number[] = [];
  const totals: number[] = [];
  const warmup = Math.min(20, iterations);
  const combined = scenario.combined;
  const sample: SampleRow[] = combined
    ? await db('contracts')
        .whereNotIn('status', ['draft', 'discarded', 'finished', 'terminated'])
        .orderByRaw('md5(id)')
        .limit(warmup + iterations)
        .select('lawyer_id', 'bureau_id', 'case_type', 'institution_id', 'status', 'protected_party_name', 'created_at')
    : [];
  let explained: ContractSearch | undefined;
  let explainedActor: Actor = BAR_OFFICE;
  for (let i = 0; i < warmup + iterations; i++) {
    const known = sample[i % Math.max(1, sample.length)];
    const actor = scenario.who === 'barOffice' ? BAR_OFFICE : combined ? actorOfCase(scenario.who, scenario.scope, known) : actorFor(scenario.scope, random);
    const filters = combined ? filtersFromCase(known, random) : makeFilters(scenario.filters, random, institutions);
    if (scenario.who === 'barOffice') delete filters.name;
    // Lawyers: the current cases (R4.7), as the list pages and `?archive=false` ask for them; the Bar office: every contract, as /admin/contracts.
    const archive = scenario.who === 'barOffice' ? undefined : false;
    const search: ContractSearch = { scope: scenario.scope, archive, filters, page: 1, pageSize: 20 };
    const started = performance.now();
    const { total } = await searchContracts(db, actor, search, LIST_COLUMNS);
    const ms = performance.now() - started;
    if (i === warmup) [explained, explainedActor] = [search, actor];
    if (i >= warmup) {
      times.push(ms);
      totals.push(total);
    }
  }
  totals.sort((a, b) => a - b);
  const queries = searchQueries(db, explainedActor, explained!, LIST_COLUMNS, await lookUpNameTerms(db, explainedActor, explained!));
  const counted = await explain(db, queries.matched ?? queries.count);
  return {
    label: scenario.label,
    who: scenario.who,
    scope: scenario.scope,
    filters: scenario.filters,
    latencyMs: summarize(times),
    medianTotal: totals[Math.floor(totals.length / 2)] ?? 0,
    // With a name, the first page is taken from the matches (searchContracts), whatever their number.
    plan: { count: counted, page: !queries.matched ? await explain(db, queries.page) : undefined },
  };
}

export interface FiltersBenchResult {
  runAt: string;
  options: Options;
  machine: { cpus: number; cpuModel: string; node: string; postgres?: string; loadAverageAtStart: number };
  seedSeconds: number;
  tableMiB: number;
  /** Migration 029's contract_name_words with its indexes. */
  wordsMiB: number;
  scenarios: ScenarioResult[];
}

/** Seeds and measures on an empty, migrated database (the caller creates and drops it). */
export async function runFiltersBench(db: Knex, options: Options, reused = false): Promise<Omit<FiltersBenchResult, 'runAt' | 'options' | 'machine'>> {
  const seeded = reused ? Number((await db('contracts').where('id', 'like', 'bench-%').count<[{ count: string }]>({ count: '*' }))[0].count) : 0;
  if (seeded !== 0 && seeded !== options.contracts)
    throw new Error(`the kept database holds ${seeded} bench contracts, not ${options.contracts}: drop it first`);
  const fill = seeded === 0;
  // A kept database whose fill did not finish: emptied, its space given back, before filling again.
  if (reused && fill) await db.raw('TRUNCATE contracts CASCADE');
  if (fill) await seedDemoData(db); // institutions (and the demo bureaus, unused here)
  const institutionRows: { id: string }[] = await db('institutions').orderBy('id').select('id');
  const institutions = institutionRows.map((r) => r.id);
  const seedStarted = performance.now();
  if (fill) {
    say(`seeding ${options.contracts} contracts with SQL…`);
    await seed(db, options.contracts, institutions);
  } else {
    say(`${seeded} contracts already seeded; analysing…`);
    await db.raw('VACUUM ANALYZE contracts');
    await db.raw('VACUUM ANALYZE contract_name_words');
  }
  const seedSeconds = Math.round((performance.now() - seedStarted) / 100) / 10;
  const size = await db.raw("SELECT pg_total_relation_size('contracts') AS bytes, pg_total_relation_size('contract_name_words') AS words");
  const tableMiB = Math.round(Number(size.rows[0].bytes) / 2 ** 20);
  const wordsMiB = Math.round(Number(size.rows[0].words) / 2 ** 20);
  say(
    `seeded in ${seedSeconds} s (contracts with indexes: ${tableMiB} MiB, their name words: ${wordsMiB} MiB); measuring ${options.iterations} queries per scenario…`,
  );

  const scenarios: Scenario[] = [];
  for (const who of ['lawyer', 'head', 'barOffice'] as const) {
    const scope = who === 'head' ? 'bureau' : 'mine';
    const name = { lawyer: 'lawyer', head: 'head, bureau', barOffice: 'Bar office, all' }[who];
    const filters = who === 'barOffice' ? FILTERS.filter((f) => f !== 'name') : FILTERS;
    scenarios.push({ who, scope, filters: [], combined: false, label: `${name}: no filter` });
    for (const f of filters) scenarios.push({ who, scope, filters: [f], combined: false, label: `${name}: ${f}` });
    if (who !== 'barOffice') scenarios.push({ who, scope, filters: ['person'], combined: false, label: `${name}: person (few matches)` });
    scenarios.push({ who, scope, filters: [...filters], combined: true, label: `${name}: all ${filters.length === 5 ? 'five' : 'four'} combined` });
  }
  const results: ScenarioResult[] = [];
  for (const s of scenarios) {
    results.push(await runScenario(db, s, options.iterations, institutions));
    say(`${s.label}: p50 ${results.at(-1)!.latencyMs.p50} ms, p99 ${results.at(-1)!.latencyMs.p99} ms`);
  }
  return { seedSeconds, tableMiB, wordsMiB, scenarios: results };
}

function report(r: FiltersBenchResult): string {
  const header = ['scenario (count + first page of 20, current cases)', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'rows matched (median)'];
  const rows = r.scenarios.map((s) => [
    s.label,
    s.latencyMs.p50.toFixed(1),
    s.latencyMs.p95.toFixed(1),
    s.latencyMs.p99.toFixed(1),
    s.latencyMs.max.toFixed(1),
    String(s.medianTotal),
  ]);
  const cells = [header, ...rows];
  const widths = header.map((_, c) => Math.max(...cells.map((row) => row[c].length)));
  const line = (row: string[]) => row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('   ');
  return [
    `Machine: ${r.machine.cpus} cores (${r.machine.cpuModel}), Node ${r.machine.node}, PostgreSQL ${r.machine.postgres ?? '?'}; load average ${r.machine.loadAverageAtStart} at start`,
    `Filters over ${r.options.contracts} contracts (${r.tableMiB} MiB with indexes, name words ${r.wordsMiB} MiB, seeded in ${r.seedSeconds} s), ${r.options.iterations} queries per scenario, one at a time`,
    '',
    line(header),
    widths.map((w) => '-'.repeat(w)).join('   '),
    ...rows.map(line),
    '',
    "Plans of each scenario's first measured query (EXPLAIN ANALYZE, BUFFERS): buffers touched, heap fetches, scans",
    ...r.scenarios.flatMap((s) =>
      (['count', 'page'] as const).flatMap((q) => {
        const p = s.plan[q];
        if (!p) return [];
        return `  ${s.label}, ${q}: ${p.buffers} buffers, ${p.heapFetches} heap fetches, ${p.executionMs} ms: ${p.scans.join('; ')}`;
      }),
    ),
  ].join('\n');
}

/** `npm run bench -- filters [--contracts N] [--iterations N]`: its own PostgreSQL, a fresh database, dropped at the end. */
export async function filtersMain(argv: string[]): Promise<void> {
  const options = parseOptions(argv, process.env);
  const keep = options.keepDatabase ? { database: `evk_bench_filters_${options.contracts}` } : undefined;
  const result: FiltersBenchResult = await runOnOwnDatabase('filters', options, say, runFiltersBench, keep);
  console.log(`\n${report(result)}\n\nFigures written to bench/results/filters.json.`);
}

if (require.main === module) {
  filtersMain(process.argv.slice(2)).then(
    () => process.exit(0),
    (err: unknown) => {
      console.error('[bench:filters] failed:', err);
      process.exit(1);
    },
  );
}
