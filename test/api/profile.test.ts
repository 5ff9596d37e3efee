/**
 * "Profil" (SPEC R8.1–R8.3, issue 11) through real HTTP, the real worker and Temporal: a change of
 * personal data waits as a durable workflow until the Bar office verifies it (the old values stay
 * until then), a rejection's reason reaches the lawyer, the reminder timer fires (with a worker
 * restart in between), the photo is checked by content; education, specialisations from the
 * office's list, achievements and the per-year indicators.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pendingProfileChanges } from '../../api/profile/service';
import { createLogger } from '../../platform/logger';
import { startWorker, type WorkerHandle } from '../../platform/worker';
import { DEMO_ADMIN } from '../../simulators/demo-seed';
import { expectStatus, loginLawyer, webUrl } from '../support/api';
import { HttpClient } from '../support/http-client';
import { eventually, startTestSystem, type TestSystem, testTemporalAddress } from '../support/system';

const LAWYER = 'individual-quliyev';
let system: TestSystem;
let lawyer: HttpClient;
let colleague: HttpClient;
let admin: HttpClient;
let original: Record<string, unknown>;
let restartedWorker: WorkerHandle | undefined;

const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d4948445200000001000000010800000000' + '3a7e9b550000000a49444154789c6360000000020001e221bc330000000049454e44ae426082',
  'hex',
);

beforeAll(async () => {
  // The office is reminded of a request after 0.8 s here instead of 3 days (a workflow input from the configuration).
  process.env.EVK_PROFILE_REMINDER_MS = '800';
  system = await startTestSystem({ web: true });
  original =
    (await system
      .db<Record<string, unknown>>('lawyers')
      .where({ id: LAWYER })
      .first('email', 'phone', 'contact_phone', 'postal_address', 'photo_key', 'photo_type')) ?? {};
  await system.db('profile_changes').where({ lawyer_id: LAWYER }).delete();
  [lawyer, colleague] = await Promise.all([loginLawyer(system, LAWYER), loginLawyer(system, 'lawyer-qasimova')]);
  admin = new HttpClient(webUrl(system));
  expectStatus(await admin.post('/api/auth/admin/login', { login: DEMO_ADMIN.login, password: DEMO_ADMIN.password }), 200, 'admin login');
});
afterAll(async () => {
  delete process.env.EVK_PROFILE_REMINDER_MS;
  if (system) {
    // Other files use this demo lawyer's contacts: put them back.
    await system.db('lawyers').where({ id: LAWYER }).update(original);
    await system.db('profile_changes').where({ lawyer_id: LAWYER }).delete();
  }
  await restartedWorker?.close();
  await system?.close();
});

async function submit(body: Record<string, unknown>) {
  return expectStatus(await lawyer.post('/api/profile/changes', body), 201, 'submit').body.change as { id: string; status: string };
}
const profile = async (browser: HttpClient = lawyer) => expectStatus(await browser.get('/api/profile'), 200, 'profile').body.profile;
const uploadPhoto = (bytes: Buffer, type = 'image/png') =>
  fetch(`${webUrl(system)}/api/profile/photo`, {
    method: 'POST',
    headers: { 'content-type': type, cookie: lawyer.cookieHeader(), accept: 'application/json' },
    body: new Uint8Array(bytes),
  });

describe('R8.2 a change of personal data takes effect only after the Bar office verifies it', () => {
  it('pending → the old values stay, one request at a time → approved: the new e-mail and contact phone, the login phone untouched, an e-mail without the values', async () => {
    const change = await submit({ email: 'Elvin.Quliyev.New@Example.az', phone: '050 123 45 67' });
    expect(change.status).toBe('pending');
    let mine = await profile();
    expect(mine.contacts.email).toBe(original.email);
    expect(mine.pendingChange).toMatchObject({
      id: change.id,
      status: 'pending',
      requested: { email: 'elvin.quliyev.new@example.az', phone: '+994501234567', photo: false },
    });

    const second = await lawyer.post('/api/profile/changes', { address: 'Gəncə, yeni ünvan' });
    expect(second.status).toBe(409);
    expect(second.body.error.reason).toBe('profile.change_pending');
    expect(await pendingProfileChanges(system.db)).toBeGreaterThanOrEqual(1);

    const queue = expectStatus(await admin.get('/api/office/profile-changes'), 200, 'queue').body.changes as { id: string; current: { email: string } }[];
    expect(queue.find((c) => c.id === change.id)?.current.email).toBe(original.email);
    // The office's dashboard counts what waits in its queue, and the count falls once it is decided.
    const waiting = async () =>
      (expectStatus(await admin.get('/api/office/dashboard'), 200, 'dashboard').body.items as { key: string; count: number }[]).find(
        (i) => i.key === 'profile_changes_pending',
      )?.count;
    const pendingBefore = await waiting();
    expect(pendingBefore).toBe(queue.length); // the queue lists the pending requests
    // R2.5: a lawyer neither verifies nor reads the office's queue or another lawyer's profile.
    expect((await colleague.post(`/api/office/profile-changes/${change.id}/approve`)).status).toBe(403);
    expect((await colleague.get(`/api/office/profiles/${LAWYER}`)).status).toBe(403);
    expect((await colleague.post(`/api/profile/changes/${change.id}/withdraw`)).status).toBe(404);

    const approved = expectStatus(await admin.post(`/api/office/profile-changes/${change.id}/approve`), 200, 'approve').body.change;
    expect(approved.status).toBe('approved');
    expect(await waiting()).toBe(pendingBefore! - 1);
    mine = await profile();
    expect(mine.contacts).toMatchObject({ email: 'elvin.quliyev.new@example.az', phone: '+994501234567' });
    expect(mine.pendingChange).toBeUndefined();
    const row = await system.db('lawyers').where({ id: LAWYER }).first('phone');
    expect(row.phone).toBe(original.phone);
    expect((await admin.post(`/api/office/profile-changes/${change.id}/approve`)).status).toBe(409);

    const mail = await eventually(async () => system.db('outbox').where('dedupe_key', 'like', `profile-change:${change.id}:approved:%`).first(), {
      what: 'the e-mail',
    });
    expect(mail).toMatchObject({ recipient: 'elvin.quliyev.new@example.az', channel: 'email', subject: 'Profil məlumatlarınızın dəyişikliyi təsdiq edildi' });
    expect(mail.body).toContain('/profile');
    expect(mail.body).not.toContain('+994501234567');
  });

  it('rejected with a reason (required at the field): the lawyer sees the reason, the values stay; a decided request cannot be decided again', async () => {
    const change = await submit({ address: 'Gəncə şəhəri, Nizami küçəsi 1' });
    const noReason = await admin.post(`/api/office/profile-changes/${change.id}/reject`, { reason: ' ' });
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.fields[0]).toMatchObject({ field: 'reason' });
    expect(
      expectStatus(await admin.post(`/api/office/profile-changes/${change.id}/reject`, { reason: 'Ünvan sənədlə təsdiqlənməyib.' }), 200, 'reject').body.change
        .status,
    ).toBe('rejected');
    const mine = await profile();
    expect(mine.changes[0]).toMatchObject({ id: change.id, status: 'rejected', reason: 'Ünvan sənədlə təsdiqlənməyib.' });
    expect(mine.contacts.address).toBe(original.postal_address ?? undefined);
    expect((await admin.post(`/api/office/profile-changes/${change.id}/approve`)).status).toBe(409);

    const bad = await lawyer.post('/api/profile/changes', { email: 'not-an-email', phone: '12' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields.map((f: { field: string }) => f.field)).toEqual(['email', 'phone']);
  });

  it('the photo is checked by its content (JPEG or PNG, at most 2 MB); the office sees it before approving it', async () => {
    const notImage = await uploadPhoto(Buffer.from('%PDF-1.4 not a photo'), 'image/png');
    expect(notImage.status).toBe(400);
    expect(((await notImage.json()) as { error: { fields: { field: string; reason: string }[] } }).error.fields[0]).toMatchObject({
      field: 'photo',
      reason: 'profile.photo_wrong_type',
    });
    const huge = await uploadPhoto(Buffer.concat([PNG, Buffer.alloc(2 * 1024 * 1024)]));
    expect(huge.status).toBe(400);
    const sent = await uploadPhoto(PNG);
    expect(sent.status).toBe(201);
    const change = ((await sent.json()) as { change: { id: string; requested: { photo: boolean } } }).change;
    expect(change.requested.photo).toBe(true);
    const seen = await admin.getBytes(`/api/office/profile-changes/${change.id}/photo`);
    expect(seen.status).toBe(200);
    expect(seen.bytes.equals(PNG)).toBe(true);
    expect((await lawyer.getBytes('/api/profile/photo')).status).toBe(original.photo_key ? 200 : 404);
    expectStatus(await admin.post(`/api/office/profile-changes/${change.id}/approve`), 200, 'approve photo');
    const mine = await lawyer.getBytes('/api/profile/photo');
    expect(mine.headers.get('content-type')).toMatch(/image\/png/);
    expect(mine.bytes.equals(PNG)).toBe(true);
  });

  it('a request survives a worker restart, and the office is reminded when it waits too long', async () => {
    const change = await submit({ address: 'Gəncə şəhəri, Atatürk prospekti 10' });
    await system.worker.close();
    // The reminder's time passes while no worker runs; a new worker carries the workflow on.
    await new Promise((r) => setTimeout(r, 900));
    restartedWorker = await startWorker({
      config: system.config,
      db: system.db,
      temporalAddress: testTemporalAddress(),
      log: createLogger('evk-test', 'warn'),
      notificationDispatcher: false,
      paymentReconciler: false,
    });
    const reminded = await eventually(
      async () => {
        const queue = expectStatus(await admin.get('/api/office/profile-changes'), 200, 'queue').body.changes as { id: string; remindedAt?: string }[];
        return queue.find((c) => c.id === change.id && c.remindedAt);
      },
      { what: 'the reminder', timeoutMs: 20_000 },
    );
    expect(reminded.remindedAt).toBeTruthy();
    expect(expectStatus(await admin.post(`/api/office/profile-changes/${change.id}/approve`), 200, 'approve after restart').body.change.status).toBe(
      'approved',
    );
    expect((await profile()).contacts.address).toBe('Gəncə şəhəri, Atatürk prospekti 10');
  });
});

describe('R8.1, R8.3 indicators, achievements, education and specialisations', () => {
  it('the lawyer keeps their own; specialisations come from the office list (add, rename, retire); the office reads the profile; indicators count the read models', async () => {
    const badYear = await lawyer.post('/api/profile/education', { institution: 'Bakı Dövlət Universiteti', degree: 'Magistr', year: 1800 });
    expect(badYear.status).toBe(400);
    expect(badYear.body.error.fields[0].field).toBe('year');
    const added = expectStatus(
      await lawyer.post('/api/profile/education', { institution: 'Xəzər Universiteti', degree: 'Hüquq üzrə magistr', year: 2012 }),
      201,
      'education',
    ).body.education;

    const created = expectStatus(await admin.post('/api/office/specialisations', { name: `Sınaq sahəsi ${Date.now()}` }), 201, 'add').body.specialisation;
    expect((await lawyer.post('/api/office/specialisations', { name: 'Yox' })).status).toBe(403);
    expect((await lawyer.post('/api/profile/specialisations', { ids: ['no-such-field'] })).status).toBe(400);
    expectStatus(await lawyer.post('/api/profile/specialisations', { ids: [created.id, 'commercial'] }), 200, 'choose');
    expectStatus(await admin.patch(`/api/office/specialisations/${created.id}`, { name: `${created.name} (yeni)` }), 200, 'rename');
    expectStatus(await admin.post(`/api/office/specialisations/${created.id}/retire`), 200, 'retire');
    const offered = expectStatus(await lawyer.get('/api/profile/specialisation-list'), 200, 'list').body.specialisations as { id: string }[];
    expect(offered.map((s) => s.id)).not.toContain(created.id);
    expectStatus(await lawyer.post('/api/profile/achievements', { items: ['Kommersiya arbitrajında 50-dən çox iş', ' '] }), 200, 'achievements');

    const seen = expectStatus(await admin.get(`/api/office/profiles/${LAWYER}`), 200, 'office reads').body.profile;
    expect(seen.education).toContainEqual(expect.objectContaining({ institution: 'Xəzər Universiteti', year: 2012 }));
    expect(seen.specialisations).toContainEqual({ id: created.id, name: `${created.name} (yeni)`, retired: true });
    expect(seen.achievements).toEqual(['Kommersiya arbitrajında 50-dən çox iş']);

    // R8.1: the indicators are the read models' counts, per year (checked against counts made here).
    const year = new Date().getFullYear();
    const [{ n: contracts }] = await system
      .db('contracts')
      .where({ lawyer_id: LAWYER })
      .whereNotIn('status', ['draft', 'discarded'])
      .whereRaw('extract(year from created_at) = ?', [year])
      .count({ n: '*' });
    const thisYear = seen.indicators.years.find((y: { year: number }) => y.year === year);
    expect(thisYear?.contracts ?? 0).toBe(Number(contracts));
    expect(seen.indicators.total.contracts).toBeGreaterThanOrEqual(Number(contracts));

    expect((await lawyer.delete(`/api/profile/education/${added.id}`)).status).toBe(204);
    expect((await colleague.delete(`/api/profile/education/${added.id}`)).status).toBe(404);
  });
});
