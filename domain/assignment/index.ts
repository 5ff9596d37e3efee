/**
 * The rules of a state-funded assignment ("Təyin olunan işlər", SPEC R5), in one plain module with
 * no dependencies, so that the workflow, the API and the web pages all decide the same way.
 *
 * The Bar office assigns a lawyer to a proceeding; the head of the lawyer's bureau (an individual
 * lawyer is the head of a bureau of one) approves or declines it; approved, it is current until the
 * lawyer (or the head) marks it done, and then it is in the archive.
 */
import { type Actor, type FieldError, isValidFin, normalizeFin } from '../contract';

export type { Actor, FieldError };

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

const err = (field: string, code: string, message: string): FieldError => ({ field, code, message });

/** Every field's problem, in form order; empty when the assignment may be made. */
export function validateAssignment(input: AssignmentInput): FieldError[] {
  const errors: FieldError[] = [];
  const blank = (v: unknown) => typeof v !== 'string' || v.trim() === '';
  if (blank(input.lawyerId)) errors.push(err('lawyerId', 'required', 'Choose the lawyer.'));
  if (blank(input.court)) errors.push(err('court', 'required', 'Enter the court.'));
  else if (input.court!.trim().length > 300) errors.push(err('court', 'too_long', 'The court name is too long.'));
  if (blank(input.caseNumber)) errors.push(err('caseNumber', 'required', 'Enter the case number.'));
  else if (input.caseNumber!.trim().length > 100) errors.push(err('caseNumber', 'too_long', 'The case number is too long.'));
  if (blank(input.defendedPerson?.name)) errors.push(err('defendedPerson.name', 'required', 'Enter the name of the person defended.'));
  else if (input.defendedPerson!.name!.trim().length > 300) errors.push(err('defendedPerson.name', 'too_long', 'The name is too long.'));
  const fin = input.defendedPerson?.fin;
  if (!blank(fin) && !isValidFin(fin!)) errors.push(err('defendedPerson.fin', 'invalid', 'The FIN is 7 letters and digits.'));
  if (blank(input.assignedAt)) errors.push(err('assignedAt', 'required', 'Enter the assignment date.'));
  else if (!/^\d{4}-\d{2}-\d{2}$/.test(input.assignedAt!) || Number.isNaN(Date.parse(`${input.assignedAt}T00:00:00Z`))) {
    errors.push(err('assignedAt', 'invalid', 'Use the date format YYYY-MM-DD.'));
  }
  return errors;
}

/** The details as stored: trimmed, the FIN in capitals, an empty FIN left out. Call after validateAssignment. */
export function normalizeAssignment(input: AssignmentInput): AssignmentDetails {
  const fin = input.defendedPerson?.fin?.trim();
  return {
    court: input.court!.trim(),
    caseNumber: input.caseNumber!.trim(),
    defendedPerson: { name: input.defendedPerson!.name!.trim(), ...(fin ? { fin: normalizeFin(fin) } : {}) },
    assignedAt: input.assignedAt!,
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
export function assignRefusal(actor: Actor): string | undefined {
  return actor.kind === 'admin' ? undefined : 'Only the Bar office assigns cases.';
}

/** May this actor see the assignment at all? The lawyer, the head of the bureau, the Bar office. */
export function canViewAssignment(actor: Actor, f: AssignmentFacts): boolean {
  return isOwnLawyer(actor, f) || isHeadOfBureau(actor, f) || actor.kind === 'admin' || actor.kind === 'system';
}

export const NOT_YOURS = 'This assignment is not yours.';

/** Why the action is refused now, or undefined when it is allowed. */
export function assignmentRefusal(action: AssignmentAction, actor: Actor, f: AssignmentFacts): string | undefined {
  if (!canViewAssignment(actor, f)) return NOT_YOURS;
  switch (action) {
    case 'approve':
    case 'decline':
      if (!isHeadOfBureau(actor, f)) return 'Only the head of the bureau (or the individual lawyer) approves or declines an assignment.';
      if (f.status !== 'awaiting_approval') return `The assignment is not awaiting approval (it is ${f.status}).`;
      return undefined;
    case 'complete':
      if (!isOwnLawyer(actor, f) && !isHeadOfBureau(actor, f)) return "Only the assignment's lawyer or the bureau head marks it done.";
      if (f.status !== 'current') return `Only a current assignment can be marked done (it is ${f.status}).`;
      return undefined;
  }
}

export function allowedAssignmentActions(actor: Actor, f: AssignmentFacts): AssignmentAction[] {
  return ASSIGNMENT_ACTIONS.filter((action) => assignmentRefusal(action, actor, f) === undefined);
}
