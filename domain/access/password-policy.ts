/**
 * What a new password must be (issue 9 item 7; OWASP ASVS 5.0 6.2): at least 12 characters and
 * at most 128 (counted as characters, not bytes; spaces and every script allowed, nothing
 * composed), not one of the common passwords, and not built on the person's own data (login,
 * name parts, the e-mail's local part, the phone's digits). Pure: the list of common passwords is
 * handed in (api/auth/passwords.ts reads domain/access/common-passwords.txt).
 */

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 128;

export type PasswordProblem = 'auth.password_too_short' | 'auth.password_too_long' | 'auth.password_common' | 'auth.password_personal';

/** What is known of the person whose password it is; any of it may be missing. */
export interface PasswordOwner {
  login?: string;
  names?: (string | undefined)[];
  email?: string;
  phone?: string;
}

const lower = (text: string) => text.normalize('NFC').toLocaleLowerCase('az');
/** Digits, punctuation, symbols and spaces at either end ("dragon2026!" is "dragon"). */
const EDGE = /^[\p{N}\p{P}\p{S}\s]+|[\p{N}\p{P}\p{S}\s]+$/gu;

/** The words of the person that a password must not contain (4 characters or more, lower-cased). */
export function personalWords(owner: PasswordOwner): string[] {
  const words = new Set<string>();
  const add = (word: string | undefined) => {
    const w = word ? lower(word.trim()) : '';
    if (w.length >= 4) words.add(w);
  };
  add(owner.login);
  for (const part of (owner.login ?? '').split(/[^\p{L}\p{N}]+/u)) add(part);
  for (const name of owner.names ?? []) for (const part of (name ?? '').split(/[\s'’-]+/u)) add(part);
  const local = owner.email?.split('@')[0];
  add(local);
  for (const part of (local ?? '').split(/[^\p{L}\p{N}]+/u)) add(part);
  const digits = (owner.phone ?? '').replace(/\D/g, '');
  // The last seven digits are the subscriber's number; the nine after +994 its national form.
  if (digits.length >= 7) add(digits.slice(-7));
  if (digits.length >= 9) add(digits.slice(-9));
  return [...words];
}

export function passwordProblem(password: string, owner: PasswordOwner, common: ReadonlySet<string>): PasswordProblem | undefined {
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) return 'auth.password_too_short';
  if (length > PASSWORD_MAX_LENGTH) return 'auth.password_too_long';
  const text = lower(password);
  const stripped = text.replace(EDGE, '');
  if (common.has(text) || (stripped.length > 0 && common.has(stripped)) || /^(.)\1+$/u.test(text)) return 'auth.password_common';
  const squeezed = text.replace(/[^\p{L}\p{N}]+/gu, '');
  const contains = (word: string) => {
    const bare = word.replace(/[^\p{L}\p{N}]+/gu, '');
    return text.includes(word) || (bare.length >= 4 && squeezed.includes(bare));
  };
  if (personalWords(owner).some(contains)) return 'auth.password_personal';
  return undefined;
}

/** The list file's entries: one a line, `#` starts a comment line. */
export function parsePasswordList(text: string): Set<string> {
  return new Set(
    text
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#'))
      .map(lower),
  );
}
