/** The assignments API (SPEC R5): thin JSON routes over api/assignment/service.ts. */
import { type Request, Router } from 'express';
import { ASSIGNMENT_SECTIONS, type AssignmentSection } from '../../domain/assignment';
import { currentActor, requireActor } from '../auth/actor';
import { badRequest } from '../http/errors';
import { parseBody, reasonSchema } from '../http/schemas';
import {
  type AssignmentDeps,
  assignmentGateway,
  assignmentInputOf,
  assignmentSummary,
  createAssignmentSchema,
  decideAssignment,
  listAssignments,
  loadVisibleAssignment,
} from './service';

export function assignmentsRouter(deps: AssignmentDeps): Router {
  const router = Router();
  const gateway = () => assignmentGateway(deps);
  const id = (req: Request) => String(req.params.id);

  router.post('/', requireActor('admin'), async (req, res) => {
    const body = parseBody(createAssignmentSchema, req.body);
    const actor = currentActor(req);
    const created = await gateway().assign(actor, assignmentInputOf(body));
    res.status(201).json({ assignment: assignmentSummary(actor, await loadVisibleAssignment(deps, actor, created.assignmentId)) });
  });

  router.get('/', requireActor('lawyer', 'admin'), async (req, res) => {
    const actor = currentActor(req);
    const section = (typeof req.query.section === 'string' ? req.query.section : 'overview') as AssignmentSection;
    if (!ASSIGNMENT_SECTIONS.includes(section)) {
      const sections = ASSIGNMENT_SECTIONS.join(', ');
      throw badRequest('assignment.section_invalid', [{ field: 'section', code: 'invalid', reason: 'assignment.unknown_section' }], { sections });
    }
    const list = await listAssignments(deps, actor, section);
    res.json({ section, counts: list.counts, assignments: list.rows.map((r) => assignmentSummary(actor, r)) });
  });

  router.get('/:id', requireActor('lawyer', 'admin'), async (req, res) => {
    const actor = currentActor(req);
    const row = await loadVisibleAssignment(deps, actor, id(req));
    res.json({ assignment: { ...assignmentSummary(actor, row), history: row.view.history } });
  });

  router.post('/:id/approve', requireActor('lawyer'), async (req, res) => {
    const actor = currentActor(req);
    const row = await decideAssignment(deps, actor, id(req), () => gateway().approve(id(req), actor));
    res.json({ assignment: assignmentSummary(actor, row) });
  });
  router.post('/:id/decline', requireActor('lawyer'), async (req, res) => {
    const actor = currentActor(req);
    const { reason } = parseBody(reasonSchema, req.body);
    const row = await decideAssignment(deps, actor, id(req), () => gateway().decline(id(req), actor, reason));
    res.json({ assignment: assignmentSummary(actor, row) });
  });
  router.post('/:id/complete', requireActor('lawyer'), async (req, res) => {
    const actor = currentActor(req);
    const row = await decideAssignment(deps, actor, id(req), () => gateway().complete(id(req), actor));
    res.json({ assignment: assignmentSummary(actor, row) });
  });

  return router;
}
