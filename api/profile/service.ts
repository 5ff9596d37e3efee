/**
 * "Profil" (SPEC R8.1–R8.3, issue 11): what the JSON routes and the pages call. A lawyer reads and
 * edits their own profile only; the Bar office reads every lawyer's and decides the change requests
 * (through the ProfileGateway, one workflow per request); reads come from PostgreSQL.
 */
import { seminarHoursByYear } from '../seminars/service';
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { z } from 'zod';
// Extends zod with .openapi(), which the schemas below call when loaded.
import '../http/schemas';
import {
  type Actor,
  checkPhoto,
  type EducationInput,
  EDUCATION_MAX,
  normalizeEducation,
  parseAchievements,
  PHOTO_MAX_MB,
  type PhotoType,
  type ProfileChangeInput,
  type ProfileChangeStatus,
  type ProfileContacts,
  changedContacts,
  reasonError,
  servicesByYear,
  specialisationNameError,
  validateEducation,
  validateProfileChange,
} from '../../domain/profile';
import { CHECKED_TYPES } from '../../domain/shared/file-content';
import type { FileStorage } from '../../platform/file-storage';
import type { ProfileGateway } from './gateway';
import { conflict, fieldRefusal, fromWorkflowError, HttpError, invalidInput, notFound } from '../http/errors';

/** Professional development hours per year (R3.1 seminars attended): the seminars area gives it; the lead wires it. */
export type DevelopmentHoursSource = (lawyerId: string) => Promise<Record<number, number>>;

/** The hours of the seminars and conferences a lawyer attended, per year (api/seminars). */
const seminarHours =
  (db: Knex): DevelopmentHoursSource =>
  async (lawyerId) =>
    Object.fromEntries((await seminarHoursByYear(db, lawyerId)).map((r) => [r.year, r.hours]));

export interface ProfileDeps {
  db: Knex;
  storage: FileStorage;
  profiles?: ProfileGateway;
  developmentHoursOf?: DevelopmentHoursSource;
}

const text = (max: number) => z.string().max(max);
export const profileChangeSchema = z
  .object({ email: text(200), phone: text(40), address: text(400) })
  .partial()
  .openapi('ProfileChange');
export const educationSchema = z
  .object({ institution: text(300), degree: text(300), year: z.union([z.number().int(), text(10)]) })
  .partial()
  .openapi('Education');
export const specialisationsSchema = z.object({ ids: z.array(text(100)).max(50) }).openapi('Specialisations');
export const achievementsSchema = z.object({ items: z.array(text(1000)).max(100) }).openapi('Achievements');
export const specialisationNameSchema = z.object({ name: text(400) }).openapi('SpecialisationName');

const iso = (v: string | Date | null | undefined) => (v == null ? undefined : v instanceof Date ? v.toISOString() : new Date(v).toISOString());
const dateOnly = (v: string | Date | null | undefined) =>
  v == null
    ? undefined
    : v instanceof Date
      ? `${v.getFullYear()}-${String(v.getMonth() + 1).padStart(2, '0')}-${String(v.getDate()).padStart(2, '0')}`
      : String(v).slice(0, 10);

/** The only profile a lawyer may touch is their own; everyone but the Bar office and lawyers gets 403. */
/** A query's rows in the shape we selected (knex types them loosely). */
const typed = <T>(query: PromiseLike<unknown>) => query as PromiseLike<T>;

function ownLawyerId(actor: Actor): string {
  if (actor.kind !== 'lawyer') throw new HttpError(403, 'forbidden', 'profile.own_only');
  return actor.id;
}

function requireOffice(actor: Actor) {
  if (actor.kind !== 'admin') throw new HttpError(403, 'forbidden', 'profile.bar_office_only');
}

function gateway(deps: ProfileDeps): ProfileGateway {
  if (!deps.profiles) throw new HttpError(503, 'unavailable', 'profile.unavailable');
  return deps.profiles;
}

// ---------------------------------------------------------------- reading a profile

interface LawyerRow {
  id: string;
  first_name: string;
  last_name: string;
  patronymic: string | null;
  license_number: string;
  bureau_id: string;
  bureau_name: string;
  email: string | null;
  contact_phone: string | null;
  postal_address: string | null;
  photo_key: string | null;
  photo_type: string | null;
}

interface ChangeRow {
  id: string;
  lawyer_id: string;
  status: ProfileChangeStatus;
  requested: ProfileContacts;
  reason: string | null;
  decided_by: string | null;
  submitted_at: string | Date;
  decided_at: string | Date | null;
  reminded_at: string | Date | null;
}

