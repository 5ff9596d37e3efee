/**
 * The assignments API (SPEC R5, "Təyin olunan işlər"): the Bar office assigns, the bureau head (or
 * individual lawyer) approves or declines, the lawyer marks done. Decisions go to the assignment's
 * workflow; reads come from the read model in PostgreSQL.
 */
import { WorkflowNotFoundError } from '@temporalio/client';
import { type Request, Router } from 'express';
import type { Knex } from 'knex';
import { z } from 'zod';
import {
  type Actor,
  allowedAssignmentActions,
  ASSIGNMENT_SECTIONS,
  ASSIGNMENT_STATUSES,
  type AssignmentFacts,
  type AssignmentInput,
  type AssignmentSection,
  type AssignmentStatus,
  canViewAssignment,
  SECTION_STATUSES,
} from '../../domain/assignment';
import type { AssignmentView } from '../../workflows/assignment/messages';
import type { AssignmentGateway } from './gateway';
import { currentActor, requireActor } from '../auth/routes';
import { badRequest, conflict, HttpError, notFound } from '../http/errors';
import { parseBody, reasonSchema } from '../http/schemas';

const text = (max: number) => z.string().max(max);

/** POST /api/assignments: what the Bar office enters (checked in full by domain/assignment). */
export const createAssignmentSchema = z
  .object({
    lawyerId: text(100),
    court: text(300),
    caseNumber: text(100),
    defendedPerson: z.object({ name: text(300), fin: text(7).optional() }).partial(),
    assignedAt: text(10),
  })
  .partial()
  .openapi('AssignmentInput');

export interface AssignmentRow {
  id: string;
  number: string;
  lawyer_id: string;
  bureau_id: string;
  court: string;
  case_number: string;
  defended_person_name: string;
  defended_person_fin: string | null;
  assigned_at: string | Date;
  status: AssignmentStatus;
  revision: number;
  view: AssignmentView;
  created_at: string | Date;
  updated_at: string | Date;
}

export const assignmentFactsOf = (row: AssignmentRow): AssignmentFacts => ({ status: row.status, lawyerId: row.lawyer_id, bureauId: row.bureau_id });

/** The assignment if this actor may see it; otherwise 404, so an ID in a URL reveals nothing. */
export async function loadVisibleAssignment(db: Knex, actor: Actor, id: string): Promise<AssignmentRow> {
  const row = (await db('assignments').where({ id }).first()) as AssignmentRow | undefined;
  if (!row || !canViewAssignment(actor, assignmentFactsOf(row))) throw notFound('No such assignment.');
  return row;
}

const dateOnly = (value: string | Date) => (value instanceof Date ? `${value.getFullYear()}-${String(value.getMonth() + 1).padStart(2, '0')}-${String(value.getDate()).padStart(2, '0')}` : String(value).slice(0, 10));

/** An assignment as the API answers it, with what this person may do now. */
export function assignmentSummary(actor: Actor, row: AssignmentRow) {
  return {
    id: row.id,
    number: row.number,
    lawyerId: row.lawyer_id,
    bureauId: row.bureau_id,
    court: row.court,
    caseNumber: row.case_number,
    defendedPerson: { name: row.defended_person_name, ...(row.defended_person_fin ? { fin: row.defended_person_fin } : {}) },
    assignedAt: dateOnly(row.assigned_at),
    status: row.status,
    decline: row.view.decline,
    approval: row.view.approval,
    completion: row.view.completion,
    revision: row.revision,
    allowedActions: allowedAssignmentActions(actor, assignmentFactsOf(row)),
    updatedAt: row.updated_at,
  };
}

/** Whose assignments this actor lists: the lawyer their own, the head the bureau's, the Bar office all. */
function scoped(db: Knex, actor: Actor): Knex.QueryBuilder {
  const query = db('assignments');
  if (actor.kind === 'admin') return query;
  if (actor.kind !== 'lawyer') return query.whereRaw('false');
  return actor.isHead ? query.where({ bureau_id: actor.bureauId }) : query.where({ lawyer_id: actor.id });
}

export interface AssignmentList {
  section: AssignmentSection;
  rows: AssignmentRow[];
  /** Overview: how many of this actor's assignments are in each status. */
  counts: Record<AssignmentStatus, number>;
}

