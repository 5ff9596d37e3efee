/**
 * The Bar office's reasoned access to a contract (issue 9 item 6): opening it (a reason, one hour,
 * a `reasoned_access` security event), whether one is open now, and the list of every access that
 * the contract's lawyer and bureau head see on the contract. The reason stays in
 * `bar_office_accesses` (migration 011); the security event carries the access's ID only.
 */
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { accessExpiry, accessReasonProblem } from '../../domain/access';
import type { Actor } from '../../domain/shared/actor';
import { recordSecurityEvent } from '../../platform/security-events';
import { HttpError, invalidInput } from '../http/errors';

interface AccessRow {
  id: string | number;
  contract_id: string;
  admin_id: string;
  reason: string;
  opened_at: Date;
  expires_at: Date;
  full_name?: string | null;
}

export interface BarOfficeAccess {
  id: string;
  /** When it was opened, UTC (ISO 8601). */
  at: string;
  expiresAt: string;
  reason: string;
  /** The Bar office employee's name. */
  by: string;
}

const present = (r: AccessRow): BarOfficeAccess => ({
  id: String(r.id),
  at: new Date(r.opened_at).toISOString(),
  expiresAt: new Date(r.expires_at).toISOString(),
  reason: r.reason,
  by: r.full_name ?? r.admin_id,
});

/** The access this admin has open on this contract now, if any. */
export async function openBarOfficeAccess(db: Knex, adminId: string, contractId: string): Promise<BarOfficeAccess | undefined> {
  const row = await db<AccessRow>('bar_office_accesses')
    .where({ admin_id: adminId, contract_id: contractId })
    .andWhere('expires_at', '>', db.fn.now())
    .orderBy('expires_at', 'desc')
    .first();
  return row ? present(row) : undefined;
}

/** Every access to this contract, newest first, with the name of who opened it. */
export async function barOfficeAccessesOf(db: Knex, contractId: string): Promise<BarOfficeAccess[]> {
  const rows = await db('bar_office_accesses as a')
    .leftJoin('admins as ad', 'ad.id', 'a.admin_id')
    .where({ 'a.contract_id': contractId })
    .orderBy('a.opened_at', 'desc')
    .orderBy('a.id', 'desc')
    .select<AccessRow[]>('a.*', 'ad.full_name');
  return rows.map(present);
}

/**
 * Opens the contract's full view for this admin for an hour. The caller has checked that the
 * contract exists (the outline is visible to the Bar office); a bad reason is a 400 at `reason`.
 */
export async function grantBarOfficeAccess(
  deps: { db: Knex; log: Pick<Logger, 'info' | 'error'> },
  actor: Actor,
  contractId: string,
  reason: unknown,
  ip: string | undefined,
): Promise<BarOfficeAccess> {
  if (actor.kind !== 'admin') throw new HttpError(403, 'forbidden', 'auth.not_for_your_role');
  const problem = accessReasonProblem(reason);
  if (problem) throw invalidInput([problem]);
  const openedAt = new Date();
  const [row] = await deps
    .db<AccessRow>('bar_office_accesses')
    .insert({ contract_id: contractId, admin_id: actor.id, reason: String(reason).trim(), opened_at: openedAt, expires_at: accessExpiry(openedAt) })
    .returning('*');
  await recordSecurityEvent(deps.db, deps.log, {
    kind: 'reasoned_access',
    actor: { kind: actor.kind, id: actor.id },
    subject: `contract:${contractId}`,
    ip,
    detail: { accessId: String(row.id), expiresAt: new Date(row.expires_at).toISOString() },
  });
  const admin = await deps.db('admins').where({ id: actor.id }).first<{ full_name: string } | undefined>('full_name');
  return present({ ...row, full_name: admin?.full_name });
}
