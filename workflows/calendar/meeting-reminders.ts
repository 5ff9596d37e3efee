/**
 * The reminders of one meeting (R8.4, issue 12): durable timers in the Temporal server, one workflow
 * per meeting (`meeting-reminders-<uuid>`). It sleeps until the next reminder is due, hands it to
 * the outbox, and sleeps again; between timers it holds nothing in the worker (its history is a few
 * events, replayed when a timer fires). An edit is a signal with the newer plan, so the reminders
 * move; a cancellation ends it. A reminder whose time passed while everything was down goes out
 * once when the worker is back, marked late — unless the meeting is over by then. It ends with the meeting.
 */
import { condition, proxyActivities, setHandler } from '@temporalio/workflow';
import { isLate, type MeetingPlan, nextReminder, sentKey } from '../../domain/calendar/reminders';
import { getMeetingRemindersState, meetingCancelled, meetingPlanned, type MeetingReminderActivities, type MeetingRemindersState } from './messages';

const { sendMeetingReminder } = proxyActivities<MeetingReminderActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

export async function meetingRemindersWorkflow(plan: MeetingPlan): Promise<MeetingRemindersState> {
  const state: MeetingRemindersState = { plan, sent: [], late: 0, cancelled: false };
  let replanned = false;

  setHandler(getMeetingRemindersState, () => ({ ...state, sent: [...state.sent] }));
  setHandler(meetingPlanned, (next) => {
    // Signals may arrive out of order (a retried save): an older version never replaces a newer one.
    if (next.version <= state.plan.version) return;
    state.plan = next;
    replanned = true;
  });
  setHandler(meetingCancelled, () => {
    state.cancelled = true;
  });

  const interrupted = () => replanned || state.cancelled;
  /** Sleeps until `at` (a durable timer); true when a signal came first. */
  const sleepUntil = async (at: number): Promise<boolean> => {
    const ms = at - Date.now();
    return ms <= 0 ? interrupted() : condition(interrupted, ms);
  };

  while (!state.cancelled) {
    replanned = false;
    const next = nextReminder(state.plan, state.sent, Date.now());
    if (!next) {
      // Nothing left to remind: stay until the meeting ends, in case it is edited (new reminders, a later time).
      const endsAt = Date.parse(state.plan.endsAt);
      if (Date.now() < endsAt && (await sleepUntil(endsAt))) continue;
      break;
    }
    if (await sleepUntil(next.dueAt)) continue;
    const now = Date.now();
    const late = isLate(state.plan, next.dueAt, now);
    await sendMeetingReminder({
      meetingId: state.plan.meetingId,
      reminderId: next.id,
      version: state.plan.version,
      dueAt: new Date(next.dueAt).toISOString(),
      late,
    });
    state.sent.push(sentKey(next.id, next.dueAt));
    if (late) state.late += 1;
  }
  return state;
}
