/**
 * "Profil" (SPEC R8.1–R8.3), the rules in one plain module that the change-request workflow, the
 * API and the pages share.
 *
 * R8.2: the lawyer's personal data (photo, e-mail, contact phone, address) changes only after the
 * Bar office has verified it. The lawyer asks (one request may carry any of the four), the request
 * waits as `pending`, the office approves it (the values are written to the lawyer) or rejects it
 * with a reason. A lawyer has at most one pending request; another is refused until it is decided
 * or withdrawn. The login phone of the mobile signature (R2.3) is not part of the profile.
 *
 * R8.1 achievements and R8.3 education and specialisations are the lawyer's own statements: they
 * take effect at once and the office sees them on the lawyer's profile (no verification).
 */
import type { Actor } from '../shared/actor';
import { type Refusal, refuse } from '../shared/codes';
import type { FieldError } from '../shared/field-error';
import { checkFileContent, type FileRule } from '../shared/file-content';
import { isValidEmail, isValidPhone, normalizeEmail, normalizePhone } from '../shared/identifiers';
import type { ProfileCode } from './codes';

export type { Actor, FieldError };

export const PROFILE_CHANGE_STATUSES = [
  'pending', // submitted by the lawyer, waiting for the Bar office
  'approved', // verified: the values are the lawyer's
  'rejected', // refused by the Bar office, with a reason
  'withdrawn', // taken back by the lawyer before a decision
] as const;
export type ProfileChangeStatus = (typeof PROFILE_CHANGE_STATUSES)[number];

/** The photo: JPEG or PNG, at most 2 MB (R8.2, issue 11). */
export const PHOTO_TYPES = ['image/jpeg', 'image/png'] as const;
export type PhotoType = (typeof PHOTO_TYPES)[number];
export const PHOTO_MAX_BYTES = 2 * 1024 * 1024;
export const PHOTO_MAX_MB = 2;

export const ADDRESS_MAX = 300;
export const REASON_MAX = 2000;
export const EDUCATION_MAX = 20;
export const ACHIEVEMENTS_MAX = 20;
export const ACHIEVEMENT_MAX_LENGTH = 300;
export const TEXT_MAX = 200;

/** What a change request may carry: the four verified fields; the photo travels as a storage key. */
export interface ProfileContacts {
  email?: string;
  phone?: string;
  address?: string;
  photo?: { key: string; type: PhotoType };
}

/** What the lawyer typed (strings, perhaps empty: an empty field is not part of the request). */
export interface ProfileChangeInput {
  email?: string;
  phone?: string;
  address?: string;
}

const err = (field: string, code: ProfileCode, params?: Record<string, string | number>): FieldError => (params ? { field, code, params } : { field, code });
const filled = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';

/** Every field's problem; `hasPhoto` says a valid photo came with the request. Empty when it may be sent. */
export function validateProfileChange(input: ProfileChangeInput, hasPhoto: boolean, current: ProfileContacts = {}): FieldError[] {
  const errors: FieldError[] = [];
  if (filled(input.email) && !isValidEmail(input.email)) errors.push(err('email', 'profile.email_invalid'));
  if (filled(input.phone) && !isValidPhone(input.phone)) errors.push(err('phone', 'profile.phone_invalid'));
  if (filled(input.address) && input.address.trim().length > ADDRESS_MAX) errors.push(err('address', 'profile.address_too_long', { max: ADDRESS_MAX }));
  if (errors.length === 0 && !hasPhoto && Object.keys(changedContacts(input, current)).length === 0) errors.push(err('email', 'profile.nothing_changed'));
  return errors;
}

/** The fields that differ from the lawyer's current values, normalised (e-mail lower case, phone +994…). */
export function changedContacts(input: ProfileChangeInput, current: ProfileContacts): Omit<ProfileContacts, 'photo'> {
  const out: Omit<ProfileContacts, 'photo'> = {};
  if (filled(input.email) && normalizeEmail(input.email) !== current.email) out.email = normalizeEmail(input.email);
  if (filled(input.phone) && normalizePhone(input.phone) !== current.phone) out.phone = normalizePhone(input.phone);
  if (filled(input.address) && input.address.trim() !== current.address) out.address = input.address.trim();
  return out;
}

/** The profile change's facts the rules decide on. */
export interface ProfileChangeFacts {
  status: ProfileChangeStatus;
  lawyerId: string;
}

export type ProfileChangeAction = 'approve' | 'reject' | 'withdraw';

/** Why this actor may not take this step now, or undefined. Only the office decides; only the lawyer withdraws. */
export function profileChangeRefusal(action: ProfileChangeAction, actor: Actor, f: ProfileChangeFacts): Refusal | undefined {
  if (action === 'withdraw') {
    if (actor.kind !== 'lawyer' || actor.id !== f.lawyerId) return refuse('profile.own_only');
  } else if (actor.kind !== 'admin') return refuse('profile.bar_office_only');
  if (f.status !== 'pending') return refuse('profile.change_closed', { status: f.status });
  return undefined;
}

