/** Refusals and field errors of state-funded assignments (R5); texts in locales/<language>/assignment.json. */
export const ASSIGNMENT_CODES = [
  'assignment.lawyer_required',
  'assignment.court_required',
  'assignment.court_too_long',
  'assignment.case_number_required',
  'assignment.case_number_too_long',
  'assignment.defended_name_required',
  'assignment.defended_name_too_long',
  'assignment.defended_fin_invalid',
  'assignment.date_required',
  'assignment.date_invalid',
  'assignment.lawyer_not_on_register',
  'assignment.bar_office_only',
  'assignment.not_yours',
  'assignment.head_only_decides',
  'assignment.not_awaiting_approval',
  'assignment.complete_lawyer_or_head',
  'assignment.complete_not_current',
  'assignment.closed',
  'assignment.not_found',
  'assignment.unavailable',
  'assignment.section_invalid',
  'assignment.unknown_section',
] as const;

export type AssignmentCode = (typeof ASSIGNMENT_CODES)[number];
