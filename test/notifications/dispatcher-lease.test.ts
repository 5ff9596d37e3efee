/**
 * Issue 10 item 2: the dispatcher's claim is a short lease renewed while it sends, so a dispatcher
 * that dies with its batch (SIGKILL: its connection gone, no more renewals) frees the messages
 * within seconds, while a live dispatcher that is slow keeps them. Real PostgreSQL (a database of
 * its own), the development mail sink.
 */
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNotificationActivities, DEFAULT_DISPATCHER_SETTINGS } from '../../activities/notifications/dispatcher';
import { SmtpEmailSender } from '../../activities/notifications/email-sender';
import type { EmailSender, SmsSender } from '../../activities/notifications/types';
import { migrateToLatest } from '../../migrations';
import { connectDatabase, type Knex } from '../../platform/db';
import { createDatabase, dropDatabase } from '../../platform/dev/embedded-postgres';
import { startMailSink, type RunningMailSink } from '../../simulators/mail-sink/sink';
import { testDatabaseUrl } from '../support/system';

const silent = pino({ level: 'silent' });
const noSms: SmsSender = { send: () => Promise.reject(new Error('no SMS in this test')) };

let adminUrl: string;
let databaseName: string;
let databaseUrl: string;
let db: Knex;
let sink: RunningMailSink;
let email: SmtpEmailSender;

beforeAll(async () => {
  const suiteUrl = new URL(testDatabaseUrl());
  databaseName = `evk_dispatcher_lease_${Date.now()}`;
  suiteUrl.pathname = '/postgres';
  adminUrl = suiteUrl.toString();
  databaseUrl = await createDatabase(adminUrl, databaseName);
  db = connectDatabase(databaseUrl, 5);
  await migrateToLatest(db);
  sink = await startMailSink({ smtpPort: 0, webPort: 0 });
  email = new SmtpEmailSender({ host: '127.0.0.1', port: sink.smtpPort, secure: false, from: 'EVK <no-reply@evk.local>' });
});

afterAll(async () => {
  email?.close();
  await sink?.close();
  await db?.destroy();
  if (adminUrl) await dropDatabase(adminUrl, databaseName).catch(() => undefined);
});

async function queueEmails(count: number): Promise<number[]> {
  const rows = await db('outbox')
    .insert(
      Array.from({ length: count }, (_, i) => ({
        dedupe_key: `lease-test:${randomUUID()}`,
        channel: 'email',
        recipient: `person${i}@example.az`,
        subject: `Bildiriş ${i}`,
        body: `Məktub ${i}`,
      })),
    )
    .returning('id');
  return rows.map((r: { id: number }) => Number(r.id));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('issue 10 item 2: the dispatcher releases a dead worker’s messages within seconds', () => {
  it('claims with a lease of seconds, not minutes', () => {
    expect(DEFAULT_DISPATCHER_SETTINGS.leaseMs).toBeLessThanOrEqual(10_000);
    expect(DEFAULT_DISPATCHER_SETTINGS.renewEveryMs).toBeLessThan(DEFAULT_DISPATCHER_SETTINGS.leaseMs / 3);
  });

  it('a slow live dispatcher keeps its batch by renewing; once it is gone, another sends every message of the batch', async () => {
    const ids = await queueEmails(8);
    const settings = { leaseMs: 1_200, renewEveryMs: 200, sendBudgetMs: 60_000, concurrency: 8 };
    // The first dispatcher runs on its own connection pool (its process), and its mail server hangs.
    const doomedDb = connectDatabase(databaseUrl, 2);
    let releaseHung!: (reason: Error) => void;
    const hung = new Promise<never>((_, reject) => (releaseHung = reject));
    const hangingEmail: EmailSender = { send: () => hung };
    const doomed = createNotificationActivities({ db: doomedDb, email: hangingEmail, sms: noSms, secretKey: 'k', log: silent, settings });
    const doomedRun = doomed.dispatchPendingNotifications({ limit: 50 }).catch((error: unknown) => error);
    const other = createNotificationActivities({ db, email, sms: noSms, secretKey: 'k', log: silent, settings });

    // Claimed, and kept well past one lease while its dispatcher lives: nobody else sends them.
    await sleep(2_500);
    expect(await other.dispatchPendingNotifications({ limit: 50 })).toMatchObject({ sent: 0 });
    const held = await db('outbox').whereIn('id', ids).select('status', db.raw('lease_expires_at > now() AS live'));
    expect(held.every((r: { status: string; live: boolean }) => r.status === 'sending' && r.live)).toBe(true);
    expect(sink.messages()).toHaveLength(0);

    // The worker dies: its connections go, its renewals stop. Within a lease the batch is free again.
    await doomedDb.destroy();
    await sleep(settings.leaseMs + 300);
    expect(await other.dispatchPendingNotifications({ limit: 50 })).toMatchObject({ sent: 8, failed: 0, remaining: 0 });
    const rows = await db('outbox').whereIn('id', ids).select('status', 'attempts');
    expect(rows.every((r: { status: string; attempts: number }) => r.status === 'sent' && r.attempts === 2)).toBe(true);
    expect(sink.messages()).toHaveLength(8);

    // The dead dispatcher's sends never return; its call ends without touching the rows.
    releaseHung(new Error('connection reset'));
    await doomedRun;
    const [{ count }] = await db('outbox').whereIn('id', ids).where({ status: 'sent' }).count<{ count: string }[]>({ count: '*' });
    expect(Number(count)).toBe(8);
  });
});
