/**
 * Notifications (R4.2, R4.3.1): the outbox dispatcher against a real PostgreSQL, the development
 * mail sink (a real SMTP server) and the SMS gateway simulator, all on 127.0.0.1.
 *
 * The dispatcher claims every due row of its database, so these tests use a database of their own
 * on the suite's PostgreSQL (the contract tests leave pending messages in the shared one).
 */
import { randomUUID } from 'node:crypto';
import net from 'node:net';
import pino from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { composeMessage, type MessageContext } from '../../activities/notifications/messages';
import {
  createNotificationActivities,
  requeueFailedNotifications,
  retryDelayMs,
  type NotificationActivityDeps,
} from '../../activities/notifications/dispatcher';
import { SmtpEmailSender } from '../../activities/notifications/email-sender';
import type { NotificationActivities, OutgoingEmail, OutgoingSms } from '../../activities/notifications/types';
import { startMailSink, type RunningMailSink } from '../../simulators/mail-sink/sink';
import { HttpSmsGateway } from '../../integrations/sms/adapter';
import { smsSegments, startSmsSimulator, type RunningSmsSimulator } from '../../simulators/sms/simulator';
import { migrateToLatest } from '../../migrations';
import { connectDatabase, type Knex } from '../../platform/db';
import { createDatabase, dropDatabase } from '../../platform/dev/embedded-postgres';
import { encryptSecret } from '../../platform/secret-box';
import { testDatabaseUrl } from '../support/system';

const SECRET_KEY = 'test-notifications-secret';
const SMS_API_KEY = 'test-sms-key';
const MAIL_FROM = 'Elektron Vəkil Kabineti <no-reply@evk.local>';
const silent = pino({ level: 'silent' });

const AZ_SUBJECT = '№ M-2025-000042 müqaviləsi təsdiqə göndərildi — Şəki, Gəncə, Ağdaş';
const AZ_BODY =
  'Hörmətli müraciət edən şəxs,\n\nVəkil Əliyev Rəşad Ülvi oğlu («Ədalət» vəkil bürosu) Qasımova Gülnarə Fərid qızı üçün № M-2025-000042 hüquqi yardım müqaviləsini hazırlayıb.\nÇəkişmə, şikayət, İƏİ, ĞÖÜÇŞİ ğöüçşı.\nKabinet: http://127.0.0.1:3000/cabinet';
const AZ_SMS = 'EVK: № M-2025-000042 müqaviləsi təsdiqə göndərildi. Şəxsi kabinet: http://127.0.0.1:3000/cabinet';

let adminUrl: string;
let databaseName: string;
let db: Knex;
let sink: RunningMailSink;
let smsSim: RunningSmsSimulator;
let email: SmtpEmailSender;
let sms: HttpSmsGateway;
let dispatcher: NotificationActivities;
const closers: (() => unknown)[] = [];

function activities(overrides: Partial<NotificationActivityDeps> = {}): NotificationActivities {
  return createNotificationActivities({ db, email, sms, secretKey: SECRET_KEY, log: silent, ...overrides });
}

function smtpSender(port: number): SmtpEmailSender {
  const sender = new SmtpEmailSender({
    host: '127.0.0.1',
    port,
    secure: false,
    from: MAIL_FROM,
    connectionTimeoutMs: 2_000,
    greetingTimeoutMs: 2_000,
    socketTimeoutMs: 5_000,
  });
  closers.push(() => sender.close());
  return sender;
}

async function queue(row: { channel: 'email' | 'sms'; recipient: string; subject?: string; body: string; secret?: string }): Promise<number> {
  const [{ id }] = await db('outbox')
    .insert({
      dedupe_key: `test:${randomUUID()}`,
      channel: row.channel,
      recipient: row.recipient,
      subject: row.subject ?? null,
      body: row.body,
      secret_ciphertext: row.secret ? encryptSecret(SECRET_KEY, row.secret) : null,
    })
    .returning('id');
  return Number(id);
}

/** A port nothing listens on (a mail server that is down). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

const outboxRow = (id: number) => db('outbox').where({ id }).first();
/** The reference every send of a row carries (issue 10 item 3): `evk-<the row's idempotency key>`. */
const referenceOf = async (id: number) => `evk-${(await outboxRow(id)).idempotency_key as string}`;

