/**
 * Who may come in (SPEC §2), through real HTTP: the lawyer's mobile-signature login against the
 * ASAN İmza simulator (R2.3) and the Bar's access rules (R2.1), applicants and the Bar office
 * (R2.4), logout (R8.5), and the API refusing callers without a session.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_LAWYER_WITHOUT_AGENT_CONTRACT, DEMO_UNLISTED_SIGNATURE_HOLDER } from '../../simulators/demo-data';
import { DEMO_ADMIN } from '../../simulators/demo-seed';
import { loginLawyer, phoneControl, webUrl } from '../support/api';
import { HttpClient } from '../support/http-client';
import { demoLawyer, startTestSystem, type TestSystem } from '../support/system';

let system: TestSystem;
const browser = () => new HttpClient(webUrl(system));

beforeAll(async () => {
  system = await startTestSystem({ web: true });
});
afterAll(async () => {
  await system?.close();
});

/** Starts a login and answers it on the simulated phone; returns the browser and the complete answer. */
async function loginAnsweredOnPhone(phone: string, userId: string, answer: 'confirm' | 'refuse') {
  const b = browser();
  const started = await b.post('/api/auth/lawyer/start', { phone, userId });
  expect(started.status).toBe(200);
  const phoneSide = phoneControl(system);
  if (answer === 'confirm') await phoneSide.confirm(started.body.transactionId);
  else await phoneSide.refuse(started.body.transactionId);
  const completed = await b.post('/api/auth/lawyer/complete', { transactionId: started.body.transactionId });
  return { b, completed };
}