/** A change request as the API answers it; the photo as a flag and a link, never its storage key. */
export function changeSummary(row: ChangeRow) {
  const { photo, ...contacts } = row.requested;
  return {
    id: row.id,
    lawyerId: row.lawyer_id,
    status: row.status,
    requested: { ...contacts, photo: photo !== undefined },
    reason: row.reason ?? undefined,
    submittedAt: iso(row.submitted_at)!,
    decidedAt: iso(row.decided_at),
    remindedAt: iso(row.reminded_at),
  };
}
export type ProfileChangeSummary = ReturnType<typeof changeSummary>;

async function lawyerRow(db: Knex, lawyerId: string): Promise<LawyerRow> {
  const row = await typed<LawyerRow | undefined>(
    db('lawyers')
      .join('bureaus', 'bureaus.id', 'lawyers.bureau_id')
      .where('lawyers.id', lawyerId)
      .first(
        'lawyers.id',
        'lawyers.first_name',
        'lawyers.last_name',
        'lawyers.patronymic',
        'lawyers.license_number',
        'lawyers.bureau_id',
        'bureaus.name as bureau_name',
        'lawyers.email',
        'lawyers.contact_phone',
        'lawyers.postal_address',
        'lawyers.photo_key',
        'lawyers.photo_type',
      ),
  );
  if (!row) throw notFound('profile.lawyer_not_found');
  return row;
}

/** R8.1 "legal services provided": contracts (past the draft), orders issued and cases assigned (not declined), per year. */
export async function indicatorsOf(deps: Pick<ProfileDeps, 'db' | 'developmentHoursOf'>, lawyerId: string) {
  const { db } = deps;
  const perYear = async (query: Knex.QueryBuilder, column: string) => {
    const rows = await typed<{ year: number; n: string | number }[]>(
      query
        .select(db.raw(`extract(year from ${column})::int as year`))
        .count({ n: '*' })
        .groupByRaw('1'),
    );
    return Object.fromEntries(rows.map((r) => [Number(r.year), Number(r.n)])) as Record<number, number>;
  };
  const contracts = await perYear(db('contracts').where({ lawyer_id: lawyerId }).whereNotIn('status', ['draft', 'discarded']), 'contracts.created_at');
  const orders = await perYear(
    db('contract_versions').join('contracts', 'contracts.id', 'contract_versions.contract_id').where('contracts.lawyer_id', lawyerId),
    'contract_versions.issued_at',
  );
  const assignments = await perYear(db('assignments').where({ lawyer_id: lawyerId }).whereNot({ status: 'declined' }), 'assignments.assigned_at');
  // Professional development hours (R3.1): the attended seminars' hours per year, unless another source is given.
  const hours = await (deps.developmentHoursOf ?? seminarHours(db))(lawyerId);
  return servicesByYear({ contracts, orders, assignments, hours });
}

/** Everything of one lawyer's profile: verified contacts, the pending and the last decided request, R8.1 and R8.3. */
export async function profileOf(deps: Pick<ProfileDeps, 'db' | 'developmentHoursOf'>, lawyerId: string) {
  const { db } = deps;
  const lawyer = await lawyerRow(db, lawyerId);
  const extra = await typed<{ practising_since: string | Date | null; achievements: string[] | null } | undefined>(
    db('lawyers as l').leftJoin('lawyer_profiles as p', 'p.lawyer_id', 'l.id').where('l.id', lawyerId).first('l.practising_since', 'p.achievements'),
  );
  const education = await typed<
    {
      id: string;
      institution: string;
      degree: string;
      year: number;
    }[]
  >(
    db('lawyer_education')
      .where({ lawyer_id: lawyerId })
      .orderBy([{ column: 'year', order: 'desc' }, 'created_at'])
      .select('id', 'institution', 'degree', 'year'),
  );
  const specialisations = await typed<{ id: string; name: string; retired_at: Date | null }[]>(
    db('lawyer_specialisations')
      .join('specialisations', 'specialisations.id', 'lawyer_specialisations.specialisation_id')
      .where('lawyer_specialisations.lawyer_id', lawyerId)
      .orderBy('specialisations.name')
      .select('specialisations.id', 'specialisations.name', 'specialisations.retired_at'),
  );
  const changes = await typed<ChangeRow[]>(db('profile_changes').where({ lawyer_id: lawyerId }).orderBy('submitted_at', 'desc').limit(10).select('*'));
  return {
    lawyerId: lawyer.id,
    name: { firstName: lawyer.first_name, lastName: lawyer.last_name, patronymic: lawyer.patronymic ?? undefined },
    licenseNumber: lawyer.license_number,
    bureau: { id: lawyer.bureau_id, name: lawyer.bureau_name },
    practisingSince: dateOnly(extra?.practising_since),
    contacts: {
      email: lawyer.email ?? undefined,
      phone: lawyer.contact_phone ?? undefined,
      address: lawyer.postal_address ?? undefined,
      photo: lawyer.photo_key !== null,
    },
    pendingChange: changes.filter((c) => c.status === 'pending').map(changeSummary)[0],
    changes: changes.map(changeSummary),
    achievements: extra?.achievements ?? [],
    education,
    specialisations: specialisations.map((s) => ({ id: s.id, name: s.name, retired: s.retired_at !== null })),
    indicators: await indicatorsOf(deps, lawyerId),
  };
}
export type Profile = Awaited<ReturnType<typeof profileOf>>;

