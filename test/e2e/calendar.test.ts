/**
 * "Təqvim" (SPEC R8.4, issue 12) in a real headless Chromium, by the labels a lawyer reads: a click
 * on a day opens the meeting form; a refused form keeps what was typed with the error at its field;
 * the saved meeting shows its importance by colour and by text; "+" adds another on the same day,
 * which overlaps and gets a warning, not a refusal; the month view on a phone; cancel.
 */
import type { Browser, Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bakuDay, formatDate } from '../../domain/shared/dates';
import { DEMO_LAWYERS } from '../../simulators/demo-data';
import { clickAndWait, DESKTOP_VIEWPORT, launchBrowser, loginAsLawyer, PHONE_VIEWPORT, screenshot } from '../support/browser';
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

const text = (page: Page) => page.$eval('main', (m) => m.innerText);
async function field(page: Page, label: string): Promise<string> {
  const id = await page.$$eval('label', (labels, wanted) => labels.find((l) => l.textContent?.trim() === wanted)?.getAttribute('for') ?? '', label);
  if (!id) throw new Error(`no field labelled "${label}"`);
  return `#${id}`;
}
async function fill(page: Page, label: string, value: string) {
  await page.$eval(await field(page, label), (e, v) => ((e as HTMLInputElement).value = v), value);
}
const button = (label: string) => `::-p-xpath(//button[normalize-space()="${label}"])`;
const link = (label: string) => `::-p-xpath(//a[normalize-space()="${label}"])`;
/** The link whose name (its text, some of it for screen readers only) says this. */
const labelled = (label: string) => `::-p-xpath(//a[contains(normalize-space(.), "${label}")])`;

describe('the calendar in the browser (R8.4)', () => {
  it('click a day → the form; errors at the field keep what was typed; "+" adds another; overlap warns; phone month view; cancel', async () => {
    const elcin = DEMO_LAWYERS.find((l) => l.key === 'lawyer-mammadov')!;
    const page = await (await browser.createBrowserContext()).newPage();
    await page.setViewport(DESKTOP_VIEWPORT);
    await loginAsLawyer(page, base, elcin.phone, elcin.mobileSignatureUserId, system.simulators!.urls.mobileSignature);
    await clickAndWait(page, link('Təqvim'));
    expect(await page.$eval('h1', (h) => h.textContent)).toBe('Təqvim');

    // A day of next month, so it is never in the past.
    const day = bakuDay(new Date(Date.now() + 20 * 86_400_000));
    await page.goto(`${base}/calendar?view=month&day=${day}`, { waitUntil: 'domcontentloaded' });
    await clickAndWait(page, labelled(`${formatDate(day)} üçün görüş əlavə et`));
    expect(await page.$eval('h1', (h) => h.textContent)).toBe('Yeni görüş');
    expect(await page.$eval(await field(page, 'Tarix'), (e) => (e as HTMLInputElement).value)).toBe(formatDate(day));

    const title = `Vəkil görüşü ${Date.now().toString(36)}`;
    await fill(page, 'Başlıq', title);
    await fill(page, 'Başlama vaxtı', '11:00');
    await fill(page, 'Bitmə vaxtı', '10:00');
    await page.click('input[name="importance"][value="high"]');
    await clickAndWait(page, button('Yadda saxla'));
    expect(await text(page)).toContain('Bitmə vaxtı başlama vaxtından sonra olmalıdır.');
    expect(await page.$eval('#f-endTime', (e) => e.getAttribute('aria-invalid'))).toBe('true');
    expect(await page.$eval(await field(page, 'Başlıq'), (e) => (e as HTMLInputElement).value)).toBe(title);
    expect(await page.$eval('input[name="importance"][value="high"]', (e) => e.checked)).toBe(true);

    await fill(page, 'Bitmə vaxtı', '12:00');
    await clickAndWait(page, button('Yadda saxla'));
    expect(await text(page)).toContain('Görüş yadda saxlanıldı.');
    expect(await text(page)).toContain(`11:00–12:00 ${title}`);
    expect(await text(page)).toContain('Vaciblik: Yüksək');
    expect(await page.$eval('li.cal-chip', (e) => e.className)).toContain('imp-high');

    // "+": another meeting on the same day, overlapping the first — saved, with a warning.
    await clickAndWait(page, labelled(`${formatDate(day)} üçün görüş əlavə et`));
    await fill(page, 'Başlıq', 'Zəng');
    await fill(page, 'Başlama vaxtı', '11:30');
    await fill(page, 'Bitmə vaxtı', '12:30');
    await clickAndWait(page, button('Yadda saxla'));
    expect(await text(page)).toContain('Diqqət: bu görüş başqa görüşlə üst-üstə düşür.');
    expect(await text(page)).toContain(`Üst-üstə düşür: ${title} (11:00–12:00)`);

    // The month on a phone.
    await page.setViewport(PHONE_VIEWPORT);
    await page.goto(`${base}/calendar?view=month&day=${day}`, { waitUntil: 'domcontentloaded' });
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1)).toBe(true);
    await screenshot(page, 'calendar-month-phone');

    // Cancel the first: it leaves the day.
    await page.setViewport(DESKTOP_VIEWPORT);
    await page.goto(`${base}/calendar?view=day&day=${day}`, { waitUntil: 'domcontentloaded' });
    await clickAndWait(page, `::-p-xpath(//a[contains(normalize-space(), "${title}")])`);
    expect(await page.$eval('h1', (h) => h.textContent)).toBe('Görüşü düzəlt');
    await clickAndWait(page, button('Görüşü ləğv et'));
    expect(await text(page)).toContain('Görüş ləğv edildi');
    expect(await text(page)).not.toContain(title);
  });
});
