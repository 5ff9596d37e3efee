import type { Knex } from 'knex';

/**
 * Reference data (bureaus, lawyers, institutions, accounts) and the read models the UI lists:
 * the workflows own the contracts; these tables mirror them for lists, filters and documents.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('bureaus', (t) => {
    t.text('id').primary();
    t.text('name').notNullable();
    t.text('address').notNullable();
    t.text('bank_account');
    // R2.1 (ii): lawyers of a bureau without a payment-agent contract are refused.
    t.boolean('has_payment_agent_contract').notNullable().defaultTo(false);
    t.boolean('individual').notNullable().defaultTo(false);
  });

  await knex.schema.createTable('lawyers', (t) => {
    t.text('id').primary();
    t.text('fin').notNullable().unique();
    t.text('mobile_signature_user_id').notNullable();
    t.text('first_name').notNullable();
    t.text('last_name').notNullable();
    t.text('patronymic');
    t.text('phone');
    t.text('email');
    t.text('license_number').notNullable();
    t.text('bureau_id').notNullable().references('bureaus.id');
    t.boolean('is_head').notNullable().defaultTo(false);
    // R2.1 (i): the Bar office's list of active lawyers.
    t.boolean('on_active_register').notNullable().defaultTo(true);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  await knex.schema.createTable('admins', (t) => {
    t.text('id').primary();
    t.text('login').notNullable().unique();
    t.text('password_hash').notNullable();
    t.text('full_name').notNullable();
  });

  await knex.schema.createTable('institutions', (t) => {
    t.text('id').primary();
    t.text('name').notNullable();
    t.text('kind').notNullable();
  });

  // R4.3.1: one cabinet per applicant person, whatever the number of contracts.
  await knex.schema.createTable('applicant_accounts', (t) => {
    t.text('id').primary();
    t.text('person_key').notNullable().unique();
    t.text('login').notNullable().unique();
    t.text('password_hash').notNullable();
    t.boolean('must_change_password').notNullable().defaultTo(true);
    t.text('full_name').notNullable();
    t.text('phone');
    t.text('email');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  // R4.1.2: a phone or e-mail belongs to the first person it was given for.
  await knex.schema.createTable('contact_owners', (t) => {
    t.text('contact').primary(); // "phone:+994…" or "email:…"
    t.text('person_key').notNullable();
    t.text('first_contract_id').notNullable();
    t.timestamp('claimed_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  await knex.raw('CREATE SEQUENCE contract_number_seq');
  await knex.raw('CREATE SEQUENCE order_number_seq');

  await knex.schema.createTable('contracts', (t) => {
    t.text('id').primary();
    // Unique by the sequence that makes it; a unique index here would make the workflow's first two
    // concurrent read-model writes collide on it instead of merging on the id.
    t.text('number').notNullable().index();
    t.text('lawyer_id').notNullable().references('lawyers.id');
    t.text('bureau_id').notNullable().references('bureaus.id');
    t.text('status').notNullable();
    t.integer('revision').notNullable();
    t.text('applicant_account_id').references('applicant_accounts.id');
    t.text('case_type');
    t.text('institution_id');
    t.text('institution_name');
    t.text('protected_party_name');
    t.text('applicant_name');
    /** Names of the people of the contract, lower-cased with Azerbaijani letters folded (R4.8). */
    t.text('names_folded').notNullable().defaultTo('');
    t.bigInteger('total_qepik');
    t.bigInteger('paid_qepik').notNullable().defaultTo(0);
    t.bigInteger('balance_due_qepik').notNullable().defaultTo(0);
    t.integer('current_version').notNullable().defaultTo(0);
    t.text('amendment_status');
    t.jsonb('view').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['lawyer_id', 'status', 'created_at']);
    t.index(['bureau_id', 'status', 'created_at']);
    t.index(['applicant_account_id']);
  });

  // Every issued version of the documents (R4.4.3): earlier ones stay, marked superseded.
  await knex.schema.createTable('contract_versions', (t) => {
    t.text('contract_id').notNullable().references('contracts.id');
    t.integer('version').notNullable();
    t.text('order_number').notNullable().unique();
    t.jsonb('terms').notNullable();
    t.timestamp('issued_at', { useTz: true }).notNullable();
    t.text('contract_file');
    t.text('order_file');
    t.timestamp('superseded_at', { useTz: true });
    t.primary(['contract_id', 'version']);
  });

  await knex.schema.createTable('payments', (t) => {
    t.text('agent_payment_id').primary();
    t.text('contract_id').notNullable().references('contracts.id');
    t.text('kind').notNullable(); // contract | bar_fee
    t.text('method').notNullable();
    t.bigInteger('amount_qepik').notNullable();
    t.text('flag');
    t.timestamp('paid_at', { useTz: true }).notNullable();
    t.timestamp('recorded_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['contract_id']);
  });

  // E-mails and SMS leave through this table, once per event and recipient.
  await knex.schema.createTable('outbox', (t) => {
    t.bigIncrements('id');
    t.text('dedupe_key').notNullable().unique();
    t.text('contract_id');
    t.text('channel').notNullable(); // email | sms
    t.text('recipient').notNullable();
    t.text('subject');
    t.text('body').notNullable();
    t.text('locale').notNullable().defaultTo('az');
    /** An applicant's first password, encrypted until the message is sent, then erased. */
    t.text('secret_ciphertext');
    t.text('status').notNullable().defaultTo('pending'); // pending | sent | failed
    t.integer('attempts').notNullable().defaultTo(0);
    t.text('last_error');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('next_attempt_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('sent_at', { useTz: true });
    t.index(['status', 'next_attempt_at']);
  });

  // express-session's store (connect-pg-simple's schema).
  await knex.schema.createTable('session', (t) => {
    t.string('sid').primary();
    t.json('sess').notNullable();
    t.timestamp('expire', { precision: 6 }).notNullable().index();
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of [
    'session',
    'outbox',
    'payments',
    'contract_versions',
    'contracts',
    'contact_owners',
    'applicant_accounts',
    'institutions',
    'admins',
    'lawyers',
    'bureaus',
  ]) {
    await knex.schema.dropTableIfExists(table);
  }
  await knex.raw('DROP SEQUENCE IF EXISTS contract_number_seq');
  await knex.raw('DROP SEQUENCE IF EXISTS order_number_seq');
}
