import type { Knex } from 'knex';

/** Payments asked of the payment agent and every state it reported (R4.2.2, R4.3). */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('payment_requests', (t) => {
    t.text('agent_payment_id').primary();
    t.text('external_id').notNullable();
    t.text('contract_id').notNullable().references('contracts.id');
    t.text('kind').notNullable(); // contract | bar_fee
    t.bigInteger('amount_qepik').notNullable();
    t.text('payment_page_url').notNullable();
    t.text('terminal_code').notNullable();
    t.text('requested_by').notNullable();
    t.integer('state').notNullable().defaultTo(0);
    t.bigInteger('paid_qepik').notNullable().defaultTo(0);
    t.text('method');
    t.text('state_reason');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['contract_id']);
  });
  // One row per money movement the agent reported: the cumulative amount paid is its identity, so a
  // callback and the browser's return reporting the same payment settle it once.
  await knex.schema.createTable('payment_events', (t) => {
    t.bigIncrements('id');
    t.text('agent_payment_id').notNullable();
    t.bigInteger('cumulative_paid_qepik').notNullable();
    t.integer('state').notNullable();
    t.text('source').notNullable(); // callback | return | reconcile
    t.text('flag');
    t.jsonb('payload');
    t.timestamp('received_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['agent_payment_id', 'cumulative_paid_qepik', 'state']);
  });
  await knex.schema.createTable('payment_callback_nonces', (t) => {
    t.text('nonce').primary();
    t.timestamp('expires_at', { useTz: true }).notNullable().index();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('payment_callback_nonces');
  await knex.schema.dropTableIfExists('payment_events');
  await knex.schema.dropTableIfExists('payment_requests');
}
