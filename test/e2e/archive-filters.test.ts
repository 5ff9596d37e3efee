/**
 * R4.7 the archive, R4.8 the list filters and R6 the projects page in a real headless Chromium:
 * the lawyer finishes, terminates (with a reason) and restarts cases on the contract page and
 * finds them in the archive or back in the current cases; the filter form narrows the list and
 * keeps its values in the URL; the projects page groups the cases by stage and the stage form
 * moves a case. The contracts are brought to the needed state over the API first (the wizard and
 * the payment have tests of their own in cabinets.test.ts).
 */
import { formatDate } from '../../domain/shared/dates';
import type { Knex } from 'knex';
import type { Browser, Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { foldForSearch } from '../../domain/contract';
import { DEMO_LAWYERS } from '../../simulators/demo-data';
import { activeContract, loginDemoLawyers, submittedContract } from '../support/api';
import { clickAndWait, DESKTOP_VIEWPORT, launchBrowser, loginAsLawyer, screenshot } from '../support/browser';
import type { HttpClient } from '../support/http-client';
import { completeDraft, eventually, startTestSystem, type TestSystem, uniquePerson } from '../support/system';

let system: TestSystem;
let browser: Browser;
let base: string;
let api: { lawyer: HttpClient; head: HttpClient };
let page: Page;

const elcin = DEMO_LAWYERS.find((l) => l.key === 'lawyer-mammadov')!;
/** Letters only: part of the protected people's surnames, so that only this file's cases match. */
const tag = `Ar${Array.from({ length: 5 }, () => String.fromCharCode(97 + Math.floor(Math.random() * 26))).join('')}`;

/** A complete contract whose protected person is "<first> <tag><suffix>". */
const draftFor = (firstName: string, suffix: string, caseType: 'criminal' | 'civil' = 'criminal') =>
  completeDraft({
    caseType,
    protectedPerson: uniquePerson({ firstName, lastName: `${tag}${suffix}`, patronymic: 'Vüqar oğlu', phone: undefined, email: undefined }),
    // An applicant of each contract's own (distinct logins), whose names do not contain "əli".
    applicant: uniquePerson({ firstName: 'Aysel', lastName: `Kərimova${suffix}`, patronymic: 'Kamran qızı' }),
  });

let finishing: string;
let terminating: string;
let civil: string;

beforeAll(async () => {
  system = await startTestSystem({ web: true });
  base = system.web!.url;
  const people = await loginDemoLawyers(system);
  api = { lawyer: people.lawyer, head: people.head };
  [finishing, terminating, civil] = await Promise.all([
    activeContract(system, api, draftFor('Əli', 'ov')).then((c) => c.id),
    submittedContract(api.lawyer, draftFor('Vüsal', 'ova')),
    submittedContract(api.lawyer, draftFor('Eli', 'zadə', 'civil')),
  ]);
  browser = await launchBrowser();
  const context = await browser.createBrowserContext();
  page = await context.newPage();
  await page.setViewport(DESKTOP_VIEWPORT);
  await loginAsLawyer(page, base, elcin.phone, elcin.mobileSignatureUserId, system.simulators!.urls.mobileSignature);
});
afterAll(async () => {
  await browser?.close();
  await system?.close();
});

/** The contract IDs the list on the page shows. */
const listedIds = (p: Page) => p.$$eval('tr[data-contract]', (rows) => rows.map((r) => r.getAttribute('data-contract')!));
const inStage = (p: Page, stage: string) =>
  p.$$eval(`section[data-stage="${stage}"] li[data-contract]`, (rows) => rows.map((r) => r.getAttribute('data-contract')!));

/** The list of a tab filtered to this file's cases, reloaded until the predicate holds (the read model follows the workflow). */
async function listUntil(tab: string, predicate: (ids: string[]) => boolean, what: string): Promise<string[]> {
  return eventually(
    async () => {
      await page.goto(`${base}/contracts?tab=${tab}&name=${tag}`, { waitUntil: 'domcontentloaded' });
      const ids = await listedIds(page);
      return predicate(ids) ? ids : undefined;
    },
    { what, timeoutMs: 15_000, intervalMs: 300 },
  );
}

const shot = (name: string) => screenshot(page, name);

describe('R6 projects: the first page after login', () => {
  it('groups the current cases by stage with counts; the stage form moves a case; a case opens at its dossier', async () => {
    expect(new URL(page.url()).pathname).toBe('/projects');
    await page.goto(`${base}/projects?stage=other`, { waitUntil: 'domcontentloaded' });
    expect(await inStage(page, 'other')).toEqual(expect.arrayContaining([finishing, terminating, civil]));
    const countOf = async (stage: string) => Number(await page.$eval(`a[data-stage-count="${stage}"] strong`, (e) => e.textContent));
    const appealBefore = await countOf('appeal');
    const otherBefore = await countOf('other');

    await page.select(`#stage-of-${finishing}`, 'appeal');
    await clickAndWait(page, `li[data-contract="${finishing}"] form.stage button[type=submit]`);
    expect(new URL(page.url()).search).toBe('?stage=other'); // back where the lawyer was
    expect(await page.$eval('.flash', (e) => e.textContent)).toMatch(/Apellyasiya/);
    expect(await inStage(page, 'other')).not.toContain(finishing);
    expect(await countOf('appeal')).toBe(appealBefore + 1);
    expect(await countOf('other')).toBe(otherBefore - 1);

    await page.goto(`${base}/projects`, { waitUntil: 'domcontentloaded' });
    expect(await inStage(page, 'appeal')).toContain(finishing);
    await shot('lawyer-projects');
    await clickAndWait(page, `section[data-stage="appeal"] li[data-contract="${finishing}"] a[href="/contracts/${finishing}#dossier"]`);
    expect(new URL(page.url()).pathname).toBe(`/contracts/${finishing}`);
    expect(new URL(page.url()).hash).toBe('#dossier');
  });
});

describe('R4.8 the filter form', () => {
  it('narrows the list, keeps its values in the URL and in the form, and shows a bad date at the field', async () => {
    await page.goto(`${base}/contracts`, { waitUntil: 'domcontentloaded' });
    await page.type('#f-name', `əli ${tag.toUpperCase()}`); // "Əli" and "Eli", whatever the letters' case
    await clickAndWait(page, 'form.filters button[type=submit]');
    expect((await listedIds(page)).sort()).toEqual([finishing, civil].sort());
    let url = new URL(page.url());
    expect(url.searchParams.get('name')).toBe(`əli ${tag.toUpperCase()}`);
    expect(url.searchParams.get('tab')).toBe('current');

    await page.select('#f-caseType', 'civil');
    await clickAndWait(page, 'form.filters button[type=submit]');
    expect(await listedIds(page)).toEqual([civil]);
    url = new URL(page.url());
    expect(url.searchParams.get('caseType')).toBe('civil');
    expect(url.searchParams.get('name')).toBe(`əli ${tag.toUpperCase()}`);
    expect(await page.$eval('#f-name', (e) => (e as HTMLInputElement).value)).toBe(`əli ${tag.toUpperCase()}`);
    expect(await page.$eval('#f-caseType', (e) => (e as HTMLSelectElement).value)).toBe('civil');

    // Reloading the URL gives the same list: the filters live in it.
    await page.goto(page.url(), { waitUntil: 'domcontentloaded' });
    expect(await listedIds(page)).toEqual([civil]);

    await page.select('#f-caseType', '');
    await page.select('#f-status', 'awaiting_approval');
    await page.select('#f-institutionId', 'baku-serious-crimes-court');
    // Issue 13: the period is typed as the page shows dates (dd.mm.yyyy), not in the browser's date picker.
    const today = formatDate(new Date());
    await page.$eval('#f-from', (e, v) => ((e as HTMLInputElement).value = v), today);
    await page.$eval('#f-to', (e, v) => ((e as HTMLInputElement).value = v), today);
    await page.$eval('#f-name', (e) => ((e as HTMLInputElement).value = ''));
    await page.type('#f-name', tag.toLowerCase());
    await clickAndWait(page, 'form.filters button[type=submit]');
    expect((await listedIds(page)).sort()).toEqual([terminating, civil].sort()); // five filters at once
    url = new URL(page.url());
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      tab: 'current',
      name: tag.toLowerCase(),
      status: 'awaiting_approval',
      institutionId: 'baku-serious-crimes-court',
      from: today,
      to: today,
    });
    expect(await page.$eval('#f-from', (e) => (e as HTMLInputElement).value)).toBe(today);
    await shot('lawyer-contracts-filtered');

    // A bad date (typed by hand where the browser has no date picker) is shown at its field.
    await page.goto(`${base}/contracts?tab=current&name=${tag}&from=2024-02-30`, { waitUntil: 'domcontentloaded' });
    expect(await page.$eval('#f-from-error', (e) => e.textContent)).toMatch(/gün\.ay\.il/);
    expect(await page.$eval('#f-from', (e) => e.getAttribute('aria-invalid'))).toBe('true');
    expect((await listedIds(page)).sort()).toEqual([finishing, terminating, civil].sort());
  });
});

