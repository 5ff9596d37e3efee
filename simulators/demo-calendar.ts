/**
 * Demo meetings (development only; R8.4, issue 12): a few hearings and client meetings of the demo
 * lawyers around today, so "Təqvim" is not empty at `npm start`. Written straight into the table
 * with no reminders (reminders are durable workflows the worker plans when a lawyer adds one); the
 * same ids each start, so the seed can run again.
 */
import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import { bakuDay, bakuInstant } from '../domain/shared/dates';
import { ALL_DEMO_LAWYERS } from './demo-data';

const uuidOf = (text: string) => {
  const h = createHash('sha256').update(text).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

/** [days from today, start, end, title, place, importance] */
const MEETINGS: [number, string, string, string, string, 'high' | 'normal' | 'low'][] = [
  [0, '10:00', '11:00', 'Məhkəmə iclası — mülki iş', 'Bakı şəhəri Yasamal Rayon Məhkəməsi', 'high'],
  [0, '15:30', '16:00', 'Müştəri ilə görüş', 'Büro', 'normal'],
  [1, '11:00', '12:30', 'İstintaq hərəkətində iştirak', 'Bakı şəhəri Nəsimi Rayon Polis İdarəsi', 'high'],
  [3, '09:30', '10:00', 'Sənədlərin təqdim edilməsi', 'Bakı Apellyasiya Məhkəməsi', 'normal'],
  [7, '14:00', '15:00', 'Hüquqi məsləhət', 'Büro', 'low'],
  [-2, '10:00', '11:00', 'Məhkəmə iclası (keçib)', 'Bakı şəhəri Xətai Rayon Məhkəməsi', 'normal'],
];

export async function seedDemoCalendar(db: Knex, now = new Date()): Promise<void> {
  const today = bakuDay(now);
  for (const lawyer of ALL_DEMO_LAWYERS.filter((l) => l.onActiveList).slice(0, 4)) {
    for (const [offset, from, to, title, place, importance] of MEETINGS) {
      const day = bakuDay(new Date(Date.parse(`${today}T12:00:00+04:00`) + offset * 86_400_000));
      await db('meetings')
        .insert({
          id: uuidOf(`demo-meeting:${lawyer.key}:${offset}:${from}`),
          lawyer_id: lawyer.key,
          bureau_id: lawyer.bureauKey,
          title,
          starts_at: bakuInstant(day, from),
          ends_at: bakuInstant(day, to),
          place,
          importance,
          reminders: '[]',
        })
        .onConflict('id')
        .ignore();
    }
  }
}
