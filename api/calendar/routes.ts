/** The calendar API (SPEC R8.4, issue 12): thin JSON routes over api/calendar/service.ts, and the iCalendar feed. */
import { type Request, Router } from 'express';
import { z } from 'zod';
import { currentActor, requireActor } from '../auth/actor';
import { parseBody } from '../http/schemas';
import { rangeInstants, viewRange } from '../../domain/calendar/grid';
import { bakuDay } from '../../domain/shared/dates';
import { feedOf, regenerateFeed } from './feed';
import { type CalendarDeps, cancelMeeting, createMeeting, listCalendar, meetingDetails, meetingInputSchema, remindersSent, updateMeeting } from './service';

const rangeQuery = z.object({ from: z.string().max(40).optional(), to: z.string().max(40).optional(), lawyerId: z.string().max(100).optional() });

export function calendarRouter(deps: CalendarDeps): Router {
  const router = Router();
  const id = (req: Request) => String(req.params.id);

  // The feed answers calendar apps, which have no session: the token is the key (never logged: platform/logger.ts).
  router.get('/feed/:file', async (req, res) => {
    const { body, etag } = await feedOf(deps, String(req.params.file));
    // Kept by no one on the way (private), asked again every time (no-cache): a phone that has this
    // text sends its tag and gets 304 without the body (express answers If-None-Match from the ETag).
    res.setHeader('Cache-Control', 'private, no-cache');
    res.setHeader('ETag', etag);
    res.type('text/calendar; charset=utf-8').send(body);
  });
  router.post('/feed', requireActor('lawyer'), async (req, res) => {
    res.status(201).json(await regenerateFeed(deps, currentActor(req)));
  });
  router.get('/', requireActor('lawyer'), async (req, res) => {
    const query = parseBody(rangeQuery, req.query);
    // No range: this month's view (whole weeks) in Baku.
    const month = rangeInstants(...(Object.values(viewRange('month', bakuDay(new Date()))) as [string, string]));
    const range = { from: query.from ?? month.from, to: query.to ?? month.to };
    res.json({ meetings: await listCalendar(deps, currentActor(req), { ...range, lawyerId: query.lawyerId }) });
  });
  router.post('/meetings', requireActor('lawyer'), async (req, res) => {
    res.status(201).json(await createMeeting(deps, currentActor(req), parseBody(meetingInputSchema, req.body)));
  });
  router.get('/meetings/:id', requireActor('lawyer'), async (req, res) => {
    const meeting = await meetingDetails(deps, currentActor(req), id(req));
    res.json({ meeting, remindersSent: await remindersSent(deps.db, meeting.id) });
  });
  router.patch('/meetings/:id', requireActor('lawyer'), async (req, res) => {
    res.json(await updateMeeting(deps, currentActor(req), id(req), parseBody(meetingInputSchema, req.body)));
  });
  router.post('/meetings/:id/cancel', requireActor('lawyer'), async (req, res) => {
    res.json({ meeting: await cancelMeeting(deps, currentActor(req), id(req)) });
  });
  return router;
}
