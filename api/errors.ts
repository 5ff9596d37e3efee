import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { ErrorRequestHandler } from 'express';
import type { FieldError } from '../domain/contract';

/**
 * Every error answers as JSON `{ error: { code, message, fields? } }`: 400 bad input (with the
 * fields), 401 not logged in, 403 refused, 404 unknown or not yours, 409 not allowed now, 503 an
 * outside system is down.
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields?: FieldError[],
  ) {
    super(message);
  }
}

export const badRequest = (message: string, fields?: FieldError[]) => new HttpError(400, 'invalid_input', message, fields);
export const notFound = (message = 'Not found.') => new HttpError(404, 'not_found', message);
export const conflict = (message: string) => new HttpError(409, 'not_allowed_now', message);

const STATUS_OF_FAILURE: Record<string, [number, string]> = {
  InvalidInput: [400, 'invalid_input'],
  NotYours: [404, 'not_found'],
  NotAllowed: [409, 'not_allowed_now'],
  Busy: [409, 'busy'],
  Unavailable: [503, 'unavailable'],
};

/** A workflow's refusal (validator or handler) as the HTTP answer the caller should see. */
export function fromWorkflowError(err: unknown): HttpError | undefined {
  if (err instanceof WorkflowNotFoundError) return notFound('No such contract.');
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
    const [status, code] = STATUS_OF_FAILURE[err.cause.type ?? ''] ?? [409, 'not_allowed_now'];
    const fields = status === 400 ? (err.cause.details as FieldError[] | undefined) : undefined;
    return new HttpError(status, code, status === 404 ? 'No such contract.' : err.cause.message, fields);
  }
  const message = err instanceof Error ? err.message : '';
  if (/workflow execution already completed/i.test(message)) return conflict('The contract is closed.');
  return undefined;
}

export function errorHandler(log: { error: (obj: unknown, msg?: string) => void }): ErrorRequestHandler {
  return (err, _req, res, _next) => {
    const known = err instanceof HttpError ? err : fromWorkflowError(err);
    if (known) {
      res.status(known.status).json({ error: { code: known.code, message: known.message, ...(known.fields ? { fields: known.fields } : {}) } });
      return;
    }
    if (err?.type === 'entity.parse.failed') {
      res.status(400).json({ error: { code: 'invalid_json', message: 'The request body is not valid JSON.' } });
      return;
    }
    if (err?.type === 'entity.too.large') {
      res.status(413).json({ error: { code: 'too_large', message: 'The request body is too large.' } });
      return;
    }
    log.error({ err }, 'unhandled error');
    res.status(500).json({ error: { code: 'internal', message: 'Something went wrong on our side; nothing you entered was lost.' } });
  };
}
