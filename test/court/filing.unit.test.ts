import { describe, expect, it } from 'vitest';
import { courtFilingRefusal } from '../../domain/court';

describe('"İşi göndər" (R4.6)', () => {
  it('R4.6 the case number must be typed and look like one', () => {
    expect(courtFilingRefusal('  ', [])).toEqual({ code: 'court.case_number_required', field: { name: 'caseNumber', code: 'required' } });
    expect(courtFilingRefusal('??', [])).toEqual({ code: 'court.case_number_invalid', field: { name: 'caseNumber', code: 'invalid' } });
    expect(courtFilingRefusal('2(006) - 1043 / 2026', [])).toBeUndefined();
  });

  it('R4.6 a case already sent is refused, unless its filing failed', () => {
    expect(courtFilingRefusal('2(006) - 1043/2026', [{ caseNumber: '2(006)-1043/2026', status: 'joined' }])).toEqual({
      code: 'court.already_sent',
      params: { caseNumber: '2(006)-1043/2026' },
    });
    expect(courtFilingRefusal('2(006)-1043/2026', [{ caseNumber: '2(006)-1043/2026', status: 'failed' }])).toBeUndefined();
  });
});
