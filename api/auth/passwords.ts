/**
 * The password rules of domain/access/password-policy.ts with the list of common passwords read
 * once from domain/access/common-passwords.txt; a refusal is a field error with the rule's code.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import bcrypt from 'bcryptjs';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, parsePasswordList, type PasswordOwner, passwordProblem } from '../../domain/access/password-policy';
import { fieldRefusal } from '../http/errors';

let common: Set<string> | undefined;
export function commonPasswords(): ReadonlySet<string> {
  common ??= parsePasswordList(readFileSync(path.resolve(__dirname, '../../domain/access/common-passwords.txt'), 'utf8'));
  return common;
}

/** Throws a field error at `field` when the password breaks a rule. */
export function checkNewPassword(password: string, owner: PasswordOwner, field = 'newPassword'): void {
  const problem = passwordProblem(password, owner, commonPasswords());
  if (problem) fail(field, problem);
}

function fail(field: string, problem: string): never {
  const params: Record<string, number> =
    problem === 'auth.password_too_short' ? { min: PASSWORD_MIN_LENGTH } : problem === 'auth.password_too_long' ? { max: PASSWORD_MAX_LENGTH } : {};
  throw fieldRefusal(field, problem.replace(/^auth\.password_/, ''), problem, params);
}

export const hashPassword = (password: string) => bcrypt.hash(password, 10);

/** A hash no password matches, compared against when the login is unknown (the answer takes as long). */
const NO_ACCOUNT_HASH = bcrypt.hashSync('no account has this password', 10);
export const passwordMatches = (password: string, hash: string | null | undefined) => bcrypt.compare(password, hash ?? NO_ACCOUNT_HASH);
