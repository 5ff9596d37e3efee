/**
 * The calendar ("Təqvim", SPEC R8.4, issue 12): what the JSON routes and the pages call. A lawyer
 * keeps their own meetings; the bureau head also sees the bureau's (filterable by lawyer) and edits
 * only their own. Hearings of joined court cases arrive by the hearing sync (activities/calendar).
 * Each save bumps the meeting's version and re-plans its reminders after the commit; overlaps are a
 * warning. Rules are domain/calendar; refusals are its codes. Any other role: 403 (pages: 404).
 */
/* eslint-disable @typescript-eslint/no-unnecessary-type-assertion -- knex's rows are typed by assertion here, as in the other areas */
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { z } from 'zod';
// Extends zod with .openapi() before the schemas below call it (this module may be loaded first).
import '../http/schemas';
import {
  type Actor,
  checkMeeting,
  type FieldError,
  type Importance,
  type MeetingFields,
  type MeetingInput,
  type MeetingReminder,
  overlapping,
} from '../../domain/calendar';
import type { ReminderPlanner } from '../../activities/calendar/planner';
import { HttpError, invalidInput, notFound } from '../http/errors';

export interface CalendarDeps {
  db: Knex;
  publicUrl: string;
  /** The reminders' door to Temporal; startWeb always gives it. */
  calendar?: ReminderPlanner;
}

const text = (max: number) => z.string().max(max);
const reminderSchema = z
  .object({
    kind: z.enum(['', '1d', '2h', 'custom']),
    amount: z.union([text(20), z.number()]),
    unit: z.enum(['minutes', 'hours', 'days']),
    beforeSeconds: z.number().int(),
    email: z.boolean(),
    sms: z.boolean(),
  })
  .partial();

/** POST /api/calendar/meetings and PATCH …/{id}: dd.mm.yyyy + HH:MM (Baku) or ISO startsAt/endsAt; checked in full by domain/calendar. */
export const meetingInputSchema = z
  .object({
    title: text(1000),
    date: text(40),
    startTime: text(20),
    endTime: text(20),
    startsAt: text(40),
    endsAt: text(40),
    institutionId: text(200),
    place: text(1000),
    link: text(200),
    importance: text(20),
    comment: text(10_000),
    reminders: z.array(reminderSchema).max(20),
  })
  .partial()
  .openapi('MeetingInput');

export interface MeetingRow {
  id: string;
  lawyer_id: string;
  bureau_id: string;
  title: string;
  starts_at: Date;
  ends_at: Date;
  institution_id: string | null;
  place: string | null;
  contract_id: string | null;
  assignment_id: string | null;
  importance: Importance;
  comment: string | null;
  reminders: MeetingReminder[];
  source: 'lawyer' | 'court';
  case_number: string | null;
  version: number;
  status: 'active' | 'cancelled';
  created_at: Date;
  updated_at: Date;
}

/** A meeting as the pages and the API show it: the fields a lawyer writes, and what the cabinet keeps. */
export interface MeetingView extends MeetingFields {
  id: string;
  lawyerId: string;
  lawyerName?: string;
  source: 'lawyer' | 'court';
  caseNumber: string | null;
  version: number;
  status: 'active' | 'cancelled';
  updatedAt: string;
  /** The caller's own: they may edit and cancel it. */
  mine: boolean;
}

/** A save's answer: the meeting and the meetings it overlaps (a warning, not a refusal). */
export interface SavedMeeting {
  meeting: MeetingView;
  warnings: { code: 'calendar.overlap'; meetings: { id: string; title: string; startsAt: string; endsAt: string }[] }[];
}

const iso = (d: Date | string) => new Date(d).toISOString();
const UUID = z.string().uuid();
export const MEETING_COLUMNS = [
  'id',
  'lawyer_id',
  'bureau_id',
  'title',
  'starts_at',
  'ends_at',
  'institution_id',
  'place',
  'contract_id',
  'assignment_id',
  'importance',
  'comment',
  'reminders',
  'source',
  'case_number',
  'version',
  'status',
  'created_at',
  'updated_at',
] as const;

