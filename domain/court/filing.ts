/** R4.6: whether a court case number may be sent to e-court for this contract now. */
import type { CodeParams } from '../shared/codes';
import { isPlausibleCaseNumber, normalizeCaseNumber } from './case-number';
import type { CourtCode } from './codes';

export interface CourtFilingRefusal {
  code: CourtCode;
  /** The case-number field's own short code, when the refusal is about what was typed. */
  field?: { name: 'caseNumber'; code: 'required' | 'invalid' };
  params?: CodeParams;
}

/** Why this case number may not be sent, or undefined: it must be typed, look like one, and not be sent already (a failed filing may be sent again). */
export function courtFilingRefusal(raw: unknown, earlier: readonly { caseNumber: string; status: string }[]): CourtFilingRefusal | undefined {
  if (typeof raw !== 'string' || raw.trim() === '') return { code: 'court.case_number_required', field: { name: 'caseNumber', code: 'required' } };
  if (!isPlausibleCaseNumber(raw)) return { code: 'court.case_number_invalid', field: { name: 'caseNumber', code: 'invalid' } };
  const same = earlier.find((f) => f.caseNumber === normalizeCaseNumber(raw));
  if (same && same.status !== 'failed') return { code: 'court.already_sent', params: { caseNumber: same.caseNumber } };
  return undefined;
}
