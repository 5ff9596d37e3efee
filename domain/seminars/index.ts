/**
 * The rules of seminars and conferences ("Seminarlar və konfranslar", SPEC R3.1) in one plain
 * module: what an event must say, when a lawyer may register or cancel, who gets a place and who
 * waits, when the reminder is due, and how attended hours add up. The API, the pages and the
 * reminder workflow all decide with these functions.
 */
import type { Actor } from '../shared/actor';
import { type Refusal, refuse } from '../shared/codes';
import type { FieldError } from '../shared/field-error';
import type { SeminarCode } from './codes';

export type { Actor, FieldError };
export * from './codes';
export * from './reminder';

export const SEMINAR_STATUSES = [
  'published', // open: lawyers see it and register
  'cancelled', // called off by the Bar office; registrants were told
] as const;
export type SeminarStatus = (typeof SEMINAR_STATUSES)[number];

export const REGISTRATION_STATUSES = [
  'registered', // has a place
  'waiting', // on the waiting list, in the order asked
  'cancelled', // the lawyer withdrew (or the event was cancelled)
] as const;
export type RegistrationStatus = (typeof REGISTRATION_STATUSES)[number];

export const TITLE_MAX = 200;
export const DESCRIPTION_MAX = 5000;
export const PLACE_MAX = 300;
export const CAPACITY_MAX = 10_000;
export const HOURS_MAX = 100;

/** What the Bar office types; every value a string as a form sends it (numbers are accepted too). */
export interface SeminarInput {
  title?: string;
  description?: string;
  /** ISO 8601 with an offset, or a form's local `YYYY-MM-DDTHH:mm` (Baku time). */
  startsAt?: string;
  endsAt?: string;
  place?: string;
  onlineUrl?: string;
  capacity?: string | number;
  hours?: string | number;
}

/** An event as the rules know it, once checked. */
export interface SeminarDetails {
  title: string;
  description: string;
  startsAt: string; // ISO, UTC
  endsAt: string;
  place?: string;
  onlineUrl?: string;
  capacity: number;
  /** Hours of professional development in tenths (1.5 h = 15), so sums are exact. */
  hoursTenths: number;
}

const LOCAL_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/;
const ZONED_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/** Baku keeps UTC+4 all year (no summer time since 2016): a form's local time is read as Baku's. */
export function parseDateTime(value: string | undefined): Date | undefined {
  const text = value?.trim() ?? '';
  const iso = LOCAL_DATE_TIME.test(text) ? `${text}+04:00` : ZONED_DATE_TIME.test(text) ? text : undefined;
  if (!iso) return undefined;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** A moment as a `datetime-local` input shows it, in Baku time. */
export function toLocalInput(iso: string): string {
  const d = new Date(new Date(iso).getTime() + 4 * 3_600_000);
  return d.toISOString().slice(0, 16);
}

/** The calendar year of a moment in Baku, for the hours per year. */
export const bakuYear = (iso: string | Date): number => new Date(new Date(iso).getTime() + 4 * 3_600_000).getUTCFullYear();

const err = (field: string, code: SeminarCode, params?: Record<string, string | number>): FieldError => (params ? { field, code, params } : { field, code });

function parseHoursTenths(value: string | number | undefined): number | undefined {
  const text = String(value ?? '')
    .trim()
    .replace(',', '.');
  if (!/^\d{1,3}(\.\d)?$/.test(text)) return undefined;
  const tenths = Math.round(Number(text) * 10);
  return tenths > 0 && tenths <= HOURS_MAX * 10 ? tenths : undefined;
}

function parseCapacity(value: string | number | undefined): number | undefined {
  const text = String(value ?? '').trim();
  if (!/^\d{1,5}$/.test(text)) return undefined;
  const n = Number(text);
  return n >= 1 && n <= CAPACITY_MAX ? n : undefined;
}

function isWebLink(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname.includes('.');
  } catch {
    return false;
  }
}

/**
 * Every field's problem, in form order, and the details when there is none. `now` decides whether
 * the start is in the past; an edit that keeps the start passes `keptStart` so a running event can
 * still be corrected.
 */
