/**
 * Seminars and conferences ("Seminarlar və konfranslar", SPEC R3.1): what the JSON routes and the
 * pages call. The Bar office publishes, edits and cancels events and marks attendance; a lawyer
 * registers and withdraws, for themselves only. A registration or withdrawal locks the event's row
 * (SELECT … FOR UPDATE), so concurrent requests for the last place give it to one lawyer, and the
 * first waiting lawyer moves in within the same transaction that frees the place, with the e-mail
 * queued in it. Rules are domain/seminars; refusals are its codes.
 */
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { z } from 'zod';
// Extends zod with .openapi() before the schemas below call it (this module may be loaded first).
import '../http/schemas';
import {
  type Actor,
  attendanceRefusal,
  cancelRefusal,
  checkSeminar,
  editRefusal,
  type FieldError,
  hoursPerYear,
  placeFor,
  placesToFill,
  registrationRefusal,
  type RegistrationStatus,
  type SeminarDetails,
  type SeminarFacts,
  type SeminarInput,
  type SeminarStatus,
} from '../../domain/seminars';
import { queueSeminarEmails } from '../../activities/seminars/notifications';
import { HttpError, conflict, invalidInput, notFound, refusedWith } from '../http/errors';
import type { SeminarGateway } from './gateway';

export interface SeminarDeps {
  db: Knex;
  publicUrl: string;
  /** The reminders' door to Temporal; startWeb always gives it. */
  seminars?: SeminarGateway;
}

const text = (max: number) => z.string().max(max);
const numberOrText = z.union([z.string().max(20), z.number()]);

/** POST /api/seminars and PATCH /api/seminars/{id}: what the Bar office enters (checked in full by domain/seminars). */
export const seminarInputSchema = z
  .object({
    title: text(1000),
    description: text(20_000),
    startsAt: text(40),
    endsAt: text(40),
    place: text(1000),
    onlineUrl: text(1000),
    capacity: numberOrText,
    hours: numberOrText,
  })
  .partial()
  .openapi('SeminarInput');

/** POST /api/seminars/{id}/attendance: the lawyers who attended; every other registered lawyer did not. */
export const attendanceSchema = z.object({ attended: z.array(text(100)).max(10_000) }).openapi('SeminarAttendance');

export interface SeminarRow {
  id: string;
  title: string;
  description: string;
  starts_at: Date;
  ends_at: Date;
  place: string | null;
  online_url: string | null;
  capacity: number;
  hours_tenths: number;
  status: SeminarStatus;
  created_by: string;
  created_at: Date;
  updated_at: Date;
  cancelled_at: Date | null;
  attendance_marked_at: Date | null;
}

interface RegistrationRow {
  seminar_id: string;
  lawyer_id: string;
  status: RegistrationStatus;
  queued_at: Date;
  registered_at: Date | null;
  cancelled_at: Date | null;
  attended: boolean | null;
}

const iso = (d: Date | string) => new Date(d).toISOString();
/** The rows of a query whose shape knex cannot infer (joins, raw columns, counts). */
const rowsOf = async <T>(query: Knex.QueryBuilder): Promise<T[]> => (await query) as T[];
const factsOf = (row: SeminarRow): SeminarFacts => ({ status: row.status, startsAt: iso(row.starts_at), endsAt: iso(row.ends_at) });
const gatewayOf = (deps: SeminarDeps): SeminarGateway => {
  if (!deps.seminars) throw new HttpError(503, 'unavailable', 'common.service_unavailable');
  return deps.seminars;
};
const mustBeAdmin = (actor: Actor) => {
  if (actor.kind !== 'admin') throw new HttpError(403, 'forbidden', 'auth.not_for_your_role');
};
const mustBeLawyer = (actor: Actor) => {
  if (actor.kind !== 'lawyer') throw new HttpError(403, 'forbidden', 'auth.not_for_your_role');
};
const refusedNow = (refusal: { code: string; params?: Record<string, string | number> }) => refusedWith(409, 'not_allowed_now', refusal);

/** The event's row, locked until the transaction ends (every change of its places goes through here). */
async function lockSeminar(trx: Knex.Transaction, id: string): Promise<SeminarRow> {
  if (!z.string().uuid().safeParse(id).success) throw notFound('seminar.not_found');
  const row = (await trx('seminars').where({ id }).forUpdate().first()) as SeminarRow | undefined;
  if (!row) throw notFound('seminar.not_found');
  return row;
}

