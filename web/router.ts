/**
 * The cabinets (SPEC §2–§4.4), server-rendered. Pages call the API's services (api/<area>/service.ts
 * and the gateways); they never talk to the database, an adapter or Temporal themselves. The
 * composition root (platform/web-server.ts) mounts what `webPages` returns into the HTTP app.
 */
import { contractNumberLinks } from './shared/number-links';
import path from 'node:path';
import express, { type NextFunction, type Request, type RequestHandler, type Response, Router } from 'express';
import type { PageMount } from '../api/http/app';
import { HttpError, outageOf } from '../api/http/errors';
import { renderIfUnavailable } from './shared/unavailable';
import { csrfProtection, csrfToken, readCookie } from '../api/http/security';
import { describe } from '../locales';
import { setOwnLanguage } from '../api/account/service';
import { applicantPages } from './applicant/page';
import { assignedPages } from './assignment/page';
import { contractListPage } from './contract/list';
import { contractPages } from './contract/page';
import { courtFilingPages } from './court/page';
import { dossierPages, dossierUploadPage } from './dossier/page';
import { loginPages } from './login/page';
import { messagesCounts, messagesForms, messagesPages } from './messages/page';
import { officePages } from './office/page';
import { registerUploadPage } from './office/register';
import { profilePages, profileUploadPage } from './profile/page';
import { projectsPage } from './projects/page';
import { seminarPages } from './seminars/page';
import { calendarPages } from './calendar/page';
import type { WebDeps } from './shared/deps';
import { isLocale, type Locale } from './shared/i18n';
import { renderPage, t } from './shared/render';
import { statisticsPages } from './statistics/page';
import { signingPages } from './signing/page';
import { verifyPages } from './verify/page';
import { wizardPages } from './wizard/page';

export type { WebDeps } from './shared/deps';

/** Where the language switch sends the person back to: a path of this site, else the start page. */
function localPath(value: unknown): string {
  return typeof value === 'string' && /^\/(?![/\\])[^\s\\]*$/.test(value) ? value : '/';
}

export function webRouter(deps: WebDeps, loginRateLimit: RequestHandler): Router {
  const router = Router();

  router.use(express.urlencoded({ extended: false, limit: '256kb' }));
  router.use(contractNumberLinks);
  router.use((req, res, next) => {
    // The language is a cookie of its own, not the session: choosing it stores no session row (issue 9 item 9).
    if (isLocale(req.query.lang)) res.cookie('evk.lang', req.query.lang, { httpOnly: true, sameSite: 'lax', path: '/', maxAge: 365 * 86_400_000 });
    const remembered = readCookie(req, 'evk.lang');
    // Issue 11: signed in, the account's language (the session holds it from the login); else the cookie.
    const chosen = req.session.actor ? (req.session.locale ?? remembered) : remembered;
    res.locals.locale = isLocale(req.query.lang) ? req.query.lang : isLocale(chosen) ? chosen : 'az';
    res.locals.actor = req.session.actor;
    // The language switch of a signed-in person is a form (it changes the account); it comes back to this page.
    res.locals.switchBack = req.method === 'GET' ? req.originalUrl.replace(/[?&]lang=[^&]*/, '').replace(/^([^?]*)&/, '$1?') : '/';
    res.locals.csrfToken = csrfToken(req, res);
    next();
  });
  // "Yadda saxla" is a multipart form: its token is in the body multer reads, so the route checks it itself, after the upload.
  router.use(dossierUploadPage(deps));
  // "Mesajlar" (R7): the menu's unread count for every page, and the forms with files (their token is checked after the upload, like the dossier's).
  router.use(messagesCounts(deps));
  router.use(messagesForms(deps));
  // "Profil": the photo's form, read by multer before its token is checked (R8.2).
  router.use(profileUploadPage(deps));
  // The Bar office's list import (CSV, XLSX), likewise.
  router.use(registerUploadPage(deps));
  router.use(csrfProtection);

  // Issue 11: the language switch. Signed in, it is the account's language from now on; the cookie keeps it for the anonymous pages.
  router.post('/account/language', async (req, res) => {
    const language = (req.body as { language?: unknown }).language;
    if (isLocale(language)) {
      res.cookie('evk.lang', language, { httpOnly: true, sameSite: 'lax', path: '/', maxAge: 365 * 86_400_000 });
      if (req.session.actor) await setOwnLanguage(req, deps.db, language);
    }
    res.redirect(303, localPath((req.body as { back?: unknown }).back));
  });

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
  // "Mesajlar" (R7): the lawyer's and the Bar office's messages.
  router.use(messagesPages(deps));
  // "Statistik məlumatlar" (R3.2): the Bar office, heads and lawyers, each their own scope.
  router.use(statisticsPages(deps));

  // "Məlumatlar": seminars and conferences (R3.1) and the Bar office's events.
  router.use(seminarPages(deps));

  // "Profil" (R8.1–R8.3) and the Bar office's verification of profile changes (issue 11).
  router.use(profilePages(deps));
  // "Təqvim" (R8.4, issue 12): the lawyer's calendar, the head's bureau calendar.
  router.use(calendarPages(deps));

  // Issue 13: the order's electronic signature, and the public check of an order (/verify).
  router.use(signingPages(deps));
  router.use(verifyPages(deps));

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
