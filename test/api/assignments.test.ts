/**
 * State-funded assignments (SPEC R5) through real HTTP: the Bar office assigns, the bureau head
 * approves, the lawyer sees it current and marks it done; people of other bureaus see nothing; and
 * the pages "Təyin olunan işlər" and the Bar office's form.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ADMIN } from '../../simulators/demo-seed';
import { expectStatus, loginDemoLawyers, webUrl } from '../support/api';
import { HttpClient, type LooseJson } from '../support/http-client';
import { actors, startTestSystem, type TestSystem } from '../support/system';

let system: TestSystem;
let lawyer: HttpClient;
let colleague: HttpClient;
let head: HttpClient;
let individual: HttpClient;
let admin: HttpClient;

beforeAll(async () => {
  system = await startTestSystem({ web: true });
  ({ lawyer, colleague, head, individual } = await loginDemoLawyers(system));
  admin = new HttpClient(webUrl(system));
  expectStatus(await admin.post('/api/auth/admin/login', { login: DEMO_ADMIN.login, password: DEMO_ADMIN.password }), 200, 'admin login');
});
afterAll(async () => {
  await system?.close();
});

let counter = 0;
const assignment = (overrides: Record<string, unknown> = {}) => ({
  lawyerId: actors.lawyer.id,
  court: 'Bakı Ağır Cinayətlər Məhkəməsi',
  caseNumber: `1(101)-${Date.now().toString(36)}-${++counter}/2026`,
  defendedPerson: { name: 'Rəşad Əliyev Vüqar oğlu', fin: '5ab7k2m' },
  assignedAt: '2026-11-20',
  ...overrides,
});

async function assign(overrides: Record<string, unknown> = {}): Promise<Record<string, LooseJson>> {
  return expectStatus(await admin.post('/api/assignments', assignment(overrides)), 201, 'assign').body.assignment;
}

async function sectionIds(browser: HttpClient, section: string): Promise<string[]> {
  const answer = expectStatus(await browser.get(`/api/assignments?section=${section}`), 200, `section ${section}`);
  return (answer.body.assignments as { id: string }[]).map((a) => a.id);
}

/** The form token of a page (the pages are protected against cross-site requests). */
async function csrfOf(browser: HttpClient, path: string): Promise<string> {
  const page = await browser.get(path, { accept: 'text/html' });
  expect(page.status, page.text.slice(0, 300)).toBe(200);
  const token = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1];
  if (!token) throw new Error(`no form token on ${path}`);
  return token;
}