/** The lawyer's own profile. */
export const ownProfile = (deps: ProfileDeps, actor: Actor) => profileOf(deps, ownLawyerId(actor));

/** The Bar office's view of a lawyer's profile. */
export async function officeProfile(deps: ProfileDeps, actor: Actor, lawyerId: string) {
  requireOffice(actor);
  return profileOf(deps, lawyerId);
}

/** The verified photo of a lawyer (the lawyer's own, or any for the Bar office); 404 when there is none. */
export async function photoOf(deps: ProfileDeps, actor: Actor, lawyerId?: string): Promise<{ data: Buffer; type: string }> {
  const id = actor.kind === 'admin' && lawyerId ? lawyerId : ownLawyerId(actor);
  const row = await typed<{ photo_key: string | null; photo_type: string | null } | undefined>(
    deps.db('lawyers').where({ id }).first('photo_key', 'photo_type'),
  );
  const data = row?.photo_key ? await deps.storage.get(row.photo_key) : undefined;
  if (!data || !row?.photo_type) throw notFound('common.not_found');
  return { data, type: row.photo_type };
}

/** The photo a request asks for, for the office's verification (and the lawyer who sent it). */
export async function requestedPhotoOf(deps: ProfileDeps, actor: Actor, changeId: string): Promise<{ data: Buffer; type: string }> {
  const row = await loadChange(deps.db, actor, changeId);
  const photo = row.requested.photo;
  const data = photo ? await deps.storage.get(photo.key) : undefined;
  if (!data || !photo) throw notFound('common.not_found');
  return { data, type: photo.type };
}

// ---------------------------------------------------------------- R8.2 change requests

/** R8.2: the lawyer asks for new contacts and/or a photo; pending until the Bar office verifies it. */
export async function submitProfileChange(deps: ProfileDeps, actor: Actor, input: ProfileChangeInput, photo?: Buffer): Promise<ProfileChangeSummary> {
  const lawyerId = ownLawyerId(actor);
  const current = await lawyerRow(deps.db, lawyerId);
  const currentContacts = { email: current.email ?? undefined, phone: current.contact_phone ?? undefined, address: current.postal_address ?? undefined };
  let photoType: PhotoType | undefined;
  if (photo !== undefined && photo.length > 0) {
    const checked = checkPhoto(photo);
    if ('refusal' in checked) throw fieldRefusal('photo', checked.refusal, checked.code, { mb: PHOTO_MAX_MB });
    photoType = checked.type;
  }
  const errors = validateProfileChange(input, photoType !== undefined, currentContacts);
  if (errors.length > 0) throw invalidInput(errors);
  if (await deps.db('profile_changes').where({ lawyer_id: lawyerId, status: 'pending' }).first('id')) throw conflict('profile.change_pending');
  const requested: ProfileContacts = changedContacts(input, currentContacts);
  if (photo && photoType) {
    const key = `profiles/${lawyerId}/photo-${randomUUID()}.${CHECKED_TYPES[photoType].ext}`;
    await deps.storage.put(key, photo);
    requested.photo = { key, type: photoType };
  }
  const { changeId } = await gateway(deps).submit(lawyerId, requested);
  return changeSummary(await waitForChange(deps.db, changeId));
}

/** The gateway writes the request's row before the workflow starts, so this returns at once. */
async function waitForChange(db: Knex, changeId: string): Promise<ChangeRow> {
  const row = await typed<ChangeRow | undefined>(db('profile_changes').where({ id: changeId }).first());
  if (!row) throw notFound('profile.change_not_found');
  return row;
}