export function viewOf(row: MeetingRow, actor: Actor, lawyerName?: string): MeetingView {
  return {
    id: row.id,
    lawyerId: row.lawyer_id,
    ...(lawyerName ? { lawyerName } : {}),
    title: row.title,
    startsAt: iso(row.starts_at),
    endsAt: iso(row.ends_at),
    institutionId: row.institution_id,
    place: row.place,
    contractId: row.contract_id,
    assignmentId: row.assignment_id,
    importance: row.importance,
    comment: row.comment,
    reminders: row.reminders,
    source: row.source,
    caseNumber: row.case_number,
    version: row.version,
    status: row.status,
    updatedAt: iso(row.updated_at),
    mine: row.lawyer_id === actor.id,
  };
}

export const mustBeLawyer = (actor: Actor) => {
  if (actor.kind !== 'lawyer') throw new HttpError(403, 'forbidden', 'auth.not_for_your_role');
};
const plannerOf = (deps: CalendarDeps): ReminderPlanner => {
  if (!deps.calendar) throw new HttpError(503, 'unavailable', 'common.service_unavailable');
  return deps.calendar;
};

/** Whose meetings the caller may see: their own; a head the bureau's, or one lawyer of it. */
async function scopeOf(deps: CalendarDeps, actor: Actor, lawyerId?: string): Promise<{ lawyerId?: string; bureauId?: string }> {
  mustBeLawyer(actor);
  if (!actor.isHead) {
    if (lawyerId && lawyerId !== actor.id) throw notFound('calendar.lawyer_not_in_bureau');
    return { lawyerId: actor.id };
  }
  if (!lawyerId) return { bureauId: actor.bureauId };
  const colleague = (await deps.db('lawyers').where({ id: lawyerId, bureau_id: actor.bureauId }).first('id')) as { id: string } | undefined;
  if (!colleague) throw notFound('calendar.lawyer_not_in_bureau');
  return { lawyerId };
}

/** The active meetings overlapping [from, to), oldest first; read by `(lawyer_id|bureau_id, starts_at)`. */
export async function meetingsBetween(db: Knex, scope: { lawyerId?: string; bureauId?: string }, from: string, to: string): Promise<MeetingRow[]> {
  const query = db('meetings')
    .where({ status: 'active' })
    // Meetings last at most a week (domain/calendar): the start bound keeps the index range tight.
    .where('starts_at', '>=', new Date(Date.parse(from) - 7 * 86_400_000).toISOString())
    .where('starts_at', '<', to)
    .where('ends_at', '>', from)
    .orderBy([{ column: 'starts_at' }, { column: 'id' }])
    .select(MEETING_COLUMNS.map((c) => `meetings.${c}`));
  if (scope.lawyerId) void query.where('meetings.lawyer_id', scope.lawyerId);
  else void query.where('meetings.bureau_id', scope.bureauId);
  return (await query) as MeetingRow[];
}

/** GET /api/calendar: the caller's (or, for a head, the bureau's) meetings in a range of at most 100 days. */
export async function listCalendar(deps: CalendarDeps, actor: Actor, query: { from: string; to: string; lawyerId?: string }): Promise<MeetingView[]> {
  const scope = await scopeOf(deps, actor, query.lawyerId);
  const [from, to] = [Date.parse(query.from), Date.parse(query.to)];
  if (Number.isNaN(from) || Number.isNaN(to) || to <= from || to - from > 100 * 86_400_000) throw new HttpError(400, 'invalid_input', 'calendar.range_invalid');
  const rows = await meetingsBetween(deps.db, scope, iso(query.from), iso(query.to));
  const names = scope.bureauId ? await lawyerNames(deps.db, scope.bureauId) : new Map<string, string>();
  return rows.map((row) => viewOf(row, actor, names.get(row.lawyer_id)));
}

/** The bureau's lawyers (for the head's filter): ID and name. */
export async function bureauLawyers(db: Knex, bureauId: string): Promise<{ id: string; name: string }[]> {
  const rows = (await db('lawyers').where({ bureau_id: bureauId }).orderBy(['last_name', 'first_name']).select('id', 'first_name', 'last_name')) as {
    id: string;
    first_name: string;
    last_name: string;
  }[];
  return rows.map((r) => ({ id: r.id, name: `${r.last_name} ${r.first_name}` }));
}
const lawyerNames = async (db: Knex, bureauId: string) => new Map((await bureauLawyers(db, bureauId)).map((l) => [l.id, l.name]));

async function loadMeeting(db: Knex | Knex.Transaction, id: string, lock = false): Promise<MeetingRow> {
  if (!UUID.safeParse(id).success) throw notFound('calendar.meeting_not_found');
  const query = db('meetings').where({ id }).first(MEETING_COLUMNS);
  const row = (await (lock ? query.forUpdate() : query)) as MeetingRow | undefined;
  if (!row) throw notFound('calendar.meeting_not_found');
  return row;
}

