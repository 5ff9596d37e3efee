import type { Knex } from 'knex';

/**
 * State-funded assignments (SPEC R5): the read model of the assignment workflows, for the lists of
 * "Təyin olunan işlər" and the Bar office's page. The workflows own the assignments.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('CREATE SEQUENCE IF NOT EXISTS assignment_number_seq');
  await knex.schema.createTable('assignments', (t) => {
    t.text('id').primary();
    t.text('number').notNullable().index();
    t.text('lawyer_id').notNullable().references('lawyers.id');
    t.text('bureau_id').notNullable().references('bureaus.id');
    t.text('court').notNullable();
    t.text('case_number').notNullable();
    t.text('defended_person_name').notNullable();
    t.text('defended_person_fin');
    t.date('assigned_at').notNullable();
    t.text('status').notNullable();
    t.integer('revision').notNullable();
    t.jsonb('view').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['lawyer_id', 'status']);
    t.index(['bureau_id', 'status']);
    t.index(['status']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('assignments');
  await knex.raw('DROP SEQUENCE IF EXISTS assignment_number_seq');
}
