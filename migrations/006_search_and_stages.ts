import type { Knex } from 'knex';

/**
 * R4.8 filters served from indexes, and R6 the lawyer's stage of each case.
 *
 * - Name search is `names_folded LIKE '%word%'` (one per word, folded by `foldForSearch`): a GIN
 *   trigram index (pg_trgm, shipped with PostgreSQL and with the embedded PostgreSQL) serves
 *   infix matches of three letters or more; shorter words are narrowed by the scope's indexes.
 * - Each list is one scope (a lawyer, or a bureau for its head) ordered by `created_at`: composite
 *   indexes (scope, filter column, created_at) serve case type, institution and stage; the existing
 *   (lawyer_id | bureau_id, status, created_at) ones serve status and archive.
 * - `stage` is the lawyer's own working classification of a case (R6), kept in the read model and
 *   not in the workflow: `recordContract` never writes it (its upsert merges only its own columns).
 */
export const CONTRACT_STAGES = ['pre_trial', 'first_instance', 'appeal', 'cassation', 'other'] as const;

export async function up(knex: Knex): Promise<void> {
  await knex.raw('CREATE EXTENSION IF NOT EXISTS pg_trgm');
  await knex.schema.alterTable('contracts', (t) => {
    t.text('stage').notNullable().defaultTo('other');
  });
  await knex.raw(`ALTER TABLE contracts ADD CONSTRAINT contracts_stage_check CHECK (stage IN (${CONTRACT_STAGES.map((s) => `'${s}'`).join(', ')}))`);
  await knex.raw('CREATE INDEX contracts_names_folded_trgm ON contracts USING gin (names_folded gin_trgm_ops)');
  await knex.raw('CREATE INDEX contracts_lawyer_created ON contracts (lawyer_id, created_at)');
  await knex.raw('CREATE INDEX contracts_lawyer_case_type_created ON contracts (lawyer_id, case_type, created_at)');
  await knex.raw('CREATE INDEX contracts_lawyer_institution_created ON contracts (lawyer_id, institution_id, created_at)');
  await knex.raw('CREATE INDEX contracts_lawyer_stage_created ON contracts (lawyer_id, stage, created_at)');
  await knex.raw('CREATE INDEX contracts_bureau_created ON contracts (bureau_id, created_at)');
  await knex.raw('CREATE INDEX contracts_bureau_case_type_created ON contracts (bureau_id, case_type, created_at)');
  await knex.raw('CREATE INDEX contracts_bureau_institution_created ON contracts (bureau_id, institution_id, created_at)');
}

export async function down(knex: Knex): Promise<void> {
  for (const index of [
    'contracts_bureau_institution_created',
    'contracts_bureau_case_type_created',
    'contracts_bureau_created',
    'contracts_lawyer_stage_created',
    'contracts_lawyer_institution_created',
    'contracts_lawyer_case_type_created',
    'contracts_lawyer_created',
    'contracts_names_folded_trgm',
  ]) {
    await knex.raw(`DROP INDEX IF EXISTS ${index}`);
  }
  await knex.raw('ALTER TABLE contracts DROP CONSTRAINT IF EXISTS contracts_stage_check');
  await knex.schema.alterTable('contracts', (t) => t.dropColumn('stage'));
}
