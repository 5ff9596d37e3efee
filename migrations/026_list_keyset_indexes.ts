import type { Knex } from 'knex';

/**
 * Issue 14: the R4.8 lists at a million contracts (bench/filters.ts, docs/benchmarks.md "Filters at
 * a million"). The lists are keyset pages ordered by (created_at, id) with a count that stops at
 * 1000 (api/contract/search.ts), so each index here ends in (created_at, id): a page is the first 21
 * entries of one index range, read backwards, with no sort; and the count's first 1001 matches are
 * read from the index alone (INCLUDE holds the columns the other filters test; index-only once
 * the visibility map is set, as autovacuum keeps it).
 *
 * - Per scope (lawyer_id for a lawyer's own cases, bureau_id for the head's): (scope, created_at,
 *   id) and (scope, case_type | institution_id, created_at, id), replacing migration 006's
 *   (scope, …, created_at) ones; 001's (scope, status, created_at) serve the status filter.
 * - The Bar office lists every contract: (created_at, id), (case_type | institution_id | status,
 *   created_at, id).
 * - Names: the scope's (scope, created_at, id) and (scope, institution_id, …) indexes also hold names_folded, so the name filter
 *   is checked in the index, newest first, and the count stops at its 1001st match without reading
 *   the table (on a million rows the trigram index's bitmap of a common fragment such as "quliyeva"
 *   took over a second to build for the count); 006's trigram index stays for the rest.
 */
const SCOPES = ['lawyer', 'bureau'] as const;

const CREATE: [name: string, definition: string][] = [
  ...SCOPES.flatMap((s): [string, string][] => [
    [`contracts_${s}_created_id`, `(${s}_id, created_at, id) INCLUDE (status, case_type, institution_id, names_folded)`],
    [`contracts_${s}_case_type_created_id`, `(${s}_id, case_type, created_at, id) INCLUDE (status, institution_id)`],
    [`contracts_${s}_institution_created_id`, `(${s}_id, institution_id, created_at, id) INCLUDE (status, case_type, names_folded)`],
  ]),
  ['contracts_created_id', '(created_at, id) INCLUDE (status, case_type, institution_id)'],
  ['contracts_case_type_created_id', '(case_type, created_at, id) INCLUDE (status, institution_id)'],
  ['contracts_institution_created_id', '(institution_id, created_at, id) INCLUDE (status, case_type)'],
  ['contracts_status_created_id', '(status, created_at, id) INCLUDE (case_type, institution_id)'],
];

/** Migration 006's, which the ones above replace. */
const REPLACED: [name: string, definition: string][] = SCOPES.flatMap((s): [string, string][] => [
  [`contracts_${s}_created`, `(${s}_id, created_at)`],
  [`contracts_${s}_case_type_created`, `(${s}_id, case_type, created_at)`],
  [`contracts_${s}_institution_created`, `(${s}_id, institution_id, created_at)`],
]);

export async function up(knex: Knex): Promise<void> {
  for (const [name, definition] of CREATE) await knex.raw(`CREATE INDEX IF NOT EXISTS ${name} ON contracts ${definition}`);
  for (const [name] of REPLACED) await knex.raw(`DROP INDEX IF EXISTS ${name}`);
  await knex.raw('ANALYZE contracts');
}

export async function down(knex: Knex): Promise<void> {
  for (const [name, definition] of REPLACED) await knex.raw(`CREATE INDEX IF NOT EXISTS ${name} ON contracts ${definition}`);
  for (const [name] of CREATE) await knex.raw(`DROP INDEX IF EXISTS ${name}`);
}
