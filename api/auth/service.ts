/**
 * Logging in (R2): lawyers through the mobile signature (R2.3) and the Bar's access rules (R2.1,
 * domain/access), applicants and Bar office administrators by login and password (R2.4). What the
 * login pages and the JSON API both call; refusals are codes (locales/<language>/auth.json).
 */
import { randomUUID } from 'node:crypto';
import type { LawyersTable } from '../../platform/tables';
import { bureauForAccess } from '../office/bureaus';
import type { Request } from 'express';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { accessRefusalKind, lawyerAccessRefusal } from '../../domain/access';
import { normalizeEmail, normalizePhone } from '../../domain/shared/identifiers';
import { translate } from '../../locales';
import { recipientLanguage } from '../../activities/notifications/recipient-language';
import { accountLanguage } from '../account/service';
import { type AccountKind, consumeAccountToken, issueAccountToken, peekAccountToken } from '../../platform/account-tokens';
import { encryptSecret } from '../../platform/secret-box';
import { recordSecurityEvent, type SecurityEvent } from '../../platform/security-events';
import { ServiceUnavailableError } from '../../integrations/http';
import { type LoginStatus, type MobileSignatureProvider, UnknownSignatureHolderError } from '../../integrations/mobile-signature/adapter';
import { fieldRefusal, HttpError, notFound } from '../http/errors';
import { destroySession, endSessionsOf, regenerateSession, saveSession } from '../http/sessions';
import { currentActor, type SessionActor } from './actor';
import { checkNewPassword, hashPassword, passwordMatches } from './passwords';
import { accountKey, clearFailures, recordFailure, throttleOf, unknownLoginKey } from './throttle';

export interface AuthDeps {
  db: Knex;
  mobileSignature: MobileSignatureProvider;
  log: Pick<Logger, 'info' | 'error'>;
  /** Where the one-time links point (the activation and reset pages). */
  publicUrl: string;
  /** Seals a reset link's token in the outbox until the message is sent. */
  sessionSecret: string;
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
    await event(deps, req, { kind: 'login_failed', detail: { method: 'mobile_signature', code: `login_${status.status}` } });
    throw new HttpError(401, `login_${status.status}`, status.status === 'refused' ? 'auth.login_refused' : 'auth.login_expired');
  }
  const lawyer = await deps.db<LawyersTable>('lawyers').where({ fin: status.person.fin }).first();
  const bureau = lawyer ? await bureauForAccess(deps.db, lawyer.bureau_id) : undefined;
  const refusal = lawyerAccessRefusal(
    lawyer && { onActiveRegister: lawyer.on_active_register, mobileSignatureUserId: lawyer.mobile_signature_user_id },
    pending.userId,
    bureau,
  );
  if (refusal || !lawyer) {
    await event(deps, req, {
      kind: 'login_failed',
      actor: lawyer && { kind: 'lawyer', id: lawyer.id },
      detail: { method: 'mobile_signature', code: refusal?.code ?? 'access.not_on_active_register' },
    });
    throw new HttpError(403, refusal ? accessRefusalKind(refusal) : 'not_on_active_register', refusal?.code ?? 'access.not_on_active_register');
  }
  await logIn(
    req,
    deps,
    { kind: 'lawyer', id: lawyer.id, bureauId: lawyer.bureau_id, isHead: lawyer.is_head, name: `${lawyer.first_name} ${lawyer.last_name}` },
    'mobile_signature',
  );
  return 'logged_in';
}

interface ApplicantAccountRow {
  id: string;
  login: string;
  contact: string | null;
  password_hash: string | null;
  must_change_password: boolean;
  full_name: string;
  phone: string | null;
  email: string | null;
}

interface AdminRow {
  id: string;
  login: string;
  password_hash: string | null;
  full_name: string;
  /** migrations/012: the Bar office's staff, or an operator of the system (issue 9 item 4). */
  role: 'bar_office' | 'operator';
}

/** An admins row signs in as the Bar office or as an operator (the codec server's only users). */
const adminKind = (a: { role?: AdminRow['role'] } | undefined) => (a?.role === 'operator' ? ('operator' as const) : ('admin' as const));

type PasswordAccountKind = AccountKind;

/** A security event of this request (platform/security-events.ts): the address, never the typed login or password. */
function event(deps: Pick<AuthDeps, 'db' | 'log'>, req: Request | undefined, e: SecurityEvent): Promise<void> {
  return recordSecurityEvent(deps.db, deps.log, { ...e, ip: e.ip ?? req?.ip });
}

