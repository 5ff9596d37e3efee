/**
 * The day-before reminder of one event (R3.1): a durable timer, not a cron job. Started when the
 * Bar office publishes the event, it sleeps until start − lead; a new start time (signal) wakes it
 * to plan again; a cancellation ends it. After the reminder it waits until the start, so a later
 * move of the event is reminded again; once the event has begun it ends.
 */
import { condition, proxyActivities, setHandler } from '@temporalio/workflow';
import { reminderDueAt } from '../../domain/seminars/reminder';
import {
  getSeminarReminderState,
  type SeminarReminderActivities,
  type SeminarReminderInput,
  type SeminarReminderState,
  seminarCancelled,
  seminarRescheduled,
} from './messages';

const { queueSeminarReminders } = proxyActivities<SeminarReminderActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

export async function seminarReminderWorkflow(input: SeminarReminderInput): Promise<SeminarReminderState> {
  const state: SeminarReminderState = { seminarId: input.seminarId, startsAt: input.startsAt, leadMs: input.leadMs, remindedFor: [], cancelled: false };
  let replan = false;

  setHandler(getSeminarReminderState, () => ({ ...state, remindedFor: [...state.remindedFor] }));
  setHandler(seminarRescheduled, ({ startsAt }) => {
    state.startsAt = startsAt;
    replan = true;
  });
  setHandler(seminarCancelled, () => {
    state.cancelled = true;
  });

  const interrupted = () => replan || state.cancelled;
  /** Sleeps until `at` (a durable timer); true when a signal came first. A moment already past needs no timer. */
  const sleepUntil = async (at: number): Promise<boolean> => {
    const ms = at - Date.now();
    return ms <= 0 ? interrupted() : condition(interrupted, ms);
  };

  while (!state.cancelled) {
    replan = false;
    if (!state.remindedFor.includes(state.startsAt)) {
      // Sleep until the reminder is due, unless the event moves or is called off first.
      if (await sleepUntil(reminderDueAt(state.startsAt, state.leadMs))) continue;
      await queueSeminarReminders({ seminarId: state.seminarId, startsAt: state.startsAt });
      state.remindedFor.push(state.startsAt);
    }
    // Reminded: stay until the start, in case the event is moved later.
    if (await sleepUntil(new Date(state.startsAt).getTime())) continue;
    break;
  }
  return state;
}