/** One meeting: its lawyer, or the head of its bureau (R2.5); anyone else 404. */
export async function meetingDetails(deps: CalendarDeps, actor: Actor, id: string): Promise<MeetingView> {
  mustBeLawyer(actor);
  const row = await loadMeeting(deps.db, id);
  if (row.lawyer_id !== actor.id && !(actor.isHead && row.bureau_id === actor.bureauId)) throw notFound('calendar.meeting_not_found');
  return viewOf(row, actor);
}

/** The contracts and assigned cases a meeting may belong to: the lawyer's own only. */
export async function linkOptions(db: Knex, lawyerId: string): Promise<{ value: string; label: string }[]> {
  const contracts = (await db('contracts')
    .where({ lawyer_id: lawyerId })
    .whereNotIn('status', ['discarded'])
    .orderBy('created_at', 'desc')
    .limit(200)
    .select('id', 'number', 'protected_party_name')) as { id: string; number: string; protected_party_name: string | null }[];
  const assignments = (await db('assignments')
    .where({ lawyer_id: lawyerId })
    .orderBy('created_at', 'desc')
    .limit(200)
    .select('id', 'number', 'case_number')) as {
    id: string;
    number: string;
    case_number: string;
  }[];
  return [
    ...contracts.map((c) => ({ value: `contract:${c.id}`, label: [c.number, c.protected_party_name].filter(Boolean).join(' — ') })),
    ...assignments.map((a) => ({ value: `assignment:${a.id}`, label: `${a.number} — ${a.case_number}` })),
  ];
}

export async function institutionList(db: Knex): Promise<{ id: string; name: string }[]> {
  return (await db('institutions').orderBy('name').select('id', 'name')) as { id: string; name: string }[];
}

/** The checked fields, or 400 with every error at its field; the link and the institution must exist and be the lawyer's own. */
async function checkedFields(db: Knex | Knex.Transaction, actor: Actor, input: MeetingInput, isNew: boolean) {
  const { fields, errors } = checkMeeting(input, { now: Date.now(), isNew });
  const more: FieldError[] = [];
  if (fields?.contractId && !(await db('contracts').where({ id: fields.contractId, lawyer_id: actor.id }).whereNot({ status: 'discarded' }).first('id')))
    more.push({ field: 'link', code: 'calendar.link_not_yours' });
  if (fields?.assignmentId && !(await db('assignments').where({ id: fields.assignmentId, lawyer_id: actor.id }).first('id')))
    more.push({ field: 'link', code: 'calendar.link_not_yours' });
  let place = fields?.place ?? null;
  if (fields?.institutionId) {
    const institution = (await db('institutions').where({ id: fields.institutionId }).first('name')) as { name: string } | undefined;
    if (!institution) more.push({ field: 'institutionId', code: 'calendar.institution_unknown' });
    // An institution of the list is the place; a typed place adds to it (a room, a floor).
    else place = place ? `${institution.name}, ${place}` : institution.name;
  }
  const all = [...errors, ...more];
  if (all.length > 0 || !fields) throw invalidInput(all);
  return { ...fields, place: fields.institutionId ? place : fields.place };
}

async function overlapWarnings(db: Knex, actor: Actor, meeting: MeetingRow): Promise<SavedMeeting['warnings']> {
  const around = await meetingsBetween(db, { lawyerId: actor.id }, iso(meeting.starts_at), iso(meeting.ends_at));
  const hits = overlapping(
    around.map((m) => ({ id: m.id, title: m.title, startsAt: iso(m.starts_at), endsAt: iso(m.ends_at) })),
    { id: meeting.id, startsAt: iso(meeting.starts_at), endsAt: iso(meeting.ends_at) },
  );
  return hits.length > 0 ? [{ code: 'calendar.overlap', meetings: hits }] : [];
}

async function planReminders(deps: CalendarDeps, row: MeetingRow) {
  await plannerOf(deps).plan({ id: row.id, version: row.version, startsAt: iso(row.starts_at), endsAt: iso(row.ends_at), reminders: row.reminders });
}

