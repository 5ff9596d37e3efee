/** The reminder workflow's activity (R3.1): the day-before e-mail to every lawyer registered at that moment. */
import type { Knex } from 'knex';
import type { SeminarReminderActivities } from '../../workflows/seminars/messages';
import { queueSeminarEmails } from './notifications';

export function createSeminarActivities({ db, publicUrl }: { db: Knex; publicUrl: string }): SeminarReminderActivities {
  return {
    async queueSeminarReminders({ seminarId, startsAt }) {
      return db.transaction(async (trx) => {
        const seminar = await trx<{ id: string; title: string; status: string; starts_at: Date }>('seminars').where({ id: seminarId }).first();
        // Gone, cancelled or moved since the timer was set: the workflow hears of the move by signal.
        if (!seminar || seminar.status !== 'published' || new Date(seminar.starts_at).toISOString() !== startsAt) return { queued: 0 };
        const registered = await trx('seminar_registrations').where({ seminar_id: seminarId, status: 'registered' }).pluck('lawyer_id');
        // The start time is the event key: a reminder per start time, never twice for the same one.
        const queued = await queueSeminarEmails(
          trx,
          publicUrl,
          { id: seminarId, title: seminar.title, startsAt },
          'reminder',
          startsAt,
          registered as string[],
        );
        return { queued };
      });
    },
  };
}