/** A new session for the person (a new ID: no fixation), with the login time the absolute lifetime counts from. */
async function logIn(req: Request, deps: Pick<AuthDeps, 'db' | 'log'>, actor: SessionActor, method: string) {
  await regenerateSession(req);
  req.session.actor = actor;
  // Issue 11: the pages speak the account's language from the first one after signing in.
  req.session.locale = await accountLanguage(deps.db, actor);
  req.session.loggedInAt = Date.now();
  await saveSession(req);
  await event(deps, req, { kind: 'login_succeeded', actor: { kind: actor.kind, id: actor.id }, detail: { method } });
}

/** 429 with the seconds to wait, as the per-address limit answers. */
const throttled = (retryMs: number) => new HttpError(429, 'too_many_attempts', 'auth.too_many_attempts', { seconds: Math.ceil(retryMs / 1000) });

/**
 * A password attempt against one account (issue 9 item 7): refused before the password is checked
 * while the account (or the unknown login) is throttled; a failure counts towards the next delay.
 */
async function checkPassword(
  req: Request,
  deps: Pick<AuthDeps, 'db' | 'log'>,
  account: { kind: PasswordAccountKind; id: string; hash: string | null } | undefined,
  throttleKey: string,
  password: string,
  purpose: 'login' | 'current_password',
): Promise<boolean> {
  const actor = account && { kind: account.kind, id: account.id };
  const { retryAfterMs: wait, hasFailures } = await throttleOf(deps.db, throttleKey);
  if (wait > 0) {
    await event(deps, req, { kind: 'login_throttled', actor, detail: { purpose, retryAfterSeconds: Math.ceil(wait / 1000) } });
    throw throttled(wait);
  }
  if (account?.hash && (await passwordMatches(password, account.hash))) {
    // Issue 14: nothing to clear without a failure (a failure of a parallel attempt meanwhile stays counted).
    if (hasFailures) await clearFailures(deps.db, throttleKey);
    return true;
  }
  if (!account?.hash) await passwordMatches(password, undefined);
  const failures = await recordFailure(deps.db, throttleKey);
  await event(deps, req, { kind: 'login_failed', actor, detail: { purpose, failures, ...(account && !account.hash ? { code: 'not_activated' } : {}) } });
  return false;
}

/** The applicant's account by the login, or by the e-mail or phone it is keyed by. */
async function findApplicant(db: Knex, rawLogin: string): Promise<ApplicantAccountRow | undefined> {
  const login = rawLogin.trim().toLowerCase();
  if (!login) return undefined;
  const phone = normalizePhone(login);
  const contacts = [`email:${normalizeEmail(login)}`, ...(/^\+\d{8,15}$/.test(phone) ? [`phone:${phone}`] : [])];
  return db<ApplicantAccountRow>('applicant_accounts').where({ login }).orWhereIn('contact', contacts).orderByRaw('login = ? DESC', [login]).first();
}

/** R2.4: the applicant's login (the e-mail or phone the cabinet was opened for) and own password. */
export async function applicantLogin(req: Request, deps: Pick<AuthDeps, 'db' | 'log'>, login: string, password: string) {
  const account = await findApplicant(deps.db, login);
  const key = account ? accountKey('applicant', account.id) : unknownLoginKey('applicant', login.trim().toLowerCase());
  const ok = await checkPassword(req, deps, account && { kind: 'applicant', id: account.id, hash: account.password_hash }, key, password, 'login');
  if (!ok || !account) throw new HttpError(401, 'wrong_credentials', 'auth.wrong_credentials');
  await logIn(req, deps, { kind: 'applicant', id: account.id, name: account.full_name, mustChangePassword: account.must_change_password }, 'password');
}

export async function adminLogin(req: Request, deps: Pick<AuthDeps, 'db' | 'log'>, login: string, password: string) {
  const admin = await deps.db<AdminRow>('admins').where({ login: login.trim() }).first();
  const key = admin ? accountKey('admin', admin.id) : unknownLoginKey('admin', login.trim());
  const ok = await checkPassword(req, deps, admin && { kind: 'admin', id: admin.id, hash: admin.password_hash }, key, password, 'login');
  if (!ok || !admin) throw new HttpError(401, 'wrong_credentials', 'auth.wrong_credentials');
  await logIn(req, deps, { kind: adminKind(admin), id: admin.id, name: admin.full_name }, 'password');
}

/** The person's own data a password must not contain. */
async function passwordOwner(db: Knex, kind: PasswordAccountKind, id: string) {
  if (kind === 'applicant') {
    const a = await db<ApplicantAccountRow>('applicant_accounts').where({ id }).first();
    return a && { hash: a.password_hash, owner: { login: a.login, names: [a.full_name], email: a.email ?? undefined, phone: a.phone ?? undefined } };
  }
  const a = await db<AdminRow>('admins').where({ id }).first();
  return a && { hash: a.password_hash, owner: { login: a.login, names: [a.full_name] } };
}