/** A request this actor may see: the Bar office any, a lawyer their own; others 404. */
async function loadChange(db: Knex, actor: Actor, changeId: string): Promise<ChangeRow> {
  const row = await typed<ChangeRow | undefined>(db('profile_changes').where({ id: changeId }).first());
  if (!row || !(actor.kind === 'admin' || (actor.kind === 'lawyer' && actor.id === row.lawyer_id))) throw notFound('profile.change_not_found');
  return row;
}

/** A decision through the workflow; a closed one answers 409 with its status, bad input 400 at the field. */
async function decide(deps: ProfileDeps, actor: Actor, changeId: string, step: (g: ProfileGateway) => Promise<unknown>): Promise<ProfileChangeSummary> {
  const before = await loadChange(deps.db, actor, changeId);
  if (before.status !== 'pending') throw conflict('profile.change_closed', { status: before.status });
  try {
    await step(gateway(deps));
  } catch (err) {
    const http = fromWorkflowError(err);
    if (!http) throw err;
    if (http.status === 404) throw conflict('profile.change_closed', { status: before.status });
    throw http;
  }
  return changeSummary(await loadChange(deps.db, actor, changeId));
}

export async function approveChange(deps: ProfileDeps, actor: Actor, changeId: string) {
  requireOffice(actor);
  return decide(deps, actor, changeId, (g) => g.approve(changeId, actor));
}

export async function rejectChange(deps: ProfileDeps, actor: Actor, changeId: string, reason: string) {
  requireOffice(actor);
  const fieldError = reasonError(reason);
  if (fieldError) throw invalidInput([fieldError]);
  return decide(deps, actor, changeId, (g) => g.reject(changeId, actor, reason));
}

export async function withdrawChange(deps: ProfileDeps, actor: Actor, changeId: string) {
  ownLawyerId(actor);
  return decide(deps, actor, changeId, (g) => g.withdraw(changeId, actor));
}

/** For the office dashboard: how many requests wait for verification. */
export async function pendingProfileChanges(db: Knex): Promise<number> {
  const [{ n }] = await typed<{ n: string | number }[]>(db('profile_changes').where({ status: 'pending' }).count({ n: '*' }));
  return Number(n);
}

/** The office's queue: pending first (oldest first, the reminded marked), then the last decided. */
export async function profileChangeQueue(deps: Pick<ProfileDeps, 'db'>, actor: Actor, status: 'pending' | 'decided' = 'pending', limit = 200) {
  requireOffice(actor);
  const query = deps.db('profile_changes').join('lawyers', 'lawyers.id', 'profile_changes.lawyer_id');
  if (status === 'pending') query.where('profile_changes.status', 'pending').orderBy('profile_changes.submitted_at', 'asc');
  else query.whereNot('profile_changes.status', 'pending').orderBy('profile_changes.decided_at', 'desc');
  const rows = await typed<
    (ChangeRow & {
      first_name: string;
      last_name: string;
      current_email: string | null;
      current_phone: string | null;
      current_address: string | null;
    })[]
  >(
    query
      .limit(limit)
      .select(
        'profile_changes.*',
        'lawyers.first_name',
        'lawyers.last_name',
        'lawyers.email as current_email',
        'lawyers.contact_phone as current_phone',
        'lawyers.postal_address as current_address',
      ),
  );
  return rows.map((r) => ({
    ...changeSummary(r),
    lawyerName: `${r.last_name} ${r.first_name}`,
    current: { email: r.current_email ?? undefined, phone: r.current_phone ?? undefined, address: r.current_address ?? undefined },
  }));
}
export type QueueEntry = Awaited<ReturnType<typeof profileChangeQueue>>[number];

// ---------------------------------------------------------------- R8.1 achievements, R8.3 education and specialisations

export async function setAchievements(deps: Pick<ProfileDeps, 'db'>, actor: Actor, raw: string | string[]): Promise<string[]> {
  const lawyerId = ownLawyerId(actor);
  const { items, errors } = parseAchievements(raw);
  if (errors.length > 0) throw invalidInput(errors);
  await deps
    .db('lawyer_profiles')
    .insert({ lawyer_id: lawyerId, achievements: JSON.stringify(items) })
    .onConflict('lawyer_id')
    .merge({ achievements: JSON.stringify(items), updated_at: deps.db.fn.now() });
  return items;
}

