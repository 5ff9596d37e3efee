import type { Knex } from 'knex';

/**
 * Issue 10 item 5: "Yeni müqavilə yarat" sent again — a retry after a 503, a double click, the
 * agent of a client repeating POST /api/contracts with the same Idempotency-Key — gives the same
 * draft, not a second one. One row per key a lawyer used, naming the contract it made.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('contract_request_keys', (t) => {
    t.text('lawyer_id').notNullable();
    t.text('request_key').notNullable();
    t.text('contract_id').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['lawyer_id', 'request_key']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('contract_request_keys');
}