async function loadSeminar(db: Knex, id: string): Promise<SeminarRow> {
  if (!z.string().uuid().safeParse(id).success) throw notFound('seminar.not_found');
  const row = (await db('seminars').where({ id }).first()) as SeminarRow | undefined;
  if (!row) throw notFound('seminar.not_found');
  return row;
}

const detailsToColumns = (d: SeminarDetails) => ({
  title: d.title,
  description: d.description,
  starts_at: d.startsAt,
  ends_at: d.endsAt,
  place: d.place ?? null,
  online_url: d.onlineUrl ?? null,
  capacity: d.capacity,
  hours_tenths: d.hoursTenths,
});

function checked(input: SeminarInput, keptStart?: string): SeminarDetails {
  const { errors, details } = checkSeminar(input, new Date(), keptStart);
  if (!details) throw invalidInput(errors);
  return details;
}

/** Moves the first waiting lawyers into the places free now, and queues their e-mails; in the caller's transaction. */
async function fillFreedPlaces(trx: Knex.Transaction, publicUrl: string, seminar: SeminarRow): Promise<string[]> {
  const counts = await countsOf(trx, [seminar.id]);
  const { registered, waiting } = counts.get(seminar.id) ?? { registered: 0, waiting: 0 };
  const n = placesToFill(registered, seminar.capacity, waiting);
  if (n === 0) return [];
  const first = (await trx('seminar_registrations')
    .where({ seminar_id: seminar.id, status: 'waiting' })
    .orderBy([{ column: 'queued_at' }, { column: 'lawyer_id' }])
    .limit(n)
    .pluck('lawyer_id')) as string[];
  const now = new Date();
  await trx('seminar_registrations')
    .where({ seminar_id: seminar.id })
    .whereIn('lawyer_id', first)
    .update({ status: 'registered', registered_at: now, updated_at: now });
  await queueSeminarEmails(
    trx,
    publicUrl,
    { id: seminar.id, title: seminar.title, startsAt: iso(seminar.starts_at) },
    'moved_in',
    String(now.getTime()),
    first,
  );
  return first;
}

async function countsOf(db: Knex | Knex.Transaction, ids: string[]): Promise<Map<string, { registered: number; waiting: number }>> {
  const rows = await rowsOf<{ seminar_id: string; status: 'registered' | 'waiting'; n: string | number }>(
    db('seminar_registrations')
      .whereIn('seminar_id', ids)
      .whereIn('status', ['registered', 'waiting'])
      .groupBy('seminar_id', 'status')
      .select('seminar_id', 'status')
      .count({ n: '*' }),
  );
  const counts = new Map<string, { registered: number; waiting: number }>();
  for (const r of rows) {
    const c = counts.get(r.seminar_id) ?? { registered: 0, waiting: 0 };
    c[r.status] = Number(r.n);
    counts.set(r.seminar_id, c);
  }
  return counts;
}

// ---------------------------------------------------------------- the Bar office

/** R3.1: the Bar office publishes an event; its reminder is planned in the same step (rolled back if Temporal refuses). */
export async function publishSeminar(deps: SeminarDeps, actor: Actor, input: SeminarInput): Promise<string> {
  mustBeAdmin(actor);
  const details = checked(input);
  const id = randomUUID();
  const gateway = gatewayOf(deps);
  await deps.db('seminars').insert({ id, ...detailsToColumns(details), status: 'published', created_by: actor.id });
  // After the commit, so the reminder's activity always reads the event; without a reminder there is no event.
  try {
    await gateway.planReminder(id, details.startsAt);
  } catch (err) {
    await deps.db.transaction(async (trx) => {
      await trx('seminar_registrations').where({ seminar_id: id }).delete();
      await trx('seminars').where({ id }).delete();
    });
    throw err;
  }
  return id;
}

/**
 * The Bar office corrects an event. A new start time re-plans the reminder and tells every lawyer
 * registered or waiting; more places move waiting lawyers in. Fewer places than registrants take
 * nobody's place away: the list only stops growing.
 */
