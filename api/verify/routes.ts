/**
 * GET /verify/<order number>?code=<code>: the JSON answer (Accept: application/json). A browser's
 * request goes on to the page (web/verify/page.ts), which shows the same answer.
 */
import { Router } from 'express';
import type { Knex } from 'knex';
import type { FileStorage } from '../../platform/file-storage';
import { verifyOrderInFull } from './service';

export function verifyRouter(deps: { db: Knex; storage: FileStorage }): Router {
  const router = Router();
  router.get('/verify/:orderNumber', async (req, res, next) => {
    if (req.accepts(['html', 'json']) !== 'json') return next();
    const code = typeof req.query.code === 'string' ? req.query.code : undefined;
    const { found, body } = await verifyOrderInFull(deps, String(req.params.orderNumber), code);
    res.set('Cache-Control', 'no-store');
    res.status(found ? 200 : 404).json(body);
  });
  return router;
}
