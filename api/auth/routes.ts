/**
 * Who is calling (R2): lawyers through the mobile signature (R2.3) and the Bar's access rules
 * (R2.1), applicants and Bar office administrators by login and password (R2.4).
 */
import 'express-session';
import bcrypt from 'bcryptjs';
import { type NextFunction, type Request, type Response, Router } from 'express';
import { rateLimit } from 'express-rate-limit';
import type { Knex } from 'knex';
import type { Actor, ActorKind } from '../../domain/contract';
import { normalizePhone } from '../../domain/contract';
import { ServiceUnavailableError } from '../../integrations/http';
import { type MobileSignatureProvider, UnknownSignatureHolderError } from '../../integrations/mobile-signature/adapter';
import { HttpError } from '../http/errors';
import { lawyerLoginCompleteSchema, lawyerLoginStartSchema, parseBody, passwordChangeSchema, passwordLoginSchema } from '../http/schemas';

declare module 'express-session' {
  interface SessionData {
    actor?: Actor & { name: string; mustChangePassword?: boolean };
    pendingLawyerLogin?: { transactionId: string; userId: string; phone: string };
  }
}

export function currentActor(req: Request): Actor {
  const actor = req.session.actor;
  if (!actor) throw new HttpError(401, 'not_logged_in', 'Log in first.');
  return { kind: actor.kind, id: actor.id, bureauId: actor.bureauId, isHead: actor.isHead };
}

export function requireActor(...kinds: ActorKind[]) {
  return (req: Request, _res: Response, next: NextFunction) => {
    const actor = currentActor(req);
    if (kinds.length > 0 && !kinds.includes(actor.kind)) throw new HttpError(403, 'forbidden', 'This is not for your role.');
    next();
  };
}

/** R2.1: why this signed-in person may not use the lawyer's cabinet, or undefined when they may. */
export async function lawyerAccessRefusal(
  db: Knex,
  fin: string,
  userId: string,
): Promise<{ code: 'not_on_active_register' | 'no_payment_agent_contract'; message: string } | { lawyer: Record<string, any> }> {
  const lawyer = await db('lawyers').where({ fin }).first();
  if (!lawyer || !lawyer.on_active_register || lawyer.mobile_signature_user_id !== userId) {
    return {
      code: 'not_on_active_register',
      message: "Your FIN and mobile-signature user ID are not on the Bar's list of active lawyers. Contact the Bar office.",
    };
  }
  const bureau = await db('bureaus').where({ id: lawyer.bureau_id }).first();
  if (!bureau?.has_payment_agent_contract) {
    return {
      code: 'no_payment_agent_contract',
      message: bureau?.individual
        ? 'You have no contract with the payment agent; conclude one to use the cabinet.'
        : 'Your bureau has no contract with the payment agent; the bureau must conclude one before its lawyers can use the cabinet.',
    };
  }
  return { lawyer };
}

function regenerate(req: Request): Promise<void> {
  return new Promise((resolve, reject) => req.session.regenerate((err) => (err ? reject(err) : resolve())));
}

/**
 * Stores the session now. express-session would save it only while the response is being ended,
 * after the headers have gone out, so a browser following a redirect at once (or a fast API client)
 * could arrive before the store has it and find itself logged out.
 */
export function saveSession(req: Request): Promise<void> {
  return new Promise((resolve, reject) => req.session.save((err) => (err ? reject(err) : resolve())));
}

export interface AuthDeps {
  db: Knex;
  mobileSignature: MobileSignatureProvider;
}

const fieldError = (field: string, code: string, message: string) => new HttpError(400, 'invalid_input', message, {}, [{ field, code, message }]);

/** R2.3, first half: the phone and user ID go to the mobile-signature provider; the code comes back. */
export async function startLawyerLogin(req: Request, deps: AuthDeps, rawPhone: string, rawUserId: string) {
  const phone = normalizePhone(rawPhone);
  const userId = rawUserId.trim();
  if (!/^\+994\d{9}$/.test(phone)) throw fieldError('phone', 'invalid', 'Enter the mobile-signature phone number, e.g. +994 50 123 45 67.');
  if (!/^\d{6}$/.test(userId)) throw fieldError('userId', 'invalid', 'The user ID is 6 digits.');
  try {
    const started = await deps.mobileSignature.startLogin(phone, userId);
    req.session.pendingLawyerLogin = { transactionId: started.transactionId, userId, phone };
    await saveSession(req);
    return started;
  } catch (err) {
    if (err instanceof UnknownSignatureHolderError) throw fieldError('userId', 'unknown', 'No mobile signature with this phone number and user ID.');
    if (err instanceof ServiceUnavailableError) throw new HttpError(503, 'unavailable', 'The mobile-signature service does not answer; try again shortly.');
    throw err;
  }
}

