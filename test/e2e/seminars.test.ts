/**
 * Seminars and conferences (SPEC R3.1, issue 11) in a real headless Chromium, by the labels people
 * read: the Bar office publishes an event (a refused form keeps what was typed and puts the errors at
 * the fields), a lawyer finds it under "Məlumatlar", registers, reads "Qeydiyyatdan keçmisiniz" and
 * cancels; the office sees who registered.
 */
import { randomBytes } from 'node:crypto';
import bcrypt from 'bcryptjs';
import type { Browser, Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatDate, formatTime } from '../../domain/shared/dates';
import { DEMO_LAWYERS } from '../../simulators/demo-data';
import { clickAndWait, DESKTOP_VIEWPORT, launchBrowser, loginAsLawyer, screenshot } from '../support/browser';
import { startTestSystem, type TestSystem } from '../support/system';

let system: TestSystem;
let browser: Browser;
let base: string;

beforeAll(async () => {
  system = await startTestSystem({ web: true });
  base = system.web!.url;
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await system?.close();
});

async function personPage(): Promise<Page> {
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  await page.setViewport(DESKTOP_VIEWPORT);
  return page;
}

const text = (page: Page) => page.$eval('main', (m) => m.innerText);
/** The input a visible label names (the label's `for`). */
async function field(page: Page, label: string): Promise<string> {
  const id = await page.$$eval('label', (labels, wanted) => labels.find((l) => l.textContent?.trim() === wanted)?.getAttribute('for') ?? '', label);
  if (!id) throw new Error(`no field labelled "${label}"`);
  return `#${id}`;
}
async function fill(page: Page, label: string, value: string) {
  await page.$eval(await field(page, label), (e, v) => ((e as HTMLInputElement).value = v), value);
}
/** A Bar office account of this test's own, logged in on its page ("Login", "Şifrə", "Daxil ol"). */
async function loginAdmin(page: Page) {
  const tag = randomBytes(4).toString('hex');
  const password = `seminar-office-${tag}`;
  await system
    .db('admins')
    .insert({ id: `admin-${tag}`, login: `office.${tag}`, full_name: 'Kollegiya əməkdaşı', password_hash: await bcrypt.hash(password, 4) });
  await page.goto(`${base}/login/admin`, { waitUntil: 'domcontentloaded' });
  await fill(page, 'Login', `office.${tag}`);
  await fill(page, 'Şifrə', password);
  await clickAndWait(page, button('Daxil ol'));
  if (new URL(page.url()).pathname.startsWith('/login')) throw new Error(`admin login refused: ${await text(page)}`);
}

const button = (label: string) => `::-p-xpath(//button[normalize-space()="${label}"])`;
const link = (label: string) => `::-p-xpath(//a[normalize-space()="${label}"])`;

describe('seminars in the browser (R3.1)', () => {
  it('the Bar office publishes an event; a lawyer registers, sees "Qeydiyyatdan keçmisiniz" and cancels', async () => {
    const office = await personPage();
    await loginAdmin(office);
    await clickAndWait(office, link('Seminarlar'));
    await clickAndWait(office, link('Yeni tədbir'));

    // Only the title typed: refused, the title kept, each error at its field.
    const title = `Vəkil etikası ${Date.now().toString(36)}`;
    await fill(office, 'Adı', title);
    await clickAndWait(office, button('Dərc et'));
    expect(await text(office)).toContain('Tədbir haqqında məlumat yazın.');
    expect(await text(office)).toContain('Başlama tarixini və saatını göstərin.');
    expect(await office.$eval(await field(office, 'Adı'), (e) => (e as HTMLInputElement).value)).toBe(title);
    expect(await office.$eval('#f-startsAt', (e) => e.getAttribute('aria-invalid'))).toBe('true');

    const start = new Date(Date.now() + 5 * 86_400_000).toISOString();
    await office.$eval('#f-description', (e) => ((e as HTMLTextAreaElement).value = 'Peşə etikası qaydaları üzrə seminar'));
    // Issue 13: the day as dd.mm.yyyy and the time as HH:MM, whatever the browser's language.
    const end = new Date(Date.parse(start) + 2 * 3_600_000).toISOString();
    await fill(office, 'Başlama vaxtı', formatDate(start));
    await fill(office, 'Başlama saatı', formatTime(start));
    await fill(office, 'Bitmə vaxtı', formatDate(end));
    await fill(office, 'Bitmə saatı', formatTime(end));
    await fill(office, 'Keçiriləcəyi yer', 'Bakı, Vəkillər Kollegiyası, 3-cü mərtəbə');
    await fill(office, 'Yerlərin sayı', '1');
    await fill(office, 'Peşəkar inkişaf saatı', '2');
    await clickAndWait(office, button('Dərc et'));
    expect(await text(office)).toContain('Tədbir dərc edildi.');
    const officeUrl = office.url();

    const elcin = DEMO_LAWYERS.find((l) => l.key === 'lawyer-mammadov')!;
    const lawyer = await personPage();
    await loginAsLawyer(lawyer, base, elcin.phone, elcin.mobileSignatureUserId, system.simulators!.urls.mobileSignature);
    await clickAndWait(lawyer, link('Məlumatlar'));
    expect(await text(lawyer)).toContain('Seminarlar və konfranslar');
    expect(await lawyer.$('a[href="/statistics"]')).not.toBeNull();
    await clickAndWait(lawyer, link(title));
    await clickAndWait(lawyer, button('Qeydiyyatdan keç'));
    expect(await text(lawyer)).toContain('Qeydiyyatdan keçmisiniz');
    expect(await text(lawyer)).toContain('1 / 1');
    await screenshot(lawyer, 'seminar-registered');

    await office.goto(officeUrl, { waitUntil: 'domcontentloaded' });
    expect(await text(office)).toContain(`${elcin.lastName} ${elcin.firstName}`);

    await clickAndWait(lawyer, button('Qeydiyyatı ləğv et'));
    expect(await text(lawyer)).toContain('Qeydiyyatınız ləğv edildi.');
    expect(await text(lawyer)).not.toContain('Qeydiyyatdan keçmisiniz');
    expect(await lawyer.$(button('Qeydiyyatdan keç'))).not.toBeNull();
  });
});
