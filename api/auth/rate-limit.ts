/** Login attempts per address and window: enough for people, too few for guessing passwords (R2.4). */
import type { RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import { translate } from '../../locales';
import { answerLocale, errorBody, HttpError } from '../http/errors';

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function createLoginRateLimit(limit: number, windowMs = 10 * 60 * 1000): RequestHandler {
  return rateLimit({
    windowMs,
    limit,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (req, res) => {
      if (req.originalUrl.startsWith('/api/') || req.accepts(['html', 'json']) === 'json') {
        res.status(429).json(errorBody(answerLocale(req), new HttpError(429, 'too_many_attempts', 'auth.too_many_attempts')));
        return;
      }
      // The page may come before any session (and so before the page's language): both languages.
      const az = escapeHtml(translate('az', 'auth.too_many_attempts'));
      const en = escapeHtml(translate('en', 'auth.too_many_attempts'));
      res
        .status(429)
        .type('html')
        .send(
          `<!doctype html><html lang="az"><meta charset="utf-8"><title>429</title><main role="alert"><p>${az}</p><p lang="en">${en}</p><p><a href="/login">Giriş</a></p></main></html>`,
        );
    },
  });
}
