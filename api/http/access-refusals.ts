/**
 * Refused access, recorded once (issue 9 item 10, ASVS 16.3.2): a visibility check that refuses a
 * logged-in person a contract, its dossier, a file or an assignment throws an `AccessRefused`, and
 * the one middleware below records it as the security event `access_refused` on its way to the
 * error handlers (JSON and pages alike). So does the API's refusal by role (`auth.not_for_your_role`).
 * The event names the route's pattern, never the URL, and the refusal's code; no personal data.
 */
import type { ErrorRequestHandler, Request } from 'express';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { recordSecurityEvent } from '../../platform/security-events';
import { HttpError } from './errors';

export class AccessRefused extends HttpError {
  constructor(
    status: 403 | 404,
    reason: string,
    /** What was asked for: `contract:<id>`, `assignment:<id>`. */
    readonly subject: string,
  ) {
    super(status, status === 404 ? 'not_found' : 'forbidden', reason);
  }
}

/** 404 for a contract that is not there or not this person's: the answer reveals nothing (R2.5). */
export const contractNotVisible = (contractId: string) => new AccessRefused(404, 'contract.not_found', `contract:${contractId}`);

const ROLE_REFUSAL = 'auth.not_for_your_role';

/**
 * The route's pattern with its mount point (`/api/contracts/:id/dossier/:fileId`), not the URL:
 * nothing typed into a path reaches the events. By the time the error arrives here Express has left
 * the router (`baseUrl` is empty again), so the mount point is the URL's leading segments, as many
 * as the URL has beyond the route's own.
 */
function routeOf(req: Request): string {
  const route = req.route as { path?: unknown } | undefined;
  const pathname = req.originalUrl.split('?')[0];
  if (typeof route?.path !== 'string') return 'unmatched';
  const segments = pathname.split('/').filter(Boolean);
  const own = route.path.split('/').filter(Boolean).length;
  const mount = segments.slice(0, Math.max(0, segments.length - own));
  return `/${[...mount, ...route.path.split('/').filter(Boolean)].join('/')}`;
}

export function recordAccessRefusals(deps: { db: Knex; log: Pick<Logger, 'info' | 'error'> }): ErrorRequestHandler {
  return (err: unknown, req, _res, next) => {
    const actor = req.session?.actor;
    const refused = err instanceof AccessRefused || (err instanceof HttpError && err.reason === ROLE_REFUSAL);
    if (!refused || !actor) return next(err);
    void recordSecurityEvent(deps.db, deps.log, {
      kind: 'access_refused',
      actor: { kind: actor.kind, id: actor.id },
      subject: err instanceof AccessRefused ? err.subject : undefined,
      ip: req.ip,
      detail: { code: err.reason, status: err.status, method: req.method, route: routeOf(req) },
    }).finally(() => next(err));
  };
}
