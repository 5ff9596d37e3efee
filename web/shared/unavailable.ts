/**
 * The page of an outage (issue 10 item 5): while our database or Temporal is unreachable a page says
 * to try again in a moment (503, `Retry-After`), never "an error occurred". A form that could not be
 * handled comes back as a form of the same fields, so one press of "Yenidən göndər" sends again what
 * the person typed; nothing is lost. Passwords are not echoed back into a page: they are typed again.
 */
import express, { type Request, type Response } from 'express';
import { outageOf, RETRY_AFTER_SECONDS } from '../../api/http/errors';
import { formBody } from './form';
import { renderPage, t } from './render';

/** Fields never written back into a page. */
const NOT_ECHOED = /pass(word)?|secret|code$/i;

const parseForm = express.urlencoded({ extended: false, limit: '256kb' });

/** The body of a form POST, read here when the failure came before the pages' own parser ran (the session store was down). */
async function typedFields(req: Request, res: Response): Promise<{ name: string; value: string }[]> {
  if (req.body === undefined && req.is('application/x-www-form-urlencoded')) {
    await new Promise<void>((resolve) => parseForm(req, res, () => resolve()));
  }
  const fields: { name: string; value: string }[] = [];
  for (const [name, value] of Object.entries(formBody(req))) {
    if (NOT_ECHOED.test(name)) continue;
    for (const v of Array.isArray(value) ? value : [value]) if (typeof v === 'string') fields.push({ name, value: v });
  }
  return fields;
}

/** Renders the outage page when `err` is an outage and answers true; false for any other error. */
export async function renderIfUnavailable(err: unknown, req: Request, res: Response): Promise<boolean> {
  if (!outageOf(err)) return false;
  const resend = req.method === 'POST' ? await typedFields(req, res) : undefined;
  res.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
  renderPage(
    req,
    res,
    'unavailable',
    {
      title: t(res, 'error.unavailableTitle'),
      message: t(res, 'common.service_unavailable'),
      action: req.originalUrl,
      resend,
      retryUrl: req.method === 'GET' ? req.originalUrl : undefined,
    },
    503,
  );
  return true;
}