export async function updateSeminar(deps: SeminarDeps, actor: Actor, id: string, input: SeminarInput): Promise<void> {
  mustBeAdmin(actor);
  gatewayOf(deps);
  const startsAt = await deps.db.transaction(async (trx) => {
    const before = await lockSeminar(trx, id);
    const refused = editRefusal(factsOf(before));
    if (refused) throw refusedNow(refused);
    const details = checked(input, iso(before.starts_at));
    await trx('seminars')
      .where({ id })
      .update({ ...detailsToColumns(details), updated_at: new Date() });
    const after = (await trx('seminars').where({ id }).first()) as SeminarRow;
    await fillFreedPlaces(trx, deps.publicUrl, after);
    if (details.startsAt !== iso(before.starts_at)) {
      const told = (await trx('seminar_registrations').where({ seminar_id: id }).whereIn('status', ['registered', 'waiting']).pluck('lawyer_id')) as string[];
      await queueSeminarEmails(trx, deps.publicUrl, { id, title: details.title, startsAt: details.startsAt }, 'rescheduled', details.startsAt, told);
    }
    return details.startsAt;
  });
  // After the commit (the reminder reads what was saved), on every save: telling it the same start
  // again changes nothing, so saving once more repairs a signal that failed.
  await gatewayOf(deps).planReminder(id, startsAt);
}

/** R3.1: the Bar office cancels an event that has not begun; everyone registered or waiting is told, the reminder ends. */
export async function cancelSeminar(deps: SeminarDeps, actor: Actor, id: string): Promise<void> {
  mustBeAdmin(actor);
  const gateway = gatewayOf(deps);
  await deps.db.transaction(async (trx) => {
    const row = await lockSeminar(trx, id);
    const refused = cancelRefusal(factsOf(row), new Date());
    if (refused) throw refusedNow(refused);
    const now = new Date();
    await trx('seminars').where({ id }).update({ status: 'cancelled', cancelled_at: now, updated_at: now });
    const told = (await trx('seminar_registrations').where({ seminar_id: id }).whereIn('status', ['registered', 'waiting']).pluck('lawyer_id')) as string[];
    await queueSeminarEmails(trx, deps.publicUrl, { id, title: row.title, startsAt: iso(row.starts_at) }, 'cancelled', 'cancelled', told);
  });
  // A reminder that fires meanwhile finds the event cancelled and sends nothing.
  await gateway.cancelReminder(id);
}

/** The Bar office marks who attended (from the start on); each registered lawyer not named did not. Returns how many attended. */
export async function markAttendance(deps: Pick<SeminarDeps, 'db'>, actor: Actor, id: string, attended: string[]): Promise<number> {
  mustBeAdmin(actor);
  return deps.db.transaction(async (trx) => {
    const row = await lockSeminar(trx, id);
    const refused = attendanceRefusal(factsOf(row), new Date());
    if (refused) throw refusedNow(refused);
    const registered = new Set((await trx('seminar_registrations').where({ seminar_id: id, status: 'registered' }).pluck('lawyer_id')) as string[]);
    const unknown = attended.filter((l) => !registered.has(l));
    if (unknown.length > 0) {
      const fields: FieldError[] = [{ field: 'attended', code: 'seminar.attendance_not_registered', params: { count: unknown.length } }];
      throw invalidInput(fields);
    }
    const now = new Date();
    const present = [...new Set(attended)];
    await trx('seminar_registrations').where({ seminar_id: id, status: 'registered' }).update({ attended: false, updated_at: now });
    if (present.length > 0)
      await trx('seminar_registrations').where({ seminar_id: id, status: 'registered' }).whereIn('lawyer_id', present).update({ attended: true });
    await trx('seminars').where({ id }).update({ attendance_marked_at: now, updated_at: now });
    return present.length;
  });
}

// ---------------------------------------------------------------- the lawyer

/**
 * A lawyer's own step on an event (R2.5: for themselves only): the event locked, still open for
 * registrations, and the lawyer's registration row if any.
 */
function lawyerStep<T>(
  db: Knex,
  actor: Actor,
  id: string,
  step: (trx: Knex.Transaction, row: SeminarRow, mine: RegistrationRow | undefined) => Promise<T>,
): Promise<T> {
  mustBeLawyer(actor);
  return db.transaction(async (trx) => {
    const row = await lockSeminar(trx, id);
    const refused = registrationRefusal(factsOf(row), new Date());
    if (refused) throw refusedNow(refused);
    const mine = (await trx('seminar_registrations').where({ seminar_id: id, lawyer_id: actor.id }).first()) as RegistrationRow | undefined;
    return step(trx, row, mine);
  });
}

