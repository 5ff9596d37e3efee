/**
 * A meeting as the lawyer types it (R8.4, issue 12): title, start and end (dd.mm.yyyy and HH:MM in
 * Baku time, or ISO instants from the API), place (an institution of the list, or typed), the
 * contract or assigned case it belongs to, importance, comment and zero or more reminders, each by
 * e-mail and/or SMS. Checked field by field, so every problem is shown at its field at once.
 */
import { bakuInstant, parseDateInput, parseTimeInput } from '../shared/dates';
import type { FieldError } from '../shared/field-error';
import { MAX_REMINDERS, REMINDER_PRESETS, REMINDER_UNITS, type ReminderPreset, type ReminderUnit } from './reminders';

export const IMPORTANCES = ['high', 'normal', 'low'] as const;
export type Importance = (typeof IMPORTANCES)[number];
export const MAX_TITLE = 200;
export const MAX_PLACE = 300;
export const MAX_COMMENT = 4000;
/** A meeting longer than a week is a typing mistake, not a hearing. */
export const MAX_DURATION_MS = 7 * 86_400_000;

export interface ReminderInput {
  /** '1d', '2h', 'custom' (amount + unit), or '' for none (a form's empty row). */
  kind?: string;
  amount?: string | number;
  unit?: string;
  /** The API's exact interval before the start, in seconds (tests use seconds). */
  beforeSeconds?: number;
  email?: boolean;
  sms?: boolean;
}

export interface MeetingInput {
  title?: string;
  /** dd.mm.yyyy (or YYYY-MM-DD) with HH:MM times, Baku time… */
  date?: string;
  startTime?: string;
  endTime?: string;
  /** …or ISO 8601 instants (the JSON API). */
  startsAt?: string;
  endsAt?: string;
  institutionId?: string;
  place?: string;
  /** `contract:<id>` or `assignment:<id>`, or ''. */
  link?: string;
  importance?: string;
  comment?: string;
  reminders?: ReminderInput[];
}

export interface MeetingReminder {
  /** Stable for the same interval (`r<seconds>`): an edit that keeps it does not send it again. */
  id: string;
  beforeSeconds: number;
  email: boolean;
  sms: boolean;
}

export interface MeetingFields {
  title: string;
  startsAt: string;
  endsAt: string;
  institutionId: string | null;
  place: string | null;
  contractId: string | null;
  assignmentId: string | null;
  importance: Importance;
  comment: string | null;
  reminders: MeetingReminder[];
}

export const reminderIdOf = (beforeSeconds: number) => `r${beforeSeconds}`;

const isoInstant = (value: string | undefined): string | null => {
  if (!value || !/^\d{4}-\d{2}-\d{2}T/.test(value)) return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
};

/** The link field → which contract or assigned case (the service checks that it is the lawyer's own). */
export function parseLink(link: string | undefined): { contractId: string | null; assignmentId: string | null } | null {
  const value = (link ?? '').trim();
  if (value === '') return { contractId: null, assignmentId: null };
  const m = /^(contract|assignment):([\w.:-]{1,100})$/.exec(value);
  if (!m) return null;
  return m[1] === 'contract' ? { contractId: m[2], assignmentId: null } : { contractId: null, assignmentId: m[2] };
}

function checkReminders(input: ReminderInput[] | undefined, errors: FieldError[]): MeetingReminder[] {
  const byInterval = new Map<number, MeetingReminder>();
  const rows = (input ?? []).filter((r) => r && (r.beforeSeconds !== undefined || (r.kind ?? '') !== ''));
  if (rows.length > MAX_REMINDERS) {
    errors.push({ field: 'reminders', code: 'calendar.too_many_reminders', params: { max: MAX_REMINDERS } });
    return [];
  }
  rows.forEach((row, i) => {
    const field = `reminders.${i}`;
    let seconds: number | null = null;
    if (row.beforeSeconds !== undefined) seconds = Number.isInteger(row.beforeSeconds) ? row.beforeSeconds : null;
    else if (row.kind === 'custom') {
      const amount = Number(
        String(row.amount ?? '')
          .trim()
          .replace(',', '.'),
      );
      const unit = REMINDER_UNITS[row.unit as ReminderUnit];
      seconds = String(row.amount ?? '').trim() !== '' && Number.isFinite(amount) && unit ? Math.round(amount * unit) : null;
    } else if (row.kind && row.kind in REMINDER_PRESETS) seconds = REMINDER_PRESETS[row.kind as ReminderPreset];
    if (seconds === null || seconds > 366 * 86_400) return void errors.push({ field, code: 'calendar.reminder_invalid' });
    // A reminder at or after the start would come after the meeting has begun.
    if (seconds <= 0) return void errors.push({ field, code: 'calendar.reminder_after_meeting' });
    if (!row.email && !row.sms) return void errors.push({ field, code: 'calendar.reminder_channel_required' });
    const same = byInterval.get(seconds);
    byInterval.set(seconds, {
      id: reminderIdOf(seconds),
      beforeSeconds: seconds,
      email: Boolean(row.email) || Boolean(same?.email),
      sms: Boolean(row.sms) || Boolean(same?.sms),
    });
  });
  return [...byInterval.values()].sort((a, b) => b.beforeSeconds - a.beforeSeconds);
}