describe('R4.7 the archive', () => {
  it('"Bitir" sends a case to the archive', async () => {
    await page.goto(`${base}/contracts/${finishing}`, { waitUntil: 'domcontentloaded' });
    await page.$eval(`form[action="/contracts/${finishing}/finish"]`, (form) => ((form.closest('details') as HTMLDetailsElement).open = true));
    await clickAndWait(page, `form[action="/contracts/${finishing}/finish"] button[type=submit]`);
    const archive = await listUntil('archive', (ids) => ids.includes(finishing), 'the finished case in the archive');
    expect(archive).toContain(finishing);
    expect(await listUntil('current', (ids) => !ids.includes(finishing), 'the finished case out of the current cases')).not.toContain(finishing);
    await page.goto(`${base}/projects`, { waitUntil: 'domcontentloaded' });
    expect(await page.$$(`li[data-contract="${finishing}"]`)).toHaveLength(0);
  });

  it('"Xitam ver" with a reason sends a case to the archive; "İşi yenidən başlat" brings it back', async () => {
    await page.goto(`${base}/contracts/${terminating}`, { waitUntil: 'domcontentloaded' });
    await page.$eval(`form[action="/contracts/${terminating}/terminate"]`, (form) => ((form.closest('details') as HTMLDetailsElement).open = true));
    // Without a reason it is refused at the field.
    await clickAndWait(page, `form[action="/contracts/${terminating}/terminate"] button[type=submit]`);
    expect(await page.$('#f-terminateReason-error')).not.toBeNull();
    await page.$eval(`form[action="/contracts/${terminating}/terminate"]`, (form) => ((form.closest('details') as HTMLDetailsElement).open = true));
    await page.type('#f-terminateReason', 'Müraciət edən şəxs müqavilədən imtina etdi.');
    await clickAndWait(page, `form[action="/contracts/${terminating}/terminate"] button[type=submit]`);
    expect(await listUntil('archive', (ids) => ids.includes(terminating), 'the terminated case in the archive')).toContain(terminating);
    expect(await listUntil('current', (ids) => !ids.includes(terminating), 'the terminated case out of the current cases')).not.toContain(terminating);
    // The archive tab's status filter.
    await page.goto(`${base}/contracts?tab=archive&name=${tag}&status=terminated`, { waitUntil: 'domcontentloaded' });
    expect(await listedIds(page)).toEqual([terminating]);
    await shot('lawyer-archive-terminated');

    await page.goto(`${base}/contracts/${terminating}`, { waitUntil: 'domcontentloaded' });
    await clickAndWait(page, `form[action="/contracts/${terminating}/restart"] button[type=submit]`);
    expect(await listUntil('current', (ids) => ids.includes(terminating), 'the restarted case back in the current cases')).toContain(terminating);
    expect(await listUntil('archive', (ids) => !ids.includes(terminating), 'the restarted case out of the archive')).not.toContain(terminating);
  });
});

