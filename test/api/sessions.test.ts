/**
 * Sessions (issue 9 items 2, 7, 9): no session row for an anonymous page view, `__Host-` Secure
 * cookies behind an https public URL, the absolute lifetime from the login, and the Bar office
 * ending a person's sessions (R2.4, R8.5).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ADMIN } from '../../simulators/demo-seed';
import { SESSION_TOUCH_EVERY_MS, sparselyTouched } from '../../api/http/sessions';
import { createLogger } from '../../platform/logger';
import { startWeb } from '../../platform/web-server';
import { expectStatus, loginLawyer, webUrl } from '../support/api';
import { HttpClient } from '../support/http-client';
import { startTestSystem, type TestSystem, testDatabaseUrl, testTemporalAddress } from '../support/system';

let system: TestSystem;
beforeAll(async () => {
  system = await startTestSystem({ web: true });
});
afterAll(async () => {
  await system?.close();
});

const sessionRows = async () => Number((await system.db('session').count<{ count: string }[]>('* as count'))[0].count);
const formToken = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';

async function loginAdmin(base = webUrl(system), headers: Record<string, string> = {}) {
  const b = new HttpClient(base);
  expectStatus(await b.post('/api/auth/admin/login', { login: DEMO_ADMIN.login, password: DEMO_ADMIN.password }, headers), 200, 'admin login');
  return b;
}

describe('issue 9 item 9: sessions only when needed', () => {
  it('anonymous views of the public pages store no session row and set no session cookie', async () => {
    const before = await sessionRows();
    for (const path of [
      '/login',
      '/login/applicant',
      '/login/admin',
      '/login/lawyer',
      '/login/applicant/reset',
      '/activate?token=nothing',
      '/login?lang=en',
      '/',
    ]) {
      const b = new HttpClient(webUrl(system));
      const answer = await b.get(path, { accept: 'text/html' });
      expect(answer.status, path).toBeLessThan(500);
      expect(b.cookie('evk.sid'), path).toBeUndefined();
    }
    expect(await sessionRows()).toBe(before);
  });

  it('the anonymous login form still carries a working form token, and a forged one is refused', async () => {
    const b = new HttpClient(webUrl(system));
    const page = await b.get('/login/admin', { accept: 'text/html' });
    const token = formToken(page.text);
    expect(token).not.toBe('');
    const form = (csrf: string) => new URLSearchParams({ _csrf: csrf, login: DEMO_ADMIN.login, password: DEMO_ADMIN.password }).toString();
    const headers = { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' };
    const forged = await b.request('POST', '/login/admin', { raw: form('x'.repeat(43)), headers });
    expect(forged.status).toBe(403);
    const stranger = new HttpClient(webUrl(system));
    expect((await stranger.request('POST', '/login/admin', { raw: form(token), headers })).status).toBe(403);
    const ok = await b.request('POST', '/login/admin', { raw: form(token), headers });
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe('/admin');
    expect((await b.get('/api/auth/me')).body.actor.kind).toBe('admin');
  });
});

describe('issue 9 item 2: cookies behind https', () => {
  it('http keeps evk.sid; an https public URL makes it Secure and __Host-evk.sid, Path=/, no Domain', async () => {
    const plain = await fetch(`${webUrl(system)}/api/auth/admin/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login: DEMO_ADMIN.login, password: DEMO_ADMIN.password }),
    });
    const plainCookie = plain.headers.getSetCookie().find((c) => c.startsWith('evk.sid='));
    expect(plainCookie).toBeDefined();
    expect(plainCookie).not.toMatch(/;\s*Secure/i);

    const log = createLogger('evk-test');
    log.level = 'warn';
    const web = await startWeb({
      config: { ...system.config, publicUrl: 'https://evk.example.az' },
      db: system.db,
      databaseUrl: testDatabaseUrl(),
      temporalAddress: testTemporalAddress(),
      log,
      port: 0,
    });
    try {
      const secure = await fetch(`${web.url}/api/auth/admin/login`, {
        method: 'POST',
        // The TLS proxy in front of the web process (on loopback, trusted) says the request came over https.
        headers: { 'content-type': 'application/json', 'x-forwarded-proto': 'https' },
        body: JSON.stringify({ login: DEMO_ADMIN.login, password: DEMO_ADMIN.password }),
      });
      expect(secure.status).toBe(200);
      const cookie = secure.headers.getSetCookie().find((c) => c.startsWith('__Host-evk.sid='));
      expect(cookie).toMatch(/;\s*Secure/i);
      expect(cookie).toMatch(/;\s*Path=\/(;|$)/i);
      expect(cookie).toMatch(/;\s*HttpOnly/i);
      expect(cookie).not.toMatch(/Domain=/i);
      expect(secure.headers.getSetCookie().some((c) => c.startsWith('evk.sid='))).toBe(false);
      const page = await fetch(`${web.url}/login/admin`, { headers: { 'x-forwarded-proto': 'https' } });
      expect(page.headers.getSetCookie().find((c) => c.startsWith('__Host-evk.csrf='))).toMatch(/;\s*Secure/i);
    } finally {
      await web.close();
    }
  });
});

describe('issue 9 item 7: session lifetimes and ending sessions', () => {
  it('a session ends 12 hours after its login, however active it was', async () => {
    const b = await loginAdmin();
    expect((await b.get('/api/auth/me')).body.actor.kind).toBe('admin');
    const sid = decodeURIComponent(b.cookie('evk.sid')!).replace(/^s:/, '').split('.')[0];
    await system.db.raw(`UPDATE session SET sess = jsonb_set(sess::jsonb, '{loggedInAt}', to_jsonb(?::bigint))::json WHERE sid = ?`, [
      Date.now() - 12 * 3600_000 - 60_000,
      sid,
    ]);
    expect((await b.get('/api/auth/me')).body.actor).toBeNull();
    expect((await b.get('/api/contracts')).status).toBe(401);
  });

  it('the Bar office ends every session of a lawyer; only the Bar office may, and it is recorded', async () => {
    const first = await loginLawyer(system, 'lawyer-qasimova');
    const second = await loginLawyer(system, 'lawyer-qasimova');
    const other = await loginLawyer(system, 'head-huseynova');
    expect((await first.post('/api/auth/sessions/end', { kind: 'lawyer', id: 'lawyer-qasimova' })).status).toBe(403);
    const admin = await loginAdmin();
    const ended = expectStatus(await admin.post('/api/auth/sessions/end', { kind: 'lawyer', id: 'lawyer-qasimova' }), 200, 'end sessions');
    expect(ended.body.ended).toBeGreaterThanOrEqual(2);
    expect((await first.get('/api/auth/me')).body.actor).toBeNull();
    expect((await second.get('/api/auth/me')).body.actor).toBeNull();
    expect((await other.get('/api/auth/me')).body.actor.id).toBe('head-huseynova');
    expect((await admin.post('/api/auth/sessions/end', { kind: 'applicant', id: 'no-such-account' })).status).toBe(404);
    const event = await system.db('security_events').where({ kind: 'sessions_ended', subject: 'account:lawyer:lawyer-qasimova' }).first();
    expect(event).toMatchObject({ actor_kind: 'admin', actor_id: DEMO_ADMIN.id });
  });

  it('logins and logouts are security events, named by account, never by the typed login or password', async () => {
    const b = new HttpClient(webUrl(system));
    await b.post('/api/auth/admin/login', { login: 'someone.typed', password: 'typed-secret-123' });
    const admin = await loginAdmin();
    await admin.post('/api/auth/logout');
    const kinds = (await system.db('security_events').where({ actor_kind: 'admin', actor_id: DEMO_ADMIN.id }).select('kind')).map((r) => r.kind as string);
    expect(kinds).toEqual(expect.arrayContaining(['login_succeeded', 'logout']));
    expect(await system.db('security_events').where({ kind: 'login_failed' }).first()).toBeDefined();
    const all = JSON.stringify(await system.db('security_events').select('*'));
    expect(all).not.toContain('someone.typed');
    expect(all).not.toContain('typed-secret-123');
    expect(all).not.toContain(DEMO_ADMIN.password);
  });
});

describe('issue 14: a session in use is not rewritten on every request', () => {
  const expiryOf = async (b: HttpClient) => {
    const sid = decodeURIComponent(b.cookie('evk.sid') ?? '')
      .replace(/^s:/, '')
      .split('.')[0];
    const row = await system.db('session').where({ sid }).first<{ expire: Date } | undefined>('expire');
    return row?.expire.getTime();
  };

  it('R8.5 requests soon after the login leave the row as the login stored it, and the session stays valid', async () => {
    const admin = await loginAdmin();
    const stored = await expiryOf(admin);
    expect(stored).toBeDefined();
    for (let i = 0; i < 3; i++) {
      await new Promise((r) => setTimeout(r, 1100));
      expectStatus(await admin.get('/api/auth/me'), 200, 'still logged in');
    }
    // Every request used to move the expiry on (an UPDATE each); within SESSION_TOUCH_EVERY_MS none does.
    expect(await expiryOf(admin)).toBe(stored);
  });

  it('the store passes a touch on once per interval and session, and again after a save or once the interval is over', () => {
    const touched: string[] = [];
    class Base {
      touch(sid: string, _sess: unknown, cb?: () => void) {
        touched.push(sid);
        cb?.();
      }
      set(_sid: string, _sess: unknown, cb?: () => void) {
        cb?.();
      }
      destroy(_sid: string, cb?: () => void) {
        cb?.();
      }
    }
    let clock = 1_000_000;
    const Store = sparselyTouched(Base as unknown as Parameters<typeof sparselyTouched>[0], () => clock);
    const store = new Store({}) as unknown as Base;
    const sess = {};
    store.touch('a', sess);
    store.touch('a', sess);
    store.touch('b', sess);
    expect(touched).toEqual(['a', 'b']);
    clock += SESSION_TOUCH_EVERY_MS;
    store.touch('a', sess);
    expect(touched).toEqual(['a', 'b', 'a']);
    store.set('b', sess);
    clock += SESSION_TOUCH_EVERY_MS - 1;
    store.touch('b', sess);
    expect(touched).toEqual(['a', 'b', 'a']);
    store.destroy('a');
    store.touch('a', sess);
    expect(touched).toEqual(['a', 'b', 'a', 'a']);
  });
});
