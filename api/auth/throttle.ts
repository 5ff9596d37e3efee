/**
 * Failed password attempts per account (issue 9 item 7, OWASP ASVS 6.3.1): besides the per-address
 * limit (rate-limit.ts), each account — and each unknown login, by its hash — may fail four times
 * freely; from the fifth failure on it is refused for 30 s, then 1, 2, 4 … minutes, at most an
 * hour, before the password is even checked. Kept in PostgreSQL (`login_throttle`, migration 009),
 * not in memory, so that several web processes and a restart share it. A success clears it; a
 * failure a day after the last one starts counting again.
 */
import { createHash } from 'node:crypto';
import type { Knex } from 'knex';

export const FREE_FAILURES = 4;
const FIRST_DELAY_MS = 30_000;
const MAX_DELAY_MS = 60 * 60 * 1000;
const FORGET_AFTER_MS = 24 * 60 * 60 * 1000;

/** How long an account is refused after its n-th failure in a row. */
export const delayAfterFailures = (failures: number): number =>
  failures <= FREE_FAILURES ? 0 : Math.min(FIRST_DELAY_MS * 2 ** (failures - FREE_FAILURES - 1), MAX_DELAY_MS);

/** The key of an account, or of a login no account has (hashed: the typed login is never stored). */
export const accountKey = (kind: string, id: string) => `${kind}:${id}`;
export const unknownLoginKey = (kind: string, login: string) => `login:${createHash('sha256').update(`${kind}|${login}`).digest('hex')}`;

interface ThrottleRow {
  key: string;
  failures: number;
  last_failure_at: Date;
  locked_until: Date | null;
}

/** Milliseconds until the key may try again (0: now), and whether it has failures to clear on a success. */
export async function throttleOf(db: Knex, key: string): Promise<{ retryAfterMs: number; hasFailures: boolean }> {
  const row = await db<ThrottleRow>('login_throttle').where({ key }).first();
  if (!row) return { retryAfterMs: 0, hasFailures: false };
  return { retryAfterMs: row.locked_until ? Math.max(0, new Date(row.locked_until).getTime() - Date.now()) : 0, hasFailures: true };
}

/** Counts a failure; answers the failures in a row so far. */
export async function recordFailure(db: Knex, key: string): Promise<number> {
  return db.transaction(async (trx) => {
    const row = await trx<ThrottleRow>('login_throttle').where({ key }).forUpdate().first();
    const stale = !row || Date.now() - new Date(row.last_failure_at).getTime() > FORGET_AFTER_MS;
    const failures = stale ? 1 : row.failures + 1;
    const delay = delayAfterFailures(failures);
    const values = { failures, last_failure_at: new Date(), locked_until: delay > 0 ? new Date(Date.now() + delay) : null };
    if (row) await trx('login_throttle').where({ key }).update(values);
    else
      await trx('login_throttle')
        .insert({ key, ...values })
        .onConflict('key')
        .merge();
    return failures;
  });
}

export async function clearFailures(db: Knex, key: string): Promise<void> {
  await db('login_throttle').where({ key }).delete();
}
