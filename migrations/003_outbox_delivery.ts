import type { Knex } from 'knex';

/**
 * Delivery of the outbox (R4.2, R4.3.1) by activities/notifications/dispatcher.ts.
 *
 * `outbox.status` gains `sending`: pending → sending (claimed under a lease) → sent | pending
 * (retry later) | failed (gave up). `claim_token` fences a dispatcher whose lease expired: only the
 * claim that sent a message may record its outcome. A row left in `sending` after its lease (a
 * crashed dispatcher) goes back to pending.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('outbox', (t) => {
    t.text('claim_token');
    t.timestamp('lease_expires_at', { useTz: true });
    /** The id the mail server or SMS gateway gave the message. */
    t.text('provider_message_id');
  });
  await knex.raw("CREATE INDEX outbox_sending_lease_idx ON outbox (lease_expires_at) WHERE status = 'sending'");
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX IF EXISTS outbox_sending_lease_idx');
  await knex.schema.alterTable('outbox', (t) => {
    t.dropColumn('provider_message_id');
    t.dropColumn('lease_expires_at');
    t.dropColumn('claim_token');
  });
}
