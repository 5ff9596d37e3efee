/**
 * The cabinets (SPEC §2–§4.4), server-rendered. Pages call the API's services (api/<area>/service.ts
 * and the gateways); they never talk to the database, an adapter or Temporal themselves. The
 * composition root (platform/web-server.ts) mounts what `webPages` returns into the HTTP app.
 */
import path from 'node:path';
import express, { type NextFunction, type Request, type RequestHandler, type Response, Router } from 'express';
import type { PageMount } from '../api/http/app';
import { HttpError, outageOf } from '../api/http/errors';
import { renderIfUnavailable } from './shared/unavailable';
import { csrfProtection, csrfToken, readCookie } from '../api/http/security';
import { describe } from '../locales';
import { applicantPages } from './applicant/page';
import { assignedPages } from './assignment/page';
import { contractListPage } from './contract/list';
import { contractPages } from './contract/page';
import { courtFilingPages } from './court/page';
import { dossierPages, dossierUploadPage } from './dossier/page';
import { loginPages } from './login/page';
import { officePages } from './office/page';
import { projectsPage } from './projects/page';
import type { WebDeps } from './shared/deps';
import { requirePageActor } from './shared/guard';
import { isLocale, type Locale } from './shared/i18n';
import { renderPage, t } from './shared/render';
import { statisticsPages } from './statistics/page';
import { wizardPages } from './wizard/page';

export type { WebDeps } from './shared/deps';

declare module 'express-session' {
  interface SessionData {
    locale?: Locale;
  }
}

export function webRouter(deps: WebDeps, loginRateLimit: RequestHandler): Router {
  const router = Router();

  router.use(express.urlencoded({ extended: false, limit: '256kb' }));
  router.use((req, res, next) => {
    // The language is a cookie of its own, not the session: choosing it stores no session row (issue 9 item 9).
    if (isLocale(req.query.lang)) res.cookie('evk.lang', req.query.lang, { httpOnly: true, sameSite: 'lax', path: '/', maxAge: 365 * 86_400_000 });
    const remembered = readCookie(req, 'evk.lang');
    res.locals.locale = isLocale(req.query.lang) ? req.query.lang : isLocale(remembered) ? remembered : (req.session.locale ?? 'az');
    res.locals.actor = req.session.actor;
    res.locals.csrfToken = csrfToken(req, res);
    next();
  });
  // "Yadda saxla" is a multipart form: its token is in the body multer reads, so the route checks it itself, after the upload.
  router.use(dossierUploadPage(deps));
  router.use(csrfProtection);

  router.get('/', (req, res) => {
    const actor = req.session.actor;
    if (!actor) return res.redirect(303, '/login');
    if (actor.kind === 'applicant') return res.redirect(303, actor.mustChangePassword ? '/applicant/password' : '/applicant');
    if (actor.kind === 'admin') return res.redirect(303, '/admin');
    if (actor.kind === 'operator') return res.redirect(303, '/operator');
    // R6: the lawyer's first page is "Layihələr".
    return res.redirect(303, '/projects');
  });

  router.use(loginPages(deps, loginRateLimit));

  router.use(contractListPage(deps));
  router.use(projectsPage(deps));
  router.use(wizardPages(deps));
  router.use(contractPages(deps));
  router.use(courtFilingPages(deps));
  router.use(applicantPages(deps));
  router.use(dossierPages(deps));

  // "Təyin olunan işlər" (R5) and the Bar office's page; before the stubs below.
  router.use(assignedPages(deps));
  // The Bar office's contracts (outline, reasoned access) and security events (issue 9 items 6, 10).
  router.use(officePages(deps));
  // "Statistik məlumatlar" (R3.2): the Bar office, heads and lawyers, each their own scope.
  router.use(statisticsPages(deps));

  // Sections built by later work show as empty for now.
  for (const [section, key] of [
    ['info', 'nav.info'],
    ['messages', 'nav.messages'],
    ['profile', 'nav.profile'],
  ] as const) {
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
    res.locals.locale ??= 'az';
    // Our database or Temporal down: "try again in a moment", with what was typed (issue 10 item 5).
    if (outageOf(err)) return void renderIfUnavailable(err, req, res).catch(next);
    const csrfFailed = (err as { code?: string } | undefined)?.code === 'EBADCSRFTOKEN';
    const status = err instanceof HttpError ? err.status : csrfFailed ? 403 : 500;
    if (status === 500) log.error({ err }, 'page failed');
    const message = csrfFailed
      ? t(res, 'error.csrf')
      : status === 404
        ? t(res, 'error.notFound')
        : err instanceof HttpError
          ? describe(res.locals.locale as Locale, err.reason, err.params)
          : t(res, 'error.generic');
    renderPage(req, res, 'error', { title: t(res, 'error.title'), message }, status);
  };
}

/** The pages as the HTTP app mounts them. */
export function webPages(deps: WebDeps, loginRateLimit: RequestHandler): PageMount {
  return { staticDir: path.resolve(__dirname, 'static'), router: webRouter(deps, loginRateLimit), errorHandler: webErrorHandler(deps.log) };
}
