import type { Knex } from 'knex';

/**
 * The Bar office's reasoned accesses to a contract's personal data and files (issue 9 item 6): who
 * opened which contract, why, and until when. The reason is the audit's substance and may name the
 * case, so it lives here — read by the Bar office and by the contract's lawyer and bureau head —
 * and not in security_events, whose `reasoned_access` row carries this row's ID only.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('bar_office_accesses', (t) => {
    t.bigIncrements('id');
    t.text('contract_id').notNullable().references('id').inTable('contracts');
    t.text('admin_id').notNullable();
    t.text('reason').notNullable();
    t.timestamp('opened_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.index(['contract_id', 'opened_at']);
    t.index(['admin_id', 'contract_id', 'expires_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('bar_office_accesses');
}
