/**
 * The calendar at scale (R8.4, issue 12): `npm run bench -- calendar`. Seeds the demo register and
 * 5,000 meetings of one lawyer over ten years (SQL `generate_series`, each with two reminders), then
 * times what the month view reads (api/calendar/service.ts `meetingsBetween`, the `(lawyer_id,
 * starts_at)` index, whole weeks of a random month) and the personal iCalendar feed (`feedOf`: token
 * look-up, a year back and everything ahead, rendered by ical-generator), one at a time. Prints
 * p50/p95/p99 and writes bench/results/calendar.json.
 *
 * Options: --meetings N (BENCH_CALENDAR_MEETINGS, default 5000), --iterations N (BENCH_CALENDAR_ITERATIONS, default 200).
 */
/* eslint-disable @typescript-eslint/no-unnecessary-type-assertion -- knex's rows are typed by assertion here, as in the other areas */
import './env';
import { performance } from 'node:perf_hooks';
import { feedOf, regenerateFeed } from '../api/calendar/feed';
import { meetingsBetween } from '../api/calendar/service';
import { rangeInstants, viewRange } from '../domain/calendar/grid';
import type { Knex } from '../platform/db';
import { seedDemoData } from '../simulators/demo-seed';
import { runOnOwnDatabase } from './own-database';
import { type Summary, summarize } from './stats';

const say = (message: string) => console.log(`[bench:calendar] ${message}`);
const LAWYER = 'lawyer-mammadov';
/** Issue 12: the month view and the feed of a lawyer with 5,000 meetings answer in under 100 ms at p99. */
const FLOOR_MS = 100;

function option(argv: string[], name: string, env: string, fallback: number): number {
  const i = argv.indexOf(`--${name}`);
  const value = i >= 0 ? argv[i + 1] : process.env[env];
  return value ? Number(value) : fallback;
}

async function seed(db: Knex, meetings: number) {
  await seedDemoData(db);
  const bureau = (await db('lawyers').where({ id: LAWYER }).first('bureau_id')) as { bureau_id: string };
  // Ten years centred on today, spread evenly; an hour each, two reminders (1 day by e-mail, 2 hours by SMS).
  await db.raw(
    `INSERT INTO meetings (id, lawyer_id, bureau_id, title, starts_at, ends_at, place, importance, comment, reminders)
     SELECT gen_random_uuid(), ?, ?, 'Görüş ' || g, t, t + interval '1 hour', 'Bakı Ağır Cinayətlər Məhkəməsi',
            (ARRAY['high','normal','low'])[1 + g % 3], 'Şərh ' || g,
            '[{"id":"r86400","beforeSeconds":86400,"email":true,"sms":false},{"id":"r7200","beforeSeconds":7200,"email":false,"sms":true}]'::jsonb
       FROM generate_series(1, ?) g,
            LATERAL (SELECT now() - interval '5 years' + (g * (interval '10 years' / ?)) AS t) s`,
    [LAWYER, bureau.bureau_id, meetings, meetings],
  );
  await db.raw('ANALYZE meetings');
}

async function time(iterations: number, run: (i: number) => Promise<unknown>): Promise<Summary> {
  const took: number[] = [];
  for (let i = 0; i < iterations + 5; i++) {
    const start = performance.now();
    await run(i);
    if (i >= 5) took.push(performance.now() - start); // the first few warm the pool and the plan cache
  }
  return summarize(took);
}

export async function calendarMain(argv: string[]): Promise<void> {
  const options = {
    meetings: option(argv, 'meetings', 'BENCH_CALENDAR_MEETINGS', 5000),
    iterations: option(argv, 'iterations', 'BENCH_CALENDAR_ITERATIONS', 200),
  };
  const result = await runOnOwnDatabase('calendar', options, say, async (db, o) => {
    const seedStart = performance.now();
    await seed(db, o.meetings);
    say(`seeded the demo register and ${o.meetings} meetings in ${Math.round(performance.now() - seedStart)} ms`);
    const deps = { db, publicUrl: 'http://localhost:3000' };
    const actor = { kind: 'lawyer' as const, id: LAWYER };
    const { url } = await regenerateFeed(deps, actor);
    const file = url.split('/').pop()!;
    const months = Array.from({ length: 120 }, (_, i) => {
      const d = new Date(Date.now() + (i - 60) * 30 * 86_400_000).toISOString().slice(0, 10);
      const { first, last } = viewRange('month', d);
      return rangeInstants(first, last);
    });
    const monthView = await time(o.iterations, (i) => meetingsBetween(db, { lawyerId: LAWYER }, months[i % months.length].from, months[i % months.length].to));
    // The first feed after a start writes every event once (api/calendar/feed.ts keeps their texts).
    const coldStart = performance.now();
    const body = await feedOf(deps, file);
    const feedColdMs = performance.now() - coldStart;
    const feedBytes = body.length;
    const feedEvents = body.split('BEGIN:VEVENT').length - 1;
    const feed = await time(o.iterations, () => feedOf(deps, file));
    say(`month view: p50 ${monthView.p50.toFixed(1)} ms, p95 ${monthView.p95.toFixed(1)} ms, p99 ${monthView.p99.toFixed(1)} ms (floor: p99 < ${FLOOR_MS} ms)`);
    say(
      `feed (${feedEvents} events, ${Math.round(feedBytes / 1024)} KB): p50 ${feed.p50.toFixed(1)} ms, p95 ${feed.p95.toFixed(1)} ms, p99 ${feed.p99.toFixed(1)} ms (floor: p99 < ${FLOOR_MS} ms); the first after a start ${feedColdMs.toFixed(0)} ms`,
    );
    return { monthView, feed, feedColdMs, feedEvents, feedBytes };
  });
  say(`written bench/results/calendar.json (${result.options.meetings} meetings)`);
  const over = [result.monthView.p99 >= FLOOR_MS && 'month view', result.feed.p99 >= FLOOR_MS && 'feed'].filter(Boolean);
  if (over.length > 0) {
    say(`over the ${FLOOR_MS} ms p99 floor: ${over.join(', ')}`);
    process.exitCode = 1;
  }
}

if (require.main === module) void calendarMain(process.argv.slice(2));
