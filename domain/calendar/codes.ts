/** Refusals, field errors and warnings of the calendar (R8.4, issue 12); texts in locales/<language>/calendar.json. */
export const CALENDAR_CODES = [
  'calendar.title_required',
  'calendar.title_too_long',
  'calendar.date_required',
  'calendar.date_invalid',
  'calendar.start_time_invalid',
  'calendar.end_time_invalid',
  'calendar.ends_before_start',
  'calendar.too_long',
  'calendar.starts_in_past',
  'calendar.place_too_long',
  'calendar.institution_unknown',
  'calendar.link_invalid',
  'calendar.link_not_yours',
  'calendar.importance_invalid',
  'calendar.comment_too_long',
  'calendar.reminder_invalid',
  'calendar.reminder_after_meeting',
  'calendar.reminder_channel_required',
  'calendar.too_many_reminders',
  'calendar.meeting_not_found',
  'calendar.meeting_cancelled',
  'calendar.overlap',
  'calendar.lawyer_not_in_bureau',
  'calendar.range_invalid',
] as const;

export type CalendarCode = (typeof CALENDAR_CODES)[number];
