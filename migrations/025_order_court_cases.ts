import type { Knex } from 'knex';

/**
 * Issue 13, R4.6: the court cases an order version is for. After the lawyer is joined to a court
 * case, the contract issues the order again (version n+1) with the case number printed in it; the
 * number is kept on the version row so the copy signed electronically later prints it too.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('contract_versions', (t) => {
    t.jsonb('court_case_numbers').nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('contract_versions', (t) => {
    t.dropColumn('court_case_numbers');
  });
}
