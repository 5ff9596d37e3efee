/**
 * "Statistik məlumatlar" (R3.2, issue 11) in a real headless Chromium, by the labels a user sees:
 * the Bar office signs in, opens "Statistika" from the menu, groups by quarter, sees each figure as
 * a chart (an SVG drawn on the server, with its title) beside its table, downloads the tables as
 * CSV, and the page fits a phone's width. Contracts are written by the read-model activity.
 */
import { randomBytes } from 'node:crypto';
import bcrypt from 'bcryptjs';
import type { Browser, Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordContract } from '../../activities/contract/read-model';
import type { ContractView } from '../../workflows/contract/messages';
import { clickAndWait, DESKTOP_VIEWPORT, launchBrowser, PHONE_VIEWPORT, screenshot } from '../support/browser';
import { actors, startTestSystem, type TestSystem } from '../support/system';

let system: TestSystem;
let browser: Browser;
let page: Page;
const tag = randomBytes(4).toString('hex');
const login = `stat.${tag}`;
const password = `statistika-${tag}-parol`;

beforeAll(async () => {
  system = await startTestSystem({ web: true });
  await system.db('admins').insert({ id: `admin-${tag}`, login, full_name: 'Statistika əməkdaşı', password_hash: await bcrypt.hash(password, 4) });
  const institution: { id: string } = await system.db('institutions').orderBy('id').first('id');
  for (const [n, caseType, status] of [
    [1, 'criminal', 'active'],
    [2, 'criminal', 'awaiting_approval'],
    [3, 'civil', 'finished'],
  ] as const) {
    const terms = { caseType, institution: { id: institution.id, name: institution.id }, applicant: { firstName: 'Brauzer', lastName: 'Testov' } };
    await recordContract(system.db, {
      contractId: `stat-e2e-${tag}-${n}`,
      contractNumber: `S-E2E-${tag}-${n}`,
      lawyerId: actors.lawyer.id,
      bureauId: actors.lawyer.bureauId,
      status,
      revision: 1,
      draft: terms,
      terms,
      paidQepik: 0,
      balanceDueQepik: 0,
      currentVersion: status === 'awaiting_approval' ? 0 : 1,
      payments: [],
    } as unknown as ContractView);
  }
  browser = await launchBrowser();
  page = await (await browser.createBrowserContext()).newPage();
  await page.setViewport(DESKTOP_VIEWPORT);
});
afterAll(async () => {
  await browser?.close();
  await system?.close();
});

describe('the Bar office reads the statistics (R3.2)', () => {
  it('opens "Statistika", sees charts beside tables, groups by quarter, downloads CSV; the page fits a phone', async () => {
    const base = system.web!.url;
    await page.goto(`${base}/login/admin`, { waitUntil: 'domcontentloaded' });
    await page.type('::-p-aria(Login)', login);
    await page.type('::-p-aria(Şifrə)', password);
    await clickAndWait(page, 'button::-p-text(Daxil ol)');
    await clickAndWait(page, 'nav a::-p-text(Statistika)');
    expect(await page.$eval('h1', (h) => h.textContent)).toBe('Statistik məlumatlar');

    // "Qruplaşdırma": "Rüblər üzrə", then "Göstər".
    const byId = await page.$eval('label::-p-text(Qruplaşdırma)', (l) => l.htmlFor);
    await page.select(`#${byId}`, 'quarter');
    await clickAndWait(page, 'button::-p-text(Göstər)');
    expect(page.url()).toContain('by=quarter');

    const caseTypes = 'section::-p-aria(Müraciətin növü üzrə müqavilələr)';
    const chartTitle = await page.$eval(`${caseTypes} svg[role=img] > title`, (t) => t.textContent);
    expect(chartTitle).toMatch(/^Müraciətin növü üzrə müqavilələr: diaqram/);
    const rows = await page.$$eval(`${caseTypes} table tbody tr`, (trs) => trs.map((tr) => (tr as HTMLElement).innerText.split('\t')));
    const criminal = rows.find((r) => r[0] === 'Cinayət');
    expect(Number(criminal?.[1])).toBeGreaterThanOrEqual(2);
    // The chart writes the same number on its bar.
    const svgText = await page.$eval(`${caseTypes} svg`, (s) => s.textContent ?? '');
    expect(svgText).toContain(criminal![1]);
    const periods = await page.$$eval('section::-p-aria(Dövrlər üzrə müqavilələr) tbody th', (ths) => ths.map((th) => th.textContent));
    expect(periods.every((p) => / (I|II|III|IV) rüb$/.test(p ?? ''))).toBe(true);
    await screenshot(page, 'statistics-office');

    // "Bütün cədvəlləri yüklə: CSV".
    const href = await page.$eval('p.stat-downloads a::-p-text(CSV)', (a) => a.href);
    const csv = await page.evaluate(async (url) => {
      const res = await fetch(url);
      return { status: res.status, disposition: res.headers.get('content-disposition'), text: await res.text() };
    }, href);
    expect(csv.status).toBe(200);
    expect(csv.disposition).toMatch(/^attachment; filename="statistika-\d{4}-\d{2}-\d{4}-\d{2}\.csv"/);
    expect(csv.text).toContain('Müraciətin növü,Müqavilələr');
    expect(csv.text).toContain(`Cinayət,${criminal![1]}`);

    await page.setViewport(PHONE_VIEWPORT);
    await page.reload({ waitUntil: 'domcontentloaded' });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, 'statistics-phone');
  });
});
