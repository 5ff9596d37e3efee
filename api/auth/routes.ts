/** The login API (R2): thin JSON over api/auth/service.ts. */
import type { RequestHandler } from 'express';
import { Router } from 'express';
import { lawyerLoginCompleteSchema, lawyerLoginStartSchema, parseBody, passwordChangeSchema, passwordLoginSchema } from '../http/schemas';
import { requireActor } from './actor';
import { createLoginRateLimit } from './rate-limit';
import { adminLogin, applicantLogin, type AuthDeps, changeApplicantPassword, completeLawyerLogin, startLawyerLogin } from './service';

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

  router.post('/applicant/password', requireActor('applicant'), async (req, res) => {
    const { currentPassword, newPassword } = parseBody(passwordChangeSchema, req.body);
    await changeApplicantPassword(req, deps, currentPassword, newPassword);
    res.json({ status: 'changed' });
  });

  router.post('/admin/login', loginRateLimit, async (req, res) => {
    const { login, password } = parseBody(passwordLoginSchema, req.body);
    await adminLogin(req, deps, login, password);
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
