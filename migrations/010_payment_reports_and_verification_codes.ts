import type { Knex } from 'knex';

/**
 * Issue 9 items 3 and 9:
 * - every report of the payment agent is stored, even one that is refused: a report is identified by
 *   everything it says (`report_key`), no longer by (payment, cumulative amount, state) alone, so a
 *   wrong-currency or wrong-contract report can never hide a genuine one with the same figures;
 * - every issued order version has an unguessable verification code (120 random bits, base64url),
 *   carried by the order's QR code and link; /verify says more than "this number exists" only with it.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('payment_events', (t) => {
    t.text('report_key');
    t.text('external_id');
    t.text('currency');
  });
  await knex.raw(`UPDATE payment_events SET report_key = 'legacy:' || id WHERE report_key IS NULL`);
  await knex.schema.alterTable('payment_events', (t) => {
    t.dropUnique(['agent_payment_id', 'cumulative_paid_qepik', 'state']);
    t.text('report_key').notNullable().alter();
    t.unique(['report_key']);
    t.index(['agent_payment_id']);
  });
  await knex.schema.alterTable('contract_versions', (t) => {
    t.text('verification_code');
  });
  // Orders issued before: a code of the same strength, drawn by PostgreSQL (at least 110 random bits of two version-4 UUIDs; gen_random_bytes needs
  // pgcrypto, gen_random_uuid is built in since PostgreSQL 13), 20 base64url characters.
  await knex.raw(
    `UPDATE contract_versions
        SET verification_code = translate(encode(substr(decode(replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''), 'hex'), 1, 15), 'base64'), '+/', '-_')
      WHERE verification_code IS NULL`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('contract_versions', (t) => {
    t.dropColumn('verification_code');
  });
  await knex.schema.alterTable('payment_events', (t) => {
    t.dropIndex(['agent_payment_id']);
    t.dropUnique(['report_key']);
    t.dropColumn('report_key');
    t.dropColumn('external_id');
    t.dropColumn('currency');
    t.unique(['agent_payment_id', 'cumulative_paid_qepik', 'state']);
  });
}
