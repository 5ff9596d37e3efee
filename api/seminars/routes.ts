/** The seminars API (SPEC R3.1): thin JSON routes over api/seminars/service.ts. */
import { type Request, Router } from 'express';
import { currentActor, requireActor } from '../auth/actor';
import { parseBody } from '../http/schemas';
import {
  attendanceSchema,
  cancelRegistration,
  cancelSeminar,
  listSeminars,
  markAttendance,
  publishSeminar,
  registerForSeminar,
  type SeminarDeps,
  seminarDetails,
  seminarHoursByYear,
  seminarInputSchema,
  updateSeminar,
} from './service';

export function seminarsRouter(deps: SeminarDeps): Router {
  const router = Router();
  const id = (req: Request) => String(req.params.id);

  router.get('/', requireActor('lawyer', 'admin'), async (req, res) => {
    res.json(await listSeminars(deps, currentActor(req)));
  });
  router.post('/', requireActor('admin'), async (req, res) => {
    const created = await publishSeminar(deps, currentActor(req), parseBody(seminarInputSchema, req.body));
    res.status(201).json(await seminarDetails(deps, currentActor(req), created));
  });
  // The lawyer's own hours only: there is no lawyer ID to ask for someone else's (R2.5).
  router.get('/my-hours', requireActor('lawyer'), async (req, res) => {
    res.json({ hoursByYear: await seminarHoursByYear(deps.db, currentActor(req).id) });
  });
  router.get('/:id', requireActor('lawyer', 'admin'), async (req, res) => {
    res.json(await seminarDetails(deps, currentActor(req), id(req)));
  });
  router.patch('/:id', requireActor('admin'), async (req, res) => {
    await updateSeminar(deps, currentActor(req), id(req), parseBody(seminarInputSchema, req.body));
    res.json(await seminarDetails(deps, currentActor(req), id(req)));
  });
  router.post('/:id/cancel', requireActor('admin'), async (req, res) => {
    await cancelSeminar(deps, currentActor(req), id(req));
    res.json(await seminarDetails(deps, currentActor(req), id(req)));
  });
  router.post('/:id/attendance', requireActor('admin'), async (req, res) => {
    const { attended } = parseBody(attendanceSchema, req.body);
    await markAttendance(deps, currentActor(req), id(req), attended);
    res.json(await seminarDetails(deps, currentActor(req), id(req)));
  });
  router.post('/:id/registration', requireActor('lawyer'), async (req, res) => {
    await registerForSeminar(deps, currentActor(req), id(req));
    res.status(201).json(await seminarDetails(deps, currentActor(req), id(req)));
  });
  router.delete('/:id/registration', requireActor('lawyer'), async (req, res) => {
    await cancelRegistration(deps, currentActor(req), id(req));
    res.json(await seminarDetails(deps, currentActor(req), id(req)));
  });

  return router;
}
