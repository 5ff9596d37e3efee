/**
 * Issue 10 item 3 (R4.2, R4.3.1): a dispatcher that dies after the mail server or the SMS gateway
 * accepted a message, before it marked the row sent. Real parts on 127.0.0.1: PostgreSQL (a
 * database of this file's own, since the dispatcher claims every due row), the development mail
 * sink (SMTP) and the SMS gateway simulator with its key file. The "death" is a send that never
 * returns; the row comes back when its (short) lease expires, as after a SIGKILL.
 *
 * What must hold: the SMS reaches the phone once (the gateway knows the key); the e-mail may come
 * twice — SMTP has no idempotency — but both copies carry one Message-ID, so a receiver drops the
 * second; and an activation link that came twice is still one link, dead once used.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNotificationActivities, messageReference } from '../../activities/notifications/dispatcher';
import { SmtpEmailSender } from '../../activities/notifications/email-sender';
import type { EmailSender, OutgoingEmail, OutgoingSms, SmsSender } from '../../activities/notifications/types';
import { HttpSmsGateway } from '../../integrations/sms/adapter';
import { migrateToLatest } from '../../migrations';
import { consumeAccountToken, issueAccountToken } from '../../platform/account-tokens';
import { connectDatabase, type Knex } from '../../platform/db';
import { createDatabase, dropDatabase } from '../../platform/dev/embedded-postgres';
import { encryptSecret } from '../../platform/secret-box';
import { startMailSink, type RunningMailSink } from '../../simulators/mail-sink/sink';
import { startSmsSimulator, type RunningSmsSimulator } from '../../simulators/sms/simulator';
import { testDatabaseUrl } from '../support/system';

const SECRET_KEY = 'test-crash-repeat-secret';
const SMS_API_KEY = 'test-sms-key';
const LEASE_MS = 300;
const silent = pino({ level: 'silent' });

let adminUrl: string;
let databaseName: string;
let db: Knex;
let sink: RunningMailSink;
let smsSim: RunningSmsSimulator;
let email: SmtpEmailSender;
let sms: HttpSmsGateway;
const keyDir = mkdtempSync(path.join(os.tmpdir(), 'evk-crash-repeat-'));

beforeAll(async () => {
  const url = new URL(testDatabaseUrl());
  databaseName = `evk_crash_repeat_${Date.now()}`;
  url.pathname = '/postgres';
  adminUrl = url.toString();
  db = connectDatabase(await createDatabase(adminUrl, databaseName), 6);
  await migrateToLatest(db);
  sink = await startMailSink({ smtpPort: 0 });
  smsSim = await startSmsSimulator(0, { latencyMs: [0, 0], failureRate: 0, apiKey: SMS_API_KEY, stateFile: path.join(keyDir, 'keys.jsonl') });
  email = new SmtpEmailSender({ host: '127.0.0.1', port: sink.smtpPort, secure: false, from: 'EVK <no-reply@evk.local>' });
  sms = new HttpSmsGateway({ baseUrl: smsSim.url, apiKey: SMS_API_KEY, timeoutMs: 5_000 });
});

afterAll(async () => {
  email?.close();
  await sink?.close();
  await smsSim?.close();
  await db?.destroy();
  if (adminUrl) await dropDatabase(adminUrl, databaseName).catch(() => undefined);
  rmSync(keyDir, { recursive: true, force: true });
});

/** A sender that hands the message over for real, then "dies": its answer never comes back. */
function dyingAfterAccept<T extends OutgoingEmail | OutgoingSms>(real: { send(m: T): Promise<{ messageId: string }> }) {
  let accepted!: (id: string) => void;
  const acceptedOnce = new Promise<string>((resolve) => (accepted = resolve));
  return {
    sender: {
      async send(m: T) {
        accepted((await real.send(m)).messageId);
        return new Promise<{ messageId: string }>(() => undefined);
      },
    },
    acceptedOnce,
  };
}

async function queueActivation(channel: 'email' | 'sms', recipient: string): Promise<{ id: number; token: string }> {
  const token = await issueAccountToken(db, { kind: 'applicant', id: `applicant-${randomUUID()}` }, 'activate');
  const [{ id }] = await db('outbox')
    .insert({
      dedupe_key: `test:${randomUUID()}`,
      channel,
      recipient,
      subject: channel === 'email' ? 'Kabinetiniz açıldı' : null,
      body: 'Kabinetinizi bu birdəfəlik keçidlə açın: http://127.0.0.1:3000/activate?token={password}',
      secret_ciphertext: encryptSecret(SECRET_KEY, token),
    })
    .returning<{ id: number }[]>('id');
  return { id, token };
}

