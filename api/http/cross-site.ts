/**
 * Cross-site requests to the JSON API (issue 9 item 8, ASVS 3.5.1–3.5.3). A page on another site
 * can make a browser send a form (`application/x-www-form-urlencoded`, `multipart/form-data`,
 * `text/plain`) or a body-less POST with the cabinet's cookie, without asking the cabinet first
 * (no CORS preflight). So every state-changing API request (POST, PUT, PATCH, DELETE under /api;
 * the payment agent's signed callback is mounted before this and never reaches it):
 *   - is refused (403 `common.cross_site_refused`) when the browser says it comes from another site
 *     (`Sec-Fetch-Site: cross-site` or `same-site`) or names an `Origin` other than EVK_PUBLIC_URL's;
 *   - must carry its real content type (415 `common.content_type_required` otherwise):
 *     `application/json`, also for the body-less steps (`{}` or no body, but the JSON type); the
 *     dossier upload takes the file's bytes in a type no form can send (`application/pdf`,
 *     `application/octet-stream`, …, with `X-File-Name`), or `multipart/form-data` with the
 *     session's form token in `X-CSRF-Token`; a message with attachments (R7) likewise takes
 *     `multipart/form-data` only with the form token.
 * Each refusal is a security event `cross_site_refused` (kind, method, route shape, reason; no body).
 * The cabinet's own pages are not under /api: their forms carry the form token (api/http/security.ts).
 */
import type { Request, RequestHandler } from 'express';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { recordSecurityEvent } from '../../platform/security-events';
import { HttpError } from './errors';
import { isValidFormToken } from './security';

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** Types a page of any site may send without a preflight (the Fetch standard's CORS-safelisted ones). */
const FORM_TYPES = new Set(['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain']);
/** Messages with attachments (R7): JSON, or multipart with the form token in X-CSRF-Token (never raw bytes). */
const MESSAGE_FORM_PATH = /^\/messages\/threads(\/[^/]+\/messages)?\/?$/;
/** The uploads (the dossier's, the profile photo), as seen under /api. */
const UPLOAD_PATH = /^\/(contracts\/[^/]+\/dossier|profile\/photo)\/?$/;
/** The payment agent's signed callback: verified by its HMAC, not by a browser's headers. */
const CALLBACK_PATH = /^\/payment-agent\//;

export const JSON_TYPE = 'application/json';
export const UPLOAD_TYPES = 'application/pdf | image/jpeg | image/png | application/octet-stream (with X-File-Name), or multipart/form-data with X-CSRF-Token';

/** The media type of a request, lower case, without parameters; '' when it has none. */
export function mediaType(req: Request): string {
  return (req.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
}

const isJson = (type: string) => type === JSON_TYPE || (type.startsWith('application/') && type.endsWith('+json'));

/** The path with its identifiers replaced, for the event: `/contracts/:id/dossier/:id`. */
export function routeShape(path: string): string {
  return path
    .split('/')
    .map((segment, i) => (i > 0 && /\d/.test(segment) ? ':id' : segment))
    .join('/')
    .slice(0, 120);
}

type Refusal = { status: 403; reason: 'sec_fetch_site' | 'origin' } | { status: 415; reason: 'content_type'; expected: string };

/** Why this /api request (path relative to /api) may not go on, or undefined. */
export function crossSiteRefusal(req: Request, publicOrigin: string): Refusal | undefined {
  if (!STATE_CHANGING.has(req.method) || CALLBACK_PATH.test(req.path)) return undefined;
  const site = (req.get('sec-fetch-site') ?? '').toLowerCase();
  if (site === 'cross-site' || site === 'same-site') return { status: 403, reason: 'sec_fetch_site' };
  const origin = req.get('origin');
  if (origin !== undefined && origin !== publicOrigin) return { status: 403, reason: 'origin' };
  const type = mediaType(req);
  if (req.method === 'POST' && UPLOAD_PATH.test(req.path)) {
    if (type === 'multipart/form-data') {
      if (isValidFormToken(req, req.get('x-csrf-token'))) return undefined;
      return { status: 415, reason: 'content_type', expected: UPLOAD_TYPES };
    }
    if (type === '' || FORM_TYPES.has(type)) return { status: 415, reason: 'content_type', expected: UPLOAD_TYPES };
    return undefined;
  }
  if (req.method === 'POST' && type === 'multipart/form-data' && MESSAGE_FORM_PATH.test(req.path)) {
    if (isValidFormToken(req, req.get('x-csrf-token'))) return undefined;
    return { status: 415, reason: 'content_type', expected: `${JSON_TYPE}, or multipart/form-data with X-CSRF-Token` };
  }
  if (!isJson(type)) return { status: 415, reason: 'content_type', expected: JSON_TYPE };
  return undefined;
}

/** Mounted on /api after the sessions, before any body is read. */
export function crossSiteGuard(deps: { db: Knex; log: Logger; publicUrl: string }): RequestHandler {
  const publicOrigin = new URL(deps.publicUrl).origin;
  return async (req, _res, next) => {
    const refusal = crossSiteRefusal(req, publicOrigin);
    if (!refusal) return next();
    await recordSecurityEvent(deps.db, deps.log, {
      kind: 'cross_site_refused',
      ip: req.ip,
      detail: {
        reason: refusal.reason,
        method: req.method,
        route: routeShape(`/api${req.path}`),
        // Both are the browser's own words about the request, never a person's data.
        origin: (req.get('origin') ?? '').slice(0, 200) || null,
        secFetchSite: req.get('sec-fetch-site')?.slice(0, 40) ?? null,
        contentType: mediaType(req).slice(0, 100) || null,
      },
    });
    next(
      refusal.status === 403
        ? new HttpError(403, 'forbidden', 'common.cross_site_refused')
        : new HttpError(415, 'unsupported_media_type', 'common.content_type_required', { expected: refusal.expected }),
    );
  };
}
