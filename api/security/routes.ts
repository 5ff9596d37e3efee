/** `GET /api/security-events`: the Bar office reads the security events (issue 9 item 10). */
import { Router } from 'express';
import type { Knex } from 'knex';
import { requireActor } from '../auth/actor';
import { invalidInput } from '../http/errors';
import { parseSecurityEventQuery, securityEvents } from './service';

export function securityEventsRouter(deps: { db: Knex }): Router {
  const router = Router();
  router.get('/', requireActor('admin'), async (req, res) => {
    const { filter, errors } = parseSecurityEventQuery(req.query);
    if (errors.length > 0) throw invalidInput(errors);
    const { total, events } = await securityEvents(deps.db, filter);
    res.setHeader('Cache-Control', 'no-store');
    res.json({ page: filter.page, pageSize: filter.pageSize, total, events });
  });
  return router;
}
