/**
 * Issue 9 item 5: the log keeps no secret and no personal data. The whole system (web, worker,
 * simulators) logs into a buffer at level debug while the contract path runs through the JSON API:
 * a draft with the person's FIN, names, phone and e-mail → look-ups by FIN → the list searched by
 * surname → submit → approve → the applicant logs in (a wrong password first), pays → the order;
 * a page form is sent with its CSRF token. The log then holds none of the person's FIN, names, phone
 * or e-mail, no session cookie's value, no CSRF token and no password — and still says, for each
 * request, its method, path, status and time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectStatus, loginApplicant, loginDemoLawyers, openPayment, payByCard, submittedContract, waitForContract, webUrl } from '../support/api';
import { HttpClient } from '../support/http-client';
import { completeDraft, startTestSystem, type TestSystem, uniquePerson } from '../support/system';

const lines: string[] = [];
const logStream = { write: (line: string) => void lines.push(line) };

let system: TestSystem;
beforeAll(async () => {
  system = await startTestSystem({ web: true, logStream });
});
afterAll(async () => {
  await system?.close();
});

describe('the log of the contract path (issue 9 item 5, ASVS 16.2.5)', () => {
  it('holds no FIN, name, phone, e-mail, session cookie, CSRF token or password', async () => {
    const people = await loginDemoLawyers(system);
    const applicant = uniquePerson({ firstName: 'Təranə', lastName: `Xudaverdiyeva${Date.now().toString(36).slice(-3)}`, patronymic: 'Rafiq qızı' });
    const protectedPerson = uniquePerson({ firstName: 'Zaur', lastName: 'Nəsirzadə', patronymic: 'Elman oğlu', phone: undefined, email: undefined });
    const draft = completeDraft({ applicant, protectedPerson });

    // The wizard's look-ups (POST bodies now) and the list searched by surname.
    await people.lawyer.post('/api/lookups/people', { fin: applicant.fin });
    await people.lawyer.post('/api/lookups/people', { fin: protectedPerson.fin });
    // A client still using the old GET: refused, and its URL is logged without the FIN.
    expect((await people.lawyer.get(`/api/lookups/people/${applicant.fin}`)).status).toBe(404);

    const id = await submittedContract(people.lawyer, draft);
    expectStatus(await people.head.post(`/api/contracts/${id}/approve`), 200, 'approve');
    const { browser: applicantBrowser, password: firstPassword } = await loginApplicant(system, people.lawyer, id);
    const found = await people.lawyer.get(`/api/contracts?scope=mine&name=${encodeURIComponent(applicant.lastName)}`);
    expect(found.body.contracts.map((c: { id: string }) => c.id)).toContain(id);
    await people.lawyer.get(`/contracts?name=${encodeURIComponent(applicant.lastName)}&email=${encodeURIComponent(applicant.email)}`, { accept: 'text/html' });

    // A wrong password, then a password change: neither password may reach the log.
    const stranger = new HttpClient(webUrl(system));
    const wrongPassword = 'Wr0ng-Pa55word-for-the-log-test';
    await stranger.post('/api/auth/applicant/login', { login: 'no-such-login', password: wrongPassword });
    const newPassword = 'N3w-Pa55word-nobody-may-read';
    const changed = await applicantBrowser.post('/api/auth/applicant/password', { currentPassword: firstPassword, newPassword });
    const passwords = [wrongPassword, newPassword, firstPassword];

    const payment = await openPayment(applicantBrowser, id);
    await payByCard(system, payment.agentPaymentId);
    await waitForContract(people.lawyer, id, (d) => d.contract.status === 'active' && d.contract.currentVersion === 1, 'the order');

    // A page form with its CSRF token, sent in the body and in the header.
    const page = await people.lawyer.get('/projects', { accept: 'text/html' });
    const csrfToken = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1];
    expect(csrfToken).toBeDefined();
    const stage = await people.lawyer.request('POST', `/projects/${id}/stage`, {
      raw: new URLSearchParams({ _csrf: csrfToken!, stage: 'appeal' }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html', 'x-csrf-token': csrfToken! },
    });
    expect(stage.status).toBeLessThan(400);

    const log = lines.join('');
    const cookies = [people.lawyer, people.head, applicantBrowser].map((b) => b.cookie('evk.sid')).filter((c): c is string => Boolean(c));
    expect(cookies.length).toBe(3);
    const secrets: Record<string, string> = {
      'applicant FIN': applicant.fin,
      'applicant first name': applicant.firstName,
      'applicant last name': applicant.lastName,
      'applicant patronymic': applicant.patronymic,
      'applicant phone': applicant.phone,
      'applicant phone digits': applicant.phone.replace('+', ''),
      'applicant e-mail': applicant.email,
      'e-mail as in a URL': encodeURIComponent(applicant.email),
      'protected FIN': protectedPerson.fin,
      'protected first name': protectedPerson.firstName,
      'protected last name': protectedPerson.lastName,
      'surname as in a URL': encodeURIComponent(applicant.lastName),
      'CSRF token': csrfToken!,
      ...Object.fromEntries(cookies.map((c, i) => [`session cookie ${i}`, c])),
      // The signed cookie without its signature is the session ID itself.
      ...Object.fromEntries(cookies.map((c, i) => [`session id ${i}`, decodeURIComponent(c).replace(/^s:/, '').split('.')[0]])),
      ...Object.fromEntries(passwords.map((p, i) => [`password ${i}`, p])),
    };
    const leaks = Object.entries(secrets).filter(([, value]) => log.includes(value));
    expect(leaks.map(([what]) => what)).toEqual([]);
    expect(changed.status).toBe(200);

    // The log still tells an operator what happened: method, path, status, time and request ID.
    const requests = lines.map((l) => JSON.parse(l)).filter((l) => l.req && l.res);
    expect(requests.length).toBeGreaterThan(10);
    const submit = requests.find((l) => l.req.url === `/api/contracts/${id}/submit`);
    expect(submit).toMatchObject({ req: { method: 'POST' }, res: { statusCode: 200 } });
    expect(typeof submit?.responseTime).toBe('number');
    expect(submit?.req.id).toBeDefined();
    expect(submit?.req.headers).toBeUndefined();
    expect(requests.some((l) => /^\/api\/contracts\?scope=mine&name=\[redacted\]$/.test(l.req.url))).toBe(true);
    expect(requests.some((l) => l.req.url === '/api/lookups/people/[redacted]')).toBe(true);
    expectStatus(found, 200, 'the list');
  });
});
