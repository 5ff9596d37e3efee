/** Every code the HTTP layer, the login, the dossier, the court and the assignments answer with has a text in both languages (issue 8). */
import { describe, expect, it } from 'vitest';
import { AUTH_CODES } from '../../api/auth/codes';
import { COMMON_CODES } from '../../api/http/codes';
import { ACCESS_CODES } from '../../domain/access';
import { ASSIGNMENT_CODES } from '../../domain/assignment';
import { COURT_CODES } from '../../domain/court';
import { DOSSIER_CODES } from '../../domain/dossier';
import { hasText, LOCALES, translate } from '../../locales';

const LISTS = { COMMON_CODES, AUTH_CODES, ACCESS_CODES, DOSSIER_CODES, COURT_CODES, ASSIGNMENT_CODES };

describe('codes, not sentences', () => {
  for (const [list, codes] of Object.entries(LISTS)) {
    it(`${list}: each code is area.what and has a text in Azerbaijani and English`, () => {
      for (const code of codes) {
        expect(code, list).toMatch(/^[a-z]+\.[a-z_]+$/);
        for (const locale of LOCALES) expect(hasText(locale, code), `${locale}: ${code}`).toBe(true);
      }
    });
  }

  it('the English texts are the sentences the API answered with before the codes', () => {
    expect(translate('en', 'auth.wrong_credentials')).toBe('Wrong login or password.');
    expect(translate('en', 'dossier.too_large', { mb: 10 })).toBe('The file is larger than 10 MB.');
    expect(translate('en', 'assignment.not_awaiting_approval', { status: 'current' })).toBe('The assignment is not awaiting approval (it is current).');
    expect(translate('en', 'court.already_sent', { caseNumber: '2(006)-1043/2026' })).toBe('The case 2(006)-1043/2026 was already sent to court.');
  });
});
