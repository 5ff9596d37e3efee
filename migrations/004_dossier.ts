import type { Knex } from 'knex';

/**
 * The dossier (R4.5): scanned files a lawyer adds to a contract ("Sənədlər"). The bytes live in the
 * FileStorage adapter under `storage_key`; the rows say what they are and who added them. A removed
 * file keeps its row (marked removed) and `dossier_audit` keeps who added and removed what, when.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('dossier_files', (t) => {
    t.text('id').primary();
    t.text('contract_id').notNullable().references('contracts.id');
    t.text('storage_key').notNullable();
    t.text('original_name').notNullable();
    /** Found from the content (magic bytes), never from the name or the browser's claim. */
    t.text('content_type').notNullable();
    t.bigInteger('size_bytes').notNullable();
    t.text('sha256').notNullable();
    t.text('added_by_kind').notNullable();
    t.text('added_by_id').notNullable();
    t.timestamp('added_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('removed_at', { useTz: true });
    t.text('removed_by_kind');
    t.text('removed_by_id');
  });
  await knex.raw('CREATE INDEX dossier_files_contract_idx ON dossier_files (contract_id, added_at) WHERE removed_at IS NULL');

  await knex.schema.createTable('dossier_audit', (t) => {
    t.bigIncrements('id').primary();
    t.text('contract_id').notNullable();
    t.text('file_id').notNullable();
    /** "added" or "removed". */
    t.text('action').notNullable();
    t.text('actor_kind').notNullable();
    t.text('actor_id').notNullable();
    t.timestamp('at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    /** The file's name, size and hash at the time, so the record stands without the file. */
    t.jsonb('detail').notNullable();
    t.index(['contract_id', 'at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('dossier_audit');
  await knex.schema.dropTableIfExists('dossier_files');
}