/** A rejection's reason: required, at most REASON_MAX characters. */
export function reasonError(reason: unknown): FieldError | undefined {
  if (!filled(reason)) return err('reason', 'profile.reason_required');
  if (reason.length > REASON_MAX) return err('reason', 'profile.reason_too_long', { max: REASON_MAX });
  return undefined;
}

// ---------------------------------------------------------------- R8.1 achievements, R8.3 education

export interface EducationInput {
  institution?: string;
  degree?: string;
  year?: string | number;
}
export interface Education {
  institution: string;
  degree: string;
  year: number;
}

/** Every problem of one education entry; `thisYear` bounds the year (from 1940 up to it). */
export function validateEducation(input: EducationInput, thisYear: number): FieldError[] {
  const errors: FieldError[] = [];
  const text = (field: 'institution' | 'degree', required: ProfileCode, tooLong: ProfileCode) => {
    const value = input[field];
    if (!filled(value)) errors.push(err(field, required));
    else if (value.trim().length > TEXT_MAX) errors.push(err(field, tooLong, { max: TEXT_MAX }));
  };
  text('institution', 'profile.institution_required', 'profile.institution_too_long');
  text('degree', 'profile.degree_required', 'profile.degree_too_long');
  const year = Number(typeof input.year === 'string' ? input.year.trim() : input.year);
  if (!Number.isInteger(year) || year < 1940 || year > thisYear) errors.push(err('year', 'profile.year_invalid', { max: thisYear }));
  return errors;
}

export function normalizeEducation(input: EducationInput): Education {
  return { institution: (input.institution ?? '').trim(), degree: (input.degree ?? '').trim(), year: Number(String(input.year).trim()) };
}

/** Achievements: one per line, blank lines dropped; each at most ACHIEVEMENT_MAX_LENGTH, at most ACHIEVEMENTS_MAX. */
export function parseAchievements(raw: string | string[]): { items: string[]; errors: FieldError[] } {
  const items = (Array.isArray(raw) ? raw : raw.split(/\r?\n/)).map((s) => s.trim()).filter((s) => s !== '');
  const errors: FieldError[] = [];
  if (items.length > ACHIEVEMENTS_MAX) errors.push(err('achievements', 'profile.too_many_achievements', { max: ACHIEVEMENTS_MAX }));
  if (items.some((s) => s.length > ACHIEVEMENT_MAX_LENGTH)) errors.push(err('achievements', 'profile.achievement_too_long', { max: ACHIEVEMENT_MAX_LENGTH }));
  return { items, errors };
}

/** A name for the office's list of specialisations. */
export function specialisationNameError(name: unknown): FieldError | undefined {
  if (!filled(name)) return err('name', 'profile.specialisation_name_required');
  if (name.trim().length > TEXT_MAX) return err('name', 'profile.specialisation_name_too_long', { max: TEXT_MAX });
  return undefined;
}

// ---------------------------------------------------------------- R8.1 indicators

/** One year of legal services provided: contracts concluded, orders issued, cases assigned (R8.1). */
export interface ServicesYear {
  year: number;
  contracts: number;
  orders: number;
  assignments: number;
  /** Professional development hours (R3.1 seminars), when known. */
  developmentHours?: number;
}

/** The per-year counts merged into one row per year, newest first, with a total row's numbers. */
export function servicesByYear(counts: {
  contracts: Record<number, number>;
  orders: Record<number, number>;
  assignments: Record<number, number>;
  hours?: Record<number, number>;
}): { years: ServicesYear[]; total: Omit<ServicesYear, 'year'> } {
  const years = new Set<number>();
  for (const part of [counts.contracts, counts.orders, counts.assignments, counts.hours ?? {}]) for (const y of Object.keys(part)) years.add(Number(y));
  const rows = [...years]
    .sort((a, b) => b - a)
    .map((year) => ({
      year,
      contracts: counts.contracts[year] ?? 0,
      orders: counts.orders[year] ?? 0,
      assignments: counts.assignments[year] ?? 0,
      ...(counts.hours ? { developmentHours: counts.hours[year] ?? 0 } : {}),
    }));
  const sum = (k: 'contracts' | 'orders' | 'assignments' | 'developmentHours') => rows.reduce((s, r) => s + (r[k] ?? 0), 0);
  return {
    years: rows,
    total: {
      contracts: sum('contracts'),
      orders: sum('orders'),
      assignments: sum('assignments'),
      ...(counts.hours ? { developmentHours: sum('developmentHours') } : {}),
    },
  };
}

/** R8.2: the photo told by its content (the one content check, domain/shared/file-content.ts). */
const PHOTO_RULE: FileRule<ProfileCode> = {
  field: 'photo',
  maxBytes: PHOTO_MAX_BYTES,
  types: PHOTO_TYPES,
  codes: { empty: 'profile.photo_empty', wrongType: 'profile.photo_wrong_type', tooLarge: 'profile.photo_too_large' },
};

export function checkPhoto(data: Uint8Array): { type: PhotoType } | { refusal: 'required' | 'too_large' | 'wrong_type'; code: ProfileCode } {
  const checked = checkFileContent(data, PHOTO_RULE);
  if ('refusal' in checked) return { refusal: checked.refusal.short, code: checked.refusal.code };
  return { type: checked.type as PhotoType };
}
