/**
 * Issue 9 item 8: a page on another site cannot change anything through the JSON API. Every
 * state-changing operation of the OpenAPI document (POST, PUT, PATCH, DELETE; the payment agent's
 * signed callback aside) refuses a `text/plain` body, a form-encoded body and a body-less request
 * without the JSON type (415 `common.content_type_required`), and a cross-site `Origin` or
 * `Sec-Fetch-Site` (403 `common.cross_site_refused`), each recorded as a security event — all as
 * the logged-in lawyer, so the refusal is not a missing login, and the contract is unchanged
 * afterwards. The same requests from the cabinet's own origin work, and so do the pages' forms.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTRACT_OPERATIONS } from '../../api/contract/openapi';
import { buildOpenApiDocument } from '../../api/http/openapi';
import { createDraft, expectStatus, getContract, loginDemoLawyers } from '../support/api';
import type { HttpClient } from '../support/http-client';
import { completeDraft, startTestSystem, type TestSystem } from '../support/system';

let system: TestSystem;
let lawyer: HttpClient;
beforeAll(async () => {
  system = await startTestSystem({ web: true });
  ({ lawyer } = await loginDemoLawyers(system));
});
afterAll(async () => {
  await system?.close();
});

const STATE_CHANGING = ['post', 'put', 'patch', 'delete'];
const EVIL = 'http://evil.example';

/** Every state-changing operation the API documents, as [METHOD, path template]. */
function stateChangingOperations(): [string, string][] {
  const doc = buildOpenApiDocument('http://127.0.0.1') as unknown as { paths: Record<string, Record<string, unknown>> };
  const documented = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => [m, p] as [string, string]));
  const all = [...documented, ...CONTRACT_OPERATIONS.map((o) => [o.method, o.path] as [string, string])];
  return all.filter(([m, p]) => STATE_CHANGING.includes(m) && p !== '/api/payment-agent/callback').map(([m, p]) => [m.toUpperCase(), p]);
}

const tinyPdf = () => Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n', 'latin1');

async function uploadRaw(browser: HttpClient, id: string, headers: Record<string, string>, body: BodyInit) {
  const response = await fetch(`${browser.baseUrl}/api/contracts/${id}/dossier`, {
    method: 'POST',
    headers: { accept: 'application/json', cookie: browser.cookieHeader(), ...headers },
    body,
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined, text };
}

async function formToken(browser: HttpClient, page: string): Promise<string> {
  const html = await browser.get(page, { accept: 'text/html' });
  const token = /name="_csrf" value="([^"]+)"/.exec(html.text)?.[1];
  if (!token) throw new Error(`no form token on ${page}`);
  return token;
}

