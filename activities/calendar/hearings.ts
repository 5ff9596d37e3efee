/**
 * The hearings of joined court cases in the lawyers' calendars (R4.6, R8.4, issue 12). The cases a
 * lawyer joined through "İşi göndər" are read from the contracts' read model (its court filings
 * that e-court confirmed); e-court is asked once per case for its hearings; each hearing is one
 * meeting per lawyer (key `court:<case>:<hearing>:<lawyer>`): new ones are added with a reminder the
 * day before by e-mail, a moved one moves its meeting and reminders (version + 1), a withdrawn one
 * is cancelled. Idempotent: a repeated turn changes nothing.
 */
/* eslint-disable @typescript-eslint/no-unnecessary-type-assertion -- knex's rows are typed by assertion here, as in the other areas */
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { reminderIdOf, type MeetingReminder } from '../../domain/calendar/meeting';
import { DAY_SECONDS } from '../../domain/calendar/reminders';
import { CourtCaseNotFoundError, type ECourt, type ECourtHearing } from '../../integrations/e-court/adapter';
import { translate } from '../../locales';
import type { CourtHearingActivities } from '../../workflows/calendar/messages';
import { recipientLanguage } from '../notifications/recipient-language';
import type { ReminderPlanner } from './planner';

interface JoinedCase {
  contract_id: string;
  lawyer_id: string;
  bureau_id: string;
  case_number: string;
}

interface CourtMeetingRow {
  id: string;
  external_key: string;
  lawyer_id: string;
  status: string;
  version: number;
  starts_at: Date;
  ends_at: Date;
  place: string | null;
  reminders: MeetingReminder[];
}

export const hearingKey = (caseNumber: string, hearingId: string, lawyerId: string) => `court:${caseNumber}:${hearingId}:${lawyerId}`;
/** A new hearing is reminded the day before by e-mail; the lawyer may change that. */
export const HEARING_REMINDERS: MeetingReminder[] = [{ id: reminderIdOf(DAY_SECONDS), beforeSeconds: DAY_SECONDS, email: true, sms: false }];
const placeOf = (h: ECourtHearing) => (h.room ? `${h.courtName}, ${h.room}` : h.courtName);
const iso = (d: Date | string) => new Date(d).toISOString();

/** The cases joined through "İşi göndər": each contract's filings that e-court confirmed. */
export async function joinedCourtCases(db: Knex): Promise<JoinedCase[]> {
  const { rows } = (await db.raw(
    `SELECT DISTINCT c.id AS contract_id, c.lawyer_id, c.bureau_id, f->>'caseNumber' AS case_number
       FROM contracts c CROSS JOIN LATERAL jsonb_array_elements(COALESCE(c.view->'courtFilings', '[]'::jsonb)) f
      WHERE f->>'status' = 'joined'`,
  )) as { rows: JoinedCase[] };
  return rows;
}

export async function syncCourtHearings(deps: { db: Knex; eCourt: ECourt; planner: ReminderPlanner }) {
  const { db, eCourt, planner } = deps;
  const joined = await joinedCourtCases(db);
  const byCase = new Map<string, JoinedCase[]>();
  for (const j of joined) byCase.set(j.case_number, [...(byCase.get(j.case_number) ?? []), j]);
  const counts = { cases: byCase.size, created: 0, moved: 0, cancelled: 0 };
  let unavailable: unknown;
  for (const [caseNumber, lawyers] of byCase) {
    let hearings: ECourtHearing[];
    try {
      hearings = await eCourt.listHearings(caseNumber);
    } catch (error) {
      if (error instanceof CourtCaseNotFoundError) continue;
      unavailable = error; // the other cases still sync; the activity is retried afterwards
      continue;
    }
    for (const lawyer of new Map(lawyers.map((l) => [l.lawyer_id, l])).values()) {
      const changed = await db.transaction(async (trx) => {
        const existing = (await trx('meetings')
          .where('external_key', 'like', `court:${caseNumber}:%:${lawyer.lawyer_id}`)
          .forUpdate()
          .select('id', 'external_key', 'lawyer_id', 'status', 'version', 'starts_at', 'ends_at', 'place', 'reminders')) as CourtMeetingRow[];
        const byKey = new Map(existing.map((m) => [m.external_key, m]));
        const plans: { id: string; version: number; startsAt: string; endsAt: string; reminders: MeetingReminder[]; cancelled?: true }[] = [];
        const locale = await recipientLanguage(trx, { kind: 'lawyer', id: lawyer.lawyer_id });
        for (const h of hearings) {
          const key = hearingKey(caseNumber, h.id, lawyer.lawyer_id);
          const [startsAt, endsAt] = [iso(h.startsAt), iso(h.endsAt)];
          const meeting = byKey.get(key);
          byKey.delete(key);
          if (!meeting) {
            const id = randomUUID();
            await trx('meetings').insert({
              id,
              lawyer_id: lawyer.lawyer_id,
              bureau_id: lawyer.bureau_id,
              title: translate(locale, 'calendar.hearing.title', { caseNumber }),
              starts_at: startsAt,
              ends_at: endsAt,
              place: placeOf(h),
              contract_id: lawyer.contract_id,
              importance: 'high',
              reminders: JSON.stringify(HEARING_REMINDERS),
              source: 'court',
              external_key: key,
              case_number: caseNumber,
            });
            counts.created += 1;
            plans.push({ id, version: 1, startsAt, endsAt, reminders: HEARING_REMINDERS });
          } else if (meeting.status !== 'active' || iso(meeting.starts_at) !== startsAt || iso(meeting.ends_at) !== endsAt || meeting.place !== placeOf(h)) {
            // Rescheduled (or scheduled again after a withdrawal): the meeting and its reminders move.
            const version = meeting.version + 1;
            await trx('meetings')
              .where({ id: meeting.id })
              .update({ starts_at: startsAt, ends_at: endsAt, place: placeOf(h), status: 'active', cancelled_at: null, version, updated_at: trx.fn.now() });
            counts.moved += 1;
            plans.push({ id: meeting.id, version, startsAt, endsAt, reminders: meeting.reminders });
          }
        }
        // Hearings the portal no longer lists: withdrawn.
        for (const gone of byKey.values()) {
          if (gone.status !== 'active') continue;
          await trx('meetings')
            .where({ id: gone.id })
            .update({ status: 'cancelled', cancelled_at: trx.fn.now(), version: gone.version + 1, updated_at: trx.fn.now() });
          counts.cancelled += 1;
          plans.push({ id: gone.id, version: gone.version + 1, startsAt: iso(gone.starts_at), endsAt: iso(gone.ends_at), reminders: [], cancelled: true });
        }
        return plans;
      });
      // After the commit, so the reminder's activity reads what was saved; the next turn repairs a failed signal.
      for (const p of changed) await (p.cancelled ? planner.cancel(p.id) : planner.plan(p));
    }
  }
  if (unavailable instanceof Error) throw unavailable;
  return counts;
}

export function createCourtHearingActivities(deps: { db: Knex; eCourt: ECourt; planner: ReminderPlanner }): CourtHearingActivities {
  return { syncCourtHearings: () => syncCourtHearings(deps) };
}
