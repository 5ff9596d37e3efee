/**
 * One-time links for accounts (issue 9 items 1 and 7): the activation link a new applicant cabinet
 * or Bar office account is opened with, and the reset link a forgotten password is replaced with.
 * The token is 32 random bytes; only its SHA-256 is stored (`account_tokens`, migration 009), with
 * an expiry; it is used once (deleted as it is used) and a new link replaces the account's older ones.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Knex } from 'knex';

export type AccountKind = 'applicant' | 'admin';
export type TokenPurpose = 'activate' | 'reset';

/** How long a link works: a new cabinet's link 72 hours, a reset link 1 hour, a new Bar office account's 24 hours. */
export const TOKEN_LIFETIME_MS: Record<AccountKind, Record<TokenPurpose, number>> = {
  applicant: { activate: 72 * 3600_000, reset: 3600_000 },
  admin: { activate: 24 * 3600_000, reset: 3600_000 },
};

export const hashToken = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');

interface TokenRow {
  token_hash: string;
  account_kind: AccountKind;
  account_id: string;
  purpose: TokenPurpose;
  expires_at: Date;
}

/** A new link for the account; earlier links of the account stop working. Answers the token (never stored). */
export async function issueAccountToken(db: Knex | Knex.Transaction, account: { kind: AccountKind; id: string }, purpose: TokenPurpose): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await db('account_tokens').where({ account_kind: account.kind, account_id: account.id }).delete();
  await db('account_tokens').insert({
    token_hash: hashToken(token),
    account_kind: account.kind,
    account_id: account.id,
    purpose,
    expires_at: new Date(Date.now() + TOKEN_LIFETIME_MS[account.kind][purpose]),
  });
  return token;
}

/** Whether the account has a link that still works (a new contract does not send a second one). */
export async function hasLiveToken(db: Knex | Knex.Transaction, account: { kind: AccountKind; id: string }): Promise<boolean> {
  return Boolean(
    await db('account_tokens').where({ account_kind: account.kind, account_id: account.id }).andWhere('expires_at', '>', new Date()).first('token_hash'),
  );
}

/** What a link opens, without using it (the page that asks for the new password). */
export async function peekAccountToken(db: Knex, token: string): Promise<{ kind: AccountKind; id: string; purpose: TokenPurpose } | undefined> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return undefined;
  const row = await db<TokenRow>('account_tokens')
    .where({ token_hash: hashToken(token) })
    .andWhere('expires_at', '>', new Date())
    .first();
  return row && { kind: row.account_kind, id: row.account_id, purpose: row.purpose };
}

/** Uses the link: answers what it opened and deletes it, or undefined when it is unknown, used or expired. */
export async function consumeAccountToken(
  trx: Knex | Knex.Transaction,
  token: string,
): Promise<{ kind: AccountKind; id: string; purpose: TokenPurpose } | undefined> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return undefined;
  const rows: TokenRow[] = await trx<TokenRow>('account_tokens')
    .where({ token_hash: hashToken(token) })
    .delete()
    .returning('*');
  const row = rows[0];
  if (!row || new Date(row.expires_at).getTime() <= Date.now()) return undefined;
  return { kind: row.account_kind, id: row.account_id, purpose: row.purpose };
}
