import type { Knex } from 'knex';

/**
 * Issue 13: the order signed electronically (one per version: the signed copy is a file of its own
 * next to the order, never in its place) and the bureau head's confirmation of the bureau's copy.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('order_signatures', (t) => {
    t.text('contract_id').notNullable();
    t.integer('version').notNullable();
    t.text('status').notNullable();
    t.text('requested_by').notNullable();
    t.timestamp('requested_at', { useTz: true }).notNullable();
    /** The provider's transaction of the request in progress (or the last one). */
    t.text('transaction_id');
    /** The time in the signed attributes, printed on the signed copy. */
    t.timestamp('signing_time', { useTz: true });
    /** The rendered copy with its placeholder, and the CMS signed attributes (base64) the provider signs the hash of. */
    t.text('prepared_file');
    t.text('signed_attributes');
    t.timestamp('signed_at', { useTz: true });
    /** From the signer's certificate: its common name (the lawyer's name), issuer and serial. */
    t.text('signer_name');
    t.text('certificate_issuer');
    t.text('certificate_serial');
    t.text('signed_file');
    t.primary(['contract_id', 'version']);
    t.foreign(['contract_id', 'version']).references(['contract_id', 'version']).inTable('contract_versions');
  });
  await knex.raw(`ALTER TABLE order_signatures ADD CONSTRAINT order_signatures_status CHECK (status IN ('pending', 'signed', 'refused', 'expired'))`);
  await knex.schema.createTable('order_copy_confirmations', (t) => {
    t.text('contract_id').notNullable();
    t.integer('version').notNullable();
    t.text('confirmed_by').notNullable();
    t.timestamp('confirmed_at', { useTz: true }).notNullable();
    t.primary(['contract_id', 'version']);
    t.foreign(['contract_id', 'version']).references(['contract_id', 'version']).inTable('contract_versions');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('order_copy_confirmations');
  await knex.schema.dropTable('order_signatures');
}
