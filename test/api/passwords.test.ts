/**
 * Passwords (issue 9 item 7, R2.4; OWASP ASVS 6.2, 6.3, 7.4): the policy's refusals next to the
 * field (JSON and page), other sessions ending on a change or a reset, and attempts limited per
 * account with growing delays, the current-password check included.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectStatus, loginApplicant, loginDemoLawyers, submittedContract, webUrl } from '../support/api';
import { HttpClient } from '../support/http-client';
import { eventually, startTestSystem, type TestSystem } from '../support/system';

let system: TestSystem;
let lawyer: HttpClient;
beforeAll(async () => {
  system = await startTestSystem({ web: true });
  ({ lawyer } = await loginDemoLawyers(system));
});
afterAll(async () => {
  await system?.close();
});

async function applicant() {
  const id = await submittedContract(lawyer);
  const account = await loginApplicant(system, lawyer, id);
  const row = await system.db('applicant_accounts').where({ id: account.accountId }).first();
  return { ...account, contractId: id, row };
}

const newBrowserLoggedIn = async (login: string, password: string) => {
  const b = new HttpClient(webUrl(system));
  expectStatus(await b.post('/api/auth/applicant/login', { login, password }), 200, 'second login');
  return b;
};

describe('issue 9 item 7: the password policy, as the person meets it', () => {
  it('too short, too long, common and personal passwords are field errors with codes, in the JSON body', async () => {
    const { browser, password, row } = await applicant();
    const local = (row.email as string).split('@')[0];
    for (const [newPassword, reason] of [
      ['12345678', 'auth.password_too_short'],
      ['password', 'auth.password_too_short'],
      ['x'.repeat(129), 'auth.password_too_long'],
      ['qwertyuiop123', 'auth.password_common'],
      [`${local}-2026-yay`, 'auth.password_personal'],
      [`${row.login as string}!`, 'auth.password_personal'],
    ]) {
      const answer = await browser.post('/api/auth/password', { currentPassword: password, newPassword });
      expect(answer.status, newPassword).toBe(400);
      expect(answer.body.error.fields[0]).toMatchObject({ field: 'newPassword', reason });
      expect(answer.body.error.fields[0].message).toBeTruthy();
    }
    expect((await browser.post('/api/auth/password', { currentPassword: password, newPassword: 'Uzun söz '.repeat(15).slice(0, 128) })).status).toBe(200);
  });

  it('the page shows the refusal next to the new-password field, in Azerbaijani', async () => {
    const { browser, password } = await applicant();
    const page = await browser.get('/applicant/password', { accept: 'text/html' });
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
    const answer = await browser.request('POST', '/applicant/password', {
      raw: new URLSearchParams({ _csrf: csrf, currentPassword: password, newPassword: 'qwerty123456' }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
    });
    expect(answer.status).toBe(400);
    expect(answer.text).toMatch(/id="f-newPassword-error">[^<]*geniş yayılıb/);
  });
});

describe('issue 9 item 7: a change or a reset ends the other sessions', () => {
  it('a password change ends every other session of the person and keeps this one', async () => {
    const { browser, password, login, accountId } = await applicant();
    const other = await newBrowserLoggedIn(login, password);
    const newPassword = 'Yeni gizli söz 2026 yazda';
    expectStatus(await browser.post('/api/auth/password', { currentPassword: password, newPassword }), 200, 'change');
    expect((await other.get('/api/auth/me')).body.actor).toBeNull();
    expect((await browser.get('/api/auth/me')).body.actor.id).toBe(accountId);
    expect((await new HttpClient(webUrl(system)).post('/api/auth/applicant/login', { login, password })).status).toBe(401);
    expect((await new HttpClient(webUrl(system)).post('/api/auth/applicant/login', { login, password: newPassword })).status).toBe(200);
    const event = await system.db('security_events').where({ kind: 'password_changed', actor_id: accountId }).first();
    // The other browser, and the one the activation link logged in.
    expect(event.detail.sessionsEnded).toBeGreaterThanOrEqual(1);
  });

  it("a reset link goes to the cabinet's contact only, works once, and ends every session", async () => {
    const { password, login, accountId, row } = await applicant();
    const other = await newBrowserLoggedIn(login, password);
    const anonymous = new HttpClient(webUrl(system));
    expect((await anonymous.post('/api/auth/applicant/reset', { login: 'nobody@example.az' })).status).toBe(202);
    expect((await anonymous.post('/api/auth/applicant/reset', { login })).status).toBe(202);
    const mail = await eventually(
      () => Promise.resolve(system.simulators!.mailSink.messages().find((m) => m.envelopeTo.includes(row.email as string) && m.text.includes('bərpa'))),
      { what: 'the reset mail' },
    );
    const token = /\/activate\?token=([A-Za-z0-9_-]+)/.exec(mail.text)![1];
    const newPassword = 'Bərpa olunmuş uzun söz';
    expectStatus(await anonymous.post('/api/auth/activate', { token, password: newPassword }), 200, 'reset');
    expect((await anonymous.get('/api/auth/me')).body.actor.id).toBe(accountId);
    expect((await other.get('/api/auth/me')).body.actor).toBeNull();
    expect((await new HttpClient(webUrl(system)).post('/api/auth/activate', { token, password: `${newPassword}!` })).status).toBe(400);
    expect(await system.db('security_events').where({ kind: 'password_reset', actor_id: accountId }).first()).toBeDefined();
  });
});

describe('issue 9 item 7: attempts per account with growing delays', () => {
  it('after five wrong passwords the account is refused before its password is checked, the current-password check too', async () => {
    const { browser, password, login, accountId } = await applicant();
    const guesser = new HttpClient(webUrl(system));
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await guesser.post('/api/auth/applicant/login', { login, password: `wrong guess ${i} here` })).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401]);
    // Even the right password waits now (30 s after the fifth failure, then 1, 2, 4 … minutes).
    const locked = await new HttpClient(webUrl(system)).post('/api/auth/applicant/login', { login, password });
    expect(locked.status).toBe(429);
    expect(locked.body.error).toMatchObject({ code: 'too_many_attempts', reason: 'auth.too_many_attempts' });
    expect(locked.body.error.params.seconds).toBeGreaterThan(0);
    const change = await browser.post('/api/auth/password', { currentPassword: password, newPassword: 'Başqa bir uzun söz' });
    expect(change.status).toBe(429);
    const throttled = await system.db('security_events').where({ kind: 'login_throttled', actor_id: accountId });
    expect(throttled.length).toBeGreaterThanOrEqual(2);
    // The lock ends: a later right password logs in and clears the count.
    await system
      .db('login_throttle')
      .where({ key: `applicant:${accountId}` })
      .update({ locked_until: new Date(Date.now() - 1000) });
    expect((await new HttpClient(webUrl(system)).post('/api/auth/applicant/login', { login, password })).status).toBe(200);
    expect(
      await system
        .db('login_throttle')
        .where({ key: `applicant:${accountId}` })
        .first(),
    ).toBeUndefined();
  });
});
