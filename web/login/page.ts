/**
 * The login pages (R2.3, R2.4), the applicant's password change and logout (R8.5). They call
 * api/auth/service.ts; a refusal is a code, read here in the page's language (R2.1 in Azerbaijani
 * on the Azerbaijani page, in English on the English one).
 */
import { type Request, type RequestHandler, type Response, Router } from 'express';
import {
  adminLogin,
  applicantLogin,
  changePassword,
  completeLawyerLogin,
  logOut,
  oneTimeLink,
  pendingLoginStatus,
  requestPasswordReset,
  startLawyerLogin,
  useOneTimeLink,
} from '../../api/auth/service';
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

  const passwordLogin = (path: string, titleKey: string, logIn: (req: Request, login: string, password: string) => Promise<string>, resetLink?: string) => {
    router.get(path, (req, res) => {
      renderPage(req, res, 'login-password', { title: t(res, titleKey), action: path, values: {}, resetLink });
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
          { title: t(res, titleKey), action: path, values: { login }, errors: fieldErrors(res, err, 'password'), resetLink },
          err.status,
        );
      }
    });
  };
  passwordLogin(
    '/login/applicant',
    'login.asApplicant',
    async (req, login, password) => {
      await applicantLogin(req, deps, login, password);
      return req.session.actor?.mustChangePassword ? '/applicant/password' : '/applicant';
    },
    '/login/applicant/reset',
  );
  passwordLogin('/login/admin', 'login.asAdmin', async (req, login, password) => {
    await adminLogin(req, deps, login, password);
    return req.session.actor?.kind === 'operator' ? '/operator' : '/admin';
  });

  // R2.4, issue 9 item 7: one's own password (applicant or Bar office); the other sessions end.
  for (const [path, kind, after] of [
    ['/applicant/password', 'applicant', '/applicant'],
    ['/admin/password', 'admin', '/admin'],
    ['/operator/password', 'operator', '/operator'],
  ] as const) {
    router.get(path, requirePageActor(kind), (req, res) => {
      renderPage(req, res, 'password', { title: t(res, 'password.title'), action: path, mustChange: req.session.actor?.mustChangePassword });
    });
    router.post(path, loginRateLimit, requirePageActor(kind), async (req, res) => {
      try {
        const body = formBody(req);
        await changePassword(req, deps, formText(body.currentPassword), formText(body.newPassword));
        await redirectWithFlash(req, res, after, `${t(res, 'password.changed')} ${t(res, 'password.sessionsEnded')}`);
      } catch (err) {
        if (!(err instanceof HttpError)) throw err;
        renderPage(req, res, 'password', { title: t(res, 'password.title'), action: path, errors: fieldErrors(res, err, 'currentPassword') }, err.status);
      }
    });
  }

  // The one-time link of a new cabinet or account, or of a reset (issue 9 items 1 and 7).
  router.get('/activate', async (req, res) => {
    const token = typeof req.query.token === 'string' ? req.query.token : '';
    const link = token ? await oneTimeLink(deps, token) : undefined;
    const title = t(res, link?.purpose === 'reset' ? 'activate.resetTitle' : 'activate.title');
    renderPage(req, res, 'activate', { title, token, login: link?.login, invalid: !link }, link ? 200 : 404);
  });
  router.post('/activate', loginRateLimit, async (req, res) => {
    const body = formBody(req);
    const token = formText(body.token);
    try {
      const used = await useOneTimeLink(req, deps, token, formText(body.password));
      const home = { applicant: '/applicant', admin: '/admin', operator: '/operator' } as const;
      await redirectWithFlash(req, res, home[req.session.actor?.kind === 'operator' ? 'operator' : used.kind], t(res, 'activate.done'));
    } catch (err) {
      if (!(err instanceof HttpError)) throw err;
      const link = await oneTimeLink(deps, token);
      renderPage(
        req,
        res,
        'activate',
        { title: t(res, 'activate.title'), token, login: link?.login, invalid: !link, errors: fieldErrors(res, err, 'password') },
        err.status,
      );
    }
  });

  router.get('/login/applicant/reset', (req, res) => {
    renderPage(req, res, 'reset', { title: t(res, 'reset.title') });
  });
  router.post('/login/applicant/reset', loginRateLimit, async (req, res) => {
    await requestPasswordReset(req, deps, formText(formBody(req).login));
    renderPage(req, res, 'reset', { title: t(res, 'reset.title'), sent: true });
  });

  // An operator's only page: where the workflows are read (the Temporal UI, through the codec server).
  router.get('/operator', requirePageActor('operator'), (req, res) => {
    renderPage(req, res, 'operator', { title: t(res, 'operator.title'), temporalUiUrl: deps.temporalUiUrl, codecServerUrl: deps.codecServerUrl });
  });

  router.post('/logout', async (req, res) => {
    await logOut(req, deps);
    res.redirect(303, '/login');
  });

  return router;
}
