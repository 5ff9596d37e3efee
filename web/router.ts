/**
 * The cabinets (SPEC §2–§4.4), server-rendered. Pages call the same services as the JSON API
 * (the ContractGateway, the read model, the rules module); they never talk to Temporal directly.
 */
import express, { type NextFunction, type Request, type Response, Router } from 'express';
import { csrfSync } from 'csrf-sync';
import { adminLogin, applicantLogin, changeApplicantPassword, completeLawyerLogin, loginRateLimit, saveSession, startLawyerLogin, type AuthDeps } from '../api/auth/routes';
import { HttpError } from '../api/http/errors';
import type { ApiDeps } from '../api/http/app';
import { isLocale, type Locale } from './shared/i18n';
import { renderPage, t } from './shared/render';
import { contractListPage } from './contract/list';
import { projectsPage } from './projects/page';
import { contractPages } from './contract/page';
import { courtFilingPages } from './court/page';
import { wizardPages } from './wizard/page';
import { applicantPages } from './applicant/page';
import { assignedPages } from './assignment/page';
import { dossierPages } from './dossier/page';

declare module 'express-session' {
  interface SessionData {
    locale?: Locale;
    flash?: string;
    pendingLawyerCode?: string;
  }
}

export type WebDeps = ApiDeps & { mobileSignatureSimulatorUrl?: string };

const { csrfSynchronisedProtection, generateToken } = csrfSync({
  getTokenFromRequest: (req) => (req.body as Record<string, string> | undefined)?._csrf ?? (req.headers['x-csrf-token'] as string | undefined),
});

/** A page that needs a person of one of these kinds; others go to the login page. */
export function requirePageActor(...kinds: ('lawyer' | 'applicant' | 'admin')[]) {
  return (req: Request, res: Response, next: NextFunction) => {
    const actor = req.session.actor;
    if (!actor) {
      res.redirect(303, `/login?next=${encodeURIComponent(req.originalUrl)}`);
      return;
    }
    if (kinds.length > 0 && !kinds.includes(actor.kind as 'lawyer')) {
      renderPage(req, res, 'error', { title: t(res, 'error.title'), message: t(res, 'error.notFound') }, 404);
      return;
    }
    next();
  };
}

/** Sends the person on with a message shown once on the next page (stored before the redirect goes out). */
export async function redirectWithFlash(req: Request, res: Response, to: string, message: string) {
  req.session.flash = message;
  await saveSession(req);
  res.redirect(303, to);
}