/** R3.1: a lawyer asks for a place: one if there is one, else the end of the waiting list. */
export async function registerForSeminar(deps: Pick<SeminarDeps, 'db'>, actor: Actor, id: string): Promise<RegistrationStatus> {
  return lawyerStep(deps.db, actor, id, async (trx, row, mine) => {
    if (mine && mine.status !== 'cancelled') throw conflict('seminar.already_registered');
    const registered = (await countsOf(trx, [id])).get(id)?.registered ?? 0;
    const status = placeFor(registered, row.capacity);
    const now = new Date();
    const values = {
      status,
      queued_at: trx.raw('clock_timestamp()'),
      registered_at: status === 'registered' ? now : null,
      cancelled_at: null,
      attended: null,
      updated_at: now,
    };
    await trx('seminar_registrations')
      .insert({ seminar_id: id, lawyer_id: actor.id, ...values })
      .onConflict(['seminar_id', 'lawyer_id'])
      .merge(values);
    return status;
  });
}

/** The lawyer withdraws (a place or a place in the queue); a freed place goes to the first waiting lawyer at once. */
export async function cancelRegistration(deps: Pick<SeminarDeps, 'db' | 'publicUrl'>, actor: Actor, id: string): Promise<{ movedIn: number }> {
  return lawyerStep(deps.db, actor, id, async (trx, row, mine) => {
    if (!mine || mine.status === 'cancelled') throw conflict('seminar.not_registered');
    const now = new Date();
    await trx('seminar_registrations').where({ seminar_id: id, lawyer_id: actor.id }).update({ status: 'cancelled', cancelled_at: now, updated_at: now });
    const movedIn = mine.status === 'registered' ? await fillFreedPlaces(trx, deps.publicUrl, row) : [];
    return { movedIn: movedIn.length };
  });
}

// ---------------------------------------------------------------- reads

export interface SeminarSummary {
  id: string;
  title: string;
  description: string;
  startsAt: string;
  endsAt: string;
  place?: string;
  onlineUrl?: string;
  capacity: number;
  hours: number;
  status: SeminarStatus;
  registered: number;
  waiting: number;
  /** The caller's own registration (lawyers): its status, and the place in the queue when waiting. */
  mine?: { status: RegistrationStatus; position?: number; attended?: boolean };
  attendanceMarked: boolean;
  /** What the caller may do now. */
  allowedActions: string[];
}

async function summaries(db: Knex, actor: Actor, rows: SeminarRow[]): Promise<SeminarSummary[]> {
  const ids = rows.map((r) => r.id);
  const counts = await countsOf(db, ids);
  const mine = new Map<string, RegistrationRow & { position: number | null }>();
  if (actor.kind === 'lawyer' && ids.length > 0) {
    const own = await rowsOf<RegistrationRow & { position: string | number | null }>(
      db
        .from('seminar_registrations as r')
        .whereIn('r.seminar_id', ids)
        .andWhere('r.lawyer_id', actor.id)
        .select(
          'r.*',
          db.raw(
            "CASE WHEN r.status = 'waiting' THEN (SELECT count(*) FROM seminar_registrations w WHERE w.seminar_id = r.seminar_id AND w.status = 'waiting' AND (w.queued_at, w.lawyer_id) <= (r.queued_at, r.lawyer_id)) END AS position",
          ),
        ),
    );
    for (const r of own) mine.set(r.seminar_id, { ...r, position: r.position === null ? null : Number(r.position) });
  }
  const now = new Date();
  return rows.map((r) => {
    const c = counts.get(r.id) ?? { registered: 0, waiting: 0 };
    const m = mine.get(r.id);
    const facts = factsOf(r);
    const allowedActions: string[] = [];
    if (actor.kind === 'lawyer' && !registrationRefusal(facts, now)) allowedActions.push(m && m.status !== 'cancelled' ? 'cancel_registration' : 'register');
    if (actor.kind === 'admin') {
      if (!editRefusal(facts)) allowedActions.push('edit');
      if (!cancelRefusal(facts, now)) allowedActions.push('cancel');
      if (!attendanceRefusal(facts, now)) allowedActions.push('mark_attendance');
    }
    return {
      id: r.id,
      title: r.title,
      description: r.description,
      startsAt: iso(r.starts_at),
      endsAt: iso(r.ends_at),
      ...(r.place ? { place: r.place } : {}),
      ...(r.online_url ? { onlineUrl: r.online_url } : {}),
      capacity: r.capacity,
      hours: r.hours_tenths / 10,
      status: r.status,
      registered: c.registered,
      waiting: c.waiting,
      ...(m
        ? {
            mine: {
              status: m.status,
              ...(m.position !== null ? { position: m.position } : {}),
              ...(m.attended !== null ? { attended: m.attended } : {}),
            },
          }
        : {}),
      attendanceMarked: r.attendance_marked_at !== null,
      allowedActions,
    };
  });
}

