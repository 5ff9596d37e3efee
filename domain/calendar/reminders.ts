/**
 * When a meeting's reminders are due (R8.4, issue 12). Imported by the meeting's reminder workflow,
 * so nothing here does I/O or reads the clock: "now" is always an argument.
 */

/** One reminder as the workflow plans it: its stable ID and how long before the start it goes out. */
export interface PlannedReminder {
  id: string;
  beforeSeconds: number;
}

/** What the reminder workflow of one meeting is told: times, reminders, no title, no person. */
export interface MeetingPlan {
  meetingId: string;
  /** The meeting's version; the outbox keys carry it, and an older plan never replaces a newer one. */
  version: number;
  startsAt: string;
  endsAt: string;
  /** When this version was saved: a reminder already due then goes out at once and is not "late". */
  savedAt: string;
  reminders: PlannedReminder[];
  /** A reminder sent more than this after its time (the system was down) is marked late. */
  lateAfterMs: number;
}

export const DAY_SECONDS = 86_400;
export const HOUR_SECONDS = 3_600;
/** The two reminders offered first on the form (issue 12: "1 day, 2 hours, or a custom interval"). */
export const REMINDER_PRESETS = { '1d': DAY_SECONDS, '2h': 2 * HOUR_SECONDS } as const;
export type ReminderPreset = keyof typeof REMINDER_PRESETS;
export const REMINDER_UNITS = { minutes: 60, hours: HOUR_SECONDS, days: DAY_SECONDS } as const;
export type ReminderUnit = keyof typeof REMINDER_UNITS;
export const MAX_REMINDERS = 5;
/** Default lateness threshold: a reminder more than a minute behind its time was held up by an outage. */
export const DEFAULT_LATE_AFTER_MS = 60_000;

export const reminderDueAt = (startsAt: string, beforeSeconds: number): number => Date.parse(startsAt) - beforeSeconds * 1000;

/** A reminder is done once per reminder and due time: an edit that keeps its time does not send it again. */
export const sentKey = (reminderId: string, dueAt: number): string => `${reminderId}@${dueAt}`;

/** The next reminder still to send, earliest first; none once the meeting is over. */
export function nextReminder(plan: MeetingPlan, sent: readonly string[], now: number): { id: string; dueAt: number } | undefined {
  if (now >= Date.parse(plan.endsAt)) return undefined;
  return plan.reminders
    .map((r) => ({ id: r.id, dueAt: reminderDueAt(plan.startsAt, r.beforeSeconds) }))
    .filter((r) => !sent.includes(sentKey(r.id, r.dueAt)))
    .sort((a, b) => a.dueAt - b.dueAt || a.id.localeCompare(b.id))[0];
}

/**
 * Late: it was due after this version was saved, and goes out more than `lateAfterMs` after its time
 * (the worker or everything was down). One already due when the meeting was saved goes out at once, on time.
 */
export const isLate = (plan: MeetingPlan, dueAt: number, now: number): boolean => dueAt >= Date.parse(plan.savedAt) && now - dueAt > plan.lateAfterMs;