/** "Yadda saxla" on a new meeting (R8.4): saved, then its reminders planned; overlaps come back as a warning. */
export async function createMeeting(deps: CalendarDeps, actor: Actor, input: MeetingInput): Promise<SavedMeeting> {
  mustBeLawyer(actor);
  plannerOf(deps);
  const fields = await checkedFields(deps.db, actor, input, true);
  const id = randomUUID();
  const [row] = (await deps
    .db('meetings')
    .insert({
      id,
      lawyer_id: actor.id,
      bureau_id: actor.bureauId,
      title: fields.title,
      starts_at: fields.startsAt,
      ends_at: fields.endsAt,
      institution_id: fields.institutionId,
      place: fields.place,
      contract_id: fields.contractId,
      assignment_id: fields.assignmentId,
      importance: fields.importance,
      comment: fields.comment,
      reminders: JSON.stringify(fields.reminders),
    })
    .returning(MEETING_COLUMNS)) as MeetingRow[];
  // After the commit, so the reminder's activity reads what was saved; saving again repairs a failed plan.
  await planReminders(deps, row);
  return { meeting: viewOf(row, actor), warnings: await overlapWarnings(deps.db, actor, row) };
}

/**
 * An edit: every field as on creation (a past meeting may be edited). A hearing's time and place
 * are e-court's (the sync keeps them), so they stay as they are. The reminders move with it.
 */
export async function updateMeeting(deps: CalendarDeps, actor: Actor, id: string, input: MeetingInput): Promise<SavedMeeting> {
  mustBeLawyer(actor);
  plannerOf(deps);
  const row = await deps.db.transaction(async (trx) => {
    const current = await loadMeeting(trx, id, true);
    if (current.lawyer_id !== actor.id) throw notFound('calendar.meeting_not_found');
    if (current.status !== 'active') throw new HttpError(409, 'not_allowed_now', 'calendar.meeting_cancelled');
    const court = current.source === 'court';
    const fields = await checkedFields(
      trx,
      actor,
      court ? { ...input, startsAt: iso(current.starts_at), endsAt: iso(current.ends_at), date: undefined } : input,
      false,
    );
    const [updated] = (await trx('meetings')
      .where({ id })
      .update({
        title: fields.title,
        starts_at: fields.startsAt,
        ends_at: fields.endsAt,
        institution_id: court ? current.institution_id : fields.institutionId,
        place: court ? current.place : fields.place,
        contract_id: court ? current.contract_id : fields.contractId,
        assignment_id: court ? current.assignment_id : fields.assignmentId,
        importance: fields.importance,
        comment: fields.comment,
        reminders: JSON.stringify(fields.reminders),
        version: current.version + 1,
        updated_at: trx.fn.now(),
      })
      .returning(MEETING_COLUMNS)) as MeetingRow[];
    return updated;
  });
  await planReminders(deps, row);
  return { meeting: viewOf(row, actor), warnings: await overlapWarnings(deps.db, actor, row) };
}

/** "Ləğv et": the meeting is cancelled and its reminders with it. */
export async function cancelMeeting(deps: CalendarDeps, actor: Actor, id: string): Promise<MeetingView> {
  mustBeLawyer(actor);
  const planner = plannerOf(deps);
  const row = await deps.db.transaction(async (trx) => {
    const current = await loadMeeting(trx, id, true);
    if (current.lawyer_id !== actor.id) throw notFound('calendar.meeting_not_found');
    if (current.status !== 'active') throw new HttpError(409, 'not_allowed_now', 'calendar.meeting_cancelled');
    const [updated] = (await trx('meetings')
      .where({ id })
      .update({ status: 'cancelled', cancelled_at: trx.fn.now(), version: current.version + 1, updated_at: trx.fn.now() })
      .returning(MEETING_COLUMNS)) as MeetingRow[];
    return updated;
  });
  await planner.cancel(row.id);
  return viewOf(row, actor);
}

/** The reminders already sent for a meeting (the page shows "sent", "sent late"). */
export async function remindersSent(db: Knex, meetingId: string): Promise<{ reminderId: string; version: number; dueAt: string; late: boolean }[]> {
  const rows = (await db('meeting_reminder_deliveries')
    .where({ meeting_id: meetingId })
    .orderBy('due_at')
    .select('reminder_id', 'version', 'due_at', 'late')) as {
    reminder_id: string;
    version: number;
    due_at: Date;
    late: boolean;
  }[];
  return rows.map((r) => ({ reminderId: r.reminder_id, version: r.version, dueAt: iso(r.due_at), late: r.late }));
}