describe('issue 14: next and previous pages, and a count that stops at 1000', () => {
  it('"Növbəti səhifə" and "Əvvəlki səhifə" move by 25 over a list of more than 1000 ("Tapıldı: 1000-dən çox")', async () => {
    // Read-model rows straight into `contracts` (the list reads nothing else), with a name of their own.
    const own = `Pg${tag.slice(2)}`;
    // Without migration 019's statistics trigger (and foreign-key checks), in and out alike: these
    // rows are not cases, and a thousand counter updates in one transaction are slow on a busy machine.
    const quietly = (work: (trx: Knex.Transaction) => Promise<unknown>) =>
      system.db.transaction(async (trx) => {
        await trx.raw('SET LOCAL session_replication_role = replica');
        await work(trx);
      });
    await quietly((trx) =>
      trx.batchInsert(
        'contracts',
        Array.from({ length: 1003 }, (_, i) => ({
          id: `e2e-page-${own}-${String(i).padStart(4, '0')}`,
          number: `PG-${own}-${i}`,
          lawyer_id: elcin.key,
          bureau_id: 'baki-1',
          status: 'active',
          revision: 1,
          case_type: 'civil',
          protected_party_name: `Nihad ${own}`,
          names_folded: foldForSearch(`Nihad ${own}`),
          view: JSON.stringify({}),
          created_at: new Date(Date.UTC(2018, 0, 1) + i * 60_000).toISOString(),
        })),
        500,
      ),
    );
    try {
      await page.goto(`${base}/contracts?tab=current&name=${own}`, { waitUntil: 'domcontentloaded' });
      expect(await page.$eval('p.found', (e) => e.textContent)).toBe('Tapıldı: 1000-dən çox');
      const first = await listedIds(page);
      expect(first).toHaveLength(25);
      expect(first[0]).toBe(`e2e-page-${own}-1002`); // newest first
      expect(await page.$('nav.pager a[rel="prev"]')).toBeNull();
      await clickAndWait(page, 'nav.pager a[rel="next"]');
      expect(await page.$eval('nav.pager a[rel="next"]', (e) => e.textContent)).toMatch(/Növbəti səhifə/);
      const second = await listedIds(page);
      expect(second[0]).toBe(`e2e-page-${own}-0977`);
      expect(new URL(page.url()).searchParams.get('name')).toBe(own); // the filters stay in the link
      await clickAndWait(page, 'nav.pager a[rel="prev"]');
      expect(await listedIds(page)).toEqual(first);
      await shot('lawyer-contracts-pages');
    } finally {
      await quietly((trx) => trx('contracts').where('id', 'like', `e2e-page-${own}-%`).delete());
    }
  });
});