/** R3.1: upcoming events (not yet ended, soonest first) and past ones (latest first). */
export async function listSeminars(
  deps: Pick<SeminarDeps, 'db'>,
  actor: Actor,
  pastLimit = 50,
): Promise<{ upcoming: SeminarSummary[]; past: SeminarSummary[] }> {
  const now = new Date();
  const upcoming = (await deps.db('seminars').where('ends_at', '>', now).orderBy('starts_at', 'asc').limit(200)) as SeminarRow[];
  const past = (await deps.db('seminars').where('ends_at', '<=', now).orderBy('starts_at', 'desc').limit(pastLimit)) as SeminarRow[];
  return { upcoming: await summaries(deps.db, actor, upcoming), past: await summaries(deps.db, actor, past) };
}

export interface Registrant {
  lawyerId: string;
  name: string;
  status: RegistrationStatus;
  attended?: boolean;
}

/** One event; the Bar office also gets the registrants (registered, then the waiting list in order). */
export async function seminarDetails(
  deps: Pick<SeminarDeps, 'db'>,
  actor: Actor,
  id: string,
): Promise<{ seminar: SeminarSummary; registrants?: Registrant[] }> {
  const row = await loadSeminar(deps.db, id);
  const [seminar] = await summaries(deps.db, actor, [row]);
  if (actor.kind !== 'admin') return { seminar };
  const rows = await rowsOf<{ lawyer_id: string; status: RegistrationStatus; attended: boolean | null; first_name: string; last_name: string }>(
    deps.db
      .from('seminar_registrations as r')
      .join('lawyers as l', 'l.id', 'r.lawyer_id')
      .where('r.seminar_id', id)
      .whereIn('r.status', ['registered', 'waiting'])
      .orderByRaw("CASE r.status WHEN 'registered' THEN 0 ELSE 1 END, r.queued_at, r.lawyer_id")
      .select('r.lawyer_id', 'r.status', 'r.attended', 'l.first_name', 'l.last_name'),
  );
  return {
    seminar,
    registrants: rows.map((r) => ({
      lawyerId: r.lawyer_id,
      name: `${r.last_name} ${r.first_name}`,
      status: r.status,
      ...(r.attended !== null ? { attended: r.attended } : {}),
    })),
  };
}

/** R3.1, R8.1: a lawyer's professional-development hours per calendar year (Baku), from the events attended; newest year first. */
export async function seminarHoursByYear(db: Knex, lawyerId: string): Promise<Array<{ year: number; hours: number }>> {
  const rows = await rowsOf<{ starts_at: Date; hours_tenths: number }>(
    db
      .from('seminar_registrations as r')
      .join('seminars as s', 's.id', 'r.seminar_id')
      .where({ 'r.lawyer_id': lawyerId, 'r.attended': true, 'r.status': 'registered' })
      .andWhereNot('s.status', 'cancelled')
      .select('s.starts_at', 's.hours_tenths'),
  );
  return hoursPerYear(rows.map((r) => ({ startsAt: r.starts_at, hoursTenths: r.hours_tenths })));
}

/**
 * For the Bar office's dashboard: registrations (places and waiting-list entries) asked for in the
 * last 7 days for events still to come and not cancelled.
 */
export async function pendingSeminarRegistrations(db: Knex): Promise<number> {
  const since = new Date(Date.now() - 7 * 86_400_000);
  const [{ n }] = await rowsOf<{ n: string | number }>(
    db
      .from('seminar_registrations as r')
      .join('seminars as s', 's.id', 'r.seminar_id')
      .whereIn('r.status', ['registered', 'waiting'])
      .andWhere('r.queued_at', '>=', since)
      .andWhere('s.status', 'published')
      .andWhere('s.starts_at', '>', new Date())
      .count({ n: '*' }),
  );
  return Number(n);
}

/** The form's fields as the rules read them. */
export function seminarInputOf(values: Record<string, unknown>): SeminarInput {
  const pick = (k: string) => (typeof values[k] === 'string' || typeof values[k] === 'number' ? values[k] : undefined);
  const str = (k: string) => {
    const v = pick(k);
    return v === undefined ? undefined : String(v);
  };
  return {
    title: str('title'),
    description: str('description'),
    startsAt: str('startsAt'),
    endsAt: str('endsAt'),
    place: str('place'),
    onlineUrl: str('onlineUrl'),
    capacity: pick('capacity'),
    hours: pick('hours'),
  };
}
