/** The login API (R2, issue 9 item 7): thin JSON over api/auth/service.ts. */
import type { RequestHandler } from 'express';
import { Router } from 'express';
import {
  endSessionsSchema,
  lawyerLoginCompleteSchema,
  lawyerLoginStartSchema,
  oneTimeLinkSchema,
  parseBody,
  passwordChangeSchema,
  passwordLoginSchema,
  resetRequestSchema,
} from '../http/schemas';
import { requireActor } from './actor';
import { createLoginRateLimit } from './rate-limit';
import {
  adminLogin,
  applicantLogin,
  type AuthDeps,
  changePassword,
  completeLawyerLogin,
  endSessionsByBarOffice,
  logOut,
  requestPasswordReset,
  startLawyerLogin,
  useOneTimeLink,
} from './service';

export function authRouter(deps: AuthDeps & { loginRateLimit?: RequestHandler }): Router {
  const loginRateLimit = deps.loginRateLimit ?? createLoginRateLimit(30);
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
    await applicantLogin(req, deps, login, password);
    res.json({ status: 'logged_in', actor: req.session.actor });
  });

  const passwordChange: RequestHandler = async (req, res) => {
    const { currentPassword, newPassword } = parseBody(passwordChangeSchema, req.body);
    await changePassword(req, deps, currentPassword, newPassword);
    res.json({ status: 'changed' });
  };
  router.post('/applicant/password', loginRateLimit, requireActor('applicant'), passwordChange);
  router.post('/password', loginRateLimit, requireActor('applicant', 'admin', 'operator'), passwordChange);

  router.post('/admin/login', loginRateLimit, async (req, res) => {
    const { login, password } = parseBody(passwordLoginSchema, req.body);
    await adminLogin(req, deps, login, password);
    res.json({ status: 'logged_in', actor: req.session.actor });
  });

  // The one-time link of a new cabinet (or account) and of a reset: the person sets the password.
  router.post('/activate', loginRateLimit, async (req, res) => {
    const { token, password } = parseBody(oneTimeLinkSchema, req.body);
    const used = await useOneTimeLink(req, deps, token, password);
    res.json({ status: used.purpose === 'activate' ? 'activated' : 'reset', actor: req.session.actor });
  });

  router.post('/applicant/reset', loginRateLimit, async (req, res) => {
    const { login } = parseBody(resetRequestSchema, req.body);
    await requestPasswordReset(req, deps, login);
    res.status(202).json({ status: 'sent_if_known' });
  });

  router.post('/sessions/end', requireActor('admin'), async (req, res) => {
    const target = parseBody(endSessionsSchema, req.body);
    res.json({ ended: await endSessionsByBarOffice(req, deps, target) });
  });

  router.post('/logout', async (req, res) => {
    await logOut(req, deps);
    res.json({ status: 'logged_out' });
  });

  router.get('/me', (req, res) => {
    res.json({ actor: req.session.actor ?? null });
  });

  return router;
}
