/**
 * Security middleware shared by pages and API: helmet's headers, and the form token (CSRF) that
 * every page form carries. The JSON API needs no form token: its session cookie is SameSite=Lax and
 * its bodies are JSON, which a foreign page cannot send with the cookie.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';

export const securityHeaders = () => helmet();

// ---------------------------------------------------------------------------------------------
// The form token (issue 9 item 9: an anonymous page view must not create a session row).
//
// A signed double-submit token (OWASP CSRF cheat sheet): a random value in a cookie of its own
// (`evk.csrf`, `__Host-evk.csrf` behind https; HttpOnly, SameSite=Lax), and in each form the
// HMAC (session secret) of that value, bound to the logged-in session when there is one (actor
// and session ID, so a token from before a login is not good after it). Nothing is kept on the
// server, so the login page can carry a token without a session row.
// ---------------------------------------------------------------------------------------------

const csrfCookieName = (secure: boolean) => (secure ? '__Host-evk.csrf' : 'evk.csrf');

/** A cookie of the request (no cookie parser is mounted). */
export function readCookie(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

function settingsOf(req: Request) {
  if (!req.evkCookies) throw new Error('the form token needs the session middleware (api/http/sessions.ts) first');
  return req.evkCookies;
}

function tokenFor(req: Request, nonce: string): string {
  const actor = req.session?.actor;
  const binding = actor ? `${actor.kind}:${actor.id}:${req.sessionID}` : '';
  return createHmac('sha256', settingsOf(req).secret).update(`evk-form-token|${nonce}|${binding}`).digest('base64url');
}

/** The form token for the page's forms; sets the token cookie when the browser has none. */
export function csrfToken(req: Request, res: Response): string {
  const { secure } = settingsOf(req);
  const name = csrfCookieName(secure);
  let nonce = readCookie(req, name);
  if (!nonce || !/^[A-Za-z0-9_-]{43}$/.test(nonce)) {
    nonce = randomBytes(32).toString('base64url');
    res.cookie(name, nonce, { httpOnly: true, sameSite: 'lax', secure, path: '/' });
    // The next request of this page sees it (a page may render more than one token).
    req.headers.cookie = `${req.headers.cookie ? `${req.headers.cookie}; ` : ''}${name}=${nonce}`;
  }
  return tokenFor(req, nonce);
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Is this the form token of this browser (and of its logged-in session)? Compared in constant time. */
export function isValidFormToken(req: Request, given: unknown): boolean {
  const nonce = readCookie(req, csrfCookieName(settingsOf(req).secure));
  if (typeof given !== 'string' || !nonce) return false;
  const expected = Buffer.from(tokenFor(req, nonce));
  const actual = Buffer.from(given);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/** Refuses a state-changing request without a good form token (`_csrf` field or `X-CSRF-Token`), as csrf-sync did (code EBADCSRFTOKEN). */
export function csrfProtection(req: Request, _res: Response, next: NextFunction): void {
  if (SAFE_METHODS.has(req.method)) return next();
  const given = (req.body as Record<string, unknown> | undefined)?._csrf ?? req.headers['x-csrf-token'];
  if (isValidFormToken(req, given)) return next();
  next(Object.assign(new Error('invalid csrf token'), { code: 'EBADCSRFTOKEN', status: 403 }));
}