/**
 * The meeting's fields, or every error at its field. `isNew`: a new meeting may not start in the
 * past (an edit of a past meeting may, e.g. to add a comment afterwards).
 */
export function checkMeeting(input: MeetingInput, options: { now: number; isNew: boolean }): { fields?: MeetingFields; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const title = (input.title ?? '').trim();
  if (title === '') errors.push({ field: 'title', code: 'calendar.title_required' });
  else if (title.length > MAX_TITLE) errors.push({ field: 'title', code: 'calendar.title_too_long', params: { max: MAX_TITLE } });

  let startsAt: string | null = null;
  let endsAt: string | null = null;
  if (input.startsAt !== undefined || input.endsAt !== undefined) {
    startsAt = isoInstant(input.startsAt);
    endsAt = isoInstant(input.endsAt);
    if (!startsAt) errors.push({ field: 'startTime', code: 'calendar.start_time_invalid' });
    if (!endsAt) errors.push({ field: 'endTime', code: 'calendar.end_time_invalid' });
  } else {
    const day = parseDateInput(input.date);
    if ((input.date ?? '').trim() === '') errors.push({ field: 'date', code: 'calendar.date_required' });
    else if (!day) errors.push({ field: 'date', code: 'calendar.date_invalid' });
    const start = parseTimeInput(input.startTime);
    const end = parseTimeInput(input.endTime);
    if (!start) errors.push({ field: 'startTime', code: 'calendar.start_time_invalid' });
    if (!end) errors.push({ field: 'endTime', code: 'calendar.end_time_invalid' });
    if (day && start) startsAt = bakuInstant(day, start);
    if (day && end) endsAt = bakuInstant(day, end);
  }
  if (startsAt && endsAt) {
    const duration = Date.parse(endsAt) - Date.parse(startsAt);
    if (duration <= 0) errors.push({ field: 'endTime', code: 'calendar.ends_before_start' });
    else if (duration > MAX_DURATION_MS) errors.push({ field: 'endTime', code: 'calendar.too_long' });
    if (options.isNew && Date.parse(startsAt) <= options.now) errors.push({ field: 'startTime', code: 'calendar.starts_in_past' });
  }

  const institutionId = (input.institutionId ?? '').trim() || null;
  const place = (input.place ?? '').trim() || null;
  if (place && place.length > MAX_PLACE) errors.push({ field: 'place', code: 'calendar.place_too_long', params: { max: MAX_PLACE } });
  const link = parseLink(input.link);
  if (!link) errors.push({ field: 'link', code: 'calendar.link_invalid' });
  const importance = (input.importance ?? '').trim() || 'normal';
  if (!IMPORTANCES.includes(importance as Importance)) errors.push({ field: 'importance', code: 'calendar.importance_invalid' });
  const comment = (input.comment ?? '').trim() || null;
  if (comment && comment.length > MAX_COMMENT) errors.push({ field: 'comment', code: 'calendar.comment_too_long', params: { max: MAX_COMMENT } });
  const reminders = checkReminders(input.reminders, errors);

  if (errors.length > 0 || !startsAt || !endsAt || !link) return { errors };
  return {
    errors,
    fields: {
      title,
      startsAt,
      endsAt,
      institutionId,
      place,
      contractId: link.contractId,
      assignmentId: link.assignmentId,
      importance: importance as Importance,
      comment,
      reminders,
    },
  };
}

/** The meetings that overlap [startsAt, endsAt): a warning for the lawyer, never a refusal (issue 12). */
export function overlapping<T extends { id: string; startsAt: string; endsAt: string }>(
  meetings: readonly T[],
  candidate: { id?: string; startsAt: string; endsAt: string },
): T[] {
  const [s, e] = [Date.parse(candidate.startsAt), Date.parse(candidate.endsAt)];
  return meetings.filter((m) => m.id !== candidate.id && Date.parse(m.startsAt) < e && Date.parse(m.endsAt) > s);
}
