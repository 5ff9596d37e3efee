/** `PATCH /api/account/language` (issue 11): the signed-in person's own language. */
import { Router } from 'express';
import type { Knex } from 'knex';
import { requireActor } from '../auth/actor';
import { parseLanguage, setOwnLanguage } from './service';

export function accountRouter(deps: { db: Knex }): Router {
  const router = Router();
  router.patch('/language', requireActor('lawyer', 'applicant', 'admin', 'operator'), async (req, res) => {
    const language = await setOwnLanguage(req, deps.db, parseLanguage(req.body));
    res.json({ language });
  });
  return router;
}
