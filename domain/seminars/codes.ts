/** Refusals and field errors of seminars and conferences (R3.1); texts in locales/<language>/seminars.json. */
export const SEMINAR_CODES = [
  'seminar.title_required',
  'seminar.title_too_long',
  'seminar.description_required',
  'seminar.description_too_long',
  'seminar.starts_at_required',
  'seminar.starts_at_invalid',
  'seminar.starts_in_past',
  'seminar.ends_at_required',
  'seminar.ends_at_invalid',
  'seminar.ends_before_start',
  'seminar.place_or_link_required',
  'seminar.place_too_long',
  'seminar.online_url_invalid',
  'seminar.capacity_invalid',
  'seminar.hours_invalid',
  'seminar.not_found',
  'seminar.cancelled',
  'seminar.already_started',
  'seminar.not_started',
  'seminar.already_registered',
  'seminar.not_registered',
  'seminar.attendance_not_registered',
] as const;

export type SeminarCode = (typeof SEMINAR_CODES)[number];
