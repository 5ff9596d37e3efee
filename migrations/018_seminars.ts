import type { Knex } from 'knex';

/**
 * Seminars and conferences (SPEC R3.1, issue 11): the events the Bar office publishes and the
 * lawyers' registrations. A registration is `registered` or `waiting` (the waiting list, in the
 * order of `queued_at`) or `cancelled`; `attended` is set by the Bar office after the event, and a
 * lawyer's professional-development hours are the sum of the hours of the events attended.
 * Registrations and cancellations lock the event's row (SELECT … FOR UPDATE), so the last place
 * goes to one lawyer only and the first waiting lawyer moves in within the same transaction.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('seminars', (t) => {
    t.uuid('id').primary();
    t.text('title').notNullable();
    t.text('description').notNullable();
    t.timestamp('starts_at', { useTz: true }).notNullable();
    t.timestamp('ends_at', { useTz: true }).notNullable();
    t.text('place');
    t.text('online_url');
    t.integer('capacity').notNullable();
    /** Hours of professional development, in tenths (1.5 h = 15): exact sums. */
    t.integer('hours_tenths').notNullable();
    t.text('status').notNullable().defaultTo('published'); // published | cancelled
    t.text('created_by').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('cancelled_at', { useTz: true });
    t.timestamp('attendance_marked_at', { useTz: true });
    t.index(['starts_at']);
  });
  await knex.schema.createTable('seminar_registrations', (t) => {
    t.uuid('seminar_id').notNullable().references('id').inTable('seminars');
    t.text('lawyer_id').notNullable().references('id').inTable('lawyers');
    t.text('status').notNullable(); // registered | waiting | cancelled
    /** The waiting list's order: when the lawyer asked for a place (again, after a cancellation). */
    t.timestamp('queued_at', { useTz: true }).notNullable().defaultTo(knex.raw('clock_timestamp()'));
    t.timestamp('registered_at', { useTz: true });
    t.timestamp('cancelled_at', { useTz: true });
    t.boolean('attended');
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['seminar_id', 'lawyer_id']);
    t.index(['lawyer_id', 'status']);
    t.index(['seminar_id', 'status', 'queued_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('seminar_registrations');
  await knex.schema.dropTableIfExists('seminars');
}