beforeAll(async () => {
  const suiteUrl = new URL(testDatabaseUrl());
  databaseName = `evk_notifications_${Date.now()}`;
  suiteUrl.pathname = '/postgres';
  adminUrl = suiteUrl.toString();
  db = connectDatabase(await createDatabase(adminUrl, databaseName), 10);
  await migrateToLatest(db);
  sink = await startMailSink({ smtpPort: 0, webPort: 0 });
  smsSim = await startSmsSimulator(0, { latencyMs: [0, 0], failureRate: 0, apiKey: SMS_API_KEY, mailCatcherUrl: sink.url });
  email = smtpSender(sink.smtpPort);
  sms = new HttpSmsGateway({ baseUrl: smsSim.url, apiKey: SMS_API_KEY, timeoutMs: 5_000 });
  dispatcher = activities();
});

afterAll(async () => {
  for (const close of closers) await close();
  await sink?.close();
  await smsSim?.close();
  await db?.destroy();
  if (adminUrl) await dropDatabase(adminUrl, databaseName).catch(() => undefined);
});

beforeEach(async () => {
  await db('outbox').delete();
  sink.clear();
  smsSim.clear();
});

describe('notification dispatcher (R4.2, R4.3.1)', () => {
  it('R4.2 an e-mail reaches the SMTP server with its Azerbaijani subject and text intact', async () => {
    const id = await queue({ channel: 'email', recipient: 'gulnare.qasimova@example.az', subject: AZ_SUBJECT, body: AZ_BODY });

    expect(await dispatcher.dispatchPendingNotifications({ limit: 10 })).toEqual({ sent: 1, failed: 0, remaining: 0 });

    const [mail] = sink.messages();
    expect(sink.messages()).toHaveLength(1);
    expect(mail.envelopeTo).toEqual(['gulnare.qasimova@example.az']);
    expect(mail.subject).toBe(AZ_SUBJECT);
    expect(mail.text).toBe(AZ_BODY);
    expect(mail.from).toBe(MAIL_FROM);
    expect(mail.messageId).toBe(`<${await referenceOf(id)}@evk.local>`);
    const row = await outboxRow(id);
    expect(row).toMatchObject({ status: 'sent', attempts: 1, last_error: null, secret_ciphertext: null, lease_expires_at: null });
    expect(row.sent_at).toBeInstanceOf(Date);
    expect(row.provider_message_id).toBe(`<${await referenceOf(id)}@evk.local>`);
  });

  it('R4.2 an SMS reaches the SMS gateway with its Azerbaijani text intact', async () => {
    const id = await queue({ channel: 'sms', recipient: '+994501234567', body: AZ_SMS });

    expect(await dispatcher.dispatchPendingNotifications({ limit: 10 })).toEqual({ sent: 1, failed: 0, remaining: 0 });

    const listed = (await (await fetch(`${smsSim.url}/simulator/api/messages?to=%2B994501234567`)).json()) as {
      messages: { text: string; reference: string; encoding: string; messageId: string }[];
    };
    expect(listed.messages).toHaveLength(1);
    expect(listed.messages[0]).toMatchObject({ text: AZ_SMS, reference: await referenceOf(id), encoding: 'UCS-2' });
    const row = await outboxRow(id);
    expect(row).toMatchObject({ status: 'sent', attempts: 1, provider_message_id: listed.messages[0].messageId });
  });

  // Issue 9 item 1: the secret is now the one-time activation token of the link, not a password.
  it('R4.3.1 the activation message carries its one-time link in the delivered mail and SMS, while the database keeps only the placeholder and loses the secret', async () => {
    const password = 'Xy7_kP2mQ9zrAbCdEfGhIjKlMnOpQrStUvWxYz01234';
    const context: MessageContext = {
      contractNumber: 'M-2025-000042',
      lawyerName: 'Əliyev Rəşad',
      bureauName: 'Ədalət',
      protectedPartyName: 'Qasımova Gülnarə',
      amountDue: '300.00',
      cabinetUrl: 'http://127.0.0.1:3000/cabinet',
      contractUrl: 'http://127.0.0.1:3000/contracts/2025-000042',
      login: 'gulnare@example.az',
      activationUrl: 'http://127.0.0.1:3000/activate?token=',
    };
    const mailText = composeMessage('cabinet_credentials', 'applicant', 'email', 'az', context)!;
    const smsText = composeMessage('cabinet_credentials', 'applicant', 'sms', 'az', context)!;
    expect(mailText.body).toContain('{password}');
    const mailId = await queue({ channel: 'email', recipient: 'gulnare@example.az', subject: mailText.subject, body: mailText.body, secret: password });
    const smsId = await queue({ channel: 'sms', recipient: '+994551112233', body: smsText.body, secret: password });

    expect(await dispatcher.dispatchPendingNotifications({ limit: 10 })).toEqual({ sent: 2, failed: 0, remaining: 0 });

    const [mail] = sink.messages();
    expect(mail.text).toContain(`/activate?token=${password}\nGiriş: gulnare@example.az\n`);
    expect(mail.text).not.toContain('{password}');
    expect(mail.text).toBe(mailText.body.replace('{password}', password));
    const [text] = smsSim.messages();
    expect(text.text).toBe(smsText.body.replace('{password}', password));

    for (const [id, body] of [
      [mailId, mailText.body],
      [smsId, smsText.body],
    ] as const) {
      const row = await outboxRow(id);
      expect(row.status).toBe('sent');
      expect(row.secret_ciphertext).toBeNull();
      expect(row.body).toBe(body);
      expect(row.body).toContain('{password}');
      expect(JSON.stringify(row)).not.toContain(password);
    }
  });

  it('R4.2 R4.3.1 while the mail server is down the message stays pending with last_error and a later next_attempt_at, keeps its secret, and goes out once the server is back', async () => {
    const password = 'Pw-Only-In-Mail-77';
    const smtpPort = sink.smtpPort;
    const id = await queue({
      channel: 'email',
      recipient: 'applicant@example.az',
      subject: 'Elektron Vəkil Kabineti: girişiniz',
      body: 'Şifrə: {password}',
      secret: password,
    });
    await sink.close();
    try {
      const before = Date.now();
      expect(await dispatcher.dispatchPendingNotifications({ limit: 10 })).toEqual({ sent: 0, failed: 1, remaining: 0 });

      const failed = await outboxRow(id);
      expect(failed).toMatchObject({ status: 'pending', attempts: 1, sent_at: null });
      expect(failed.last_error).toMatch(/SMTP 127\.0\.0\.1:\d+/);
      expect(failed.last_error).not.toContain(password);
      expect(failed.secret_ciphertext).not.toBeNull();
      expect((failed.next_attempt_at as Date).getTime()).toBeGreaterThanOrEqual(before + retryDelayMs(1) - 1_000);

      // Not due yet: the next round leaves it alone.
      expect(await dispatcher.dispatchPendingNotifications({ limit: 10 })).toEqual({ sent: 0, failed: 0, remaining: 0 });
      expect((await outboxRow(id)).attempts).toBe(1);
    } finally {
      sink = await startMailSink({ smtpPort, webPort: Number(new URL(sink.url!).port) });
    }

    // Time passes: the retry is due.
    await db('outbox').where({ id }).update({ next_attempt_at: db.fn.now() });
    expect(await dispatcher.dispatchPendingNotifications({ limit: 10 })).toEqual({ sent: 1, failed: 0, remaining: 0 });
    expect(sink.messages().map((m) => m.text)).toEqual([`Şifrə: ${password}`]);
    expect(await outboxRow(id)).toMatchObject({ status: 'sent', attempts: 2, last_error: null, secret_ciphertext: null });
  });

  it('R4.2 retries back off exponentially (5 s · 2^(n−1), at most 15 min) and give up after 10 attempts; a refused number fails at once; failed messages can be requeued', async () => {
    expect([1, 2, 3, 4, 5, 8, 9, 10, 40].map((n) => retryDelayMs(n) / 1000)).toEqual([5, 10, 20, 40, 80, 640, 900, 900, 900]);

    const deadSmtp = activities({ email: smtpSender(await freePort()) });
    const lastTry = await queue({ channel: 'email', recipient: 'head@example.az', subject: 'Təsdiqə gələn iş', body: 'Təsdiqinizi gözləyir.' });
    await db('outbox').where({ id: lastTry }).update({ attempts: 9 });
    const badNumber = await queue({ channel: 'sms', recipient: '+12', body: 'EVK: test' });

    expect(await deadSmtp.dispatchPendingNotifications({ limit: 10 })).toEqual({ sent: 0, failed: 2, remaining: 0 });
    expect(await outboxRow(lastTry)).toMatchObject({ status: 'failed', attempts: 10 });
    expect(await outboxRow(badNumber)).toMatchObject({ status: 'failed', attempts: 1, last_error: expect.stringContaining('INVALID_PHONE') });

    await db('outbox').where({ id: badNumber }).update({ recipient: '+994701234567' });
    expect(await requeueFailedNotifications(db, { ids: [lastTry, badNumber] })).toBe(2);
    expect(await dispatcher.dispatchPendingNotifications({ limit: 10 })).toEqual({ sent: 2, failed: 0, remaining: 0 });
  });

  it('R4.2 a message left in "sending" by a crashed dispatcher returns to pending when its lease expires and is then sent; a live lease is respected', async () => {
    const crashed = await queue({ channel: 'email', recipient: 'a@example.az', subject: 'Ödəniş qəbul edildi', body: 'Ödənişiniz qəbul edildi.' });
    const live = await queue({ channel: 'email', recipient: 'b@example.az', subject: 'Ödəniş qəbul edildi', body: 'Ödənişiniz qəbul edildi.' });
    await db('outbox')
      .where({ id: crashed })
      .update({ status: 'sending', attempts: 1, claim_token: 'dead-dispatcher', lease_expires_at: db.raw("now() - interval '1 second'") });
    await db('outbox')
      .where({ id: live })
      .update({ status: 'sending', attempts: 1, claim_token: 'busy-dispatcher', lease_expires_at: db.raw("now() + interval '1 minute'") });

    expect(await dispatcher.dispatchPendingNotifications({ limit: 10 })).toEqual({ sent: 1, failed: 0, remaining: 0 });
    expect(await outboxRow(crashed)).toMatchObject({ status: 'sent', attempts: 2 });
    expect(await outboxRow(live)).toMatchObject({ status: 'sending', attempts: 1, claim_token: 'busy-dispatcher' });
    expect(sink.messages().map((m) => m.envelopeTo[0])).toEqual(['a@example.az']);
  });

  it('R4.2 two dispatchers running concurrently over 50 messages send each exactly once', async () => {
    const slowSim = await startSmsSimulator(0, { latencyMs: [1, 15], failureRate: 0, apiKey: SMS_API_KEY });
    closers.push(() => slowSim.close());
    const calls = new Map<string, number>();
    const counting = <T extends OutgoingEmail | OutgoingSms>(sender: { send(m: T): Promise<{ messageId: string }> }) => ({
      send: (m: T) => {
        calls.set(m.reference!, (calls.get(m.reference!) ?? 0) + 1);
        return sender.send(m);
      },
    });
    const make = () =>
      activities({
        email: counting<OutgoingEmail>(smtpSender(sink.smtpPort)),
        sms: counting<OutgoingSms>(new HttpSmsGateway({ baseUrl: slowSim.url, apiKey: SMS_API_KEY })),
      });
    const ids: number[] = [];
    for (let i = 0; i < 50; i++) {
      ids.push(
        i % 2 === 0
          ? await queue({ channel: 'email', recipient: `person${i}@example.az`, subject: `Bildiriş ${i}: ödəniş`, body: `Məktub ${i}` })
          : await queue({ channel: 'sms', recipient: `+99450${String(1000000 + i)}`, body: `EVK: bildiriş ${i}` }),
      );
    }

    const run = async (d: NotificationActivities) => {
      let sent = 0;
      for (;;) {
        const r = await d.dispatchPendingNotifications({ limit: 4 });
        sent += r.sent;
        expect(r.failed).toBe(0);
        if (r.sent === 0 && r.remaining === 0) return sent;
      }
    };
    const [a, b] = await Promise.all([run(make()), run(make())]);

    expect(a + b).toBe(50);
    expect(a).toBeGreaterThan(0);
    expect(b).toBeGreaterThan(0);
    expect([...calls.keys()].sort()).toEqual((await Promise.all(ids.map(referenceOf))).sort());
    expect([...calls.values()].every((n) => n === 1)).toBe(true);
    expect(sink.messages()).toHaveLength(25);
    expect(new Set(sink.messages().map((m) => m.messageId)).size).toBe(25);
    expect(slowSim.messages()).toHaveLength(25);
    const statuses = await db('outbox').whereIn('id', ids).select('status', 'attempts');
    expect(statuses.every((r) => r.status === 'sent' && r.attempts === 1)).toBe(true);
  });
});

