import type { Knex } from 'knex';

/**
 * Issue 10 items 3 and 4.
 *
 * `number_series` (item 4, SPEC "The order": "numbered in a series, unique and without gaps"): one
 * counter row per series and year. The order number EVO-<year>-<n> is taken by incrementing that row
 * inside the transaction that inserts the contract version (activities/contract/order-numbers.ts):
 * the row stays locked until that transaction ends, so a rolled-back or crashed issue gives its
 * number back, and PostgreSQL's sequences (logged ahead in blocks of 32, hence the gap 19–33 after
 * an immediate stop) no longer make order numbers. The counters are seeded from the numbers already
 * issued (the highest per year), so numbering continues right after the last order that exists —
 * a number `order_number_seq` burnt without an order is not carried into the new series.
 * `order_number_seq` stays (nothing uses it; a rollback of this migration goes back to it, moved
 * past every number issued meanwhile).
 *
 * `outbox.idempotency_key` (item 3): a random key given to every message once, when it is queued.
 * The dispatcher sends it as the SMS gateway's idempotency key and makes the e-mail's Message-ID
 * from it, so a copy sent again after a crash is the same message to the gateway and the receiver.
 * Unlike the row id, it does not repeat when a database is created afresh (tests, a rebuilt
 * development cluster) while the gateway still remembers the keys it saw.
 */
/** The series of the contract orders, as activities/contract/order-numbers.ts has it (a migration keeps its own copy). */
const ORDER_SERIES = 'EVO';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('number_series', (t) => {
    t.text('series').notNullable();
    t.integer('year').notNullable();
    t.bigInteger('last_number').notNullable().defaultTo(0);
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['series', 'year']);
  });
  await knex.raw('ALTER TABLE number_series ADD CONSTRAINT number_series_not_negative CHECK (last_number >= 0)');
  await knex.raw(
    `INSERT INTO number_series (series, year, last_number)
     SELECT ?, substring(order_number FROM '^EVO-(\\d{4})-')::int, max(substring(order_number FROM '^EVO-\\d{4}-(\\d+)$')::bigint)
       FROM contract_versions
      WHERE order_number ~ '^EVO-\\d{4}-\\d+$'
      GROUP BY 1, 2`,
    [ORDER_SERIES],
  );

  await knex.raw('ALTER TABLE outbox ADD COLUMN idempotency_key uuid NOT NULL DEFAULT gen_random_uuid()');
  await knex.raw('CREATE UNIQUE INDEX outbox_idempotency_key_idx ON outbox (idempotency_key)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX IF EXISTS outbox_idempotency_key_idx');
  await knex.raw('ALTER TABLE outbox DROP COLUMN IF EXISTS idempotency_key');
  // Back to the sequence, past every number the counters gave.
  await knex.raw(
    `SELECT setval('order_number_seq', GREATEST((SELECT last_value FROM order_number_seq), (SELECT COALESCE(max(last_number), 0) FROM number_series WHERE series = ?), 1))`,
    [ORDER_SERIES],
  );
  await knex.schema.dropTableIfExists('number_series');
}
