/**
 * Issue 13, "the pages": every page, as each role sees it, in a real Chromium, checked with axe-core
 * (WCAG 2.1 A/AA) with no serious or critical violation; and what a person notices of the rest of
 * the section — the "Menyu" button on a phone, dates as dd.mm.yyyy, our own file button with the
 * chosen file's name, the generated documents' sizes, and the e-mail's link with the number the
 * pages show (M-…). Sessions come from the API's logins (test/support/api.ts), handed to the browser
 * as its cookie, so the walk spends its time on pages, not on logging in.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, ElementHandle, Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contractNumberOf } from '../../domain/contract/numbering';
import { DEMO_OPERATOR } from '../../simulators/demo-seed';
import { activeContract, createDraft, expectStatus, loginDemoLawyers, webUrl } from '../support/api';
import { axeReport } from '../support/axe';
import { loginNewAdmin } from '../support/bar-office';
import { DESKTOP_VIEWPORT, launchBrowser, PHONE_VIEWPORT } from '../support/browser';
import { HttpClient } from '../support/http-client';
import { eventually, startTestSystem, type TestSystem } from '../support/system';

let system: TestSystem;
let browser: Browser;
let base: string;

beforeAll(async () => {
  system = await startTestSystem({ web: true });
  base = webUrl(system);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await system?.close();
});

/** A page in a browser of its own holding the API client's session. */
async function pageOf(client?: HttpClient): Promise<Page> {
  const page = await (await browser.createBrowserContext()).newPage();
  await page.setViewport(DESKTOP_VIEWPORT);
  const sid = client?.cookie('evk.sid');
  if (sid) await page.setCookie({ name: 'evk.sid', value: sid, url: base });
  return page;
}

/**
 * The suite's time budget affords one page of each kind (each view, each role); EVK_TEST_A11Y_ALL=1
 * walks every page listed (e.g. before a release, or after a change to the layout or the stylesheet).
 */
const ALL = process.env.EVK_TEST_A11Y_ALL === '1';

/** Opens each page and collects what axe finds on it (all pages first, so one failure lists every problem). */
async function walk(page: Page, paths: string[]): Promise<string[]> {
  const problems: string[] = [];
  for (const p of paths) {
    const response = await page.goto(`${base}${p}`, { waitUntil: 'domcontentloaded' });
    if (new URL(page.url()).pathname.startsWith('/login') && !p.startsWith('/login')) problems.push(`${p}: sent to the login page`);
    else if ((response?.status() ?? 500) >= 500) problems.push(`${p}: ${response?.status()}`);
    problems.push(...(await axeReport(page)));
  }
  return problems;
}

