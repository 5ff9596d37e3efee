import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { ErrorRequestHandler, Request } from 'express';
import type { CodeParams, Refusal } from '../../domain/shared/codes';
import type { FieldError as RuleFieldError } from '../../domain/shared/field-error';
import { describe, type Locale, localeFromAcceptLanguage } from '../../locales';
import { isOutageError, RETRY_AFTER_SECONDS } from '../../platform/health';

export { RETRY_AFTER_SECONDS };

/**
 * A field's problem as the API answers it. `code` is the field's short code, kept stable for API
 * callers (`wrong_type`); `reason`, when present, is the locale key of its text
 * (`dossier.wrong_type`), else `code` itself is the key.
 */
export type FieldError = RuleFieldError & { reason?: string };

/**
 * Every error answers as JSON `{ error: { code, reason, params?, message, fields? } }`:
 *   - `code`, the kind: 400 `invalid_input` (with the fields), 401, 403, 404 `not_found` (unknown or
 *     not yours), 409 `not_allowed_now`, 503 `unavailable` (an outside system, or our own database or
 *     Temporal, is down: `common.service_unavailable` with `Retry-After`, issue 10 item 5);
 *   - `reason`, the stable code of the decision (`contract.not_awaiting_approval`), with `params`;
 *   - `message`, its text from the locale files in the caller's language (Accept-Language; English
 *     when the caller names neither of ours — the pages have their own language).
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly reason: string,
    readonly params: CodeParams = {},
    readonly fields?: FieldError[],
  ) {
    super(reason);
  }
}

/** 400 for these fields; the answer's message is the first field's. */
export const invalidInput = (fields: FieldError[]) =>
  new HttpError(400, 'invalid_input', fields[0]?.reason ?? fields[0]?.code ?? 'common.invalid_input', fields[0]?.params, fields);
export const badRequest = (reason: string, fields?: FieldError[], params?: CodeParams) => new HttpError(400, 'invalid_input', reason, params, fields);
export const notFound = (reason = 'common.not_found') => new HttpError(404, 'not_found', reason);
export const conflict = (reason: string, params?: CodeParams) => new HttpError(409, 'not_allowed_now', reason, params);
export const unavailable = (reason: string, params?: CodeParams) => new HttpError(503, 'unavailable', reason, params);
/**
 * Our own database or Temporal is unreachable (issue 10 item 5): 503 `unavailable` with the reason
 * `common.service_unavailable`, and the answer carries `Retry-After`. Nothing the caller sent was kept.
 */
export const serviceUnavailable = () => new HttpError(503, 'unavailable', 'common.service_unavailable');
/** The 503 of an outage (platform/health.ts isOutageError recognises them all), or undefined for any other error. */
export function outageOf(err: unknown): HttpError | undefined {
  return !(err instanceof HttpError) && isOutageError(err) ? serviceUnavailable() : undefined;
}
/** 400 at one field: `code` is the field's short code, `reason` the locale key of its text. */
export const fieldRefusal = (field: string, code: string, reason: string, params: CodeParams = {}) =>
  new HttpError(400, 'invalid_input', reason, params, [{ field, code, reason, ...(Object.keys(params).length > 0 ? { params } : {}) }]);
/** A rule's refusal with the HTTP kind and status the caller should see. */
export const refusedWith = (status: number, kind: string, refusal: Refusal) => new HttpError(status, kind, refusal.code, refusal.params);

const STATUS_OF_FAILURE: Record<string, [number, string]> = {
  InvalidInput: [400, 'invalid_input'],
  NotYours: [404, 'not_found'],
  NotAllowed: [409, 'not_allowed_now'],
  Busy: [409, 'busy'],
  Unavailable: [503, 'unavailable'],
};

/** A workflow's refusal (validator or handler): its type is the kind, its message the code, details the parameters or fields. */
export function fromWorkflowError(err: unknown): HttpError | undefined {
  if (err instanceof WorkflowNotFoundError) return notFound('contract.not_found');
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
    const [status, code] = STATUS_OF_FAILURE[err.cause.type ?? ''] ?? [409, 'not_allowed_now'];
    if (status === 404) return notFound('contract.not_found');
    if (status === 400) {
      const fields = err.cause.details as FieldError[] | undefined;
      const first = fields?.[0];
      return new HttpError(status, code, first?.reason ?? first?.code ?? err.cause.message, first?.params ?? {}, fields);
    }
    return new HttpError(status, code, err.cause.message, (err.cause.details?.[0] as CodeParams | undefined) ?? {});
  }
  const message = err instanceof Error ? err.message : '';
  if (/workflow execution already completed/i.test(message)) return conflict('contract.closed');
  return undefined;
}

/** The language of a JSON answer: the caller's Accept-Language, else English. */
export function answerLocale(req: Request): Locale {
  return localeFromAcceptLanguage(req.get('accept-language'), 'en');
}

export function localizedFields(locale: Locale, fields: FieldError[]): (FieldError & { message: string })[] {
  return fields.map((f) => ({ ...f, message: describe(locale, f.reason ?? f.code, f.params) }));
}

export function errorBody(locale: Locale, err: HttpError) {
  return {
    error: {
      code: err.code,
      reason: err.reason,
      ...(Object.keys(err.params).length > 0 ? { params: err.params } : {}),
      message: describe(locale, err.reason, err.params),
      ...(err.fields ? { fields: localizedFields(locale, err.fields) } : {}),
    },
  };
}

export function errorHandler(log: { error: (obj: unknown, msg?: string) => void; warn: (obj: unknown, msg?: string) => void }): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    const locale = answerLocale(req);
    const outage = outageOf(err);
    if (outage) log.warn({ err, method: req.method }, 'dependency unavailable');
    const known = err instanceof HttpError ? err : (outage ?? fromWorkflowError(err));
    if (known) {
      // Every 503 (our database or Temporal down, an outside system down) says when to try again.
      if (known.status === 503) res.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
      res.status(known.status).json(errorBody(locale, known));
      return;
    }
    // body-parser's failures carry a `type`.
    const type = typeof err === 'object' && err !== null && 'type' in err ? err.type : undefined;
    if (type === 'entity.parse.failed') {
      res.status(400).json(errorBody(locale, new HttpError(400, 'invalid_json', 'common.invalid_json')));
      return;
    }
    if (type === 'entity.too.large') {
      res.status(413).json(errorBody(locale, new HttpError(413, 'too_large', 'common.body_too_large')));
      return;
    }
    // Express's and body-parser's own client errors (a path segment that is not %-encoding, …) carry a 4xx status.
    const status = typeof err === 'object' && err !== null && 'status' in err && typeof err.status === 'number' ? err.status : 500;
    if (status >= 400 && status < 500) {
      res.status(status).json(errorBody(locale, new HttpError(status, 'invalid_input', 'common.invalid_input')));
      return;
    }
    log.error({ err }, 'unhandled error');
    res.status(500).json(errorBody(locale, new HttpError(500, 'internal', 'common.internal')));
  };
}
