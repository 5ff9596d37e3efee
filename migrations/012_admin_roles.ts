import type { Knex } from 'knex';

/**
 * Issue 9 item 4: the `admins` table holds the people who sign in with a login and password on the
 * Bar office's form; `role` says which work they do. `bar_office` (every existing row) is the Bar
 * office's staff; `operator` runs the system and reads workflows in the Temporal UI through the codec
 * server, with no cabinet pages and no Bar office rights.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('admins', (t) => {
    t.text('role').notNullable().defaultTo('bar_office');
  });
  await knex.raw("ALTER TABLE admins ADD CONSTRAINT admins_role_known CHECK (role IN ('bar_office', 'operator'))");
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE admins DROP CONSTRAINT IF EXISTS admins_role_known');
  await knex.schema.alterTable('admins', (t) => {
    t.dropColumn('role');
  });
}
