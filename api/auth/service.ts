/**
 * Logging in (R2): lawyers through the mobile signature (R2.3) and the Bar's access rules (R2.1,
 * domain/access), applicants and Bar office administrators by login and password (R2.4). What the
 * login pages and the JSON API both call; refusals are codes (locales/<language>/auth.json).
 */
import type { BureausTable, LawyersTable } from '../../platform/tables';
import bcrypt from 'bcryptjs';
import type { Request } from 'express';
import type { Knex } from 'knex';
import { accessRefusalKind, lawyerAccessRefusal } from '../../domain/access';
import { normalizePhone } from '../../domain/shared/identifiers';
import { ServiceUnavailableError } from '../../integrations/http';
import { type LoginStatus, type MobileSignatureProvider, UnknownSignatureHolderError } from '../../integrations/mobile-signature/adapter';
import { fieldRefusal, HttpError } from '../http/errors';
import { regenerateSession, saveSession } from '../http/sessions';
import { currentActor, type SessionActor } from './actor';

export interface AuthDeps {
  db: Knex;
  mobileSignature: MobileSignatureProvider;
}

const signatureUnavailable = () => new HttpError(503, 'unavailable', 'auth.signature_unavailable');

/** R2.3, first half: the phone and user ID go to the mobile-signature provider; the code comes back. */
export async function startLawyerLogin(req: Request, deps: AuthDeps, rawPhone: string, rawUserId: string) {
  const phone = normalizePhone(rawPhone);
  const userId = rawUserId.trim();
  if (!/^\+994\d{9}$/.test(phone)) throw fieldRefusal('phone', 'invalid', 'auth.phone_invalid');
  if (!/^\d{6}$/.test(userId)) throw fieldRefusal('userId', 'invalid', 'auth.user_id_invalid');
  try {
    const started = await deps.mobileSignature.startLogin(phone, userId);
    req.session.pendingLawyerLogin = { transactionId: started.transactionId, userId, phone };
    await saveSession(req);
    return started;
  } catch (err) {
    if (err instanceof UnknownSignatureHolderError) throw fieldRefusal('userId', 'unknown', 'auth.unknown_signature_holder');
    if (err instanceof ServiceUnavailableError) throw signatureUnavailable();
    throw err;
  }
}

/** Where the pending lawyer login stands on the phone (the confirmation page polls it); undefined when the provider does not answer. */
export async function pendingLoginStatus(deps: AuthDeps, transactionId: string): Promise<LoginStatus | undefined> {
  const status = await deps.mobileSignature.getLoginStatus(transactionId).catch(() => undefined);
  return status?.status;
}

interface ApplicantAccountRow {
  id: string;
  login: string;
  password_hash: string;
  must_change_password: boolean;
  full_name: string;
}

interface AdminRow {
  id: string;
  login: string;
  password_hash: string;
  full_name: string;
  /** migrations/012: the Bar office's staff, or an operator of the system (issue 9 item 4). */
  role: 'bar_office' | 'operator';
}

/** R2.3, second half, and R2.1: once confirmed on the phone, is this person an active lawyer? */
export async function completeLawyerLogin(req: Request, deps: AuthDeps, transactionId: string): Promise<'pending' | 'logged_in'> {
  const pending = req.session.pendingLawyerLogin;
  if (!pending || pending.transactionId !== transactionId) throw new HttpError(400, 'no_login_in_progress', 'auth.no_login_in_progress');
  let status;
  try {
    status = await deps.mobileSignature.getLoginStatus(transactionId);
  } catch (err) {
    if (err instanceof ServiceUnavailableError) throw signatureUnavailable();
    throw err;
  }
  if (status.status === 'pending') return 'pending';
  req.session.pendingLawyerLogin = undefined;
  if (status.status !== 'confirmed' || !status.person) {
    throw new HttpError(401, `login_${status.status}`, status.status === 'refused' ? 'auth.login_refused' : 'auth.login_expired');
  }
  const lawyer = await deps.db<LawyersTable>('lawyers').where({ fin: status.person.fin }).first();
  const bureau = lawyer ? await deps.db<BureausTable>('bureaus').where({ id: lawyer.bureau_id }).first() : undefined;
  const refusal = lawyerAccessRefusal(
    lawyer && { onActiveRegister: lawyer.on_active_register, mobileSignatureUserId: lawyer.mobile_signature_user_id },
    pending.userId,
    bureau && { hasPaymentAgentContract: Boolean(bureau.has_payment_agent_contract), individual: Boolean(bureau.individual) },
  );
  if (refusal || !lawyer)
    throw new HttpError(403, refusal ? accessRefusalKind(refusal) : 'not_on_active_register', refusal?.code ?? 'access.not_on_active_register');
  await regenerateSession(req);
  req.session.actor = { kind: 'lawyer', id: lawyer.id, bureauId: lawyer.bureau_id, isHead: lawyer.is_head, name: `${lawyer.first_name} ${lawyer.last_name}` };
  await saveSession(req);
  return 'logged_in';
}

async function logIn(req: Request, actor: SessionActor) {
  await regenerateSession(req);
  req.session.actor = actor;
  await saveSession(req);
}

/** R2.4: the applicant's login and password, as sent to them (R4.3.1). */
export async function applicantLogin(req: Request, { db }: Pick<AuthDeps, 'db'>, login: string, password: string) {
  const account = await db<ApplicantAccountRow>('applicant_accounts').where({ login: login.trim().toLowerCase() }).first();
  if (!account || !(await bcrypt.compare(password, account.password_hash))) throw new HttpError(401, 'wrong_credentials', 'auth.wrong_credentials');
  await logIn(req, { kind: 'applicant', id: account.id, name: account.full_name, mustChangePassword: account.must_change_password });
}

export async function changeApplicantPassword(req: Request, { db }: Pick<AuthDeps, 'db'>, currentPassword: string, newPassword: string) {
  const actor = currentActor(req);
  const account = await db<ApplicantAccountRow>('applicant_accounts').where({ id: actor.id }).first();
  if (!account || !(await bcrypt.compare(currentPassword, account.password_hash)))
    throw fieldRefusal('currentPassword', 'wrong', 'auth.current_password_wrong');
  if (newPassword.length < 8) throw fieldRefusal('newPassword', 'too_short', 'auth.password_too_short');
  await db<ApplicantAccountRow>('applicant_accounts')
    .where({ id: actor.id })
    .update({ password_hash: await bcrypt.hash(newPassword, 10), must_change_password: false });
  const session = req.session.actor;
  if (session) req.session.actor = { ...session, mustChangePassword: false };
  await saveSession(req);
}

export async function adminLogin(req: Request, { db }: Pick<AuthDeps, 'db'>, login: string, password: string) {
  const admin = await db<AdminRow>('admins').where({ login: login.trim() }).first();
  if (!admin || !(await bcrypt.compare(password, admin.password_hash))) throw new HttpError(401, 'wrong_credentials', 'auth.wrong_credentials');
  await logIn(req, { kind: admin.role === 'operator' ? 'operator' : 'admin', id: admin.id, name: admin.full_name });
}
