/**
 * An entry of the register of active lawyers (R2.1 i, R2.2), as the Bar office types it on the form
 * or a row of an imported list: normalised, checked field by field (codes at the field), and
 * compared with what the register holds, so each change is kept with who and when.
 */
import { parseDateInput } from '../shared/dates';
import type { FieldError } from '../shared/field-error';
import { isValidEmail, isValidPhone, normalizeEmail, normalizeFin, normalizePhone } from '../shared/identifiers';
import type { RegisterCode } from './codes';

/** A bureau of one is created for the lawyer (an individually practising lawyer, R2.1 ii). */
export const INDIVIDUAL_BUREAU = '__individual__';

/** What the form and the list carry, as text. */
export interface LawyerInput {
  fin: string;
  mobileSignatureUserId: string;
  licenseNumber: string;
  lastName: string;
  firstName: string;
  patronymic: string;
  /** A bureau's ID, or INDIVIDUAL_BUREAU. */
  bureauId: string;
  isHead: boolean;
  /** `YYYY-MM-DD` or ''. */
  practisingSince: string;
  phone: string;
  email: string;
}

export const LAWYER_FIELDS = [
  'fin',
  'mobileSignatureUserId',
  'licenseNumber',
  'lastName',
  'firstName',
  'patronymic',
  'bureauId',
  'isHead',
  'practisingSince',
  'phone',
  'email',
] as const satisfies readonly (keyof LawyerInput)[];
export type LawyerField = (typeof LAWYER_FIELDS)[number];

/** What the register knows around one entry: who else holds the FIN or the licence, and which bureaus exist. */
export interface RegisterContext {
  /** The lawyer being edited (undefined for a new one). */
  selfId?: string;
  finHolder?: string;
  licenceHolder?: string;
  bureauExists: boolean;
}

const TEXT_MAX = 120;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function isCalendarDate(value: string): boolean {
  if (!DATE.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

/** Spaces trimmed, FIN in capitals, phone in +994 form, e-mail in lower case. */
export function normalizeLawyer(input: LawyerInput): LawyerInput {
  const phone = input.phone.trim();
  const email = input.email.trim();
  return {
    fin: normalizeFin(input.fin),
    mobileSignatureUserId: input.mobileSignatureUserId.trim(),
    licenseNumber: input.licenseNumber.trim(),
    lastName: input.lastName.trim(),
    firstName: input.firstName.trim(),
    patronymic: input.patronymic.trim(),
    bureauId: input.bureauId.trim(),
    isHead: input.isHead,
    practisingSince: parseDateInput(input.practisingSince) ?? input.practisingSince.trim(),
    phone: phone && isValidPhone(phone) ? normalizePhone(phone) : phone,
    email: email && isValidEmail(email) ? normalizeEmail(email) : email,
  };
}

const problem = (field: LawyerField, code: string, reason: RegisterCode, params?: Record<string, string | number>): FieldError =>
  params ? { field, code, reason, params } : { field, code, reason };

/** The fields' problems of a normalised entry, in the form's order. */
export function lawyerProblems(entry: LawyerInput, context: RegisterContext): FieldError[] {
  const errors: FieldError[] = [];
  if (!/^[A-Z0-9]{7}$/.test(entry.fin)) errors.push(problem('fin', 'invalid', 'register.fin_invalid'));
  else if (context.finHolder && context.finHolder !== context.selfId) errors.push(problem('fin', 'taken', 'register.fin_taken'));
  if (!/^\d{6}$/.test(entry.mobileSignatureUserId)) errors.push(problem('mobileSignatureUserId', 'invalid', 'register.user_id_invalid'));
  if (!entry.licenseNumber) errors.push(problem('licenseNumber', 'required', 'register.licence_required'));
  else if (entry.licenseNumber.length > 40) errors.push(problem('licenseNumber', 'too_long', 'register.too_long', { max: 40 }));
  else if (context.licenceHolder && context.licenceHolder !== context.selfId) errors.push(problem('licenseNumber', 'taken', 'register.licence_taken'));
  if (!entry.lastName) errors.push(problem('lastName', 'required', 'register.last_name_required'));
  else if (entry.lastName.length > TEXT_MAX) errors.push(problem('lastName', 'too_long', 'register.too_long', { max: TEXT_MAX }));
  if (!entry.firstName) errors.push(problem('firstName', 'required', 'register.first_name_required'));
  else if (entry.firstName.length > TEXT_MAX) errors.push(problem('firstName', 'too_long', 'register.too_long', { max: TEXT_MAX }));
  if (entry.patronymic.length > TEXT_MAX) errors.push(problem('patronymic', 'too_long', 'register.too_long', { max: TEXT_MAX }));
  if (entry.bureauId !== INDIVIDUAL_BUREAU && !context.bureauExists) errors.push(problem('bureauId', 'unknown', 'register.bureau_unknown'));
  if (entry.practisingSince && !isCalendarDate(entry.practisingSince)) errors.push(problem('practisingSince', 'invalid', 'register.date_invalid'));
  if (entry.phone && !isValidPhone(entry.phone)) errors.push(problem('phone', 'invalid', 'register.phone_invalid'));
  if (entry.email && (!isValidEmail(entry.email) || entry.email.length > 200)) errors.push(problem('email', 'invalid', 'register.email_invalid'));
  return errors;
}

/** The register's row of a lawyer, as the comparison needs it. */
export type LawyerValues = Omit<LawyerInput, 'bureauId'> & { bureauId: string; onActiveRegister: boolean };

export interface FieldChange {
  field: LawyerField | 'onActiveRegister';
  old: string | null;
  new: string | null;
}

const asText = (v: string | boolean | null | undefined): string | null => (v === undefined || v === null || v === '' ? null : String(v));

/** The fields that differ, old → new (the history's lines). */
export function lawyerChanges(before: LawyerValues | undefined, after: LawyerValues): FieldChange[] {
  const fields = [...LAWYER_FIELDS, 'onActiveRegister'] as const;
  return fields.map((field) => ({ field, old: before ? asText(before[field]) : null, new: asText(after[field]) })).filter((c) => c.old !== c.new);
}