export async function addEducation(deps: Pick<ProfileDeps, 'db'>, actor: Actor, input: EducationInput) {
  const lawyerId = ownLawyerId(actor);
  const errors = validateEducation(input, new Date().getFullYear());
  if (errors.length > 0) throw invalidInput(errors);
  const [{ n }] = await typed<{ n: string | number }[]>(deps.db('lawyer_education').where({ lawyer_id: lawyerId }).count({ n: '*' }));
  if (Number(n) >= EDUCATION_MAX) throw invalidInput([{ field: 'institution', code: 'profile.too_many_education', params: { max: EDUCATION_MAX } }]);
  const entry = { id: randomUUID(), ...normalizeEducation(input) };
  await deps.db('lawyer_education').insert({ ...entry, lawyer_id: lawyerId });
  return entry;
}

export async function removeEducation(deps: Pick<ProfileDeps, 'db'>, actor: Actor, id: string): Promise<void> {
  const lawyerId = ownLawyerId(actor);
  const valid = /^[0-9a-f-]{36}$/i.test(id);
  const removed = valid ? await deps.db('lawyer_education').where({ id, lawyer_id: lawyerId }).delete() : 0;
  if (removed === 0) throw notFound('profile.education_not_found');
}

/** R8.3: one or more from the office's list; a retired entry the lawyer already has may stay, no new one may be chosen. */
export async function setSpecialisations(deps: Pick<ProfileDeps, 'db'>, actor: Actor, ids: string[]) {
  const lawyerId = ownLawyerId(actor);
  const wanted = [...new Set(ids.map((s) => s.trim()).filter((s) => s !== ''))];
  if (wanted.length === 0) throw invalidInput([{ field: 'specialisations', code: 'profile.specialisation_required' }]);
  await deps.db.transaction(async (trx) => {
    const held = new Set(await typed<string[]>(trx('lawyer_specialisations').where({ lawyer_id: lawyerId }).pluck('specialisation_id')));
    const known = await typed<{ id: string; retired_at: Date | null }[]>(trx('specialisations').whereIn('id', wanted).select('id', 'retired_at'));
    const allowed = new Set(known.filter((k) => k.retired_at === null || held.has(k.id)).map((k) => k.id));
    if (wanted.some((id) => !allowed.has(id))) throw invalidInput([{ field: 'specialisations', code: 'profile.specialisation_unknown' }]);
    await trx('lawyer_specialisations').where({ lawyer_id: lawyerId }).delete();
    await trx('lawyer_specialisations').insert(wanted.map((id) => ({ lawyer_id: lawyerId, specialisation_id: id })));
  });
  return wanted;
}

/** The office's list of specialisations (R8.3); lawyers see the current entries, the office all. */
export async function specialisationList(deps: Pick<ProfileDeps, 'db'>, includeRetired = false) {
  const query = deps.db('specialisations').orderBy('name');
  if (!includeRetired) query.whereNull('retired_at');
  const rows = await typed<{ id: string; name: string; retired_at: Date | null }[]>(query.select('id', 'name', 'retired_at'));
  return rows.map((r) => ({ id: r.id, name: r.name, retired: r.retired_at !== null }));
}

const slugOf = (name: string) =>
  name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 40) || 'specialisation';

export async function addSpecialisation(deps: Pick<ProfileDeps, 'db'>, actor: Actor, name: string) {
  requireOffice(actor);
  const fieldError = specialisationNameError(name);
  if (fieldError) throw invalidInput([fieldError]);
  const entry = { id: `${slugOf(name)}-${randomUUID().slice(0, 6)}`, name: name.trim() };
  try {
    await deps.db('specialisations').insert(entry);
  } catch (err) {
    if ((err as { code?: string }).code === '23505') throw invalidInput([{ field: 'name', code: 'profile.specialisation_name_taken' }]);
    throw err;
  }
  return { ...entry, retired: false };
}

export async function renameSpecialisation(deps: Pick<ProfileDeps, 'db'>, actor: Actor, id: string, name: string) {
  requireOffice(actor);
  const fieldError = specialisationNameError(name);
  if (fieldError) throw invalidInput([fieldError]);
  try {
    const updated = await deps.db('specialisations').where({ id }).update({ name: name.trim() });
    if (updated === 0) throw notFound('profile.specialisation_not_found');
  } catch (err) {
    if ((err as { code?: string }).code === '23505') throw invalidInput([{ field: 'name', code: 'profile.specialisation_name_taken' }]);
    throw err;
  }
}

/** Retired: no longer offered; lawyers who have it keep it (shown as retired). */
export async function retireSpecialisation(deps: Pick<ProfileDeps, 'db'>, actor: Actor, id: string) {
  requireOffice(actor);
  const updated = await deps.db('specialisations').where({ id }).whereNull('retired_at').update({ retired_at: deps.db.fn.now() });
  if (updated === 0) throw notFound('profile.specialisation_not_found');
}
