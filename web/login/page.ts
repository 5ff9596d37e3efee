/**
 * The login pages (R2.3, R2.4), the applicant's password change and logout (R8.5). They call
 * api/auth/service.ts; a refusal is a code, read here in the page's language (R2.1 in Azerbaijani
 * on the Azerbaijani page, in English on the English one).
 */
import { type Request, type RequestHandler, type Response, Router } from 'express';
import { adminLogin, applicantLogin, changeApplicantPassword, completeLawyerLogin, pendingLoginStatus, startLawyerLogin } from '../../api/auth/service';
import { HttpError, localizedFields } from '../../api/http/errors';
import { saveSession } from '../../api/http/sessions';
import { describe } from '../../locales';
import type { WebDeps } from '../shared/deps';
import { redirectWithFlash } from '../shared/feedback';
import { requirePageActor } from '../shared/guard';
import type { Locale } from '../shared/i18n';
import { renderPage, t } from '../shared/render';
import { formBody, formText } from '../shared/form';

declare module 'express-session' {
  interface SessionData {
    pendingLawyerCode?: string;
  }
}

const localeOf = (res: Response): Locale => (res.locals.locale as Locale | undefined) ?? 'az';

/** The refusal's fields in the page's language; a refusal without fields sits at `field`. */
function fieldErrors(res: Response, err: HttpError, field: string) {
  return localizedFields(localeOf(res), err.fields ?? [{ field, code: err.code, reason: err.reason, params: err.params }]);
}

export function loginPages(deps: WebDeps, loginRateLimit: RequestHandler): Router {
  const router = Router();

  router.get('/login', (req, res) => {
    renderPage(req, res, 'login', { title: t(res, 'login.title'), next: req.query.next });
  });

  router.get('/login/lawyer', (req, res) => {
    renderPage(req, res, 'login-lawyer', { title: t(res, 'login.asLawyer'), values: {} });
  });

  router.post('/login/lawyer', loginRateLimit, async (req, res) => {
    const body = formBody(req);
    const values = { phone: formText(body.phone), userId: formText(body.userId) };
    try {
      const started = await startLawyerLogin(req, deps, values.phone, values.userId);
      req.session.pendingLawyerCode = started.verificationCode;
      await saveSession(req);
      res.redirect(303, '/login/lawyer/confirm');
    } catch (err) {
      if (!(err instanceof HttpError)) throw err;
      renderPage(req, res, 'login-lawyer', { title: t(res, 'login.asLawyer'), values, errors: fieldErrors(res, err, 'phone') }, err.status);
    }
  });

  const confirmPage = (req: Request, res: Response, extra: Record<string, unknown>) => {
    renderPage(req, res, 'login-lawyer-confirm', {
      title: t(res, 'login.code'),
      transactionId: req.session.pendingLawyerLogin?.transactionId,
      verificationCode: req.session.pendingLawyerCode,
      simulatorUrl: deps.mobileSignatureSimulatorUrl,
      ...extra,
    });
  };

  router.get('/login/lawyer/confirm', async (req, res) => {
    const pending = req.session.pendingLawyerLogin;
    if (!pending) return res.redirect(303, '/login/lawyer');
    confirmPage(req, res, { status: await pendingLoginStatus(deps, pending.transactionId) });
  });

  router.get('/login/lawyer/status', async (req, res) => {
    const pending = req.session.pendingLawyerLogin;
    if (!pending) return res.json({ status: 'none' });
    res.json({ status: (await pendingLoginStatus(deps, pending.transactionId)) ?? 'pending' });
  });

  router.post('/login/lawyer/confirm', async (req, res) => {
    const pending = req.session.pendingLawyerLogin;
    if (!pending) return res.redirect(303, '/login/lawyer');
    try {
      if ((await completeLawyerLogin(req, deps, pending.transactionId)) === 'pending') {
        confirmPage(req, res, { stillPending: true });
        return;
      }
      res.redirect(303, '/projects');
    } catch (err) {
      if (!(err instanceof HttpError)) throw err;
      // R2.1: the person reads which condition failed, in the page's language.
      const refusal = { code: err.code, message: describe(localeOf(res), err.reason, err.params) };
      renderPage(req, res, 'login-lawyer', { title: t(res, 'login.asLawyer'), values: { phone: pending.phone, userId: pending.userId }, refusal }, err.status);
    }
  });

  const passwordLogin = (path: string, titleKey: string, logIn: (req: Request, login: string, password: string) => Promise<string>) => {
    router.get(path, (req, res) => {
      renderPage(req, res, 'login-password', { title: t(res, titleKey), action: path, values: {} });
    });
    router.post(path, loginRateLimit, async (req, res) => {
      const body = formBody(req);
      const login = formText(body.login);
      try {
        res.redirect(303, await logIn(req, login, formText(body.password)));
      } catch (err) {
        if (!(err instanceof HttpError)) throw err;
        renderPage(
          req,
          res,
          'login-password',
          { title: t(res, titleKey), action: path, values: { login }, errors: fieldErrors(res, err, 'password') },
          err.status,
        );
      }
    });
  };
  passwordLogin('/login/applicant', 'login.asApplicant', async (req, login, password) => {
    await applicantLogin(req, deps, login, password);
    return req.session.actor?.mustChangePassword ? '/applicant/password' : '/applicant';
  });
  passwordLogin('/login/admin', 'login.asAdmin', async (req, login, password) => {
    await adminLogin(req, deps, login, password);
    return '/admin';
  });

  router.get('/applicant/password', requirePageActor('applicant'), (req, res) => {
    renderPage(req, res, 'password', { title: t(res, 'password.title'), mustChange: req.session.actor?.mustChangePassword });
  });
  router.post('/applicant/password', requirePageActor('applicant'), async (req, res) => {
    try {
      const body = formBody(req);
      await changeApplicantPassword(req, deps, formText(body.currentPassword), formText(body.newPassword));
      await redirectWithFlash(req, res, '/applicant', t(res, 'password.changed'));
    } catch (err) {
      if (!(err instanceof HttpError)) throw err;
      renderPage(req, res, 'password', { title: t(res, 'password.title'), errors: err.fields && localizedFields(localeOf(res), err.fields) }, err.status);
    }
  });

  router.post('/logout', (req, res) => {
    req.session.destroy(() => res.redirect(303, '/login'));
  });

  return router;
}
