/** Issue 9 item 7 (OWASP ASVS 6.2): what a new password must be, as a person choosing one meets it. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePasswordList, passwordProblem, personalWords } from '../../domain/access/password-policy';

const common = parsePasswordList(readFileSync(path.resolve(__dirname, '../../domain/access/common-passwords.txt'), 'utf8'));
const owner = { login: 'gulnare.sukurova@example.az', names: ['Gülnarə Şükürova'], email: 'gulnare.sukurova@example.az', phone: '+994501234567' };

describe('issue 9 item 7: the password policy', () => {
  it('ships a list of a few thousand common passwords', () => {
    expect(common.size).toBeGreaterThan(5000);
    expect(common.has('password')).toBe(true);
  });

  it("refuses fewer than 12 characters, and the issue's examples", () => {
    expect(passwordProblem('12345678', owner, common)).toBe('auth.password_too_short');
    expect(passwordProblem('password', owner, common)).toBe('auth.password_too_short');
    expect(passwordProblem('Ab1!Ab1!Ab1', owner, common)).toBe('auth.password_too_short');
  });

  it('counts characters, not bytes: 12 Azerbaijani letters are enough, 129 characters are too many', () => {
    expect(passwordProblem('əğışöçüəğışö', owner, common)).toBeUndefined();
    expect(passwordProblem('x'.repeat(64) + 'y'.repeat(64), owner, common)).toBeUndefined();
    expect(passwordProblem('x'.repeat(65) + 'y'.repeat(64), owner, common)).toBe('auth.password_too_long');
  });

  it('refuses common passwords, whatever the case and the digits or signs around them', () => {
    expect(passwordProblem('qwertyuiop123', owner, common)).toBe('auth.password_common');
    expect(passwordProblem('PASSWORD1234', owner, common)).toBe('auth.password_common');
    expect(passwordProblem('dragon2026!!!', owner, common)).toBe('auth.password_common');
    expect(passwordProblem('vekil-admin-2026', owner, common)).toBe('auth.password_common');
    expect(passwordProblem('aaaaaaaaaaaaaa', owner, common)).toBe('auth.password_common');
  });

  it("refuses the person's own data: login, name parts, e-mail local part, phone digits", () => {
    expect(passwordProblem('gulnare.sukurova@example.az', owner, common)).toBe('auth.password_personal');
    expect(passwordProblem('Şükürova-yaz-2026', owner, common)).toBe('auth.password_personal');
    expect(passwordProblem('my gülnarə is here', owner, common)).toBe('auth.password_personal');
    expect(passwordProblem('telefon 1234567 evde', owner, common)).toBe('auth.password_personal');
    expect(passwordProblem('zeng 501234567!', owner, common)).toBe('auth.password_personal');
    expect(personalWords({ login: 'ab' })).toEqual([]);
  });

  it('accepts a long passphrase of its own', () => {
    expect(passwordProblem('Qırmızı alma sabah düşür', owner, common)).toBeUndefined();
    expect(passwordProblem('correct horse battery staple', owner, common)).toBeUndefined();
  });
});