describe('assigned cases over the API (R5)', () => {
  it('the Bar office assigns, the head approves, the lawyer sees it current and marks it done; it is then in the archive', async () => {
    const created = await assign();
    expect(created).toMatchObject({
      status: 'awaiting_approval',
      lawyerId: actors.lawyer.id,
      bureauId: actors.lawyer.bureauId,
      defendedPerson: { fin: '5AB7K2M' },
      assignedAt: '2026-11-20',
    });
    expect(created.number).toMatch(/^T-\d{4}-\d{6}$/);

    expect(await sectionIds(head, 'awaiting_approval')).toContain(created.id);
    expect(await sectionIds(lawyer, 'awaiting_approval')).toContain(created.id);
    const headView = expectStatus(await head.get(`/api/assignments/${created.id}`), 200, 'head reads').body.assignment;
    expect(headView.allowedActions).toEqual(['approve', 'decline']);
    expect(expectStatus(await lawyer.get(`/api/assignments/${created.id}`), 200, 'lawyer reads').body.assignment.allowedActions).toEqual([]);

    // The lawyer cannot approve their own assignment: only the head decides (409, with the reason).
    const refused = await lawyer.post(`/api/assignments/${created.id}/approve`);
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toMatch(/head/);

    const approved = expectStatus(await head.post(`/api/assignments/${created.id}/approve`), 200, 'approve').body.assignment;
    expect(approved.status).toBe('current');
    expect(await sectionIds(lawyer, 'current')).toContain(created.id);
    expect(await sectionIds(lawyer, 'court')).toContain(created.id);
    expect(await sectionIds(lawyer, 'awaiting_approval')).not.toContain(created.id);

    const done = expectStatus(await lawyer.post(`/api/assignments/${created.id}/complete`), 200, 'complete').body.assignment;
    expect(done.status).toBe('archived');
    expect(await sectionIds(lawyer, 'archive')).toContain(created.id);
    expect(await sectionIds(lawyer, 'current')).not.toContain(created.id);
    // The workflow has ended: a further step is "not allowed now", not a crash.
    expect((await lawyer.post(`/api/assignments/${created.id}/complete`)).status).toBe(409);

    const overview = expectStatus(await lawyer.get('/api/assignments?section=overview'), 200, 'overview').body;
    expect(overview.counts.archived).toBeGreaterThanOrEqual(1);
    expect(overview.assignments.map((a: { id: string }) => a.id)).toContain(created.id);
  });

  it('another bureau (and a colleague who is not the head) gets 404; only the Bar office assigns', async () => {
    const created = await assign();
    for (const outsider of [individual, colleague]) {
      expect((await outsider.get(`/api/assignments/${created.id}`)).status).toBe(404);
      expect((await outsider.post(`/api/assignments/${created.id}/approve`)).status).toBe(404);
      expect((await outsider.post(`/api/assignments/${created.id}/decline`, { reason: 'yox' })).status).toBe(404);
      expect(await sectionIds(outsider, 'overview')).not.toContain(created.id);
    }
    expect((await head.post('/api/assignments', assignment())).status).toBe(403);
    expect(await sectionIds(admin, 'overview')).toContain(created.id);
  });

  it('the head declines with a reason (400 without one); bad input is refused at its fields', async () => {
    const created = await assign();
    const noReason = await head.post(`/api/assignments/${created.id}/decline`, { reason: ' ' });
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.fields[0].field).toBe('reason');
    const declined = expectStatus(await head.post(`/api/assignments/${created.id}/decline`, { reason: 'Vəkil xəstədir.' }), 200, 'decline').body.assignment;
    expect(declined).toMatchObject({ status: 'declined', decline: { reason: 'Vəkil xəstədir.' } });
    expect(await sectionIds(lawyer, 'archive')).toContain(created.id);

    const bad = await admin.post('/api/assignments', assignment({ court: '', defendedPerson: { name: 'X', fin: '12' }, assignedAt: '31.11.2026' }));
    // Issue 13: the API takes dd.mm.yyyy as well as ISO now; a day that does not exist is still refused.
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields.map((f: { field: string }) => f.field)).toEqual(['court', 'defendedPerson.fin', 'assignedAt']);
    const unknownLawyer = await admin.post('/api/assignments', assignment({ lawyerId: 'nobody' }));
    expect(unknownLawyer.status).toBe(400);
    expect(unknownLawyer.body.error.fields[0].field).toBe('lawyerId');
    expect((await lawyer.get('/api/assignments?section=nonsense')).status).toBe(400);
  });

  it('the pages: the Bar office assigns through its form (errors at the fields), the lawyer reads the five sub-sections', async () => {
    const token = await csrfOf(admin, '/admin');
    const form = (fields: Record<string, string>) => new URLSearchParams({ _csrf: token, ...fields }).toString();
    const headers = { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' };
    const invalid = await admin.request('POST', '/admin/assignments', {
      raw: form({
        lawyerId: '',
        court: 'Bakı Ağır Cinayətlər Məhkəməsi',
        caseNumber: '',
        defendedPersonName: 'Əli',
        defendedPersonFin: '',
        assignedAt: '2026-11-21',
      }),
      headers,
    });
    expect(invalid.status).toBe(400);
    expect(invalid.text).toContain('id="f-lawyerId-error"');
    expect(invalid.text).toContain('id="f-caseNumber-error"');
    expect(invalid.text).toContain('value="Bakı Ağır Cinayətlər Məhkəməsi"');

    const caseNumber = `2(102)-${Date.now().toString(36)}/2026`;
    const ok = await admin.request('POST', '/admin/assignments', {
      raw: form({
        lawyerId: actors.lawyer.id,
        court: 'Bakı Apellyasiya Məhkəməsi',
        caseNumber,
        defendedPersonName: 'Səbinə Quliyeva',
        defendedPersonFin: '',
        assignedAt: '2026-11-21',
      }),
      headers,
    });
    expect(ok.status, ok.text.slice(0, 300)).toBe(303);
    const adminPage = await admin.get('/admin', { accept: 'text/html' });
    expect(adminPage.text).toContain(caseNumber);

    const awaiting = await head.get('/assigned?tab=awaiting_approval', { accept: 'text/html' });
    expect(awaiting.status).toBe(200);
    for (const label of ['Məhkəmə işləri', 'Təsdiq gözləyənlər', 'Cari işlər', 'Arxiv', 'Ümumi baxış']) expect(awaiting.text).toContain(label);
    expect(awaiting.text).toContain(caseNumber);
    expect(awaiting.text).toMatch(/\/assigned\/[^"]+\/approve/);
    const overview = await lawyer.get('/assigned?tab=overview', { accept: 'text/html' });
    expect(overview.status).toBe(200);
    expect(overview.text).toContain('data-status="awaiting_approval"');
  });
});