export function checkSeminar(input: SeminarInput, now: Date, keptStart?: string): { errors: FieldError[]; details?: SeminarDetails } {
  const errors: FieldError[] = [];
  const title = input.title?.trim() ?? '';
  if (!title) errors.push(err('title', 'seminar.title_required'));
  else if (title.length > TITLE_MAX) errors.push(err('title', 'seminar.title_too_long', { max: TITLE_MAX }));
  const description = input.description?.trim() ?? '';
  if (!description) errors.push(err('description', 'seminar.description_required'));
  else if (description.length > DESCRIPTION_MAX) errors.push(err('description', 'seminar.description_too_long', { max: DESCRIPTION_MAX }));

  const startsAt = parseDateTime(input.startsAt);
  if (!input.startsAt?.trim()) errors.push(err('startsAt', 'seminar.starts_at_required'));
  else if (!startsAt) errors.push(err('startsAt', 'seminar.starts_at_invalid'));
  else if (startsAt.getTime() <= now.getTime() && startsAt.toISOString() !== keptStart) errors.push(err('startsAt', 'seminar.starts_in_past'));
  const endsAt = parseDateTime(input.endsAt);
  if (!input.endsAt?.trim()) errors.push(err('endsAt', 'seminar.ends_at_required'));
  else if (!endsAt) errors.push(err('endsAt', 'seminar.ends_at_invalid'));
  else if (startsAt && endsAt.getTime() <= startsAt.getTime()) errors.push(err('endsAt', 'seminar.ends_before_start'));

  const place = input.place?.trim() ?? '';
  const onlineUrl = input.onlineUrl?.trim() ?? '';
  if (!place && !onlineUrl) errors.push(err('place', 'seminar.place_or_link_required'));
  if (place.length > PLACE_MAX) errors.push(err('place', 'seminar.place_too_long', { max: PLACE_MAX }));
  if (onlineUrl && (onlineUrl.length > 500 || !isWebLink(onlineUrl))) errors.push(err('onlineUrl', 'seminar.online_url_invalid'));

  const capacity = parseCapacity(input.capacity);
  if (capacity === undefined) errors.push(err('capacity', 'seminar.capacity_invalid', { max: CAPACITY_MAX }));
  const hoursTenths = parseHoursTenths(input.hours);
  if (hoursTenths === undefined) errors.push(err('hours', 'seminar.hours_invalid', { max: HOURS_MAX }));

  if (errors.length > 0 || !startsAt || !endsAt || capacity === undefined || hoursTenths === undefined) return { errors };
  return {
    errors,
    details: {
      title,
      description,
      startsAt: startsAt.toISOString(),
      endsAt: endsAt.toISOString(),
      ...(place ? { place } : {}),
      ...(onlineUrl ? { onlineUrl } : {}),
      capacity,
      hoursTenths,
    },
  };
}

/** The facts a decision about an event needs. */
export interface SeminarFacts {
  status: SeminarStatus;
  startsAt: string;
  endsAt: string;
}

export const hasStarted = (s: SeminarFacts, now: Date) => new Date(s.startsAt).getTime() <= now.getTime();

/** R3.1: a lawyer registers for (or withdraws from) an upcoming, published event only. */
export function registrationRefusal(s: SeminarFacts, now: Date): Refusal | undefined {
  if (s.status === 'cancelled') return refuse('seminar.cancelled');
  if (hasStarted(s, now)) return refuse('seminar.already_started');
  return undefined;
}

/** The Bar office edits or cancels an event that is not cancelled; cancelling one that has begun is too late. */
export function editRefusal(s: SeminarFacts): Refusal | undefined {
  return s.status === 'cancelled' ? refuse('seminar.cancelled') : undefined;
}
export function cancelRefusal(s: SeminarFacts, now: Date): Refusal | undefined {
  if (s.status === 'cancelled') return refuse('seminar.cancelled');
  if (hasStarted(s, now)) return refuse('seminar.already_started');
  return undefined;
}

/** Attendance is marked once the event has begun (at the door, or afterwards). */
export function attendanceRefusal(s: SeminarFacts, now: Date): Refusal | undefined {
  if (s.status === 'cancelled') return refuse('seminar.cancelled');
  if (!hasStarted(s, now)) return refuse('seminar.not_started');
  return undefined;
}

/** A new registration: a place while there is one, else the waiting list. */
export const placeFor = (registered: number, capacity: number): 'registered' | 'waiting' => (registered < capacity ? 'registered' : 'waiting');

/** How many waiting lawyers move in when places free (or capacity grows). */
export const placesToFill = (registered: number, capacity: number, waiting: number): number => Math.max(0, Math.min(waiting, capacity - registered));

/** R3.1, R8.1: hours per year from the attended events, newest year first; tenths summed exactly. */
export function hoursPerYear(attended: { startsAt: string | Date; hoursTenths: number }[]): { year: number; hours: number }[] {
  const byYear = new Map<number, number>();
  for (const a of attended) byYear.set(bakuYear(a.startsAt), (byYear.get(bakuYear(a.startsAt)) ?? 0) + a.hoursTenths);
  return [...byYear.entries()].sort(([a], [b]) => b - a).map(([year, tenths]) => ({ year, hours: tenths / 10 }));
}

/** Hours in tenths as people write them: 1.5, 3. */
export const formatHours = (tenths: number): string => (tenths % 10 === 0 ? String(tenths / 10) : (tenths / 10).toFixed(1));
