/**
 * One state-funded assignment (SPEC R5), from the Bar office's decision to the archive.
 *
 * awaiting_approval ─approve─▶ current ─complete─▶ archived
 *        └─decline (reason)─▶ declined
 *
 * The bureau head and the lawyer decide through updates whose synchronous validators ask the rules
 * module (domain/assignment) and reject without a trace. Every change is written to the read model
 * the lists show, by a local activity, or (if that fails) by an ordinary one that retries.
 */
import { allHandlersFinished, condition, proxyActivities, proxyLocalActivities, setHandler } from '@temporalio/workflow';
import { type Actor, type AssignmentAction, type AssignmentFacts, assignmentRefusal, FINAL_ASSIGNMENT_STATUSES, NOT_YOURS } from '../../domain/assignment';
import {
  type AssignmentActionResult,
  type AssignmentActivities,
  type AssignmentState,
  type AssignmentView,
  type AssignmentWorkflowInput,
  approveAssignment,
  completeAssignment,
  declineAssignment,
  getAssignmentState,
} from './messages';
import { failure, fieldError, invalidFields } from '../shared/failures';
import { writeReadModelNow } from '../shared/read-model';

/** R5: a decline's reason is kept in full up to this many characters. */
const REASON_MAX_LENGTH = 2000;

const { recordAssignment } = proxyActivities<AssignmentActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});
const readModel = proxyLocalActivities<AssignmentActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { maximumAttempts: 3 },
});

export async function assignmentWorkflow(input: AssignmentWorkflowInput): Promise<AssignmentView> {
  const state: AssignmentState = initialState(input);
  let readModelStale = false;

  setHandler(getAssignmentState, () => view(state));

  const now = () => new Date().toISOString();
  const facts = (): AssignmentFacts => ({ status: state.status, lawyerId: state.lawyerId, bureauId: state.bureauId });
  const record = (event: string, by?: string, detail?: string) => state.history.push({ at: now(), event, by, detail });

  const commit = async (): Promise<AssignmentActionResult> => {
    state.revision += 1;
    if (!(await writeReadModelNow(() => readModel.recordAssignment(view(state))))) readModelStale = true;
    return { status: state.status, revision: state.revision };
  };

  function guard(action: AssignmentAction, actor: Actor) {
    const reason = assignmentRefusal(action, actor, facts());
    if (reason === undefined) return;
    throw failure(reason === NOT_YOURS ? 'NotYours' : 'NotAllowed', reason);
  }

  setHandler(
    approveAssignment,
    async (actor) => {
      state.status = 'current';
      state.approval = { at: now(), by: actor.id };
      record('approved', actor.id);
      return commit();
    },
    { validator: (actor: Actor) => guard('approve', actor) },
  );

  setHandler(
    declineAssignment,
    async (actor, { reason }) => {
      state.status = 'declined';
      state.decline = { reason: reason.trim(), at: now(), by: actor.id };
      record('declined', actor.id, reason.trim());
      return commit();
    },
    {
      validator: (actor: Actor, body: { reason?: unknown } | undefined) => {
        guard('decline', actor);
        if (typeof body?.reason !== 'string' || body.reason.trim() === '') {
          throw invalidFields([fieldError('reason', 'assignment.reason_required')]);
        }
        if (body.reason.length > REASON_MAX_LENGTH) throw invalidFields([fieldError('reason', 'assignment.reason_too_long', { max: REASON_MAX_LENGTH })]);
      },
    },
  );

  setHandler(
    completeAssignment,
    async (actor) => {
      state.status = 'archived';
      state.completion = { at: now(), by: actor.id };
      record('completed', actor.id);
      return commit();
    },
    { validator: (actor: Actor) => guard('complete', actor) },
  );

  await commit();

  for (;;) {
    await condition(() => readModelStale || isFinal(state));
    if (readModelStale) {
      readModelStale = false;
      await recordAssignment(view(state));
    }
    if (isFinal(state) && !readModelStale) {
      await condition(allHandlersFinished);
      if (!readModelStale) return view(state);
    }
  }
}

function initialState(input: AssignmentWorkflowInput): AssignmentState {
  return {
    assignmentId: input.assignmentId,
    assignmentNumber: input.assignmentNumber,
    lawyerId: input.lawyerId,
    bureauId: input.bureauId,
    assignedBy: input.assignedBy,
    details: input.details,
    status: 'awaiting_approval',
    history: [{ at: new Date().toISOString(), event: 'assigned', by: input.assignedBy }],
    revision: 0,
  };
}

function isFinal(state: AssignmentState): boolean {
  return FINAL_ASSIGNMENT_STATUSES.includes(state.status);
}

function view(state: AssignmentState): AssignmentView {
  return { ...state, history: [...state.history] };
}
