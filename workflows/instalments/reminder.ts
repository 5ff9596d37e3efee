/**
 * The reminder of a contract's second instalment (issue 12): a durable timer per contract, started
 * (signal-with-start, ID from the contract's ID) by the contract's activity once the order is
 * issued, i.e. the first instalment is paid. It sleeps until due − lead, then asks the activity,
 * which checks that the remainder is still owed before it queues anything; paid means it ends.
 * A new due day (an amendment) is a signal and it plans again. Its own workflow rather than new
 * commands in the contract's, so the contract's histories replay unchanged.
 */
import { condition, proxyActivities, setHandler } from '@temporalio/workflow';
import { instalmentReminderAt } from '../../domain/contract/instalment-reminder';
import {
  getInstalmentReminderState,
  instalmentDueSet,
  type InstalmentReminderActivities,
  type InstalmentReminderInput,
  type InstalmentReminderState,
} from './messages';

const { queueInstalmentReminder } = proxyActivities<InstalmentReminderActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

export async function instalmentReminderWorkflow(input: InstalmentReminderInput): Promise<InstalmentReminderState> {
  const state: InstalmentReminderState = { contractId: input.contractId, leadMs: input.leadMs, remindedFor: [], settled: false };
  let replan = false;

  setHandler(getInstalmentReminderState, () => ({ ...state, remindedFor: [...state.remindedFor] }));
  setHandler(instalmentDueSet, (due) => {
    if (state.due?.dueOn === due.dueOn && state.due.dueAt === due.dueAt) return; // the same day again: a repeated start
    state.due = due;
    replan = true;
  });

  /** Sleeps until `at` (a durable timer); true when a new day came first. A moment already past needs no timer. */
  const sleepUntil = async (at: number): Promise<boolean> => {
    const ms = at - Date.now();
    return ms <= 0 ? replan : condition(() => replan, ms);
  };

  await condition(() => state.due !== undefined);
  while (!state.settled && state.due) {
    replan = false;
    const due = state.due;
    if (!state.remindedFor.includes(due.dueOn)) {
      if (await sleepUntil(instalmentReminderAt(due.dueAt, state.leadMs))) continue;
      const { owed } = await queueInstalmentReminder({ contractId: state.contractId, dueOn: due.dueOn });
      state.remindedFor.push(due.dueOn);
      if (!owed) {
        state.settled = true;
        break;
      }
    }
    // Reminded: stay until the due time, in case the day is moved later; then end.
    if (await sleepUntil(new Date(due.dueAt).getTime())) continue;
    break;
  }
  return state;
}