const tableOf = (kind: PasswordAccountKind) => (kind === 'applicant' ? 'applicant_accounts' : 'admins');

async function storePassword(db: Knex | Knex.Transaction, kind: PasswordAccountKind, id: string, password: string) {
  const values = { password_hash: await hashPassword(password), password_changed_at: new Date() };
  await db(tableOf(kind))
    .where({ id })
    .update(kind === 'applicant' ? { ...values, must_change_password: false, activated_at: db.raw('coalesce(activated_at, now())') } : values);
}

/**
 * A person changes their own password (R2.4): the current one is checked (and throttled like a
 * login), the new one must pass the policy; every other session of the person ends, and this one
 * gets a new ID.
 */
export async function changePassword(req: Request, deps: Pick<AuthDeps, 'db' | 'log'>, currentPassword: string, newPassword: string) {
  const actor = currentActor(req);
  // An operator's account is a row of `admins` (migration 012), as the Bar office's are.
  const account = actor.kind === 'operator' ? 'admin' : actor.kind;
  if (account !== 'applicant' && account !== 'admin') throw new HttpError(403, 'forbidden', 'auth.not_for_your_role');
  const found = await passwordOwner(deps.db, account, actor.id);
  if (!found) throw new HttpError(401, 'not_logged_in', 'auth.not_logged_in');
  const ok = await checkPassword(
    req,
    deps,
    { kind: account, id: actor.id, hash: found.hash },
    accountKey(account, actor.id),
    currentPassword,
    'current_password',
  );
  if (!ok) throw fieldRefusal('currentPassword', 'wrong', 'auth.current_password_wrong');
  checkNewPassword(newPassword, found.owner);
  await storePassword(deps.db, account, actor.id, newPassword);
  const session = req.session.actor;
  const loggedInAt = req.session.loggedInAt;
  await regenerateSession(req);
  req.session.actor = session && { ...session, mustChangePassword: false };
  req.session.loggedInAt = loggedInAt;
  await saveSession(req);
  const ended = await endSessionsOf(deps.db, actor, req.sessionID);
  await event(deps, req, { kind: 'password_changed', actor: { kind: actor.kind, id: actor.id }, detail: { sessionsEnded: ended } });
}

/** @deprecated the applicant's change is changePassword (kept for callers of the old name). */
export const changeApplicantPassword = changePassword;

/** What a one-time link opens, for its page; undefined when it is unknown, used or expired. */
export async function oneTimeLink(deps: Pick<AuthDeps, 'db'>, token: string) {
  const link = await peekAccountToken(deps.db, token);
  if (!link) return undefined;
  const found = await passwordOwner(deps.db, link.kind, link.id);
  return found && { kind: link.kind, purpose: link.purpose, login: found.owner.login };
}

const linkInvalid = () => new HttpError(400, 'link_invalid', 'auth.link_invalid');

/**
 * The one-time link is used (issue 9 items 1 and 7): the person sets their own password, the link
 * stops working, every session of the account ends, and the person is logged in.
 */
export async function useOneTimeLink(req: Request, deps: Pick<AuthDeps, 'db' | 'log'>, token: string, newPassword: string) {
  const link = await peekAccountToken(deps.db, token);
  const found = link && (await passwordOwner(deps.db, link.kind, link.id));
  if (!link || !found) throw linkInvalid();
  // The policy first: a refused password must not use the link up.
  checkNewPassword(newPassword, found.owner, 'password');
  const used = await deps.db.transaction(async (trx) => {
    const consumed = await consumeAccountToken(trx, token);
    if (!consumed) return undefined;
    await storePassword(trx, consumed.kind, consumed.id, newPassword);
    return consumed;
  });
  if (!used) throw linkInvalid();
  const ended = await endSessionsOf(deps.db, { kind: used.kind, id: used.id });
  await event(deps, req, {
    kind: used.purpose === 'activate' ? 'account_activated' : 'password_reset',
    actor: { kind: used.kind, id: used.id },
    detail: { sessionsEnded: ended },
  });
  if (used.kind === 'applicant') {
    const a = await deps.db<ApplicantAccountRow>('applicant_accounts').where({ id: used.id }).first();
    await logIn(req, deps, { kind: 'applicant', id: used.id, name: a?.full_name ?? '' }, used.purpose === 'activate' ? 'activation_link' : 'reset_link');
  } else {
    const a = await deps.db<AdminRow>('admins').where({ id: used.id }).first();
    await logIn(req, deps, { kind: adminKind(a), id: used.id, name: a?.full_name ?? '' }, used.purpose === 'activate' ? 'activation_link' : 'reset_link');
  }
  return used;
}

