/**
 * R4.8 the contract lists and their filters, one query for the JSON API (`GET /api/contracts`) and
 * the lawyer's pages (`/contracts`): a scope (the lawyer's own cases, the bureau's for its head,
 * the bureau's awaiting approval), current or archive, and the filters name / case type /
 * institution / status / date range, all combinable, newest first, one page at a time.
 *
 * Every condition is a plain column condition (no OR across columns) served by the indexes of
 * migrations 001, 026 and 027: the scope column leads each composite btree index, which ends in
 * (created_at, id), the order of every list; names are `names_folded LIKE '%word%'` (lower-case,
 * Azerbaijani letters folded: "Əli" finds "əli" and "Eli"), checked in those indexes for a name
 * that many cases match, or read through 027's GIN index of scope + trigrams for one that few match.
 * A head's search of the bureau for a whole name (two words or more) reads migration 029's table of
 * name words instead (nameWordMatches): the same matches, from index ranges alone.
 */
import { parseDateInput } from '../../domain/shared/dates';
import type { Knex } from 'knex';
import {
  type Actor,
  ARCHIVED_STATUSES,
  CASE_TYPES,
  type CaseType,
  CONTRACT_STATUSES,
  type ContractStatus,
  type FieldError,
  foldForSearch,
} from '../../domain/contract';
import { notFound } from '../http/errors';

export const LIST_SCOPES = ['mine', 'bureau', 'awaiting_approval'] as const;
export type ListScope = (typeof LIST_SCOPES)[number];

export interface ContractFilters {
  /** Any part of a name, surname or patronymic of the applicant or the protected party; words are ANDed. */
  name?: string;
  caseType?: CaseType;
  institutionId?: string;
  status?: ContractStatus;
  /** Created on or after: a day (YYYY-MM-DD, Baku time) or an ISO timestamp. */
  from?: string;
  /** Created on or before this day (YYYY-MM-DD, the whole day, Baku time), or before an ISO timestamp. */
  to?: string;
}

export interface ContractSearch {
  scope: ListScope;
  /** true: finished and terminated only; false: not those; undefined: both. */
  archive?: boolean;
  filters: ContractFilters;
  /** A keyset page: after or before a row of an earlier answer (decodeCursor). */
  cursor?: Cursor;
  /** Without a cursor: the numbered page (1 when absent). */
  page?: number;
  pageSize: number;
}

/** The filter parameters, as they appear in URLs (API and pages alike). */
export const FILTER_KEYS = ['name', 'caseType', 'institutionId', 'status', 'from', 'to'] as const;

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const MAX_NAME_WORDS = 5;
/** The day boundaries of the filters are Baku's (the cabinets show dates in Baku time). */
const TIME_ZONE = 'Asia/Baku';