const dispatcher = (over: { email?: EmailSender; sms?: SmsSender }) =>
  createNotificationActivities({
    db,
    email: over.email ?? email,
    sms: over.sms ?? sms,
    secretKey: SECRET_KEY,
    log: silent,
    settings: { leaseMs: LEASE_MS, backoffBaseMs: 1 },
  });

/** Waits until the dead dispatcher's lease has run out (a few hundred ms). */
const leaseRunsOut = () => new Promise((resolve) => setTimeout(resolve, LEASE_MS + 100));

describe('a dispatcher killed between "accepted" and "marked sent" (issue 10 item 3)', () => {
  it('issue 10 item 3, R4.3.1: the SMS sent again reaches the phone once; its activation link works once', async () => {
    const { id, token } = await queueActivation('sms', '+994551112233');
    const dying = dyingAfterAccept<OutgoingSms>(sms);
    void dispatcher({ sms: dying.sender }).dispatchPendingNotifications({ limit: 10 });
    const firstId = await dying.acceptedOnce;
    await leaseRunsOut();

    expect(await dispatcher({}).dispatchPendingNotifications({ limit: 10 })).toMatchObject({ sent: 1, failed: 0 });

    const row = await db('outbox').where({ id }).first();
    expect(row).toMatchObject({ status: 'sent', attempts: 2, provider_message_id: firstId, secret_ciphertext: null });
    const onPhone = smsSim.messages().filter((m) => m.to === '+994551112233');
    expect(onPhone).toHaveLength(1);
    expect(onPhone[0].reference).toBe(messageReference(row));
    expect(onPhone[0].text).toContain(`token=${token}`);
    expect(await consumeAccountToken(db, token)).toMatchObject({ kind: 'applicant', purpose: 'activate' });
    expect(await consumeAccountToken(db, token)).toBeUndefined();
  });

  it('issue 10 item 3, R4.3.1: the e-mail may come twice, with one Message-ID and one link, and the link dies at its first use', async () => {
    const { id, token } = await queueActivation('email', 'crash.repeat@example.az');
    const dying = dyingAfterAccept<OutgoingEmail>(email);
    void dispatcher({ email: dying.sender }).dispatchPendingNotifications({ limit: 10 });
    const firstId = await dying.acceptedOnce;
    await leaseRunsOut();

    expect(await dispatcher({}).dispatchPendingNotifications({ limit: 10 })).toMatchObject({ sent: 1, failed: 0 });

    const row = await db('outbox').where({ id }).first();
    expect(row).toMatchObject({ status: 'sent', attempts: 2, secret_ciphertext: null });
    const mails = sink.messages().filter((m) => m.envelopeTo.includes('crash.repeat@example.az'));
    // SMTP cannot refuse a repeat: both copies arrived, but they are recognisably one message.
    expect(mails).toHaveLength(2);
    expect(new Set(mails.map((m) => m.messageId))).toEqual(new Set([firstId]));
    expect(firstId).toBe(`<${messageReference(row)}@evk.local>`);
    // The receiver's view: the later copy is a repeat of one it holds (newest first).
    expect(mails.map((m) => m.repeat)).toEqual([true, false]);
    expect(mails.every((m) => m.text.includes(`token=${token}`))).toBe(true);
    expect(await consumeAccountToken(db, token)).toBeDefined();
    expect(await consumeAccountToken(db, token)).toBeUndefined(); // the second copy's link opens nothing
  });
});

describe('migration 014 seeds the order counters from the numbers issued (issue 10 item 4)', () => {
  it('issue 10 item 4: numbering continues right after the highest order of each year', async () => {
    const migration = await import('../../migrations/014_gapless_numbers_and_message_keys');
    // contract_versions needs a contract; this database is this file's own, so the rows stand alone.
    await db.raw('ALTER TABLE contract_versions DROP CONSTRAINT IF EXISTS contract_versions_contract_id_foreign');
    const version = (n: string, contract: string) => ({ contract_id: contract, version: 1, order_number: n, terms: '{}', issued_at: new Date() });
    await db('contract_versions').insert([
      version('EVO-2025-000007', 'c1'),
      version('EVO-2025-000040', 'c2'),
      version('EVO-2026-000041', 'c3'),
      version('EVO-2026-000018', 'c4'),
    ]);
    await migration.down(db);
    await migration.up(db);
    const rows = await db('number_series').orderBy('year').select('series', 'year', 'last_number');
    expect(rows.map((r: { series: string; year: number; last_number: string }) => [r.series, r.year, Number(r.last_number)])).toEqual([
      ['EVO', 2025, 40],
      ['EVO', 2026, 41],
    ]);
  });
});