/**
 * "Forgot the password": a reset link goes to the contact the cabinet is keyed by (and only there).
 * The answer is the same whether or not the login exists; one link a minute per account at most.
 */
export async function requestPasswordReset(req: Request, deps: AuthDeps, login: string): Promise<void> {
  const account = await findApplicant(deps.db, login);
  if (!account?.contact) return;
  const recent: unknown = await deps
    .db('account_tokens')
    .where({ account_kind: 'applicant', account_id: account.id })
    .andWhere('created_at', '>', new Date(Date.now() - 60_000))
    .first('token_hash');
  if (recent) return;
  const [kind, ...rest] = account.contact.split(':');
  const address = rest.join(':');
  const channel = kind === 'email' ? 'email' : 'sms';
  await deps.db.transaction(async (trx) => {
    const token = await issueAccountToken(trx, { kind: 'applicant', id: account.id }, 'reset');
    // Issue 11: in the cabinet's own language.
    const language = await recipientLanguage(trx, { kind: 'applicant', id: account.id });
    const params = { resetUrl: `${deps.publicUrl}/activate?token=`, password: '{password}', login: account.login };
    await trx('outbox').insert({
      dedupe_key: `reset:${account.id}:${randomUUID()}`,
      contract_id: null,
      channel,
      recipient: address,
      subject: channel === 'email' ? translate(language, 'account.reset.subject', params) : null,
      body: translate(language, channel === 'email' ? 'account.reset.email' : 'account.reset.sms', params),
      locale: language,
      secret_ciphertext: encryptSecret(deps.sessionSecret, token),
    });
  });
  await event(deps, req, { kind: 'password_reset', actor: { kind: 'applicant', id: account.id }, detail: { step: 'link_sent' } });
}

/** Logging out: the session ends (and its row goes). */
export async function logOut(req: Request, deps: Pick<AuthDeps, 'db' | 'log'>) {
  const actor = req.session.actor;
  await destroySession(req);
  if (actor) await event(deps, req, { kind: 'logout', actor: { kind: actor.kind, id: actor.id } });
}

export const SESSION_ACCOUNT_KINDS = ['lawyer', 'applicant', 'admin', 'operator'] as const;
export type SessionAccountKind = (typeof SESSION_ACCOUNT_KINDS)[number];

/** The Bar office ends every session of a person (issue 9 item 7): a lawyer, an applicant's cabinet, an admin or operator. */
export async function endSessionsByBarOffice(
  req: Request,
  deps: Pick<AuthDeps, 'db' | 'log'>,
  target: { kind: SessionAccountKind; id: string },
): Promise<number> {
  const actor = currentActor(req);
  if (actor.kind !== 'admin') throw new HttpError(403, 'forbidden', 'auth.not_for_your_role');
  const table = { lawyer: 'lawyers', applicant: 'applicant_accounts', admin: 'admins', operator: 'admins' }[target.kind];
  if (!(await deps.db(table).where({ id: target.id }).first('id'))) throw notFound('auth.no_such_account');
  const ended = await endSessionsOf(deps.db, target, target.kind === actor.kind && target.id === actor.id ? req.sessionID : undefined);
  await event(deps, req, {
    kind: 'sessions_ended',
    actor: { kind: actor.kind, id: actor.id },
    subject: `account:${target.kind}:${target.id}`,
    detail: { count: ended },
  });
  return ended;
}

/** A Bar office account for `create-admin` (issue 9 item 2): no password; the one-time link sets it. */
export async function createAdminAccount(
  deps: Pick<AuthDeps, 'db' | 'log' | 'publicUrl'>,
  input: { login: string; fullName: string; role?: AdminRow['role'] },
) {
  const login = input.login.trim();
  if (!/^[A-Za-z0-9._-]{3,64}$/.test(login)) throw fieldRefusal('login', 'invalid', 'auth.admin_login_invalid');
  if (!input.fullName.trim()) throw fieldRefusal('name', 'required', 'auth.admin_name_required');
  const id = `admin-${randomUUID()}`;
  const token = await deps.db.transaction(async (trx) => {
    if (await trx('admins').where({ login }).first('id')) throw fieldRefusal('login', 'taken', 'auth.admin_login_taken');
    await trx('admins').insert({ id, login, password_hash: null, full_name: input.fullName.trim(), role: input.role ?? 'bar_office' });
    return issueAccountToken(trx, { kind: 'admin', id }, 'activate');
  });
  await event(deps, undefined, { kind: 'account_created', subject: `account:${adminKind(input)}:${id}`, detail: { by: 'create-admin' } });
  return { id, login, activationUrl: `${deps.publicUrl}/activate?token=${token}` };
}
