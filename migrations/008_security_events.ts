import type { Knex } from 'knex';

/**
 * Security events (OWASP ASVS 16.3): logins that succeed and fail, refused access, refused payment
 * callbacks, the Bar office's reasoned accesses, password changes and ended sessions. Written by
 * platform/security-events.ts, read by the Bar office. Times are UTC; never a secret, never a
 * password, never a person's FIN, name, phone or e-mail: who is named by account kind and ID.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('security_events', (t) => {
    t.bigIncrements('id');
    t.timestamp('at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.text('kind').notNullable();
    /** Who acted, when known (a session's actor or the account a login attempt named). */
    t.text('actor_kind');
    t.text('actor_id');
    /** What it was about: a contract, an account, a payment (kind:id), when there is one. */
    t.text('subject');
    t.text('ip');
    /** Codes and identifiers only (a refusal code, a route, a count). */
    t.jsonb('detail').notNullable().defaultTo('{}');
    t.index(['at']);
    t.index(['kind', 'at']);
    t.index(['actor_kind', 'actor_id', 'at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('security_events');
}
