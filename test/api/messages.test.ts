/**
 * Messages, "Mesajlar" (SPEC R7, issue 11), through real HTTP: the Bar office writes to every
 * lawyer, to one bureau or to one lawyer; a lawyer writes to the office; answers form threads. Who
 * sees what follows R2.5 (a colleague, even the head, never reaches a lawyer's private thread: 404);
 * attachments are checked by content; reading takes a thread off the unread count; the office sees
 * "read by 1 of N" on a broadcast; every recipient gets one e-mail that a message is waiting, which
 * carries neither the subject nor the text.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectStatus, loginDemoLawyers, webUrl } from '../support/api';
import { loginNewAdmin } from '../support/bar-office';
import type { HttpClient } from '../support/http-client';
import { startTestSystem, type TestSystem } from '../support/system';

const OFFICE_EMAIL = 'aparat@barassociation.example';

let system: TestSystem;
let lawyer: HttpClient;
let colleague: HttpClient;
let head: HttpClient;
let individual: HttpClient;
let office: HttpClient;

beforeAll(async () => {
  process.env.EVK_BAR_OFFICE_EMAIL = OFFICE_EMAIL;
  system = await startTestSystem({ web: true });
  ({ lawyer, colleague, head, individual } = await loginDemoLawyers(system));
  ({ browser: office } = await loginNewAdmin(system));
});
afterAll(async () => {
  delete process.env.EVK_BAR_OFFICE_EMAIL;
  await system?.close();
});

const PDF = Buffer.from('%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n', 'latin1');

interface Thread {
  id: string;
  subject: string;
  unread: boolean;
  mayReply: boolean;
  receipt?: { read: number; of: number };
  messages: { body: string; author: { kind: string }; attachments: { id: string; name: string; url: string }[] }[];
}

const unread = async (who: HttpClient) => expectStatus(await who.get<{ unread: number }>('/api/messages/unread'), 200, 'unread').body.unread;
const threadIds = async (who: HttpClient) =>
  expectStatus(await who.get<{ threads: Thread[] }>('/api/messages/threads'), 200, 'threads').body.threads.map((t) => t.id);

async function send(who: HttpClient, body: Record<string, string>, status = 201) {
  return expectStatus(
    await who.post<{ thread: Thread; error?: { fields?: { field: string; code: string; reason?: string }[] } }>('/api/messages/threads', body),
    status,
    'send',
  );
}

/** A multipart form (the pages' kind, and how API callers attach files). */
async function sendForm(who: HttpClient, path: string, fields: Record<string, string>, files: { name: string; data: Buffer }[]) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  for (const f of files) form.append('file', new Blob([new Uint8Array(f.data)]), f.name);
  const page = await who.get(who === office ? '/admin/messages' : '/messages', { accept: 'text/html' });
  const token = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
  const res = await fetch(`${webUrl(system)}${path}`, {
    method: 'POST',
    headers: { cookie: who.cookieHeader(), 'x-csrf-token': token, 'accept-language': 'az' },
    body: form,
  });
  return {
    status: res.status,
    body: (await res.json()) as { thread?: Thread; error?: { fields?: { field: string; code: string; reason?: string; message: string }[] } },
  };
}

const outboxOf = (messageKeyPrefix: string) =>
  system.db('outbox').where('dedupe_key', 'like', `${messageKeyPrefix}%`).select('recipient', 'subject', 'body', 'channel');

