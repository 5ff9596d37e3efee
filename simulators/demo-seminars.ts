/**
 * Demo seminars (R3.1, issue 11; development only): an upcoming seminar that is full, with a waiting
 * list, and a past conference whose attendance the Bar office has marked, so "Məlumatlar", the
 * Bar office's "Seminarlar" and the hours per year show something at once. Re-seeding keeps the
 * upcoming one in the future; registrations are added once.
 */
import type { Client } from '@temporalio/client';
import type { Knex } from 'knex';
import { SeminarGateway } from '../api/seminars/gateway';

const DAY = 86_400_000;
export const DEMO_UPCOMING_SEMINAR_ID = '5e000000-0000-4000-8000-000000000001';
export const DEMO_PAST_SEMINAR_ID = '5e000000-0000-4000-8000-000000000002';

/** Noon in Baku, `days` from today. */
const bakuAt = (days: number, hour: number) => {
  const d = new Date(Date.now() + days * DAY);
  return new Date(`${d.toISOString().slice(0, 10)}T${String(hour).padStart(2, '0')}:00:00+04:00`);
};

export async function seedDemoSeminars(trx: Knex | Knex.Transaction): Promise<void> {
  const seminars = [
    {
      id: DEMO_UPCOMING_SEMINAR_ID,
      title: 'Cinayət prosesində müdafiəçinin hüquqları',
      description: 'Peşəkar inkişaf seminarı: ittiham aktı ilə tanışlıq, sübutların toplanması və müdafiə taktikası. Təcrübi nümunələr və suallar.',
      starts_at: bakuAt(10, 10),
      ends_at: bakuAt(10, 13),
      place: 'Bakı, Vəkillər Kollegiyası, akt zalı',
      online_url: null,
      capacity: 3,
      hours_tenths: 30,
      status: 'published',
      created_by: 'admin-bar-office',
    },
    {
      id: DEMO_PAST_SEMINAR_ID,
      title: 'Vəkillik fəaliyyətində etika: illik konfrans',
      description: 'Vəkillərin peşə etikası qaydaları, intizam təcrübəsi və müştəri ilə münasibətlər.',
      starts_at: bakuAt(-30, 10),
      ends_at: bakuAt(-30, 16),
      place: null,
      online_url: 'https://meet.example.az/etika-konfransi',
      capacity: 200,
      hours_tenths: 45,
      status: 'published',
      created_by: 'admin-bar-office',
      attendance_marked_at: bakuAt(-29, 12),
    },
  ];
  for (const s of seminars) {
    await trx('seminars')
      .insert(s)
      .onConflict('id')
      .merge(['starts_at', 'ends_at', ...(s.attendance_marked_at ? ['attendance_marked_at'] : [])]);
  }
  const registrations = [
    // Full: three places taken, one lawyer waiting.
    { seminar_id: DEMO_UPCOMING_SEMINAR_ID, lawyer_id: 'head-huseynova', status: 'registered', minutes: 3 },
    { seminar_id: DEMO_UPCOMING_SEMINAR_ID, lawyer_id: 'lawyer-qasimova', status: 'registered', minutes: 2 },
    { seminar_id: DEMO_UPCOMING_SEMINAR_ID, lawyer_id: 'individual-quliyev', status: 'registered', minutes: 1 },
    { seminar_id: DEMO_UPCOMING_SEMINAR_ID, lawyer_id: 'no-contract-celebiyev', status: 'waiting', minutes: 0 },
    // Attended (or not) last month.
    { seminar_id: DEMO_PAST_SEMINAR_ID, lawyer_id: 'lawyer-mammadov', status: 'registered', attended: true, minutes: 60 * 24 * 40 },
    { seminar_id: DEMO_PAST_SEMINAR_ID, lawyer_id: 'head-huseynova', status: 'registered', attended: true, minutes: 60 * 24 * 39 },
    { seminar_id: DEMO_PAST_SEMINAR_ID, lawyer_id: 'lawyer-qasimova', status: 'registered', attended: false, minutes: 60 * 24 * 38 },
  ];
  for (const { minutes, attended, ...r } of registrations) {
    const queuedAt = new Date(Date.now() - minutes * 60_000);
    await trx('seminar_registrations')
      .insert({ ...r, queued_at: queuedAt, registered_at: r.status === 'registered' ? queuedAt : null, attended: attended ?? null })
      .onConflict(['seminar_id', 'lawyer_id'])
      .ignore();
  }
}

/**
 * `npm start`: the demo's upcoming seminar gets its reminder workflow as a published one would
 * (signal-with-start: planning again for the same start changes nothing).
 */
export async function planDemoSeminarReminders(db: Knex, client: Client, taskQueue: string): Promise<void> {
  const gateway = new SeminarGateway({ client, taskQueue });
  const upcoming = await db<{ id: string; starts_at: Date; status: string }>('seminars')
    .where({ status: 'published' })
    .andWhere('starts_at', '>', new Date())
    .select('id', 'starts_at');
  for (const s of upcoming) await gateway.planReminder(s.id, new Date(s.starts_at).toISOString());
}
