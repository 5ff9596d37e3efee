/** When the day-before reminder of an event is due (R3.1); imported by the reminder workflow, so nothing here does I/O. */

/** R3.1: the reminder goes out this long before the start (the workflow's input, so tests use seconds). */
export const REMINDER_LEAD_MS = 24 * 60 * 60 * 1000;

/** When the reminder is due: `leadMs` before the start (at once if that moment has passed). */
export const reminderDueAt = (startsAt: string, leadMs: number): number => new Date(startsAt).getTime() - leadMs;
