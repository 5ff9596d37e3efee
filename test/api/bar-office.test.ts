/**
 * Issue 9 item 6 (least privilege) and item 10 (security events the Bar office reads), over real
 * HTTP: the Bar office sees a contract's outline and none of its client's data or files; it opens
 * them for an hour only with a reason, which is recorded and which the contract's lawyer and head
 * then see; refused access is recorded once; the Bar office reads the events, in UTC, without secrets.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activeContract, type ContractDetails, expectStatus, getContract, loginDemoLawyers, webUrl } from '../support/api';
import { HttpClient } from '../support/http-client';
import { startTestSystem, type TestSystem } from '../support/system';
import { distinctiveDraft, loginNewAdmin, personalDataOf } from '../support/bar-office';

let system: TestSystem;
let lawyer: HttpClient;
let colleague: HttpClient;
let head: HttpClient;

const REASON = 'Vəkilin fəaliyyətinə dair 2026/114 saylı şikayətə baxılır';

let contractId: string;
let details: ContractDetails;
let secrets: string[];

beforeAll(async () => {
  system = await startTestSystem({ web: true });
  ({ lawyer, colleague, head } = await loginDemoLawyers(system));
  ({ id: contractId, details } = await activeContract(system, { lawyer, head }, distinctiveDraft()));
  secrets = personalDataOf(details);
});
afterAll(async () => {
  await system?.close();
});

describe('the Bar office sees no client data without a reason (issue 9 item 6)', () => {
  it('without a reason: the outline of the contract, no person, price, assignment, file, PDF or terminal code; its list has none either', async () => {
    const { browser: office } = await loginNewAdmin(system);
    const outline = expectStatus(await office.get(`/api/contracts/${contractId}`), 200, 'outline');
    expect(outline.body).toMatchObject({ reduced: true, barOfficeAccess: null, documents: [] });
    expect(outline.body.contract).toMatchObject({ contractNumber: details.contract.contractNumber, status: 'active', lawyerId: details.contract.lawyerId });
    expect(outline.body.contract.terms).toBeUndefined();
    for (const s of secrets) expect(outline.text).not.toContain(s);

    for (const path of [
      `/api/contracts/${contractId}/versions/1/contract.pdf`,
      `/api/contracts/${contractId}/versions/1/order.pdf`,
      `/api/contracts/${contractId}/dossier`,
      `/api/contracts/${contractId}/payments`,
    ]) {
      const refused = await office.get(path);
      expect(refused.status, path).toBe(403);
      expect(refused.body.error.reason).toBe('access.reason_required');
      for (const s of secrets) expect(refused.text).not.toContain(s);
    }

    const list = expectStatus(await office.get('/api/contracts?pageSize=100'), 200, 'list');
    const mine = list.body.contracts.find((c: { id: string }) => c.id === contractId);
    expect(mine).toMatchObject({ number: details.contract.contractNumber, status: 'active' });
    expect(Object.keys(mine)).not.toContain('applicant');
    for (const s of secrets) expect(list.text).not.toContain(s);
    const byName = await office.get(`/api/contracts?name=${encodeURIComponent('Matrisova')}`);
    expect(byName.status).toBe(400);
    expect(byName.body.error.reason).toBe('access.name_search_not_for_bar_office');

    const page = expectStatus(await office.get(`/admin/contracts/${contractId}`, { accept: 'text/html' }), 200, 'outline page');
    expect(page.text).toContain('data-access-form');
    expect(page.text).toContain(details.contract.contractNumber);
    for (const s of secrets) expect(page.text).not.toContain(s);
    const listPage = expectStatus(await office.get('/admin/contracts', { accept: 'text/html' }), 200, 'list page');
    for (const s of secrets) expect(listPage.text).not.toContain(s);
  });

  it('a reason of 10–500 characters opens everything for an hour, recorded as reasoned_access (its ID, not its words); the lawyer and the head see who, when and why', async () => {
    const { browser: office, id: adminId } = await loginNewAdmin(system, 'Leyla Kollegiyalı');
    for (const [reason, code] of [
      [undefined, 'access.reason_required'],
      ['   ', 'access.reason_required'],
      ['baxış', 'access.reason_too_short'],
      ['x'.repeat(501), 'access.reason_too_long'],
    ] as const) {
      const bad = await office.post(`/api/contracts/${contractId}/bar-office-access`, reason === undefined ? {} : { reason });
      expect(bad.status).toBe(400);
      expect(bad.body.error.fields[0]).toMatchObject({ field: 'reason', code });
    }
    expect((await office.get(`/api/contracts/${contractId}`)).body.reduced).toBe(true);
    // Neither the lawyer nor anyone else may open it this way.
    expect((await lawyer.post(`/api/contracts/${contractId}/bar-office-access`, { reason: REASON })).status).toBe(403);

    const opened = expectStatus(await office.post(`/api/contracts/${contractId}/bar-office-access`, { reason: REASON }), 201, 'open');
    const minutes = (Date.parse(opened.body.access.expiresAt) - Date.parse(opened.body.access.at)) / 60_000;
    expect(minutes).toBe(60);
    const full = expectStatus(await office.get(`/api/contracts/${contractId}`), 200, 'full');
    expect(full.body.reduced).toBeUndefined();
    expect(full.body.contract.terms.applicant.fin).toBe(details.contract.terms!.applicant.fin);
    expect(full.body.barOfficeAccess.expiresAt).toBe(opened.body.access.expiresAt);
    expect((await office.getBytes(`/api/contracts/${contractId}/versions/1/order.pdf`)).status).toBe(200);
    expect((await office.get(`/api/contracts/${contractId}/payments`)).status).toBe(200);
    const page = expectStatus(await office.get(`/admin/contracts/${contractId}`, { accept: 'text/html' }), 200, 'full page');
    expect(page.text).toContain('data-access-open');
    expect(page.text).toContain(details.contract.terms!.applicant.lastName);

    // Another admin's access is not this one's.
    const { browser: other } = await loginNewAdmin(system);
    expect((await other.get(`/api/contracts/${contractId}`)).body.reduced).toBe(true);

    // The lawyer and the head see every access; the applicant's JSON does not carry the list.
    for (const who of [lawyer, head]) {
      const seen = (await getContract(who, contractId)) as ContractDetails & { barOfficeAccesses: { at: string; reason: string; by: string }[] };
      expect(seen.barOfficeAccesses).toContainEqual({ at: opened.body.access.at, reason: REASON, by: 'Leyla Kollegiyalı' });
    }
    const lawyerPage = expectStatus(await lawyer.get(`/contracts/${contractId}`, { accept: 'text/html' }), 200, 'lawyer page');
    expect(lawyerPage.text).toContain('data-bar-office-accesses');
    expect(lawyerPage.text).toContain(REASON);

    const [event] = await system.db('security_events').where({ kind: 'reasoned_access', actor_id: adminId });
    expect(event).toMatchObject({ actor_kind: 'admin', subject: `contract:${contractId}` });
    expect(event.detail.accessId).toBe(opened.body.access.id);
    expect(JSON.stringify(event)).not.toContain('2026/114');

    // Once the hour is over, the outline again.
    await system
      .db('bar_office_accesses')
      .where({ id: opened.body.access.id })
      .update({ expires_at: new Date(Date.now() - 1000) });
    expect((await office.get(`/api/contracts/${contractId}`)).body.reduced).toBe(true);
    expect((await office.get(`/api/contracts/${contractId}/dossier`)).status).toBe(403);
  });

  it('the form on the outline page asks for the reason in Azerbaijani, refuses a short one at its field, and opens the contract', async () => {
    const { browser: office } = await loginNewAdmin(system);
    const page = expectStatus(await office.get(`/admin/contracts/${contractId}`, { accept: 'text/html' }), 200, 'outline page');
    expect(page.text).toContain('Səbəbi təsdiqlə və aç');
    const token = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
    const send = (reason: string) =>
      office.request('POST', `/admin/contracts/${contractId}/access`, {
        raw: new URLSearchParams({ _csrf: token, reason }).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
      });
    const short = await send('qısa');
    expect(short.status).toBe(400);
    expect(short.text).toContain('Səbəb ən azı 10 simvol olmalıdır.');
    const ok = await send(REASON);
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe(`/admin/contracts/${contractId}`);
    expect((await office.get(`/admin/contracts/${contractId}`, { accept: 'text/html' })).text).toContain('data-access-open');
  });
});

describe('security events for the Bar office (issue 9 item 10)', () => {
  it('a refused contract is recorded once as access_refused, with the route and the code, no personal data', async () => {
    const before = await system
      .db('security_events')
      .where({ kind: 'access_refused', subject: `contract:${contractId}` })
      .count<[{ count: string }]>({ count: '*' });
    expect((await colleague.get(`/api/contracts/${contractId}`)).status).toBe(404);
    expect((await colleague.get(`/contracts/${contractId}`, { accept: 'text/html' })).status).toBe(404);
    const rows = await system
      .db('security_events')
      .where({ kind: 'access_refused', subject: `contract:${contractId}`, actor_id: 'lawyer-qasimova' })
      .orderBy('id', 'desc')
      .limit(2);
    expect(rows.map((r) => r.detail.route).sort()).toEqual(['/api/contracts/:id', '/contracts/:id']);
    expect(rows.every((r) => r.detail.code === 'contract.not_found')).toBe(true);
    const after = await system
      .db('security_events')
      .where({ kind: 'access_refused', subject: `contract:${contractId}` })
      .count<[{ count: string }]>({ count: '*' });
    expect(Number(after[0].count) - Number(before[0].count)).toBe(2);
    for (const s of secrets) expect(JSON.stringify(rows)).not.toContain(s);
  });

  it('GET /api/security-events: the Bar office only; filters by kind, time and subject; newest first; paged; UTC', async () => {
    const { browser: office } = await loginNewAdmin(system);
    expect((await lawyer.get('/api/security-events')).status).toBe(403);
    expect((await new HttpClient(webUrl(system)).get('/api/security-events')).status).toBe(401);
    const all = expectStatus(await office.get('/api/security-events?pageSize=5'), 200, 'events');
    expect(all.body.events.length).toBeLessThanOrEqual(5);
    expect(all.body.total).toBeGreaterThan(0);
    const ids = all.body.events.map((e: { id: string }) => Number(e.id));
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expect(all.body.events[0].at).toMatch(/Z$/);
    const refused = expectStatus(
      await office.get(`/api/security-events?kind=access_refused&subject=${encodeURIComponent(`contract:${contractId}`)}`),
      200,
      'refused events',
    );
    expect(refused.body.events.length).toBeGreaterThan(0);
    expect(refused.body.events.every((e: { kind: string; subject: string }) => e.kind === 'access_refused' && e.subject === `contract:${contractId}`)).toBe(
      true,
    );
    const future = expectStatus(await office.get('/api/security-events?from=2099-01-01'), 200, 'future');
    expect(future.body.events).toEqual([]);
    const bad = await office.get('/api/security-events?kind=everything&from=yesterday');
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields.map((f: { field: string }) => f.field)).toEqual(['kind', 'from']);

    const page = expectStatus(await office.get('/admin/security?kind=access_refused', { accept: 'text/html' }), 200, 'events page');
    expect(page.text).toContain('Giriş rədd edildi');
    expect(page.text).toMatch(/\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/);
    expect(page.text).not.toContain('evk.sid');
    expect((await lawyer.get('/admin/security', { accept: 'text/html' })).status).toBe(404);
  });
});
