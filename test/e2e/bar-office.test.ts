/**
 * The Bar office's register in a real headless Chromium (issue 11; R2.1, R2.2), by the labels a
 * person sees: the office signs in, opens "İdarə paneli", adds a lawyer on "Yeni vəkil" with a
 * FIN that is too short and sees the reason at the field with everything typed kept, corrects it and
 * saves; then imports a CSV list with one bad row and sees that row's error in the preview, with no
 * "Təsdiq et" offered.
 */
import bcrypt from 'bcryptjs';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, ElementHandle, Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clickAndWait, DESKTOP_VIEWPORT, launchBrowser, PHONE_VIEWPORT, screenshot } from '../support/browser';
import { startTestSystem, type TestSystem } from '../support/system';

let system: TestSystem;
let browser: Browser;
let base: string;
const tag = String(Date.now() % 1_000_000).padStart(6, '0');
const login = `office.e2e.${tag}`;
const password = `office-e2e-password-${tag}`;

beforeAll(async () => {
  system = await startTestSystem({ web: true });
  base = system.web!.url;
  await system.db('admins').insert({ id: `admin-e2e-${tag}`, login, full_name: 'Reyestr əməkdaşı', password_hash: await bcrypt.hash(password, 4) });
  browser = await launchBrowser();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  if (system)
    await system
      .db('lawyers')
      .where({ fin: `E${tag}` })
      .delete();
  await system?.close();
});

/** The input a visible label names (exactly its text). */
async function byLabel(page: Page, text: string): Promise<ElementHandle<HTMLInputElement>> {
  const id = await page.$$eval('label', (labels, wanted) => labels.find((l) => l.textContent?.trim() === wanted)?.htmlFor ?? '', text);
  if (!id) throw new Error(`No field labelled "${text}" on ${page.url()}`);
  return (await page.$(`#${id}`)) as ElementHandle<HTMLInputElement>;
}

async function type(page: Page, label: string, value: string) {
  const input = await byLabel(page, label);
  await input.click({ count: 3 });
  await input.type(value);
}

const press = (page: Page, text: string) => clickAndWait(page, `::-p-text(${text})`);
const follow = (page: Page, text: string) => clickAndWait(page, `a::-p-text(${text})`);
const bodyText = (page: Page) => page.$eval('main', (m) => m.innerText);

describe('the Bar office keeps the register of active lawyers (issue 11, R2.1)', () => {
  it('adds a lawyer (the error at the field, what was typed kept) and previews an imported list with a bad row', async () => {
    const context = await browser.createBrowserContext();
    const page = await context.newPage();
    await page.setViewport(PHONE_VIEWPORT);
    await page.goto(`${base}/login/admin`, { waitUntil: 'domcontentloaded' });
    await type(page, 'Login', login);
    const passwordInput = await page.$('#f-password');
    await passwordInput!.type(password);
    await clickAndWait(page, 'form button[type=submit]');

    // Issue 13: on a phone the menu is behind one "Menyu" button.
    await page.click('::-p-xpath(//summary[normalize-space()="Menyu"])');
    await follow(page, 'İdarə paneli');
    expect(await page.$eval('h1', (h) => h.textContent)).toBe('İdarə paneli');
    expect(await bodyText(page)).toContain('Ödəniş agenti ilə qüvvədə olan müqaviləsi olmayan bürolar');

    await follow(page, 'Yeni vəkil');
    await type(page, 'FİN', 'E12');
    await type(page, 'ASAN İmza istifadəçi ID', '900777');
    await type(page, 'Vəsiqə nömrəsi', `E-${tag}`);
    await type(page, 'Soyad', 'Brauzerova');
    await type(page, 'Ad', 'Aysel');
    await page.select('#f-bureauId', 'baki-1');
    await press(page, 'Yadda saxla');
    expect(await page.$eval('#f-fin-error', (e) => e.textContent)).toBe('FİN 7 simvoldan ibarətdir: latın hərfləri və rəqəmlər.');
    expect(await page.$eval('#f-fin', (e) => e.getAttribute('aria-invalid'))).toBe('true');
    expect(await (await byLabel(page, 'FİN')).evaluate((e) => e.value)).toBe('E12');
    expect(await (await byLabel(page, 'Soyad')).evaluate((e) => e.value)).toBe('Brauzerova');
    expect(await page.$eval('#f-bureauId', (e) => (e as HTMLSelectElement).value)).toBe('baki-1');
    await screenshot(page, 'register-lawyer-refused');

    await type(page, 'FİN', `E${tag}`);
    await press(page, 'Yadda saxla');
    expect(await page.$eval('.flash', (e) => e.textContent)).toBe('Vəkil aktiv vəkillərin siyahısına əlavə edildi.');
    expect(await page.$eval('h1', (h) => h.textContent)).toBe('Brauzerova Aysel');
    expect(await page.$eval('[data-register-history]', (s) => (s as HTMLElement).innerText)).toContain(`E${tag}`);

    // The import: one good row, one with a FIN too short and no first name.
    const dir = mkdtempSync(path.join(tmpdir(), 'evk-register-'));
    const file = path.join(dir, 'vekiller.csv');
    writeFileSync(
      file,
      [
        'fin;user_id;licence;last_name;first_name;bureau',
        `F${tag};900778;F-${tag};Siyahıyev;Kamran;Bakı şəhəri 1 saylı Vəkil Bürosu`,
        `QQ1;900779;G-${tag};Səhvli;;baki-1`,
      ].join('\n'),
    );
    await page.goto(`${base}/admin/lawyers`, { waitUntil: 'domcontentloaded' });
    await follow(page, 'Siyahını fayldan yüklə');
    await (await byLabel(page, 'Fayl (CSV və ya XLSX)')).uploadFile(file);
    await press(page, 'Yüklə və yoxla');
    expect(await page.$eval('h1', (h) => h.textContent)).toBe('Yüklənən siyahının yoxlanışı');
    expect(await page.$eval('[data-preview-counts]', (p) => p.textContent)).toBe('1 əlavə ediləcək, 0 dəyişdiriləcək, 0 dəyişməz, 1 səhvli sətir.');
    const rows = await page.$$eval('[data-import-preview] tbody tr', (trs) => trs.map((tr) => (tr as HTMLElement).innerText.replace(/\s+/g, ' ').trim()));
    expect(rows[0]).toContain('Əlavə ediləcək');
    expect(rows[1]).toContain('Səhv');
    expect(rows[1]).toContain('FİN: FİN 7 simvoldan ibarətdir');
    expect(rows[1]).toContain('Ad: Adı yazın.');
    expect(await page.$('::-p-text(Təsdiq et)')).toBeNull();
    await page.setViewport(DESKTOP_VIEWPORT);
    await screenshot(page, 'register-import-preview');
    expect(
      await system
        .db('lawyers')
        .where({ fin: `F${tag}` })
        .first(),
    ).toBeUndefined();
    await context.close();
  }, 60_000);
});