describe('cross-site requests to the JSON API (issue 9 item 8)', () => {
  it('every state-changing operation refuses text/plain, form-encoded, untyped and cross-site requests, and nothing changes', async () => {
    const operations = stateChangingOperations();
    // The document lists them all; a new one joins this test by being documented.
    expect(operations.length).toBeGreaterThanOrEqual(25);
    for (const expected of ['POST /api/auth/logout', 'POST /api/contracts/{id}/submit', 'POST /api/contracts/{id}/approve', 'POST /api/contracts/{id}/dossier'])
      expect(operations.map(([m, p]) => `${m} ${p}`)).toContain(expected);

    const id = await createDraft(lawyer, completeDraft());
    const uploaded = await uploadRaw(lawyer, id, { 'content-type': 'application/pdf', 'x-file-name': 'scan.pdf' }, new Uint8Array(tinyPdf()));
    expect(uploaded.status, uploaded.text).toBe(201);
    const fileId = uploaded.body.file.id as string;
    const before = await getContract(lawyer, id);
    const eventsBefore = Number((await system.db('security_events').where({ kind: 'cross_site_refused' }).count({ n: '*' }).first())?.n);

    let refusals = 0;
    for (const [method, template] of operations) {
      const path = template
        .replace('{id}', id)
        .replace('{fileId}', fileId)
        .replace(/\{\w+\}/g, 'x');
      const what = `${method} ${template}`;
      const attempts: { how: string; options: { raw?: string; json?: unknown; headers?: Record<string, string> }; status: number; reason: string }[] = [
        {
          how: 'text/plain',
          options: { raw: '{"reason":"x"}', headers: { 'content-type': 'text/plain' } },
          status: 415,
          reason: 'common.content_type_required',
        },
        {
          how: 'form',
          options: { raw: 'reason=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } },
          status: 415,
          reason: 'common.content_type_required',
        },
        { how: 'no type', options: {}, status: 415, reason: 'common.content_type_required' },
        { how: 'evil Origin', options: { json: {}, headers: { origin: EVIL } }, status: 403, reason: 'common.cross_site_refused' },
        { how: 'Sec-Fetch-Site', options: { json: {}, headers: { 'sec-fetch-site': 'cross-site' } }, status: 403, reason: 'common.cross_site_refused' },
        { how: 'null Origin', options: { json: {}, headers: { origin: 'null' } }, status: 403, reason: 'common.cross_site_refused' },
      ];
      for (const attempt of attempts) {
        const answer = await lawyer.request(method, path, attempt.options);
        expect(answer.status, `${what} ${attempt.how}: ${answer.text.slice(0, 200)}`).toBe(attempt.status);
        expect(answer.body?.error?.reason, `${what} ${attempt.how}`).toBe(attempt.reason);
        refusals += 1;
      }
    }

    // Nothing happened: still the same draft, the file still there, the lawyer still logged in.
    const after = await getContract(lawyer, id);
    expect(after.contract.status).toBe('draft');
    expect(after.contract.revision).toBe(before.contract.revision);
    expect((await lawyer.get(`/api/contracts/${id}/dossier`)).body.files.map((f: { id: string }) => f.id)).toEqual([fileId]);
    expect((await lawyer.get('/api/auth/me')).status).toBe(200);

    // Each refusal is a security event with the reason and the route, never a body.
    const events = await system.db('security_events').where({ kind: 'cross_site_refused' }).orderBy('id');
    expect(events.length - eventsBefore).toBe(refusals);
    const evil = events.find((e) => (e.detail as { origin?: string }).origin === EVIL);
    expect(evil?.detail).toMatchObject({ reason: 'origin', method: expect.any(String), route: expect.stringMatching(/^\/api\//) });
    expect(JSON.stringify(events.map((e) => e.detail))).not.toContain(id);
  });

  it('the same requests from the cabinet itself work: JSON from its own origin, body-less steps with the JSON type', async () => {
    const origin = new URL(system.config.publicUrl).origin;
    const id = await createDraft(lawyer, completeDraft());
    const saved = await lawyer.request('PATCH', `/api/contracts/${id}/draft`, {
      json: { assignment: 'Müdafiə.' },
      headers: { origin, 'sec-fetch-site': 'same-origin' },
    });
    expect(saved.status, saved.text).toBe(200);
    // A body-less step: no body, but the JSON type (the test client's default for post()).
    const submitted = await lawyer.request('POST', `/api/contracts/${id}/submit`, { headers: { 'content-type': 'application/json', origin } });
    expect(submitted.status, submitted.text).toBe(200);
    const removed = await lawyer.request('DELETE', `/api/contracts/${await createDraft(lawyer)}`, { headers: { 'content-type': 'application/json' } });
    expect(removed.status, removed.text).toBeLessThan(300);
  });

  it('the upload takes the file bytes in their own type, or multipart only with the form token in X-CSRF-Token', async () => {
    const id = await createDraft(lawyer, completeDraft());
    const form = () => {
      const f = new FormData();
      f.append('file', new Blob([new Uint8Array(tinyPdf())]), 'scan.pdf');
      return f;
    };
    const withoutToken = await uploadRaw(lawyer, id, {}, form());
    expect(withoutToken.status).toBe(415);
    expect(withoutToken.body.error.reason).toBe('common.content_type_required');
    const wrongToken = await uploadRaw(lawyer, id, { 'x-csrf-token': 'forged' }, form());
    expect(wrongToken.status).toBe(415);
    const asText = await uploadRaw(lawyer, id, { 'content-type': 'text/plain' }, '%PDF-1.4 a text/plain form can send this');
    expect(asText.status).toBe(415);
    const token = await formToken(lawyer, `/contracts/${id}`);
    const withToken = await uploadRaw(lawyer, id, { 'x-csrf-token': token }, form());
    expect(withToken.status, withToken.text).toBe(201);
    const asBytes = await uploadRaw(lawyer, id, { 'content-type': 'application/octet-stream', 'x-file-name': 'b.pdf' }, new Uint8Array(tinyPdf()));
    expect(asBytes.status, asBytes.text).toBe(201);
    expect((await lawyer.get(`/api/contracts/${id}/dossier`)).body.files).toHaveLength(2);
  });

  it("the cabinet's pages keep working: their forms carry the form token and are not under /api", async () => {
    const id = await createDraft(lawyer, completeDraft());
    const token = await formToken(lawyer, `/contracts/${id}`);
    const form = new FormData();
    form.append('_csrf', token);
    form.append('file', new Blob([new Uint8Array(tinyPdf())]), 'Etibarnamə.pdf');
    const origin = new URL(system.config.publicUrl).origin;
    const response = await fetch(`${lawyer.baseUrl}/contracts/${id}/dossier`, {
      method: 'POST',
      headers: { accept: 'text/html', origin, 'sec-fetch-site': 'same-origin', cookie: lawyer.cookieHeader() },
      body: form,
      redirect: 'manual',
    });
    expect([302, 303]).toContain(response.status);
    expect((await lawyer.get(`/api/contracts/${id}/dossier`)).body.files.map((f: { name: string }) => f.name)).toEqual(['Etibarnamə.pdf']);
    // The page's logout form, with its token, still logs out.
    const logout = await lawyer.request('POST', '/logout', {
      raw: new URLSearchParams({ _csrf: await formToken(lawyer, '/projects') }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html', origin },
    });
    expect(logout.status).toBeLessThan(400);
    expect(expectStatus(await lawyer.get('/api/auth/me'), 200, 'who is logged in').body.actor).toBeNull();
  });
});
