/**
 * Pages' forms that carry files (the dossier's "Yadda saxla", messages' attachments) are mounted
 * before the pages' form-token check, because a multipart form's token is in the body: who asks is
 * checked first, then the upload is read, then its token. These run the two middlewares in turn.
 */
import type { Request, RequestHandler, Response } from 'express';
import { csrfProtection } from '../../api/http/security';

/** What a middleware passed to next(), as an Error to reject with (they pass Errors; anything else is wrapped, as its cause). */
const asError = (err: unknown): Error => (err instanceof Error ? err : new Error('middleware failed', { cause: err }));

/** Runs a middleware as a promise: resolved when it calls next(), rejected with what it passed to next(). */
export const runMiddleware = (handler: RequestHandler, req: Request, res: Response) =>
  new Promise<void>((resolve, reject) => {
    void handler(req, res, (err?: unknown) => (err ? reject(asError(err)) : resolve()));
  });

/** The form token of a multipart form, checked once its body is read. */
export const checkFormToken = (req: Request, res: Response) => runMiddleware(csrfProtection, req, res);
