import type { Knex } from 'knex';

/**
 * Issue 11: each account has a language, Azerbaijani or English (Azerbaijani by default). It is the
 * language of the person's pages once signed in and of the e-mails and SMS queued for them
 * (activities/notifications/recipient-language.ts). Lawyers, the applicants' cabinets and the
 * `admins` rows (the Bar office and the operators) each carry their own.
 */
const TABLES = ['lawyers', 'applicant_accounts', 'admins'] as const;

export async function up(knex: Knex): Promise<void> {
  for (const table of TABLES) {
    await knex.schema.alterTable(table, (t) => {
      t.text('language').notNullable().defaultTo('az');
    });
    await knex.raw(`ALTER TABLE ${table} ADD CONSTRAINT ${table}_language_known CHECK (language IN ('az', 'en'))`);
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const table of TABLES) {
    await knex.raw(`ALTER TABLE ${table} DROP CONSTRAINT IF EXISTS ${table}_language_known`);
    await knex.schema.alterTable(table, (t) => {
      t.dropColumn('language');
    });
  }
}
