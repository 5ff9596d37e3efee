import type { Knex } from 'knex';

/**
 * Issue 14: a name that matches few of a scope's cases (bench/filters.ts, docs/benchmarks.md
 * "Filters at a million (issue 14, session 19)"). Migration 026's ordered indexes stop the capped
 * count at its 1001st match, but a name with fewer matches in the scope than that (a person's
 * surname and first name, "Sadıqova Emin": 352 of a bureau's 200,000 cases) is tested against
 * every entry of the scope's index: 171,000 buffers, a parallel scan of the whole bureau.
 *
 * - One GIN index holding the scope and the equality filters (btree_gin) beside the trigrams of
 *   `names_folded` (pg_trgm): `bureau_id = ? AND names_folded LIKE '%sadiqova%' AND … LIKE '%emin%'`
 *   is one bitmap of the bureau's rows that have every trigram, so only those rows are read
 *   (1,131 buffers for the one above). It replaces migration 006's trigram index on `names_folded`
 *   alone: a GIN index answers any subset of its columns, so the Bar office's and an applicant's
 *   name searches (no scope column) are served as before.
 * - The planner picks between this bitmap and 026's ordered index by the estimated matches of the
 *   LIKE, which it reads off `names_folded`'s histogram: 1000 entries instead of 100, so that a
 *   name matching 0.1 % of the cases is told apart from one matching 1 %.
 */
const INDEX = 'contracts_scoped_names_trgm';
const COLUMNS = ['lawyer_id', 'bureau_id', 'case_type', 'institution_id', 'status'];
const NAME_STATISTICS = 1000;

export async function up(knex: Knex): Promise<void> {
  await knex.raw('CREATE EXTENSION IF NOT EXISTS btree_gin');
  await knex.raw(`CREATE INDEX IF NOT EXISTS ${INDEX} ON contracts USING gin (${COLUMNS.join(', ')}, names_folded gin_trgm_ops)`);
  await knex.raw('DROP INDEX IF EXISTS contracts_names_folded_trgm');
  await knex.raw(`ALTER TABLE contracts ALTER COLUMN names_folded SET STATISTICS ${NAME_STATISTICS}`);
  await knex.raw('ANALYZE contracts');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE contracts ALTER COLUMN names_folded SET STATISTICS -1');
  await knex.raw('CREATE INDEX IF NOT EXISTS contracts_names_folded_trgm ON contracts USING gin (names_folded gin_trgm_ops)');
  await knex.raw(`DROP INDEX IF EXISTS ${INDEX}`);
}