/** R2.3, second half, and R2.1: once confirmed on the phone, is this person an active lawyer? */
export async function completeLawyerLogin(req: Request, deps: AuthDeps, transactionId: string): Promise<'pending' | 'logged_in'> {
  const pending = req.session.pendingLawyerLogin;
  if (!pending || pending.transactionId !== transactionId) throw new HttpError(400, 'no_login_in_progress', 'Start the login again.');
  let status;
  try {
    status = await deps.mobileSignature.getLoginStatus(transactionId);
  } catch (err) {
    if (err instanceof ServiceUnavailableError) throw new HttpError(503, 'unavailable', 'The mobile-signature service does not answer; try again shortly.');
    throw err;
  }
  if (status.status === 'pending') return 'pending';
  req.session.pendingLawyerLogin = undefined;
  if (status.status !== 'confirmed' || !status.person) {
    throw new HttpError(401, `login_${status.status}`, status.status === 'refused' ? 'The login was refused on the phone.' : 'The login expired; start again.');
  }
  const access = await lawyerAccessRefusal(deps.db, status.person.fin, pending.userId);
  if ('code' in access) throw new HttpError(403, access.code, access.message);
  const lawyer = access.lawyer;
  await regenerate(req);
  req.session.actor = { kind: 'lawyer', id: lawyer.id, bureauId: lawyer.bureau_id, isHead: lawyer.is_head, name: `${lawyer.first_name} ${lawyer.last_name}` };
  await saveSession(req);
  return 'logged_in';
}

/** R2.4: the applicant's login and password, as sent to them (R4.3.1). */
export async function applicantLogin(req: Request, db: Knex, login: string, password: string) {
  const account = await db('applicant_accounts').where({ login: login.trim().toLowerCase() }).first();
  if (!account || !(await bcrypt.compare(password, account.password_hash))) throw new HttpError(401, 'wrong_credentials', 'Wrong login or password.');
  await regenerate(req);
  req.session.actor = { kind: 'applicant', id: account.id, name: account.full_name, mustChangePassword: account.must_change_password };
  await saveSession(req);
}

export async function changeApplicantPassword(req: Request, db: Knex, currentPassword: string, newPassword: string) {
  const actor = currentActor(req);
  const account = await db('applicant_accounts').where({ id: actor.id }).first();
  if (!(await bcrypt.compare(currentPassword, account.password_hash))) throw fieldError('currentPassword', 'wrong', 'The current password is wrong.');
  if (newPassword.length < 8) throw fieldError('newPassword', 'too_short', 'The new password needs at least 8 characters.');
  await db('applicant_accounts').where({ id: actor.id }).update({ password_hash: await bcrypt.hash(newPassword, 10), must_change_password: false });
  req.session.actor = { ...req.session.actor!, mustChangePassword: false };
  await saveSession(req);
}

export async function adminLogin(req: Request, db: Knex, login: string, password: string) {
  const admin = await db('admins').where({ login: login.trim() }).first();
  if (!admin || !(await bcrypt.compare(password, admin.password_hash))) throw new HttpError(401, 'wrong_credentials', 'Wrong login or password.');
  await regenerate(req);
  req.session.actor = { kind: 'admin', id: admin.id, name: admin.full_name };
  await saveSession(req);
}

/** Login attempts per address and window: enough for people, too few for guessing passwords. */
export function createLoginRateLimit(limit: number, windowMs = 10 * 60 * 1000) {
  return rateLimit({
    windowMs,
    limit,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (req, res) => {
      const message = 'Too many login attempts; try again in a few minutes.';
      if (req.originalUrl.startsWith('/api/') || req.accepts(['html', 'json']) === 'json') {
        res.status(429).json({ error: { code: 'too_many_attempts', message } });
        return;
      }
      res
        .status(429)
        .type('html')
        .send(`<!doctype html><html lang="az"><meta charset="utf-8"><title>429</title><main role="alert"><p>Çox sayda giriş cəhdi: bir neçə dəqiqədən sonra yenidən yoxlayın.</p><p lang="en">${message}</p><p><a href="/login">Giriş</a></p></main></html>`);
    },
  });
}

export const loginRateLimit = createLoginRateLimit(Number(process.env.EVK_LOGIN_ATTEMPTS_PER_10_MIN ?? 30));

export function authRouter(deps: AuthDeps): Router {
  const { db } = deps;
  const router = Router();

  router.post('/lawyer/start', loginRateLimit, async (req, res) => {
    const body = parseBody(lawyerLoginStartSchema, req.body);
    const started = await startLawyerLogin(req, deps, body.phone, body.userId);
    res.json({ transactionId: started.transactionId, verificationCode: started.verificationCode, expiresAt: started.expiresAt });
  });

  router.post('/lawyer/complete', async (req, res) => {
    const { transactionId } = parseBody(lawyerLoginCompleteSchema, req.body);
    if ((await completeLawyerLogin(req, deps, transactionId)) === 'pending') {
      res.status(202).json({ status: 'pending' });
      return;
    }
    res.json({ status: 'logged_in', actor: req.session.actor });
  });

  router.post('/applicant/login', loginRateLimit, async (req, res) => {
    const { login, password } = parseBody(passwordLoginSchema, req.body);
    await applicantLogin(req, db, login, password);
    res.json({ status: 'logged_in', actor: req.session.actor });
  });

  router.post('/applicant/password', requireActor('applicant'), async (req, res) => {
    const { currentPassword, newPassword } = parseBody(passwordChangeSchema, req.body);
    await changeApplicantPassword(req, db, currentPassword, newPassword);
    res.json({ status: 'changed' });
  });

  router.post('/admin/login', loginRateLimit, async (req, res) => {
    const { login, password } = parseBody(passwordLoginSchema, req.body);
    await adminLogin(req, db, login, password);
    res.json({ status: 'logged_in', actor: req.session.actor });
  });

  router.post('/logout', (req, res) => {
    req.session.destroy(() => res.json({ status: 'logged_out' }));
  });

  router.get('/me', (req, res) => {
    res.json({ actor: req.session.actor ?? null });
  });

  return router;
}
