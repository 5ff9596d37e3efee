/**
 * The meeting workflow's activity (R8.4, issue 12): queues one reminder in the outbox, by e-mail
 * and/or SMS as the lawyer asked, in the lawyer's language. Idempotent: the delivery row (meeting,
 * reminder, version) and the outbox keys `calendar:<meeting>:<reminder>:v<version>:<channel>` make
 * a retry or a replay queue nothing twice; a cancelled or since-edited meeting queues nothing.
 */
/* eslint-disable @typescript-eslint/no-unnecessary-type-assertion -- knex's rows are typed by assertion here, as in the other areas */
import type { Knex } from 'knex';
import type { MeetingReminder } from '../../domain/calendar/meeting';
import type { MeetingReminderActivities, SendMeetingReminderInput } from '../../workflows/calendar/messages';
import { recipientLanguage } from '../notifications/recipient-language';
import { calendarDayUrl, composeReminder } from './notifications';

interface MeetingRow {
  id: string;
  lawyer_id: string;
  status: string;
  version: number;
  starts_at: Date;
  ends_at: Date;
  place: string | null;
  importance: string;
  reminders: MeetingReminder[];
}

export const reminderOutboxKey = (meetingId: string, reminderId: string, version: number, channel: 'email' | 'sms') =>
  `calendar:${meetingId}:${reminderId}:v${version}:${channel}`;

export async function sendMeetingReminder(db: Knex, publicUrl: string, input: SendMeetingReminderInput) {
  return db.transaction(async (trx) => {
    const meeting = (await trx('meetings').where({ id: input.meetingId }).forUpdate().first()) as MeetingRow | undefined;
    if (!meeting || meeting.status !== 'active') return { queued: 0, skipped: 'gone' as const };
    const reminder = meeting.reminders.find((r) => r.id === input.reminderId);
    // Edited since the timer was set: the workflow has (or will have) the newer plan by signal.
    if (meeting.version !== input.version || !reminder) return { queued: 0, skipped: 'stale' as const };
    // The workflow's clock is its task's; the real one decides: a meeting already over is reminded of no more.
    if (Date.now() >= new Date(meeting.ends_at).getTime()) return { queued: 0, skipped: 'over' as const };
    const delivery = await trx('meeting_reminder_deliveries')
      .insert({ meeting_id: meeting.id, reminder_id: reminder.id, version: meeting.version, due_at: input.dueAt, late: input.late })
      .onConflict(['meeting_id', 'reminder_id', 'version'])
      .ignore()
      .returning('meeting_id');
    if (delivery.length === 0) return { queued: 0, skipped: 'repeat' as const };
    const lawyer = (await trx('lawyers').where({ id: meeting.lawyer_id }).first('email', 'phone', 'contact_phone')) as
      { email: string | null; phone: string | null; contact_phone: string | null } | undefined;
    const locale = await recipientLanguage(trx, { kind: 'lawyer', id: meeting.lawyer_id });
    const startsAt = new Date(meeting.starts_at).toISOString();
    const text = composeReminder(locale, {
      startsAt,
      place: meeting.place,
      importance: meeting.importance,
      url: calendarDayUrl(publicUrl, startsAt),
      late: input.late,
    });
    const rows: Record<string, unknown>[] = [];
    if (reminder.email && lawyer?.email)
      rows.push({
        dedupe_key: reminderOutboxKey(meeting.id, reminder.id, meeting.version, 'email'),
        channel: 'email',
        recipient: lawyer.email,
        subject: text.subject,
        body: text.body,
        locale,
      });
    const phone = lawyer?.contact_phone ?? lawyer?.phone;
    if (reminder.sms && phone)
      rows.push({ dedupe_key: reminderOutboxKey(meeting.id, reminder.id, meeting.version, 'sms'), channel: 'sms', recipient: phone, body: text.sms, locale });
    if (rows.length === 0) return { queued: 0 };
    const inserted = await trx('outbox').insert(rows).onConflict('dedupe_key').ignore().returning('id');
    return { queued: inserted.length };
  });
}

export function createMeetingReminderActivities({ db, publicUrl }: { db: Knex; publicUrl: string }): MeetingReminderActivities {
  return { sendMeetingReminder: (input) => sendMeetingReminder(db, publicUrl, input) };
}
