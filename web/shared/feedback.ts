/**
 * What a page tells the person after a step: a refusal as an alert (once, on the next page), a
 * success as the layout's flash, and a refusal's code in the page's language.
 */
import 'express-session';
import type { Request, Response } from 'express';
import { saveSession } from '../../api/http/sessions';
import { fromWorkflowError, HttpError } from '../../api/http/errors';
import { describe } from '../../locales';
import type { Locale } from './i18n';
import { t } from './render';

declare module 'express-session' {
  interface SessionData {
    /** A success shown once by the next page rendered (the layout's flash). */
    flash?: string;
    /** A refused step's reason, shown once as an alert on the next page (a success is the layout's `flash`). */
    pageAlert?: string;
  }
}

export type Tr = (key: string, vars?: Record<string, unknown>) => string;
export const translator =
  (res: Response): Tr =>
  (key, vars) =>
    t(res, key, vars);

/** A translation that exists, or undefined (translate() answers the key itself when it has none). */
export function known(tr: Tr, key: string, vars?: Record<string, unknown>): string | undefined {
  const text = tr(key, vars);
  return text === key ? undefined : text;
}

/** The HTTP meaning of an error thrown by the gateway or the API helpers, or undefined for a real failure. */
export function asHttpError(err: unknown): HttpError | undefined {
  return err instanceof HttpError ? err : fromWorkflowError(err);
}

/**
 * A refused step as the person should read it. The contract was loaded (and is visible) before the
 * step, so "no such workflow" means its workflow has ended (a finished contract): not allowed now.
 */
export function stepRefusal(err: unknown): HttpError {
  const http = asHttpError(err);
  if (!http) throw err;
  return http.status === 404 ? new HttpError(409, 'not_allowed_now', 'contract.closed') : http;
}

/** Sends the person back with a refused step's reason, shown once as an alert. */
export async function redirectWithAlert(req: Request, res: Response, to: string, message: string): Promise<void> {
  req.session.pageAlert = message;
  await saveSession(req);
  res.redirect(303, to);
}

/** Takes the alert left by the previous request, once. */
export function takeAlert(req: Request): string | undefined {
  const alert = req.session.pageAlert;
  if (alert) req.session.pageAlert = undefined;
  return alert;
}

/** Sends the person on with a message shown once on the next page (stored before the redirect goes out). */
export async function redirectWithFlash(req: Request, res: Response, to: string, message: string): Promise<void> {
  req.session.flash = message;
  await saveSession(req);
  res.redirect(303, to);
}

/** Sends the person on with a step's success, shown once as the layout's flash. */
export const redirectWithNotice = redirectWithFlash;

/** The success left by the previous step (or another page, e.g. the wizard's "sent for approval"), once. */
export function takeNotice(req: Request, res: Response): string | undefined {
  const notice = req.session.flash;
  if (notice) req.session.flash = undefined;
  return notice ?? (res.locals.flash as string | undefined);
}

/** The rules module speaks English; the person reads the reason in the page's language. */
export function localizeReason(res: Response, code: string, params?: Record<string, string | number>): string {
  return describe((res.locals.locale as Locale) ?? 'az', code, params ?? {});
}
