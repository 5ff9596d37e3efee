import type { Knex } from 'knex';

/**
 * Accounts (issue 9 items 1 and 7).
 *
 * - The applicant's cabinet is keyed by a contact the person proves they control (`contact`:
 *   "email:…" or "phone:+994…"), no longer by the FIN: a person may hold one cabinet per contact,
 *   so `person_key` stops being unique. Existing cabinets take the e-mail (else the phone) they
 *   were opened with, the contact their first password was sent to.
 * - An account may have no password yet (`password_hash` null): it is opened by a one-time link.
 * - `account_tokens`: one-time activation and reset links for applicants and the Bar office; only
 *   the SHA-256 of the token is stored, with its expiry; a used token is deleted.
 * - `login_throttle`: failed password attempts per account (and per unknown login, by its hash),
 *   with the time until which further attempts are refused (exponential delay).
 * - `password_changed_at` on both account tables.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('applicant_accounts', (t) => {
    t.dropUnique(['person_key']);
    t.text('contact');
    t.timestamp('password_changed_at', { useTz: true });
    t.timestamp('activated_at', { useTz: true });
  });
  await knex.raw('ALTER TABLE applicant_accounts ALTER COLUMN password_hash DROP NOT NULL');
  // Each existing cabinet takes the contact its credentials went to (the e-mail first); a contact
  // already taken by an older cabinet stays unset (that cabinet is opened again by its next contract).
  await knex.raw(`
    UPDATE applicant_accounts a SET contact = c.contact
      FROM (SELECT DISTINCT ON (contact) id, contact
              FROM (SELECT id, created_at,
                           CASE WHEN email IS NOT NULL AND email <> '' THEN 'email:' || lower(email)
                                WHEN phone IS NOT NULL AND phone <> '' THEN 'phone:' || phone END AS contact
                      FROM applicant_accounts) k
             WHERE contact IS NOT NULL
             ORDER BY contact, created_at, id) c
     WHERE a.id = c.id`);
  await knex.raw('UPDATE applicant_accounts SET activated_at = created_at WHERE password_hash IS NOT NULL AND must_change_password = false');
  await knex.schema.alterTable('applicant_accounts', (t) => {
    t.unique(['contact']);
  });

  await knex.schema.alterTable('admins', (t) => {
    t.timestamp('password_changed_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw('ALTER TABLE admins ALTER COLUMN password_hash DROP NOT NULL');

  await knex.schema.createTable('account_tokens', (t) => {
    t.text('token_hash').primary();
    t.text('account_kind').notNullable(); // applicant | admin
    t.text('account_id').notNullable();
    t.text('purpose').notNullable(); // activate | reset
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['account_kind', 'account_id']);
  });

  await knex.schema.createTable('login_throttle', (t) => {
    t.text('key').primary(); // applicant:<id> | admin:<id> | login:<sha256 of the typed login>
    t.integer('failures').notNullable().defaultTo(0);
    t.timestamp('last_failure_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('locked_until', { useTz: true });
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('login_throttle');
  await knex.schema.dropTableIfExists('account_tokens');
  await knex.schema.alterTable('admins', (t) => {
    t.dropColumn('password_changed_at');
    t.dropColumn('created_at');
  });
  await knex.schema.alterTable('applicant_accounts', (t) => {
    t.dropUnique(['contact']);
    t.dropColumn('contact');
    t.dropColumn('password_changed_at');
    t.dropColumn('activated_at');
  });
}