describe('messages between the Bar office and lawyers (R7, R2.5)', () => {
  it('a broadcast reaches every lawyer: counted unread until read, "read by 1 of N", one e-mail each without the text', async () => {
    const before = await unread(lawyer);
    const sent = send(office, { to: 'all', subject: 'Ümumi yığıncaq 15 dekabrda', body: 'Gizli gündəlik: haqqların artırılması.' });
    const thread = (await sent).body.thread;
    const active = (await system.db('lawyers').where({ on_active_register: true }).count<{ n: string }[]>({ n: '*' }))[0].n;
    expect(thread.receipt).toEqual({ read: 0, of: Number(active) });

    for (const who of [lawyer, colleague, head, individual]) expect(await threadIds(who)).toContain(thread.id);
    expect(await unread(lawyer)).toBe(before + 1);
    const read = expectStatus(await lawyer.get<{ thread: Thread }>(`/api/messages/threads/${thread.id}`), 200, 'read').body.thread;
    expect(read.messages.map((m) => m.body)).toEqual(['Gizli gündəlik: haqqların artırılması.']);
    expect(read.mayReply).toBe(false);
    expect(await unread(lawyer)).toBe(before);
    const seen = expectStatus(await office.get<{ threads: Thread[] }>('/api/messages/threads'), 200, 'office list').body.threads.find(
      (t) => t.id === thread.id,
    );
    expect(seen?.receipt).toEqual({ read: 1, of: Number(active) });

    // A lawyer does not answer a broadcast to all colleagues: they write to the office.
    const answer = expectStatus(
      await lawyer.post<{ error: { reason: string } }>(`/api/messages/threads/${thread.id}/messages`, { body: 'Cavab' }),
      409,
      'answer',
    );
    expect(answer.body.error.reason).toBe('messages.reply_to_office_instead');

    const mails = await system.db('outbox').whereRaw("dedupe_key LIKE 'message:%'").andWhere('body', 'like', `%/messages/${thread.id}%`);
    const emails = (await system.db('lawyers').where({ on_active_register: true }).whereNotNull('email').select('email')).map(
      (l: { email: string }) => l.email,
    );
    expect(mails.map((m: { recipient: string }) => m.recipient).sort()).toEqual(emails.sort());
    for (const m of mails as { subject: string; body: string; channel: string }[]) {
      expect(m.channel).toBe('email');
      expect(`${m.subject} ${m.body}`).not.toContain('Gizli gündəlik');
      expect(`${m.subject} ${m.body}`).not.toContain('yığıncaq');
    }
  });

  it('a bureau message is not seen by another bureau; a private thread is 404 to a colleague and the head; attachments follow the thread', async () => {
    const bureau = (await send(office, { to: 'bureau', bureauId: 'quliyev', subject: 'Büro üçün', body: 'Agent müqaviləsini yeniləyin.' })).body.thread;
    expect(await threadIds(individual)).toContain(bureau.id);
    expect(await threadIds(lawyer)).not.toContain(bureau.id);
    expectStatus(await lawyer.get(`/api/messages/threads/${bureau.id}`), 404, 'other bureau');

    const officeBefore = await unread(office);
    const sent = await sendForm(lawyer, '/api/messages/threads', { subject: 'Order barədə sual', body: 'Orderin surəti əlavə edilib.' }, [
      { name: 'order.pdf', data: PDF },
    ]);
    expect(sent.status, JSON.stringify(sent.body)).toBe(201);
    const mine = sent.body.thread!;
    expect(await unread(office)).toBe(officeBefore + 1);
    for (const who of [colleague, head, individual]) {
      expect(await threadIds(who)).not.toContain(mine.id);
      expectStatus(await who.get(`/api/messages/threads/${mine.id}`), 404, 'private thread');
    }
    const attachment = mine.messages[0].attachments[0];
    expect(attachment.name).toBe('order.pdf');
    for (const who of [colleague, head]) expectStatus(await who.get(attachment.url), 404, 'private attachment');
    const file = await fetch(`${webUrl(system)}${attachment.url}`, { headers: { cookie: office.cookieHeader() } });
    expect(file.status).toBe(200);
    expect(file.headers.get('content-disposition')).toMatch(/^attachment; filename="order.pdf"/);
    expect(file.headers.get('cache-control')).toBe('private, no-store');
    expect(Buffer.from(await file.arrayBuffer()).equals(PDF)).toBe(true);
    expect(await outboxOf(`message:`).where('recipient', OFFICE_EMAIL).andWhere('body', 'like', `%/admin/messages/${mine.id}%`)).toHaveLength(1);

    // The office reads and answers: the lawyer's count goes up, and the thread has both in order.
    expectStatus(await office.get(`/api/messages/threads/${mine.id}`), 200, 'office reads');
    expect(await unread(office)).toBe(officeBefore);
    const lawyerBefore = await unread(lawyer);
    expectStatus(await office.post(`/api/messages/threads/${mine.id}/messages`, { body: 'Surət alındı, təşəkkür edirik.' }), 201, 'office answers');
    expect(await unread(lawyer)).toBe(lawyerBefore + 1);
    const answered = expectStatus(await lawyer.get<{ thread: Thread }>(`/api/messages/threads/${mine.id}`), 200, 'answer').body.thread;
    expect(answered.messages.map((m) => m.author.kind)).toEqual(['lawyer', 'office']);
    expect(answered.mayReply).toBe(true);
    const toLawyer = await outboxOf(`message:`).where('body', 'like', `%/messages/${mine.id}%`).whereNot('recipient', OFFICE_EMAIL);
    expect(toLawyer.map((m: { recipient: string }) => m.recipient)).toEqual(['elcin.memmedov@bakivb1.example']);
    expect(JSON.stringify(toLawyer)).not.toContain('Surət alındı');
  });

  it('refuses at the field: an empty body, a file that is not a PDF/JPEG/PNG by content, one over 10 MB, a missing audience', async () => {
    const empty = await send(office, { to: 'all', subject: 'Mövzu', body: '  ' }, 400);
    expect(empty.body.error?.fields?.map((f) => [f.field, f.code])).toEqual([['body', 'messages.body_required']]);
    const nobody = await send(office, { subject: 'Mövzu', body: 'Mətn' }, 400);
    expect(nobody.body.error?.fields?.map((f) => f.field)).toEqual(['to']);

    const fake = await sendForm(lawyer, '/api/messages/threads', { subject: 'Qəbz', body: 'Qəbz əlavədədir.' }, [
      { name: 'qebz.pdf', data: Buffer.from('Bu PDF deyil.\n') },
    ]);
    expect(fake.status).toBe(400);
    expect(fake.body.error?.fields?.[0]).toMatchObject({ field: 'file', code: 'wrong_type', reason: 'messages.file_wrong_type' });
    expect(fake.body.error?.fields?.[0].message).toBe('Yalnız PDF, JPEG və PNG faylları əlavə etmək olar; bu fayl onlardan deyil.');
    const big = await sendForm(lawyer, '/api/messages/threads', { subject: 'Böyük', body: 'Böyük fayl.' }, [
      { name: 'big.pdf', data: Buffer.concat([PDF, Buffer.alloc(10 * 1024 * 1024)]) },
    ]);
    expect(big.status).toBe(400);
    expect(big.body.error?.fields?.[0]).toMatchObject({ field: 'file', code: 'too_large', reason: 'messages.file_too_large' });
    expect(await system.db('message_threads').whereIn('subject', ['Qəbz', 'Böyük'])).toHaveLength(0);
  });
});
