/**
 * E-mails and SMS link a contract by the number the pages show (`/contracts/M-2026-000042`,
 * issue 13); the pages' own addresses use the id. This sends such a link on to the page, before
 * any guard, so signing in and the rights on the contract are those of the page itself.
 */
import type { NextFunction, Request, Response } from 'express';
import { contractIdInNumberedPath } from '../../domain/contract/numbering';

export function contractNumberLinks(req: Request, res: Response, next: NextFunction) {
  if (req.method !== 'GET' && req.method !== 'HEAD') return next();
  const found = contractIdInNumberedPath(req.path);
  if (!found) return next();
  const query = req.originalUrl.includes('?') ? req.originalUrl.slice(req.originalUrl.indexOf('?')) : '';
  res.redirect(302, `/contracts/${found.contractId}${found.rest}${query}`);
}
