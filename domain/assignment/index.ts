/**
 * The rules of a state-funded assignment ("Təyin olunan işlər", SPEC R5), in one plain module with
 * no dependencies, so that the workflow, the API and the web pages all decide the same way.
 *
 * The Bar office assigns a lawyer to a proceeding; the head of the lawyer's bureau (an individual
 * lawyer is the head of a bureau of one) approves or declines it; approved, it is current until the
 * lawyer (or the head) marks it done, and then it is in the archive.
 */
import type { Actor } from '../shared/actor';
import { type Refusal, refuse } from '../shared/codes';
import type { FieldError } from '../shared/field-error';
import { isValidFin, normalizeFin } from '../shared/identifiers';
import type { AssignmentCode } from './codes';

export type { Actor, FieldError };
export * from './codes';

export const ASSIGNMENT_STATUSES = [
  'awaiting_approval', // assigned by the Bar office, waiting for the bureau head (or individual lawyer)
  'current', // approved: the lawyer is on the case
  'declined', // declined by the head, with a reason
  'archived', // done
] as const;
export type AssignmentStatus = (typeof ASSIGNMENT_STATUSES)[number];

/** Statuses that end the assignment's workflow; both are listed in the archive. */
export const FINAL_ASSIGNMENT_STATUSES: readonly AssignmentStatus[] = ['declined', 'archived'];

/** The sub-sections of "Təyin olunan işlər" (R5). */
export const ASSIGNMENT_SECTIONS = ['court', 'awaiting_approval', 'current', 'archive', 'overview'] as const;
export type AssignmentSection = (typeof ASSIGNMENT_SECTIONS)[number];

/** The statuses listed in each sub-section; undefined means every status. */
export const SECTION_STATUSES: Record<AssignmentSection, readonly AssignmentStatus[] | undefined> = {
  court: ['awaiting_approval', 'current', 'archived'],
  awaiting_approval: ['awaiting_approval'],
  current: ['current'],
  archive: ['archived', 'declined'],
  overview: undefined,
};

/** What the Bar office enters when it assigns a case. */
export interface AssignmentDetails {
  court: string;
  caseNumber: string;
  defendedPerson: { name: string; fin?: string };
  /** The date of the Bar office's decision, YYYY-MM-DD. */
  assignedAt: string;
}

export interface AssignmentInput extends Partial<Omit<AssignmentDetails, 'defendedPerson'>> {
  lawyerId?: string;
  defendedPerson?: { name?: string; fin?: string };
}

const err = (field: string, code: AssignmentCode): FieldError => ({ field, code });

/** Every field's problem, in form order; empty when the assignment may be made. */
export function validateAssignment(input: AssignmentInput): FieldError[] {
  const errors: FieldError[] = [];
  const filled = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';
  /** Required and at most `max` characters (after trimming). */
  const text = (field: string, value: unknown, max: number, required: AssignmentCode, tooLong: AssignmentCode) => {
    if (!filled(value)) errors.push(err(field, required));
    else if (value.trim().length > max) errors.push(err(field, tooLong));
  };
  if (!filled(input.lawyerId)) errors.push(err('lawyerId', 'assignment.lawyer_required'));
  text('court', input.court, 300, 'assignment.court_required', 'assignment.court_too_long');
  text('caseNumber', input.caseNumber, 100, 'assignment.case_number_required', 'assignment.case_number_too_long');
  text('defendedPerson.name', input.defendedPerson?.name, 300, 'assignment.defended_name_required', 'assignment.defended_name_too_long');
  const fin = input.defendedPerson?.fin;
  if (filled(fin) && !isValidFin(fin)) errors.push(err('defendedPerson.fin', 'assignment.defended_fin_invalid'));
  const date = input.assignedAt;
  if (!filled(date)) errors.push(err('assignedAt', 'assignment.date_required'));
  else if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`))) errors.push(err('assignedAt', 'assignment.date_invalid'));
  return errors;
}

/** The details as stored: trimmed, the FIN in capitals, an empty FIN left out; undefined when validateAssignment finds a problem. */
export function normalizeAssignment(input: AssignmentInput): AssignmentDetails | undefined {
  const { court, caseNumber, assignedAt } = input;
  const name = input.defendedPerson?.name;
  if (validateAssignment(input).length > 0 || court === undefined || caseNumber === undefined || name === undefined || assignedAt === undefined)
    return undefined;
  const fin = input.defendedPerson?.fin?.trim();
  return {
    court: court.trim(),
    caseNumber: caseNumber.trim(),
    defendedPerson: { name: name.trim(), ...(fin ? { fin: normalizeFin(fin) } : {}) },
    assignedAt,
  };
}

// ---------------------------------------------------------------- who may do what, when

export const ASSIGNMENT_ACTIONS = ['approve', 'decline', 'complete'] as const;
export type AssignmentAction = (typeof ASSIGNMENT_ACTIONS)[number];

/** What the rules need to know of an assignment to decide on an action. */
export interface AssignmentFacts {
  status: AssignmentStatus;
  lawyerId: string;
  bureauId: string;
}

const isOwnLawyer = (a: Actor, f: AssignmentFacts) => a.kind === 'lawyer' && a.id === f.lawyerId;
const isHeadOfBureau = (a: Actor, f: AssignmentFacts) => a.kind === 'lawyer' && a.isHead === true && a.bureauId === f.bureauId;

/** Only the Bar office assigns (R5); undefined when this actor may. */
export function assignRefusal(actor: Actor): Refusal | undefined {
  return actor.kind === 'admin' ? undefined : refuse('assignment.bar_office_only');
}

/** May this actor see the assignment at all? The lawyer, the head of the bureau, the Bar office. */
export function canViewAssignment(actor: Actor, f: AssignmentFacts): boolean {
  return isOwnLawyer(actor, f) || isHeadOfBureau(actor, f) || actor.kind === 'admin' || actor.kind === 'system';
}

export const NOT_YOURS: AssignmentCode = 'assignment.not_yours';

/** Why the action is refused now (a code with its parameters), or undefined when it is allowed. */
export function assignmentRefusalOf(action: AssignmentAction, actor: Actor, f: AssignmentFacts): Refusal | undefined {
  if (!canViewAssignment(actor, f)) return refuse(NOT_YOURS);
  switch (action) {
    case 'approve':
    case 'decline':
      if (!isHeadOfBureau(actor, f)) return refuse('assignment.head_only_decides');
      if (f.status !== 'awaiting_approval') return refuse('assignment.not_awaiting_approval', { status: f.status });
      return undefined;
    case 'complete':
      if (!isOwnLawyer(actor, f) && !isHeadOfBureau(actor, f)) return refuse('assignment.complete_lawyer_or_head');
      if (f.status !== 'current') return refuse('assignment.complete_not_current', { status: f.status });
      return undefined;
  }
}

/**
 * The refusal's code alone, as the assignment's workflow puts it in its failure; the API adds the
 * status from the read model (api/assignment/service.ts).
 */
export function assignmentRefusal(action: AssignmentAction, actor: Actor, f: AssignmentFacts): string | undefined {
  return assignmentRefusalOf(action, actor, f)?.code;
}

export function allowedAssignmentActions(actor: Actor, f: AssignmentFacts): AssignmentAction[] {
  return ASSIGNMENT_ACTIONS.filter((action) => assignmentRefusalOf(action, actor, f) === undefined);
}
