/** Refusals of "İşi göndər" (R4.6); texts in locales/<language>/court.json. */
export const COURT_CODES = ['court.case_number_required', 'court.case_number_invalid', 'court.already_sent'] as const;

export type CourtCode = (typeof COURT_CODES)[number];
