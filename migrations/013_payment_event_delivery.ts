import type { Knex } from 'knex';

/**
 * Issue 10 item 1: a stored payment report is marked `applied_at` once its contract's workflow has it;
 * the reconciliation (workflows/payments/reconciler.ts) re-delivers the unflagged ones still without it.
 * Reports stored before this migration: the failures and the flagged ones count as applied (a failure
 * told again later could hide a newer one on the contract's page); paid and reversal reports stay
 * unapplied, so that a payment lost in an earlier outage reaches its contract once — harmless for
 * the others, since the workflow keeps a high-water mark per agent payment.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('payment_events', (t) => {
    t.timestamp('applied_at', { useTz: true });
  });
  await knex.raw(`UPDATE payment_events SET applied_at = received_at WHERE flag IS NOT NULL OR state NOT IN (1, 2, 7, 8, 9)`);
  await knex.raw('CREATE INDEX payment_events_unapplied_idx ON payment_events (id) WHERE applied_at IS NULL AND flag IS NULL');
  // The open payment requests the reconciliation asks the agent about.
  await knex.raw('CREATE INDEX payment_requests_open_idx ON payment_requests (created_at) WHERE state IN (0, 3, 4, 8)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX IF EXISTS payment_requests_open_idx');
  await knex.raw('DROP INDEX IF EXISTS payment_events_unapplied_idx');
  await knex.schema.alterTable('payment_events', (t) => {
    t.dropColumn('applied_at');
  });
}