function validDate(value: string): boolean {
  if (DAY.test(value)) {
    const d = new Date(`${value}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
  }
  // Full timestamps (the API's): ISO 8601 with a time only, so PostgreSQL reads them as JavaScript does.
  return /^\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:?\d{2})?$/.test(value) && !Number.isNaN(Date.parse(value));
}

/**
 * Reads the filters from a query string. Unknown values are errors at their field; the filters
 * that are valid are kept (a page shows the list with them and the error next to the bad field).
 */
export function parseFilters(query: Record<string, string | undefined>): { filters: ContractFilters; errors: FieldError[] } {
  const filters: ContractFilters = {};
  const errors: FieldError[] = [];
  const value = (key: string) => {
    const v = query[key]?.trim();
    return v === undefined || v === '' ? undefined : v;
  };
  const name = value('name');
  if (name !== undefined) {
    if (name.length > 200) errors.push({ field: 'name', code: 'invalid', reason: 'contract.search_name_too_long' });
    else filters.name = name;
  }
  const caseType = value('caseType');
  if (caseType !== undefined) {
    if (CASE_TYPES.includes(caseType as CaseType)) filters.caseType = caseType as CaseType;
    else errors.push({ field: 'caseType', code: 'invalid', reason: 'contract.search_case_type_unknown' });
  }
  const institutionId = value('institutionId');
  if (institutionId !== undefined) filters.institutionId = institutionId;
  const status = value('status');
  if (status !== undefined) {
    if (CONTRACT_STATUSES.includes(status as ContractStatus) && status !== 'discarded') filters.status = status as ContractStatus;
    else errors.push({ field: 'status', code: 'invalid', reason: 'contract.search_status_unknown' });
  }
  for (const key of ['from', 'to'] as const) {
    const v = value(key);
    if (v === undefined) continue;
    // Pages type dd.mm.yyyy (issue 13); the API's ISO days and timestamps are kept as they are.
    const typed = DAY.test(v) ? null : parseDateInput(v);
    if (typed) filters[key] = typed;
    else if (validDate(v)) filters[key] = v;
    else errors.push({ field: key, code: 'invalid', reason: 'contract.search_date_format' });
  }
  if (filters.from && filters.to && DAY.test(filters.from) && DAY.test(filters.to) && filters.from > filters.to) {
    errors.push({ field: 'to', code: 'invalid', reason: 'contract.search_period_reversed' });
    delete filters.to;
  }
  return { filters, errors };
}

/**
 * The words of a name search, folded as `names_folded` is, with LIKE's wildcards escaped. A word inside another of the words adds nothing (every name with "eliyev" has "eli") and is
 * left out, as are repeats: each word is one more set of trigrams for the index to intersect.
 */
export function nameWords(name: string): string[] {
  const words = foldForSearch(name)
    .split(/[\s,.;]+/)
    .filter(Boolean)
    .slice(0, MAX_NAME_WORDS);
  return words.filter((w, i) => !words.some((other, j) => (other === w ? j < i : other.includes(w)))).map((w) => w.replace(/[%_\\]/g, (c) => `\\${c}`));
}

/**
 * The rows this actor may list under this scope, with the filters: the only place lists are
 * built. A scope the actor may not use is "not found" (R2.5); an applicant sees their own
 * contracts whatever the scope; an admin (the Bar office) sees every contract.
 */
export function contractSearchQuery(db: Knex, actor: Actor, search: Pick<ContractSearch, 'scope' | 'archive' | 'filters'>): Knex.QueryBuilder {
  const query = listConditions(db('contracts'), actor, search);
  const f = search.filters;
  if (f.caseType) query.where({ case_type: f.caseType });
  if (f.institutionId) query.where({ institution_id: f.institutionId });
  if (f.name) for (const word of nameWords(f.name)) query.where('names_folded', 'like', `%${word}%`);
  return query;
}

/**
 * The scope, current or archive, the status and the period: the conditions on the columns that
 * `contracts` and migration 029's `contract_name_words` share (for a lawyer's bureau scopes).
 */
function listConditions(query: Knex.QueryBuilder, actor: Actor, search: Pick<ContractSearch, 'scope' | 'archive' | 'filters'>): Knex.QueryBuilder {
  if (actor.kind === 'applicant') query.where({ applicant_account_id: actor.id }).whereNot({ status: 'draft' });
  else if (actor.kind === 'lawyer') {
    if (search.scope === 'mine') query.where({ lawyer_id: actor.id });
    else if (!actor.isHead || !actor.bureauId) throw notFound('contract.bureau_list_head_only');
    else query.where({ bureau_id: actor.bureauId });
    if (search.scope === 'awaiting_approval') query.where({ status: 'awaiting_approval' });
  }
  query.whereNot({ status: 'discarded' });
  if (search.archive === true) query.whereIn('status', ARCHIVED_STATUSES as string[]);
  else if (search.archive === false) query.whereNotIn('status', ARCHIVED_STATUSES as string[]);
  const f = search.filters;
  if (f.status) query.where({ status: f.status });
  if (f.from) {
    if (DAY.test(f.from)) query.whereRaw(`created_at >= (?::date)::timestamp AT TIME ZONE '${TIME_ZONE}'`, [f.from]);
    else query.where('created_at', '>=', f.from);
  }
  if (f.to) {
    if (DAY.test(f.to)) query.whereRaw(`created_at < (?::date + 1)::timestamp AT TIME ZONE '${TIME_ZONE}'`, [f.to]);
    else query.where('created_at', '<', f.to);
  }
  return query;
}

/**
 * A word of a name search and the words of migration 029's dictionary that contain it (`words`), or
 * `undefined` when more than MAX_DICTIONARY_WORDS do (a word of one or two letters): such a word is
 * then checked against each candidate's own words instead of read as a range of its own.
 */
export interface NameTerm {
  /** As `nameWords` gives it (folded, LIKE's wildcards escaped). */
  pattern: string;
  words?: string[];
}

const MAX_DICTIONARY_WORDS = 64;

/** Where migration 029's table of name words serves the list: a head's bureau lists with a name of two words or more and no case type or institution. */
function nameWordsServe(actor: Actor, search: Pick<ContractSearch, 'scope' | 'filters'>): boolean {
  const f = search.filters;
  return actor.kind === 'lawyer' && search.scope !== 'mine' && !f.caseType && !f.institutionId && !!f.name && nameWords(f.name).length >= 2;
}

/**
 * The dictionary words of each word of the name (one query), where migration 029's table serves the
 * list (nameWordsServe), else undefined. searchContracts calls it; searchQueries takes its answer.
 */
export async function lookUpNameTerms(db: Knex, actor: Actor, search: Pick<ContractSearch, 'scope' | 'filters'>): Promise<NameTerm[] | undefined> {
  if (!nameWordsServe(actor, search)) return undefined;
  const patterns = nameWords(search.filters.name ?? '');
  const lookups = patterns.map((_, i) => `(SELECT ${i} AS term, word FROM contract_name_dictionary WHERE word LIKE ? LIMIT ${MAX_DICTIONARY_WORDS + 1})`);
  // knex types a raw query's answer as any: pg's result.
  const answer: { rows: { term: number; word: string }[] } = await db.raw(
    lookups.join(' UNION ALL '),
    patterns.map((p) => `%${p}%`),
  );
  return patterns.map((pattern, i) => {
    const words = answer.rows.filter((r) => r.term === i).map((r) => r.word);
    return words.length > MAX_DICTIONARY_WORDS ? { pattern } : { pattern, words };
  });
}

/**
 * The matches of a name in a bureau (a head's lists), read from migration 029's table of name words
 * instead of `names_folded`: the bureau's entries of the dictionary words of one word of the name
 * (the broadest), kept where each other word of the name has an entry of its dictionary words for
 * the same contract (those ranges are hashed), or, for a word that too many dictionary words
 * contain, where one of the contract's own words contains it. The same matches as `names_folded
 * LIKE '%word%'` for each word: a word typed has no space, so it is inside the folded names exactly
 * when it is inside one of their space-separated words, and every word stored is in the dictionary.
 * Undefined when no word of the name has few enough dictionary words: then the LIKE conditions are
 * the query.
 */
function nameWordMatches(
  db: Knex,
  actor: Actor,
  search: Pick<ContractSearch, 'scope' | 'archive' | 'filters'>,
  terms: NameTerm[],
): Knex.QueryBuilder | undefined {
  const ranged = terms
    .filter((t): t is Required<NameTerm> => t.words !== undefined)
    // The broadest word leads (most dictionary words, then the shortest): the others' ranges are hashed, and the smaller the better.
    .sort((a, b) => b.words.length - a.words.length || a.pattern.length - b.pattern.length);
  if (ranged.length === 0) return undefined;
  const [lead, ...others] = ranged;
  const query = listConditions(db('contract_name_words as w'), actor, search).whereRaw('w.word = ANY(?::text[])', [lead.words]);
  // Implied by the status conditions (migration 029 sets it from the status), and what bounds each index range.
  if (search.archive !== undefined) query.where('w.archived', search.archive);
  for (const t of others) {
    const same = db('contract_name_words as o').whereRaw(
      'o.bureau_id = w.bureau_id AND o.word = ANY(?::text[]) AND o.created_at = w.created_at AND o.contract_id = w.contract_id',
      [t.words],
    );
    if (search.archive !== undefined) same.where('o.archived', search.archive);
    query.whereExists(same);
  }
  for (const t of terms.filter((t) => t.words === undefined))
    query.whereExists(db('contract_name_words as o').whereRaw('o.contract_id = w.contract_id AND o.word LIKE ?', [`%${t.pattern}%`]));
  // A contract has each word once, but two of the lead's dictionary words can both be in it ("eli", "eliyev").
  if (lead.words.length > 1) query.distinct({ id: 'w.contract_id' }, 'w.created_at');
  else query.select({ id: 'w.contract_id' }, 'w.created_at');
  return query;
}

/**
 * Counts are exact up to this many matches; above, the list says "more than 1000" (issue 14: a count
 * that reads a bureau's 128,000 rows costs more than the page itself, and nobody pages through 1000).
 */
export const COUNT_CAP = 1000;

/** Where a page starts: after a row (the next page, older) or before it (the previous page, newer). */
interface Cursor {
  direction: 'after' | 'before';
  /** `created_at` as PostgreSQL writes it (microseconds kept: a JavaScript Date has milliseconds only). */
  at: string;
  id: string;
}

const CURSOR_AT = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}(:\d{2})?$/;

function encodeCursor(cursor: Cursor): string {
  return Buffer.from(`${cursor.direction === 'after' ? 'a' : 'b'}|${cursor.at}|${cursor.id}`, 'utf8').toString('base64url');
}

/** The cursor of a page link or of the API's `cursor`, or undefined when it is not one of ours. */
export function decodeCursor(raw: string): Cursor | undefined {
  if (raw.length > 300 || !/^[A-Za-z0-9_-]+$/.test(raw)) return undefined;
  const [direction, at, ...rest] = Buffer.from(raw, 'base64url').toString('utf8').split('|');
  const id = rest.join('|');
  if ((direction !== 'a' && direction !== 'b') || !CURSOR_AT.test(at ?? '') || id === '') return undefined;
  return { direction: direction === 'a' ? 'after' : 'before', at, id };
}

/** The refusal of a cursor that is not one of ours, at its field. */
export const CURSOR_ERROR: FieldError = { field: 'cursor', code: 'invalid', reason: 'contract.search_cursor_invalid' };

export interface SearchPage<Row> {
  rows: Row[];
  /** The matches, exact up to COUNT_CAP; COUNT_CAP when there are more (then `totalExact` is false). */
  total: number;
  totalExact: boolean;
  /** The cursors of the next (older) and previous (newer) pages, when there are such pages. */
  nextCursor?: string;
  previousCursor?: string;
}

/**
 * The queries of one page of a list. `count` stops at COUNT_CAP + 1 matches; `page` is the page's
 * rows and one more (to tell if there is a next page). With a name filter, `matched` is run instead
 * of both: the first COUNT_CAP + 1 matches in the list's order, once, then their number and the page
 * taken from them; when there are more than COUNT_CAP and the page is not a numbered one within them
 * (a cursor, or a page past the first COUNT_CAP matches), `page` is run after it.
 */
export interface SearchQueries {
  count: Knex.QueryBuilder;
  page: Knex.QueryBuilder;
  matched?: Knex.Raw;
  newestFirst: boolean;
  offset: number;
}

/**
 * The queries of one page, newest first (ties by id, so pages never overlap). Pages are keyset
 * pages: `cursor` (from a previous answer) continues after or before a row, read from the scope's
 * (…, created_at, id) index with no OFFSET; without one, `page` is the old numbered page (an
 * OFFSET, cheap for the first pages only). The count stops at COUNT_CAP. Exported for the
 * benchmark's plans (bench/filters.ts), which must explain the very queries the lists run.
 */
export function searchQueries(db: Knex, actor: Actor, search: ContractSearch, columns: string[], nameTerms?: NameTerm[]): SearchQueries {
  const query = contractSearchQuery(db, actor, search);
  const cursor = search.cursor;
  const newestFirst = cursor?.direction !== 'before';
  const order = newestFirst ? 'desc' : 'asc';
  const inOrder = (direction: 'asc' | 'desc') => [
    { column: 'created_at', order: direction },
    { column: 'id', order: direction },
  ];
  // (created_at, id) past the cursor as one row comparison: an index condition on (…, created_at, id).
  const pastCursor = (q: Knex.QueryBuilder) => {
    if (cursor) q.whereRaw(`(created_at, id) ${newestFirst ? '<' : '>'} (?::timestamptz, ?)`, [cursor.at, cursor.id]);
  };
  const offset = cursor ? 0 : (Math.max(1, search.page ?? 1) - 1) * search.pageSize;
  // In the page's order: for a name that many cases match, the planner then reads the page's index
  // (which holds every filtered column, migration 026) and stops at the cap; for one that few
  // match, it reads them through migration 027's index of scope and trigrams and sorts them.
  // A head's search for a whole name (two words or more): migration 029's table of name words.
  const fromWords = nameTerms && nameWordsServe(actor, search) ? nameWordMatches(db, actor, search, nameTerms) : undefined;
  const wordMatches = (words: Knex.QueryBuilder): Knex.QueryBuilder => db.queryBuilder().from(words.clone().as('evk_words'));
  const capped = (fromWords ? wordMatches(fromWords) : query.clone())
    .select('id', 'created_at')
    .orderBy(inOrder('desc'))
    .limit(COUNT_CAP + 1);
  const count = db.from(capped.clone().clearSelect().select(db.raw('1')).as('capped')).count({ count: '*' });
  const rowColumns = [...columns, db.raw('created_at::text AS evk_cursor_at'), db.raw('created_at AS evk_order_at')];
  const page = fromWords
    ? // More than COUNT_CAP matches of a whole name: the page's ids from the same table of words.
      db('contracts')
        .whereIn(
          'id',
          wordMatches(fromWords)
            .select('id')
            .modify(pastCursor)
            .orderBy(inOrder(order))
            .limit(search.pageSize + 1)
            .offset(offset),
        )
        .orderBy(inOrder(order))
        .select(rowColumns)
    : query
        .clone()
        .modify(pastCursor)
        .orderBy(inOrder(order))
        .limit(search.pageSize + 1)
        .offset(offset)
        .select(rowColumns);
  let matched: Knex.Raw | undefined;
  if (search.filters.name) {
    // A name is the costly filter (the trigram bitmap, or an index range tested row by row): its
    // matches are found once, and the page is read by id from them.
    const shown = db
      .from('evk_matched')
      .select('id')
      .modify(pastCursor)
      .orderBy(inOrder(order))
      .limit(search.pageSize + 1)
      .offset(offset);
    const rows = db('contracts').whereIn('id', shown).select(rowColumns);
    matched = db.raw(
      `WITH evk_matched AS MATERIALIZED (?) SELECT p.*, t.evk_total FROM (SELECT count(*) AS evk_total FROM evk_matched) t LEFT JOIN (?) p ON true ORDER BY p.evk_order_at ${order}, p.id ${order}`,
      [capped, rows],
    );
  }
  return { count, page, matched, newestFirst, offset };
}

type FetchedRow = Record<string, unknown> & { evk_cursor_at: string; evk_order_at: unknown; id: string };

/** One page of the list and its count (searchQueries): without a name, the page and the count side by side on two connections of the pool. */
export async function searchContracts<Row = Record<string, unknown>>(
  db: Knex,
  actor: Actor,
  search: ContractSearch,
  columns: string[],
): Promise<SearchPage<Row>> {
  const queries = searchQueries(db, actor, search, columns, await lookUpNameTerms(db, actor, search));
  const { newestFirst, offset } = queries;
  let all: FetchedRow[];
  let matched: number;
  if (queries.matched) {
    // knex types a raw query's answer as any: pg's result, its rows the page's and the total beside each.
    const answer = (await queries.matched) as { rows: (FetchedRow & { evk_total: string | number })[] };
    matched = Number(answer.rows[0]?.evk_total ?? 0);
    // The matches are the newest COUNT_CAP + 1 in the list's order: a numbered page within them is
    // among them (the first pages, what a list opens on); past them, or after a cursor, it may not be.
    const within = !search.cursor && offset + search.pageSize + 1 <= COUNT_CAP + 1;
    all = matched > COUNT_CAP && !within ? ((await queries.page) as FetchedRow[]) : answer.rows.filter((r) => r.id !== null);
  } else {
    const [fetched, [{ count }]] = await Promise.all([
      queries.page as Promise<FetchedRow[]>,
      queries.count as unknown as Promise<[{ count: string | number }]>,
    ]);
    [all, matched] = [fetched, Number(count)];
  }
  const cursor = search.cursor;
  const more = all.length > search.pageSize;
  const page = all.slice(0, search.pageSize);
  if (!newestFirst) page.reverse();
  const edge = (row: FetchedRow | undefined, direction: Cursor['direction']) =>
    row ? encodeCursor({ direction, at: row.evk_cursor_at, id: String(row.id) }) : undefined;
  const hasNext = newestFirst ? more : true;
  const hasPrevious = newestFirst ? cursor !== undefined || offset > 0 : more;
  // The rows are the selected columns, as the caller typed them.
  const rows = page.map(({ evk_cursor_at: _at, evk_order_at: _order, evk_total: _total, ...row }) => row as unknown as Row);
  return {
    rows,
    total: Math.min(matched, COUNT_CAP),
    totalExact: matched <= COUNT_CAP,
    nextCursor: hasNext ? edge(page.at(-1), 'after') : undefined,
    previousCursor: hasPrevious ? edge(page[0], 'before') : undefined,
  };
}

/** The query string of a list with these filters (for page links and the form's own URL). */
export function filterQueryString(params: Record<string, string | number | undefined>): string {
  const usp = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== '') usp.set(key, String(value));
  return usp.toString();
}

/** The columns of `contracts` the JSON list answers with (migrations 001 and 006; bigints read as numbers). */
export interface ListRow {
  id: string;
  number: string;
  status: string;
  lawyer_id: string;
  case_type: string | null;
  institution_name: string | null;
  protected_party_name: string | null;
  applicant_name: string | null;
  total_qepik: number | null;
  paid_qepik: number;
  balance_due_qepik: number;
  current_version: number;
  amendment_status: string | null;
  stage: string;
  created_at: Date;
  updated_at: Date;
}

/** The columns the JSON list selects, in its order. */
export const LIST_COLUMNS: (keyof ListRow)[] = [
  'id',
  'number',
  'status',
  'lawyer_id',
  'case_type',
  'institution_name',
  'protected_party_name',
  'applicant_name',
  'total_qepik',
  'paid_qepik',
  'balance_due_qepik',
  'current_version',
  'amendment_status',
  'stage',
  'created_at',
  'updated_at',
];