/** One sub-section of "Təyin olunan işlər" for this actor (court cases ordered by court). */
export async function listAssignments(db: Knex, actor: Actor, section: AssignmentSection, limit = 500): Promise<AssignmentList> {
  const statuses = SECTION_STATUSES[section];
  const query = scoped(db, actor);
  if (statuses) query.whereIn('status', statuses as string[]);
  if (section === 'court') query.orderBy([{ column: 'court' }, { column: 'assigned_at', order: 'desc' }]);
  else query.orderBy([{ column: 'assigned_at', order: 'desc' }, { column: 'number', order: 'desc' }]);
  const rows = (await query.limit(limit).select('*')) as AssignmentRow[];
  const counted = (await scoped(db, actor).select('status').count({ count: '*' }).groupBy('status')) as { status: AssignmentStatus; count: string | number }[];
  const counts = Object.fromEntries(ASSIGNMENT_STATUSES.map((s) => [s, 0])) as Record<AssignmentStatus, number>;
  for (const c of counted) counts[c.status] = Number(c.count);
  return { section, rows, counts };
}

/** Reads a form or JSON body of the Bar office into the domain's input. */
export function assignmentInputOf(body: Record<string, unknown>): AssignmentInput {
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const person = (body.defendedPerson ?? {}) as Record<string, unknown>;
  return {
    lawyerId: str(body.lawyerId),
    court: str(body.court),
    caseNumber: str(body.caseNumber),
    defendedPerson: { name: str(person.name ?? body.defendedPersonName), fin: str(person.fin ?? body.defendedPersonFin) },
    assignedAt: str(body.assignedAt),
  };
}

/** A gateway decision on an assignment visible to this actor; a closed workflow answers 409. */
export async function decideAssignment(db: Knex, actor: Actor, id: string, step: () => Promise<unknown>): Promise<AssignmentRow> {
  const before = await loadVisibleAssignment(db, actor, id);
  try {
    await step();
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) throw conflict(`The assignment is ${before.status}; it can no longer be changed.`);
    const message = err instanceof Error ? err.message : '';
    if (/workflow execution already completed/i.test(message)) throw conflict(`The assignment is ${before.status}; it can no longer be changed.`);
    throw err;
  }
  return loadVisibleAssignment(db, actor, id);
}

export function assignmentsRouter(deps: { db: Knex; assignments?: AssignmentGateway }): Router {
  const { db } = deps;
  const router = Router();
  const gateway = () => {
    if (!deps.assignments) throw new HttpError(503, 'unavailable', 'Assignments are not available.');
    return deps.assignments;
  };
  const id = (req: Request) => String(req.params.id);

  router.post('/', requireActor('admin'), async (req, res) => {
    const body = parseBody(createAssignmentSchema, req.body);
    const actor = currentActor(req);
    const created = await gateway().assign(actor, assignmentInputOf(body as Record<string, unknown>));
    res.status(201).json({ assignment: assignmentSummary(actor, await loadVisibleAssignment(db, actor, created.assignmentId)) });
  });

  router.get('/', requireActor('lawyer', 'admin'), async (req, res) => {
    const actor = currentActor(req);
    const section = (typeof req.query.section === 'string' ? req.query.section : 'overview') as AssignmentSection;
    if (!ASSIGNMENT_SECTIONS.includes(section)) {
      throw badRequest(`section must be one of ${ASSIGNMENT_SECTIONS.join(', ')}.`, [{ field: 'section', code: 'invalid', message: 'Unknown section.' }]);
    }
    const list = await listAssignments(db, actor, section);
    res.json({ section, counts: list.counts, assignments: list.rows.map((r) => assignmentSummary(actor, r)) });
  });

  router.get('/:id', requireActor('lawyer', 'admin'), async (req, res) => {
    const actor = currentActor(req);
    const row = await loadVisibleAssignment(db, actor, id(req));
    res.json({ assignment: { ...assignmentSummary(actor, row), history: row.view.history } });
  });

  router.post('/:id/approve', requireActor('lawyer'), async (req, res) => {
    const actor = currentActor(req);
    const row = await decideAssignment(db, actor, id(req), () => gateway().approve(id(req), actor));
    res.json({ assignment: assignmentSummary(actor, row) });
  });
  router.post('/:id/decline', requireActor('lawyer'), async (req, res) => {
    const actor = currentActor(req);
    const { reason } = parseBody(reasonSchema, req.body);
    const row = await decideAssignment(db, actor, id(req), () => gateway().decline(id(req), actor, reason));
    res.json({ assignment: assignmentSummary(actor, row) });
  });
  router.post('/:id/complete', requireActor('lawyer'), async (req, res) => {
    const actor = currentActor(req);
    const row = await decideAssignment(db, actor, id(req), () => gateway().complete(id(req), actor));
    res.json({ assignment: assignmentSummary(actor, row) });
  });

  return router;
}
