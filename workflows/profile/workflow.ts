/**
 * One change request of a lawyer's personal data (SPEC R8.2, issue 11), from "Təsdiqə göndər" to the
 * Bar office's decision.
 *
 * pending ─approve─▶ approved (the values are the lawyer's)
 *    ├────reject (reason)─▶ rejected
 *    └────withdraw (the lawyer)─▶ withdrawn
 *
 * A durable timer reminds the office when the request has waited `reminderAfterMs` (3 days by
 * default). The decision is an update whose synchronous validator asks domain/profile; the handler
 * writes the read model (and, approved, the lawyer's row) by a local activity before it answers.
 */
import { allHandlersFinished, condition, proxyActivities, proxyLocalActivities, setHandler } from '@temporalio/workflow';
import { type Actor, type ProfileChangeAction, profileChangeRefusal, reasonError } from '../../domain/profile';
import {
  approveProfileChange,
  getProfileChangeState,
  type ProfileChangeActivities,
  type ProfileChangeInput,
  type ProfileChangeResult,
  type ProfileChangeState,
  type ProfileChangeView,
  rejectProfileChange,
  withdrawProfileChange,
} from './messages';
import { failure, invalidFields } from '../shared/failures';
import { writeReadModelNow } from '../shared/read-model';

const activities = proxyActivities<ProfileChangeActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});
const readModel = proxyLocalActivities<ProfileChangeActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { maximumAttempts: 3 },
});

export async function profileChangeWorkflow(input: ProfileChangeInput): Promise<ProfileChangeView> {
  const state: ProfileChangeState = {
    changeId: input.changeId,
    lawyerId: input.lawyerId,
    requested: input.requested,
    status: 'pending',
    submittedAt: input.submittedAt,
    history: [{ at: input.submittedAt, event: 'submitted', by: input.lawyerId }],
    revision: 0,
  };
  let readModelStale = false;

  setHandler(getProfileChangeState, () => view(state));

  const now = () => new Date().toISOString();
  const commit = async (): Promise<ProfileChangeResult> => {
    state.revision += 1;
    if (!(await writeReadModelNow(() => readModel.recordProfileChange(view(state))))) readModelStale = true;
    return { status: state.status, revision: state.revision };
  };
  const guard = (action: ProfileChangeAction, actor: Actor) => {
    const refusal = profileChangeRefusal(action, actor, { status: state.status, lawyerId: state.lawyerId });
    if (refusal) throw failure(refusal.code === 'profile.change_closed' ? 'NotAllowed' : 'NotYours', refusal.code, refusal.params);
  };
  const decide = (status: 'approved' | 'rejected' | 'withdrawn', actor: Actor, reason?: string) => {
    state.status = status;
    state.decision = { at: now(), by: actor.id, ...(reason ? { reason } : {}) };
    state.history.push({ at: state.decision.at, event: status, by: actor.id });
    return commit();
  };

  setHandler(approveProfileChange, (actor) => decide('approved', actor), { validator: (actor: Actor) => guard('approve', actor) });
  setHandler(rejectProfileChange, (actor, { reason }) => decide('rejected', actor, reason.trim()), {
    validator: (actor: Actor, body: { reason?: unknown } | undefined) => {
      guard('reject', actor);
      const fieldError = reasonError(body?.reason);
      if (fieldError) throw invalidFields([fieldError]);
    },
  });
  setHandler(withdrawProfileChange, (actor) => decide('withdrawn', actor), { validator: (actor: Actor) => guard('withdraw', actor) });

  await commit();

  // The office's reminder: once, if the request is still waiting when the timer ends.
  const decidedInTime = await condition(() => state.status !== 'pending', input.reminderAfterMs);
  if (!decidedInTime) {
    await activities.remindOfficeOfProfileChange({ changeId: state.changeId });
    state.remindedAt = now();
    state.history.push({ at: state.remindedAt, event: 'reminded' });
    await commit();
  }

  for (;;) {
    await condition(() => readModelStale || state.status !== 'pending');
    if (readModelStale) {
      readModelStale = false;
      await activities.recordProfileChange(view(state));
    }
    if (state.status !== 'pending' && !readModelStale) break;
  }
  if (state.status !== 'withdrawn')
    await activities.notifyLawyerOfProfileDecision({ changeId: state.changeId, lawyerId: state.lawyerId, status: state.status });
  await condition(allHandlersFinished);
  if (readModelStale) await activities.recordProfileChange(view(state));
  return view(state);
}

function view(state: ProfileChangeState): ProfileChangeView {
  return { ...state, requested: { ...state.requested }, history: [...state.history] };
}