export function webRouter(deps: WebDeps): Router {
  const router = Router();
  const authDeps: AuthDeps = { db: deps.db, mobileSignature: deps.mobileSignature };

  router.use(express.urlencoded({ extended: false, limit: '256kb' }));
  router.use((req, res, next) => {
    if (isLocale(req.query.lang)) req.session.locale = req.query.lang;
    res.locals.locale = req.session.locale ?? 'az';
    res.locals.actor = req.session.actor;
    res.locals.csrfToken = generateToken(req);
    next();
  });
  router.use(csrfSynchronisedProtection);

  router.get('/', (req, res) => {
    const actor = req.session.actor;
    if (!actor) return res.redirect(303, '/login');
    if (actor.kind === 'applicant') return res.redirect(303, actor.mustChangePassword ? '/applicant/password' : '/applicant');
    if (actor.kind === 'admin') return res.redirect(303, '/admin');
    // R6: the lawyer's first page is "Layihələr".
    return res.redirect(303, '/projects');
  });

  // ---------------------------------------------------------------- login (R2.3, R2.4) and logout (R8.5)

  router.get('/login', (req, res) => {
    renderPage(req, res, 'login', { title: t(res, 'login.title'), next: req.query.next });
  });

  router.get('/login/lawyer', (req, res) => {
    renderPage(req, res, 'login-lawyer', { title: t(res, 'login.asLawyer'), values: {} });
  });

  router.post('/login/lawyer', loginRateLimit, async (req, res) => {
    const values = { phone: String(req.body.phone ?? ''), userId: String(req.body.userId ?? '') };
    try {
      const started = await startLawyerLogin(req, authDeps, values.phone, values.userId);
      req.session.pendingLawyerCode = started.verificationCode;
      await saveSession(req);
      res.redirect(303, '/login/lawyer/confirm');
    } catch (err) {
      if (!(err instanceof HttpError)) throw err;
      renderPage(req, res, 'login-lawyer', { title: t(res, 'login.asLawyer'), values, errors: err.fields ?? [{ field: 'phone', code: err.code, message: err.message }] }, err.status);
    }
  });

  router.get('/login/lawyer/confirm', async (req, res) => {
    const pending = req.session.pendingLawyerLogin;
    if (!pending) return res.redirect(303, '/login/lawyer');
    const code = await deps.mobileSignature.getLoginStatus(pending.transactionId).catch(() => undefined);
    renderPage(req, res, 'login-lawyer-confirm', {
      title: t(res, 'login.code'),
      transactionId: pending.transactionId,
      verificationCode: req.session.pendingLawyerCode,
      simulatorUrl: deps.mobileSignatureSimulatorUrl,
      status: code?.status,
    });
  });

  router.get('/login/lawyer/status', async (req, res) => {
    const pending = req.session.pendingLawyerLogin;
    if (!pending) return res.json({ status: 'none' });
    const status = await deps.mobileSignature.getLoginStatus(pending.transactionId).catch(() => ({ status: 'pending' as const }));
    res.json({ status: status.status });
  });

  router.post('/login/lawyer/confirm', async (req, res) => {
    const pending = req.session.pendingLawyerLogin;
    if (!pending) return res.redirect(303, '/login/lawyer');
    try {
      const outcome = await completeLawyerLogin(req, authDeps, pending.transactionId);
      if (outcome === 'pending') {
        renderPage(req, res, 'login-lawyer-confirm', { title: t(res, 'login.code'), transactionId: pending.transactionId, verificationCode: req.session.pendingLawyerCode, simulatorUrl: deps.mobileSignatureSimulatorUrl, stillPending: true });
        return;
      }
      res.redirect(303, '/projects');
    } catch (err) {
      if (!(err instanceof HttpError)) throw err;
      // R2.1: the person reads which condition failed.
      renderPage(req, res, 'login-lawyer', { title: t(res, 'login.asLawyer'), values: { phone: pending.phone, userId: pending.userId }, refusal: { code: err.code, message: err.message } }, err.status);
    }
  });

  router.get('/login/applicant', (req, res) => {
    renderPage(req, res, 'login-password', { title: t(res, 'login.asApplicant'), action: '/login/applicant', values: {} });
  });
  router.post('/login/applicant', loginRateLimit, async (req, res) => {
    const login = String(req.body.login ?? '');
    try {
      await applicantLogin(req, deps.db, login, String(req.body.password ?? ''));
      res.redirect(303, req.session.actor?.mustChangePassword ? '/applicant/password' : '/applicant');
    } catch (err) {
      if (!(err instanceof HttpError)) throw err;
      renderPage(req, res, 'login-password', { title: t(res, 'login.asApplicant'), action: '/login/applicant', values: { login }, errors: [{ field: 'password', code: err.code, message: err.message }] }, err.status);
    }
  });

  router.get('/login/admin', (req, res) => {
    renderPage(req, res, 'login-password', { title: t(res, 'login.asAdmin'), action: '/login/admin', values: {} });
  });
  router.post('/login/admin', loginRateLimit, async (req, res) => {
    const login = String(req.body.login ?? '');
    try {
      await adminLogin(req, deps.db, login, String(req.body.password ?? ''));
      res.redirect(303, '/admin');
    } catch (err) {
      if (!(err instanceof HttpError)) throw err;
      renderPage(req, res, 'login-password', { title: t(res, 'login.asAdmin'), action: '/login/admin', values: { login }, errors: [{ field: 'password', code: err.code, message: err.message }] }, err.status);
    }
  });

  router.get('/applicant/password', requirePageActor('applicant'), (req, res) => {
    renderPage(req, res, 'password', { title: t(res, 'password.title'), mustChange: req.session.actor?.mustChangePassword });
  });
  router.post('/applicant/password', requirePageActor('applicant'), async (req, res) => {
    try {
      await changeApplicantPassword(req, deps.db, String(req.body.currentPassword ?? ''), String(req.body.newPassword ?? ''));
      await redirectWithFlash(req, res, '/applicant', t(res, 'password.changed'));
    } catch (err) {
      if (!(err instanceof HttpError)) throw err;
      renderPage(req, res, 'password', { title: t(res, 'password.title'), errors: err.fields }, err.status);
    }
  });

  router.post('/logout', (req, res) => {
    req.session.destroy(() => res.redirect(303, '/login'));
  });

  // ---------------------------------------------------------------- the cabinets

  router.use(contractListPage(deps));
  router.use(projectsPage(deps));
  router.use(wizardPages(deps));
  router.use(contractPages(deps));
  router.use(courtFilingPages(deps));
  router.use(applicantPages(deps));
  router.use(dossierPages(deps));

  // "Təyin olunan işlər" (R5) and the Bar office's page; before the stubs below.
  router.use(assignedPages(deps));

  // Sections built by later work show as empty for now.
  for (const [section, key] of [['info', 'nav.info'], ['messages', 'nav.messages'], ['profile', 'nav.profile']] as const) {
    router.get(`/${section}`, requirePageActor('lawyer'), (req, res) => {
      renderPage(req, res, 'section-empty', { title: t(res, key), section });
    });
  }

  return router;
}

/** Errors on pages: a page, not JSON; a stale form token says so instead of a bare 403. */
export function webErrorHandler(log: { error: (obj: unknown, msg?: string) => void }) {
  return (err: unknown, req: Request, res: Response, next: NextFunction) => {
    if (req.path.startsWith('/api/') || res.headersSent) return next(err);
    const status = err instanceof HttpError ? err.status : (err as { code?: string }).code === 'EBADCSRFTOKEN' ? 403 : 500;
    if (status === 500) log.error({ err }, 'page failed');
    const message =
      (err as { code?: string }).code === 'EBADCSRFTOKEN' ? t(res, 'error.csrf') : status === 404 ? t(res, 'error.notFound') : err instanceof HttpError ? err.message : t(res, 'error.generic');
    res.locals.locale ??= 'az';
    renderPage(req, res, 'error', { title: t(res, 'error.title'), message }, status);
  };
}
