/**
 * State-funded assignments (SPEC R5, "Təyin olunan işlər"): what the JSON routes and the pages
 * call. Decisions go to the assignment's workflow through the AssignmentGateway; reads come from the
 * read model in PostgreSQL. Refusals are codes (domain/assignment, ASSIGNMENT_CODES).
 */
import { parseDateInput } from '../../domain/shared/dates';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { Knex } from 'knex';
import { z } from 'zod';
import {
  type Actor,
  allowedAssignmentActions,
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
import { AccessRefused } from '../http/access-refusals';
import { conflict, fromWorkflowError, HttpError, notFound } from '../http/errors';

export interface AssignmentDeps {
  db: Knex;
  assignments?: AssignmentGateway;
}

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
export async function loadVisibleAssignment({ db }: Pick<AssignmentDeps, 'db'>, actor: Actor, id: string): Promise<AssignmentRow> {
  const row = (await db('assignments').where({ id }).first()) as AssignmentRow | undefined;
  if (!row || !canViewAssignment(actor, assignmentFactsOf(row))) throw new AccessRefused(404, 'assignment.not_found', `assignment:${id}`);
  return row;
}

const dateOnly = (value: string | Date) =>
  value instanceof Date
    ? `${value.getFullYear()}-${String(value.getMonth() + 1).padStart(2, '0')}-${String(value.getDate()).padStart(2, '0')}`
    : String(value).slice(0, 10);

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
export async function listAssignments({ db }: Pick<AssignmentDeps, 'db'>, actor: Actor, section: AssignmentSection, limit = 500): Promise<AssignmentList> {
  const statuses = SECTION_STATUSES[section];
  const query = scoped(db, actor);
  if (statuses) query.whereIn('status', statuses as string[]);
  if (section === 'court') query.orderBy([{ column: 'court' }, { column: 'assigned_at', order: 'desc' }]);
  else
    query.orderBy([
      { column: 'assigned_at', order: 'desc' },
      { column: 'number', order: 'desc' },
    ]);
  const rows = (await query.limit(limit).select('*')) as AssignmentRow[];
  const counted = await scoped(db, actor).select('status').count<{ status: AssignmentStatus; count: string | number }[]>({ count: '*' }).groupBy('status');
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
    // Typed dd.mm.yyyy on the page (issue 13), YYYY-MM-DD from the API.
    assignedAt: parseDateInput(str(body.assignedAt)) ?? str(body.assignedAt),
  };
}

/**
 * The workflow's refusal as the API answers it: its failure carries the rule's code alone
 * (domain/assignment), so the status it names is the one the read model showed before the step.
 */
function refusalOf(err: unknown, before: AssignmentRow): HttpError | undefined {
  const http = fromWorkflowError(err);
  if (!http) return undefined;
  // The workflow is gone (declined or archived) or has completed: the assignment is closed.
  if (err instanceof WorkflowNotFoundError || http.reason === 'contract.not_found' || http.reason === 'contract.closed')
    return conflict('assignment.closed', { status: before.status });
  if (http.status === 404) return notFound('assignment.not_found');
  if (http.status === 400) return http;
  return new HttpError(http.status, http.code, http.reason, { status: before.status, ...http.params });
}

/** A gateway decision on an assignment visible to this actor; a closed workflow answers 409. */
export async function decideAssignment({ db }: Pick<AssignmentDeps, 'db'>, actor: Actor, id: string, step: () => Promise<unknown>): Promise<AssignmentRow> {
  const before = await loadVisibleAssignment({ db }, actor, id);
  try {
    await step();
  } catch (err) {
    throw refusalOf(err, before) ?? err;
  }
  return loadVisibleAssignment({ db }, actor, id);
}

/** The gateway, or 503 when this server runs without assignments. */
export function assignmentGateway(deps: AssignmentDeps): AssignmentGateway {
  if (!deps.assignments) throw new HttpError(503, 'unavailable', 'assignment.unavailable');
  return deps.assignments;
}

/** Lawyers' names as the lists show them ("Surname Name"), by ID. */
export async function lawyerNames({ db }: Pick<AssignmentDeps, 'db'>, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db('lawyers')
    .whereIn('id', [...new Set(ids)])
    .select<{ id: string; first_name: string; last_name: string }[]>('id', 'first_name', 'last_name');
  return new Map(rows.map((r) => [r.id, `${r.last_name} ${r.first_name}`]));
}

/** Who the Bar office may assign (the active register) and the courts it may name, for its form. */
export async function assignmentChoices({ db }: Pick<AssignmentDeps, 'db'>) {
  const lawyers = await db('lawyers')
    .join('bureaus', 'bureaus.id', 'lawyers.bureau_id')
    .where('lawyers.on_active_register', true)
    .orderBy(['lawyers.last_name', 'lawyers.first_name'])
    .select<{ id: string; first_name: string; last_name: string; license_number: string; bureau_name: string }[]>(
      'lawyers.id',
      'lawyers.first_name',
      'lawyers.last_name',
      'lawyers.license_number',
      'bureaus.name as bureau_name',
    );
  const courts = await db('institutions').where({ kind: 'court' }).orderBy('name').select<{ name: string }[]>('name');
  return {
    lawyers: lawyers.map((l) => ({ id: l.id, label: `${l.last_name} ${l.first_name} (${l.license_number}, ${l.bureau_name})` })),
    courts: courts.map((c) => c.name),
  };
}