describe('development mail sink and SMS gateway simulator (R4.2)', () => {
  it('R4.2 the mail catcher lists caught mails newest first, escaped, with a JSON endpoint', async () => {
    await queue({ channel: 'email', recipient: 'first@example.az', subject: 'Birinci məktub', body: 'Salam <b>dünya</b>' });
    await dispatcher.dispatchPendingNotifications({ limit: 10 });
    await queue({ channel: 'email', recipient: 'second@example.az', subject: 'İkinci məktub', body: 'Sağ olun' });
    await dispatcher.dispatchPendingNotifications({ limit: 10 });

    const page = await fetch(`${sink.url}/`);
    expect(page.headers.get('x-evk-simulator')).toMatch(/SIMULATOR/);
    const html = await page.text();
    expect(html).toContain('Development mail catcher');
    expect(html).toContain('Salam &lt;b&gt;dünya&lt;/b&gt;');
    expect(html.indexOf('İkinci məktub')).toBeLessThan(html.indexOf('Birinci məktub'));
    const json = (await (await fetch(`${sink.url}/api/messages`)).json()) as { messages: { subject: string; envelopeTo: string[] }[] };
    expect(json.messages.map((m) => m.subject)).toEqual(['İkinci məktub', 'Birinci məktub']);
    const filtered = (await (await fetch(`${sink.url}/api/messages?to=first@example.az`)).json()) as { messages: unknown[] };
    expect(filtered.messages).toHaveLength(1);
  });

  it('R4.2 the SMS gateway wants its API key, accepts a reference once, and its page lists the SMS and links the mail catcher', async () => {
    const noKey = await fetch(`${smsSim.url}/api/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ to: '+994501234567', text: 'x' }),
    });
    expect(noKey.status).toBe(401);
    expect(await noKey.json()).toMatchObject({ error: { code: 'UNAUTHORIZED' } });
    const wrongKey = new HttpSmsGateway({ baseUrl: smsSim.url, apiKey: 'wrong' });
    await expect(wrongKey.send({ to: '+994501234567', text: 'x' })).rejects.toMatchObject({ code: 'UNAUTHORIZED', status: 401 });

    const first = await sms.send({ to: '+994501234567', text: 'EVK: Şəki', reference: 'ref-1' });
    const again = await sms.send({ to: '+994501234567', text: 'EVK: Şəki', reference: 'ref-1' });
    expect(again.messageId).toBe(first.messageId);
    await sms.send({ to: '+994507654321', text: 'EVK: <ikinci>' });
    expect(smsSim.messages().map((m) => m.to)).toEqual(['+994507654321', '+994501234567']);

    const html = await (await fetch(`${smsSim.url}/`)).text();
    expect(html).toContain('SİMULYATOR');
    expect(html).toContain('EVK: &lt;ikinci&gt;');
    expect(html).toContain(`href="${sink.url}"`);
    expect(html.indexOf('+994507654321')).toBeLessThan(html.indexOf('+994501234567'));
  });

  it('R4.2 SMS parts: Latin text is GSM-7, Azerbaijani letters need UCS-2', () => {
    expect(smsSegments('EVK: order issued for No M-1.')).toEqual({ encoding: 'GSM-7', parts: 1 });
    expect(smsSegments('a'.repeat(161))).toEqual({ encoding: 'GSM-7', parts: 2 });
    expect(smsSegments('ə'.repeat(70))).toEqual({ encoding: 'UCS-2', parts: 1 });
    expect(smsSegments('ə'.repeat(71))).toEqual({ encoding: 'UCS-2', parts: 2 });
  });
});