describe('lawyer login with the mobile signature', () => {
  it('R2.3 phone and user ID → verification code → confirmed on the phone → logged in; pending answers 202', async () => {
    const head = demoLawyer('head-huseynova');
    const b = browser();
    const started = await b.post('/api/auth/lawyer/start', { phone: '+994 50 210 45 17', userId: head.mobileSignatureUserId });
    expect(started.status).toBe(200);
    expect(started.body.verificationCode).toMatch(/^\d{4}$/);
    expect(b.cookie('evk.sid')).toBeTruthy();
    const sessionBeforeLogin = b.cookie('evk.sid');

    // The code shown to the lawyer is the one the phone shows.
    const onPhone = await phoneControl(system).pendingFor(head.phone);
    expect(onPhone?.transactionId).toBe(started.body.transactionId);
    expect(onPhone?.verificationCode).toBe(started.body.verificationCode);

    const pending = await b.post('/api/auth/lawyer/complete', { transactionId: started.body.transactionId });
    expect(pending.status).toBe(202);
    expect(pending.body).toEqual({ status: 'pending' });
    expect((await b.get('/api/auth/me')).body.actor).toBeNull();

    await phoneControl(system).confirm(started.body.transactionId);
    const done = await b.post('/api/auth/lawyer/complete', { transactionId: started.body.transactionId });
    expect(done.status).toBe(200);
    expect(done.body.status).toBe('logged_in');
    expect(b.cookie('evk.sid')).not.toBe(sessionBeforeLogin); // a new session on login (no fixation)

    const me = await b.get('/api/auth/me');
    expect(me.body.actor).toMatchObject({ kind: 'lawyer', id: 'head-huseynova', bureauId: 'baki-1', isHead: true, name: 'Səbinə Hüseynova' });
    expect((await b.get('/api/contracts')).status).toBe(200);
  });

  it('R2.3 a login refused on the phone answers 401 and leaves nobody logged in', async () => {
    const lawyer = demoLawyer('lawyer-mammadov');
    const { b, completed } = await loginAnsweredOnPhone(lawyer.phone, lawyer.mobileSignatureUserId, 'refuse');
    expect(completed.status).toBe(401);
    expect(completed.body.error.code).toBe('login_refused');
    expect((await b.get('/api/auth/me')).body.actor).toBeNull();
    // The transaction is spent: completing it again needs a new start.
    const again = await b.post('/api/auth/lawyer/complete', { transactionId: 'whatever' });
    expect(again.status).toBe(400);
    expect(again.body.error.code).toBe('no_login_in_progress');
  });

  it('R2.1 (i) a signature holder who is not on the active list is refused, and told why', async () => {
    const holder = DEMO_UNLISTED_SIGNATURE_HOLDER;
    const { b, completed } = await loginAnsweredOnPhone(holder.phone, holder.userId, 'confirm');
    expect(completed.status).toBe(403);
    expect(completed.body.error.code).toBe('not_on_active_register');
    expect(completed.body.error.message).toMatch(/list of active lawyers/);
    expect((await b.get('/api/auth/me')).body.actor).toBeNull();
  });

  it('R2.1 (ii) a lawyer whose bureau has no payment-agent contract is refused, and told why', async () => {
    const lawyer = DEMO_LAWYER_WITHOUT_AGENT_CONTRACT;
    const { b, completed } = await loginAnsweredOnPhone(lawyer.phone, lawyer.mobileSignatureUserId, 'confirm');
    expect(completed.status).toBe(403);
    expect(completed.body.error.code).toBe('no_payment_agent_contract');
    expect(completed.body.error.message).toMatch(/payment agent/);
    expect((await b.get('/api/auth/me')).body.actor).toBeNull();
  });

  it('R2.1 the login page tells why in its own language: Azerbaijani on the Azerbaijani page, English on the English one', async () => {
    const holder = DEMO_UNLISTED_SIGNATURE_HOLDER;
    for (const [lang, words] of [
      ['az', 'fəal vəkillər siyahısında yoxdur'],
      ['en', 'list of active lawyers'],
    ] as const) {
      const b = browser();
      const started = await b.post('/api/auth/lawyer/start', { phone: holder.phone, userId: holder.userId });
      expect(started.status).toBe(200);
      await phoneControl(system).confirm(started.body.transactionId);
      const page = await b.get(`/login/lawyer/confirm?lang=${lang}`, { accept: 'text/html' });
      const token = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
      const refused = await b.request('POST', '/login/lawyer/confirm', {
        raw: new URLSearchParams({ _csrf: token }).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
      });
      expect(refused.status, lang).toBe(403);
      expect(refused.text, lang).toContain('data-refusal="not_on_active_register"');
      expect(refused.text, lang).toContain(words);
    }
  });

  it('R2.3 bad input names the field: a malformed phone, a malformed user ID, an unknown signature', async () => {
    const b = browser();
    const badPhone = await b.post('/api/auth/lawyer/start', { phone: '12345', userId: '204517' });
    expect(badPhone.status).toBe(400);
    expect(badPhone.body.error.fields[0].field).toBe('phone');
    const missingPhone = await b.post('/api/auth/lawyer/start', { userId: '204517' });
    expect(missingPhone.status).toBe(400);
    expect(missingPhone.body.error.fields[0].field).toBe('phone');
    const badUserId = await b.post('/api/auth/lawyer/start', { phone: demoLawyer('head-huseynova').phone, userId: '12ab' });
    expect(badUserId.status).toBe(400);
    expect(badUserId.body.error.fields[0].field).toBe('userId');
    const unknown = await b.post('/api/auth/lawyer/start', { phone: demoLawyer('head-huseynova').phone, userId: '999999' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.fields[0]).toMatchObject({ field: 'userId', code: 'unknown' });
    const notJson = await b.request('POST', '/api/auth/lawyer/start', { raw: '{"phone":', headers: { 'content-type': 'application/json' } });
    expect(notJson.status).toBe(400);
    expect(notJson.body.error.code).toBe('invalid_json');
  });

  it('R2.3 completing a login that was never started in this browser is refused', async () => {
    const lawyer = demoLawyer('lawyer-qasimova');
    const starter = browser();
    const started = await starter.post('/api/auth/lawyer/start', { phone: lawyer.phone, userId: lawyer.mobileSignatureUserId });
    await phoneControl(system).confirm(started.body.transactionId);
    const thief = browser();
    const stolen = await thief.post('/api/auth/lawyer/complete', { transactionId: started.body.transactionId });
    expect(stolen.status).toBe(400);
    expect(stolen.body.error.code).toBe('no_login_in_progress');
    expect((await thief.get('/api/auth/me')).body.actor).toBeNull();
  });
});

describe('password logins, logout and the session', () => {
  it('R2.4 an applicant with a wrong password or an unknown login gets 401', async () => {
    const b = browser();
    const unknown = await b.post('/api/auth/applicant/login', { login: 'nobody.here', password: 'whatever-123' });
    expect(unknown.status).toBe(401);
    expect(unknown.body.error.code).toBe('wrong_credentials');
    const missing = await b.post('/api/auth/applicant/login', { login: 'nobody.here' });
    expect(missing.status).toBe(400);
    expect(missing.body.error.fields[0].field).toBe('password');
    expect((await b.get('/api/auth/me')).body.actor).toBeNull();
  });

  it('R2.4 the Bar office administrator logs in with their own login; a wrong password is 401', async () => {
    const b = browser();
    const wrong = await b.post('/api/auth/admin/login', { login: DEMO_ADMIN.login, password: 'not-the-password' });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe('wrong_credentials');
    const ok = await b.post('/api/auth/admin/login', { login: DEMO_ADMIN.login, password: DEMO_ADMIN.password });
    expect(ok.status).toBe(200);
    expect(ok.body.actor).toMatchObject({ kind: 'admin', id: DEMO_ADMIN.id });
    expect((await b.get('/api/auth/me')).body.actor.kind).toBe('admin');
    // An administrator is not a lawyer: creating a contract is not for this role.
    const create = await b.post('/api/contracts', { draft: {} });
    expect(create.status).toBe(403);
    expect(create.body.error.code).toBe('forbidden');
  });

  it('R8.5 logout ends the session: /me is empty and the contracts need a login again', async () => {
    const b = await loginLawyer(system, 'individual-quliyev');
    expect((await b.get('/api/contracts')).status).toBe(200);
    const out = await b.post('/api/auth/logout');
    expect(out.status).toBe(200);
    expect(out.body.status).toBe('logged_out');
    expect((await b.get('/api/auth/me')).body.actor).toBeNull();
    const after = await b.get('/api/contracts');
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe('not_logged_in');
  });

  it('R2.5 without a session every contract endpoint answers 401 with a JSON error', async () => {
    const b = browser();
    for (const [method, path] of [
      ['GET', '/api/contracts'],
      ['POST', '/api/contracts'],
      ['GET', '/api/contracts/2026-000001'],
      ['POST', '/api/contracts/2026-000001/approve'],
      ['POST', '/api/contracts/2026-000001/payments'],
      ['POST', '/api/lookups/people'],
    ] as const) {
      const answer = await b.request(method, path, method === 'POST' ? { json: {} } : {});
      expect(answer.status, `${method} ${path}`).toBe(401);
      expect(answer.body.error.code).toBe('not_logged_in');
    }
    const unknown = await b.get('/api/no-such-thing');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('not_found');
  });

  it('R2.4 a lawyer cannot use the applicant-only password change', async () => {
    const b = await loginLawyer(system, 'lawyer-mammadov');
    const change = await b.post('/api/auth/applicant/password', { currentPassword: 'x', newPassword: 'yyyyyyyyyy' });
    expect(change.status).toBe(403);
  });
});