describe('issue 13: the pages are accessible (WCAG 2.1 AA, axe-core) for every role', () => {
  it('public pages, the lawyer, the head, the applicant, the Bar office and the operator: no serious or critical violation', { timeout: 180_000 }, async () => {
    const people = await loginDemoLawyers(system);
    const draft = await createDraft(people.lawyer);
    const active = await activeContract(system, people);
    const version = await system.db('contract_versions').where({ contract_id: active.id, version: 1 }).first('order_number', 'verification_code');
    const office = await loginNewAdmin(system);
    const operator = new HttpClient(base);
    expectStatus(await operator.post('/api/auth/admin/login', { login: DEMO_OPERATOR.login, password: DEMO_OPERATOR.password }), 200, 'operator login');

    const problems: string[] = [];
    const verify = `/verify/${version.order_number}?code=${version.verification_code}`;
    const wizard = [1, 2, 3, 4, 5, 6, 7].map((step) => `/contracts/${draft}/wizard/${step}`);
    const roles: [Page, string[], string[]][] = [
      [await pageOf(), ['/login', '/login/lawyer', verify, '/no-such-page'], ['/login/applicant', '/login/admin', '/login/applicant/reset']],
      [
        await pageOf(people.lawyer),
        ['/contracts?tab=archive&from=31.02.2026', `/contracts/${active.id}`, wizard[1], wizard[6], '/messages/new', '/calendar', '/calendar/new'],
        [
          '/projects',
          '/contracts',
          '/assigned',
          '/info',
          '/messages',
          '/profile',
          '/calendar?view=week',
          '/calendar?view=day',
          `/contracts/${active.id}/amend`,
          ...wizard,
          '/statistics',
        ],
      ],
      [await pageOf(people.head), ['/contracts?tab=awaiting_approval', '/calendar'], ['/contracts?tab=bureau', `/contracts/${active.id}`]],
      [await pageOf(active.applicant), [`/applicant/contracts/${active.id}`], ['/applicant', '/applicant/password']],
      [
        await pageOf(office.browser),
        ['/admin/dashboard', `/admin/contracts/${active.id}`, '/admin/seminars/new', '/admin/bureaus/new'],
        [
          '/admin',
          '/admin/contracts',
          '/admin/security',
          '/admin/messages',
          '/admin/messages/new',
          '/admin/seminars',
          '/admin/profile-changes',
          '/admin/specialisations',
          '/admin/lawyers',
          '/admin/lawyers/new',
          '/admin/lawyers/import',
          '/admin/bureaus',
          '/admin/password',
          '/statistics',
        ],
      ],
      [await pageOf(operator), ['/operator'], ['/operator/password']],
    ];
    for (const [page, always, more] of roles) problems.push(...(await walk(page, ALL ? [...always, ...more] : always)));
    const [lawyer, head] = [roles[1][0], roles[2][0]];
    expect(problems).toEqual([]);

    // The generated documents in "Sənədlər" show their size, like an upload.
    await lawyer.goto(`${base}/contracts/${active.id}`, { waitUntil: 'domcontentloaded' });
    const sizes = await lawyer.$$eval('tr[data-dossier-entry="order"] td:nth-of-type(1), tr[data-dossier-entry="contract"] td:nth-of-type(1)', (cells) =>
      cells.map((c) => c.textContent?.trim()),
    );
    expect(sizes.length).toBe(2);
    for (const size of sizes) expect(size).toMatch(/^\d+(\.\d)? (KB|MB)$/);

    // The head's e-mail names and links the contract as the pages do: M-2026-…, and the link opens that contract.
    const number = contractNumberOf(active.id);
    const mail = await eventually(
      () =>
        system
          .db('outbox')
          .where({ contract_id: active.id, channel: 'email' })
          .whereLike('subject', 'Təsdiqə gələn iş%')
          .first<{ body: string } | undefined>('body'),
      { what: "the head's e-mail" },
    );
    expect(mail.body).toContain(number);
    expect(mail.body).toContain(`${base.replace(/\/$/, '')}/contracts/${number}`);
    await head.goto(`${base}/contracts/${number}`, { waitUntil: 'domcontentloaded' });
    expect(new URL(head.url()).pathname).toBe(`/contracts/${active.id}`);
    expect(await head.$eval('h1', (h) => h.textContent)).toContain(number);
  });

  it('on a phone the menu is one "Menyu" button; dates read dd.mm.yyyy; the file button is ours and names the chosen file', async () => {
    const people = await loginDemoLawyers(system);
    const id = await createDraft(people.lawyer);
    const page = await pageOf(people.lawyer);
    await page.setViewport(PHONE_VIEWPORT);
    await page.goto(`${base}/contracts`, { waitUntil: 'domcontentloaded' });
    const projects = 'header nav a[href="/projects"]';
    expect(await page.$eval('details[data-menu] > summary', (s) => s.textContent?.trim())).toBe('Menyu');
    expect(await page.$eval(projects, (a) => a.checkVisibility())).toBe(false);
    await page.click('details[data-menu] > summary');
    expect(await page.$eval(projects, (a) => a.checkVisibility())).toBe(true);
    await page.click('details[data-menu] > summary');

    // The period's two fields share a row on a phone; they are text fields that say how to type a date.
    const [from, to] = await Promise.all(['#f-from', '#f-to'].map((s) => page.$eval(s, (e) => e.getBoundingClientRect().top)));
    expect(Math.abs(from - to)).toBeLessThan(2);
    expect(await page.$eval('#f-from', (e) => [e.getAttribute('type'), e.getAttribute('placeholder'), e.getAttribute('inputmode')])).toEqual([
      'text',
      'gg.aa.iiii',
      'numeric',
    ]);
    expect(await axeReport(page)).toEqual([]);

    // Dates on the pages: 01.12.2026 12:20, never 01.12.26 nor 2026-12-01.
    await page.setViewport(DESKTOP_VIEWPORT);
    await page.goto(`${base}/contracts/${id}`, { waitUntil: 'domcontentloaded' });
    const main = await page.$eval('main', (m) => m.innerText);
    expect(main).toMatch(/\b\d{2}\.\d{2}\.\d{4} \d{2}:\d{2}\b/);
    expect(main).not.toMatch(/\b\d{2}\.\d{2}\.\d{2},/);

    // "Sənədlər": our own button and the file's name next to it, no browser "Choose File".
    const label = await page.$eval('label[for="f-dossierFile"]', (l) => l.textContent?.trim());
    expect(label).toBeTruthy();
    expect(await page.$eval('#f-dossierFile-name', (s) => s.textContent?.trim())).toBe('Fayl seçilməyib');
    const dir = mkdtempSync(path.join(tmpdir(), 'evk-pages-'));
    const scan = path.join(dir, 'qərar-surəti.pdf');
    writeFileSync(scan, Buffer.from('%PDF-1.4\n%âãÏÓ\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n'));
    await ((await page.$('#f-dossierFile')) as ElementHandle<HTMLInputElement>).uploadFile(scan);
    expect(await page.$eval('#f-dossierFile-name', (s) => s.textContent?.trim())).toBe('qərar-surəti.pdf');
    expect(await axeReport(page)).toEqual([]);

    // The check itself sees a problem when there is one: an image without a text.
    await page.evaluate(() => document.querySelector('main')?.insertAdjacentHTML('beforeend', '<img src="/static/profile-no-photo.svg">'));
    expect((await axeReport(page)).join('\n')).toContain('image-alt');
  });
});
