import type { Knex } from 'knex';

/**
 * "Profil" (SPEC R8.1–R8.3, issue 11). The lawyer's verified contacts stay on `lawyers`: `email` (as
 * before, where notifications go), and new columns for the contact phone, the postal address and the
 * photo. `lawyers.phone` is the mobile-signature phone used to log in (R2.3) and is never changed
 * by a profile change. The rest of the profile (achievements, education, specialisations) has tables
 * of its own; `profile_changes` is the read model of the change-request workflows (the office's queue).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('lawyers', (t) => {
    t.text('contact_phone');
    t.text('postal_address');
    t.text('photo_key');
    t.text('photo_type');
  });
  await knex.schema.createTable('lawyer_profiles', (t) => {
    t.text('lawyer_id').primary().references('lawyers.id');
    // Practising since is the register's (lawyers.practising_since, migration 015), kept by the Bar office.
    t.jsonb('achievements').notNullable().defaultTo('[]');
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.schema.createTable('lawyer_education', (t) => {
    t.uuid('id').primary();
    t.text('lawyer_id').notNullable().references('lawyers.id').index();
    t.text('institution').notNullable();
    t.text('degree').notNullable();
    t.integer('year').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  // R8.3: the list of specialisations the Bar office keeps; a retired entry stays on the profiles that have it.
  await knex.schema.createTable('specialisations', (t) => {
    t.text('id').primary();
    t.text('name').notNullable().unique();
    t.timestamp('retired_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.schema.createTable('lawyer_specialisations', (t) => {
    t.text('lawyer_id').notNullable().references('lawyers.id');
    t.text('specialisation_id').notNullable().references('specialisations.id');
    t.primary(['lawyer_id', 'specialisation_id']);
  });
  await knex.schema.createTable('profile_changes', (t) => {
    t.text('id').primary();
    t.text('lawyer_id').notNullable().references('lawyers.id');
    t.text('status').notNullable();
    /** What the lawyer asked for (personal data: kept here and in the encrypted workflow state only). */
    t.jsonb('requested').notNullable();
    t.text('reason');
    t.text('decided_by');
    t.timestamp('submitted_at', { useTz: true }).notNullable();
    t.timestamp('decided_at', { useTz: true });
    /** When the reminder timer fired: the request has waited too long for the office. */
    t.timestamp('reminded_at', { useTz: true });
    t.integer('revision').notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['status', 'submitted_at']);
    t.index(['lawyer_id', 'submitted_at']);
  });
  // One pending request per lawyer (issue 11): a second is refused until the first is decided or withdrawn.
  await knex.raw("CREATE UNIQUE INDEX profile_changes_one_pending ON profile_changes (lawyer_id) WHERE status = 'pending'");
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('profile_changes');
  await knex.schema.dropTableIfExists('lawyer_specialisations');
  await knex.schema.dropTableIfExists('specialisations');
  await knex.schema.dropTableIfExists('lawyer_education');
  await knex.schema.dropTableIfExists('lawyer_profiles');
  await knex.schema.alterTable('lawyers', (t) => {
    t.dropColumn('contact_phone');
    t.dropColumn('postal_address');
    t.dropColumn('photo_key');
    t.dropColumn('photo_type');
  });
}
