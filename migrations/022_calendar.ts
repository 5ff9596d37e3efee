import type { Knex } from 'knex';

/**
 * The calendar (SPEC R8.4, issue 12): a lawyer's meetings (their own, and the hearings e-court
 * reports for the cases joined through "İşi göndər", R4.6), each reminder sent once per meeting,
 * reminder and version, and the personal iCalendar feed (only a hash of its token is kept).
 * The month view and the feed read `(lawyer_id, starts_at)`; the head's bureau view `(bureau_id, starts_at)`.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('meetings', (t) => {
    t.uuid('id').primary();
    t.text('lawyer_id').notNullable().references('id').inTable('lawyers');
    t.text('bureau_id').notNullable();
    t.text('title').notNullable();
    t.timestamp('starts_at', { useTz: true }).notNullable();
    t.timestamp('ends_at', { useTz: true }).notNullable();
    t.text('institution_id');
    t.text('place');
    t.text('contract_id');
    t.text('assignment_id');
    t.text('importance').notNullable().defaultTo('normal'); // high | normal | low
    t.text('comment');
    /** [{ id, beforeSeconds, email, sms }]: the reminders, each with a stable ID. */
    t.jsonb('reminders').notNullable().defaultTo('[]');
    t.text('source').notNullable().defaultTo('lawyer'); // lawyer | court
    /** A hearing's key `court:<case number>:<hearing id>:<lawyer>`, so a sync updates rather than duplicates. */
    t.text('external_key').unique();
    t.text('case_number');
    /** Bumped by every change: the reminders' outbox keys and the iCalendar SEQUENCE carry it. */
    t.integer('version').notNullable().defaultTo(1);
    t.text('status').notNullable().defaultTo('active'); // active | cancelled
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('cancelled_at', { useTz: true });
  });
  await knex.raw("CREATE INDEX meetings_lawyer_time_idx ON meetings (lawyer_id, starts_at) WHERE status = 'active'");
  await knex.raw("CREATE INDEX meetings_bureau_time_idx ON meetings (bureau_id, starts_at) WHERE status = 'active'");
  await knex.schema.createTable('meeting_reminder_deliveries', (t) => {
    t.uuid('meeting_id').notNullable().references('id').inTable('meetings');
    t.text('reminder_id').notNullable();
    t.integer('version').notNullable();
    t.timestamp('due_at', { useTz: true }).notNullable();
    t.timestamp('queued_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    /** Sent after the system was down past its time (issue 12). */
    t.boolean('late').notNullable().defaultTo(false);
    t.primary(['meeting_id', 'reminder_id', 'version']);
  });
  await knex.schema.createTable('calendar_feeds', (t) => {
    t.text('lawyer_id').primary().references('id').inTable('lawyers');
    /** SHA-256 of the feed's token: the URL cannot be rebuilt from the database. */
    t.text('token_hash').notNullable().unique();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('calendar_feeds');
  await knex.schema.dropTableIfExists('meeting_reminder_deliveries');
  await knex.schema.dropTableIfExists('meetings');
}
