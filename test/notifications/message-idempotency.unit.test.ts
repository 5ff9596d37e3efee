/**
 * Issue 10 item 3 (R4.2, R4.3.1): a message sent again after a crash is the same message. The SMS
 * gateway simulator keeps every idempotency key it saw, across its own restarts and past the 500
 * messages it lists; the SMS adapter sends the key as the Idempotency-Key header; e-mails carry a
 * Message-ID made from the outbox row. Real parts on 127.0.0.1: the simulator, the mail sink (SMTP).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { messageReference } from '../../activities/notifications/dispatcher';
import { SmtpEmailSender } from '../../activities/notifications/email-sender';
import { HttpSmsGateway, SMS_GATEWAY_API, SmsMessageRejectedError } from '../../integrations/sms/adapter';
import { startMailSink } from '../../simulators/mail-sink/sink';
import { startSmsSimulator, type SmsSimulatorOptions } from '../../simulators/sms/simulator';

const API_KEY = 'test-sms-key';
const dir = mkdtempSync(path.join(os.tmpdir(), 'evk-sms-keys-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const simulatorOptions = (stateFile: string, extra: SmsSimulatorOptions = {}): SmsSimulatorOptions => ({
  latencyMs: [0, 0],
  failureRate: 0,
  apiKey: API_KEY,
  stateFile,
  ...extra,
});

async function post(url: string, body: object, headers: Record<string, string> = {}) {
  const response = await fetch(`${url}${SMS_GATEWAY_API.messages}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [SMS_GATEWAY_API.apiKeyHeader]: API_KEY, ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as { messageId?: string; duplicate?: boolean; error?: { code: string } } };
}

describe('SMS idempotency keys (issue 10 item 3, R4.2)', () => {
  it('issue 10 item 3: a key the simulator accepted before it restarted is answered as a duplicate and not "sent" again', async () => {
    const stateFile = path.join(dir, 'restart', 'keys.jsonl');
    const before = await startSmsSimulator(0, simulatorOptions(stateFile));
    const gateway = new HttpSmsGateway({ baseUrl: before.url, apiKey: API_KEY });
    const first = await gateway.send({ to: '+994501234567', text: 'EVK: Ödəniş qəbul edildi', reference: 'evk-3f0c-restart' });
    expect(before.messages()).toHaveLength(1);
    await before.close();

    const after = await startSmsSimulator(0, simulatorOptions(stateFile));
    try {
      const again = await new HttpSmsGateway({ baseUrl: after.url, apiKey: API_KEY }).send({
        to: '+994501234567',
        text: 'EVK: Ödəniş qəbul edildi',
        reference: 'evk-3f0c-restart',
      });
      expect(again.messageId).toBe(first.messageId);
      expect(after.messages()).toHaveLength(0); // nothing reached the phone the second time
      // The header alone is honoured too, with the gateway's own word that it is a repeat.
      const raw = await post(after.url, { to: '+994501234567', text: 'EVK: Ödəniş qəbul edildi' }, { 'Idempotency-Key': 'evk-3f0c-restart' });
      expect(raw).toMatchObject({ status: 200, body: { messageId: first.messageId, duplicate: true } });
      expect(after.messages()).toHaveLength(0);
      // A new key is a new message.
      const other = await post(after.url, { to: '+994501234567', text: 'EVK: Ödəniş qəbul edildi' }, { 'Idempotency-Key': 'evk-other' });
      expect(other).toMatchObject({ status: 202, body: { duplicate: false } });
      expect(after.messages()).toHaveLength(1);
    } finally {
      await after.close();
    }
  });

  it('issue 10 item 3: the simulator still knows a key after more messages than it lists (it listed only its last 500)', async () => {
    const sim = await startSmsSimulator(0, simulatorOptions(path.join(dir, 'many', 'keys.jsonl'), { maxMessages: 2 }));
    try {
      const first = await post(sim.url, { to: '+994501234567', text: 'EVK: 0', reference: 'evk-many-0' });
      for (let i = 1; i <= 4; i++) await post(sim.url, { to: '+994501234567', text: `EVK: ${i}`, reference: `evk-many-${i}` });
      const again = await post(sim.url, { to: '+994501234567', text: 'EVK: 0', reference: 'evk-many-0' });
      expect(again).toMatchObject({ status: 200, body: { messageId: first.body.messageId, duplicate: true } });
    } finally {
      await sim.close();
    }
  });

  it('issue 10 item 3: a key reused for another text is refused for good, and a header that disagrees with the reference is refused', async () => {
    const sim = await startSmsSimulator(0, simulatorOptions(path.join(dir, 'reuse', 'keys.jsonl')));
    try {
      const gateway = new HttpSmsGateway({ baseUrl: sim.url, apiKey: API_KEY });
      await gateway.send({ to: '+994501234567', text: 'EVK: bir', reference: 'evk-reuse' });
      await expect(gateway.send({ to: '+994501234567', text: 'EVK: iki', reference: 'evk-reuse' })).rejects.toBeInstanceOf(SmsMessageRejectedError);
      const mismatch = await post(sim.url, { to: '+994501234567', text: 'EVK: üç', reference: 'evk-a' }, { 'Idempotency-Key': 'evk-b' });
      expect(mismatch).toMatchObject({ status: 400, body: { error: { code: 'INVALID_REQUEST' } } });
      expect(sim.messages()).toHaveLength(1);
    } finally {
      await sim.close();
    }
  });

  it('issue 10 item 3: the SMS adapter sends the idempotency key as the Idempotency-Key header and as the reference', async () => {
    const seen: { header?: string; body?: { reference?: string } }[] = [];
    const server = http.createServer((req, res) => {
      let text = '';
      req.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      req.on('end', () => {
        seen.push({ header: req.headers['idempotency-key'] as string | undefined, body: JSON.parse(text) as { reference?: string } });
        res.writeHead(202, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({ messageId: 'm-1', status: 'accepted', to: '+994501234567', parts: 1, duplicate: false, acceptedAt: new Date().toISOString() }),
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      await new HttpSmsGateway({ baseUrl: `http://127.0.0.1:${port}`, apiKey: API_KEY }).send({ to: '+994501234567', text: 'EVK', reference: 'evk-k1' });
      expect(seen).toEqual([{ header: 'evk-k1', body: expect.objectContaining({ reference: 'evk-k1' }) }]);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('e-mail Message-ID (issue 10 item 3, R4.2)', () => {
  it('issue 10 item 3: the same outbox row sent twice carries the same Message-ID, another row another one', async () => {
    const sink = await startMailSink({ smtpPort: 0 });
    const sender = new SmtpEmailSender({ host: '127.0.0.1', port: sink.smtpPort, secure: false, from: 'EVK <no-reply@evk.local>' });
    try {
      const row = { idempotency_key: '7d1e4f0a-9b2c-4c1e-8f00-000000000001' };
      const reference = messageReference(row);
      expect(reference).toBe('evk-7d1e4f0a-9b2c-4c1e-8f00-000000000001');
      expect(messageReference({ ...row })).toBe(reference); // from the row alone: the same on every attempt and every worker
      const mail = { to: 'person@example.az', subject: 'Bildiriş', text: 'Mətn', reference };
      const a = await sender.send(mail);
      const b = await sender.send(mail);
      await sender.send({ ...mail, reference: messageReference({ idempotency_key: '7d1e4f0a-9b2c-4c1e-8f00-000000000002' }) });
      expect(a.messageId).toBe(`<${reference}@evk.local>`);
      expect(b.messageId).toBe(a.messageId);
      const caught = sink.messages().map((m) => m.messageId);
      expect(caught.filter((id) => id === a.messageId)).toHaveLength(2); // a receiver drops the second as a repeat
      expect(new Set(caught).size).toBe(2);
      expect(sink.messages().filter((m) => m.repeat)).toHaveLength(1);
    } finally {
      sender.close();
      await sink.close();
    }
  });
});
