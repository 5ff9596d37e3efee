import type { Knex } from 'knex';

/**
 * The Bar office's register (issue 11; R2.1, R2.2): the bureau's payment-agent contract with its
 * number and dates instead of a yes/no (R2.1 ii is judged on today's date by domain/access), the
 * lawyer's practising-since date, every change of the register with who and when, and the
 * previews of imported lists kept on the server by a token until "Təsdiq et".
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('bureaus', (t) => {
    t.text('agent_contract_number');
    t.date('agent_contract_valid_from');
    /** Null: open-ended. */
    t.date('agent_contract_valid_to');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  // Rows that had a contract keep one, open-ended from the start of records, so nobody is locked out by the migration.
  await knex.raw(`UPDATE bureaus SET agent_contract_number = 'PA-' || id, agent_contract_valid_from = DATE '2000-01-01' WHERE has_payment_agent_contract`);
  await knex.schema.alterTable('bureaus', (t) => {
    t.dropColumn('has_payment_agent_contract');
  });

  await knex.schema.alterTable('lawyers', (t) => {
    t.date('practising_since');
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['license_number']);
    t.index(['bureau_id']);
  });

  // Who changed what on the register, and when (issue 11): one row per field changed.
  await knex.schema.createTable('register_changes', (t) => {
    t.bigIncrements('id');
    t.text('subject_kind').notNullable(); // lawyer | bureau
    t.text('subject_id').notNullable();
    t.text('field').notNullable();
    t.text('old_value');
    t.text('new_value');
    t.text('actor_kind').notNullable();
    t.text('actor_id').notNullable();
    /** form | import | api | seed */
    t.text('source').notNullable();
    t.timestamp('at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['subject_kind', 'subject_id', 'at']);
  });

  // An uploaded list between its preview and "Təsdiq et": the parsed rows, for the admin who uploaded it only.
  await knex.schema.createTable('register_imports', (t) => {
    t.uuid('token').primary();
    t.text('admin_id').notNullable();
    t.jsonb('rows').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('expires_at', { useTz: true }).notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('register_imports');
  await knex.schema.dropTableIfExists('register_changes');
  await knex.schema.alterTable('lawyers', (t) => {
    t.dropIndex(['license_number']);
    t.dropIndex(['bureau_id']);
    t.dropColumn('practising_since');
    t.dropColumn('updated_at');
  });
  await knex.schema.alterTable('bureaus', (t) => {
    t.boolean('has_payment_agent_contract').notNullable().defaultTo(false);
  });
  await knex.raw(`UPDATE bureaus SET has_payment_agent_contract = agent_contract_number IS NOT NULL`);
  await knex.schema.alterTable('bureaus', (t) => {
    t.dropColumn('agent_contract_number');
    t.dropColumn('agent_contract_valid_from');
    t.dropColumn('agent_contract_valid_to');
    t.dropColumn('created_at');
  });
}
