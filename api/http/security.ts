/**
 * Security middleware shared by pages and API: helmet's headers, and the form token (CSRF) that
 * every page form carries. The JSON API needs no form token: its session cookie is SameSite=Lax and
 * its bodies are JSON, which a foreign page cannot send with the cookie.
 */
import type { Request } from 'express';
import { csrfSync } from 'csrf-sync';
import helmet from 'helmet';

export const securityHeaders = () => helmet();

const csrf = csrfSync({
  getTokenFromRequest: (req) => (req.body as Record<string, string> | undefined)?._csrf ?? (req.headers['x-csrf-token'] as string | undefined),
});

/** Refuses a state-changing request without the session's form token (`_csrf` field or `X-CSRF-Token`). */
export const csrfProtection = csrf.csrfSynchronisedProtection;

/** The session's form token, for the page's forms. */
export const csrfToken = (req: Request): string => csrf.generateToken(req);
