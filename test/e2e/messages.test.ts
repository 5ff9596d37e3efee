/**
 * "Mesajlar" (SPEC R7, issue 11) in a real headless Chromium, by the labels people see: the Bar
 * office writes to a lawyer (an empty text is refused at the field, the subject kept); the lawyer
 * sees "Mesajlar (n)" in the menu, opens the message, which takes it off the count, and answers;
 * a file that is not a PDF/JPEG/PNG by content is refused at the field with the text kept; the
 * office's own menu counts the answer.
 */
import bcrypt from 'bcryptjs';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, ElementHandle, Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_LAWYERS } from '../../simulators/demo-data';
import { clickAndWait, DESKTOP_VIEWPORT, launchBrowser, loginAsLawyer, screenshot } from '../support/browser';
import { startTestSystem, type TestSystem } from '../support/system';

let system: TestSystem;
let browser: Browser;
let base: string;

const elcin = DEMO_LAWYERS.find((l) => l.key === 'lawyer-mammadov')!;

beforeAll(async () => {
  system = await startTestSystem({ web: true });
  base = system.web!.url;
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await system?.close();
});

const mainText = (page: Page) => page.$eval('main', (m) => m.innerText);
/** The menu's "Mesajlar" link as the person reads it. */
const menuLink = (page: Page, href: string) => page.$eval(`header nav a[href="${href}"]`, (a) => a.textContent?.trim() ?? '');
const countIn = (text: string) => Number(/\((\d+)\)/.exec(text)?.[1] ?? 0);

async function loginAsOffice(page: Page) {
  const tag = randomBytes(4).toString('hex');
  await system
    .db('admins')
    .insert({ id: `admin-${tag}`, login: `office.${tag}`, full_name: 'Aparat', password_hash: await bcrypt.hash(`pw-${tag}-long-enough`, 4) });
  await page.goto(`${base}/login/admin`, { waitUntil: 'domcontentloaded' });
  await page.locator('#f-login').fill(`office.${tag}`);
  await page.locator('#f-password').fill(`pw-${tag}-long-enough`);
  await clickAndWait(page, 'main form button[type=submit]');
}

describe('messages in the browser (R7)', () => {
  it('the office writes to a lawyer; the lawyer sees the count, opens and answers; an empty text is refused at the field', async () => {
    const officeContext = await browser.createBrowserContext();
    const office = await officeContext.newPage();
    await office.setViewport(DESKTOP_VIEWPORT);
    await loginAsOffice(office);
    await clickAndWait(office, 'header nav a[href="/admin/messages"]');
    expect(await office.$eval('h1', (h) => h.textContent)).toBe('Mesajlar');
    await clickAndWait(office, '::-p-aria(Yeni mesaj)');

    // "Göndər" without a text: the error at "Mesaj", the subject and the choice kept.
    await office.click('::-p-aria(Vəkil)');
    await office.select('#f-lawyerId', elcin.key);
    await office.locator('#f-subject').fill('Sənədlərin yoxlanması');
    await clickAndWait(office, '::-p-aria(Göndər)');
    expect(await office.$eval('#f-body-error', (e) => e.textContent?.trim())).toBe('Mesajın mətnini yazın.');
    expect(await office.$eval('#f-subject', (e) => (e as HTMLInputElement).value)).toBe('Sənədlərin yoxlanması');
    expect(await office.$eval('input[name=to][value=lawyer]', (e) => e.checked)).toBe(true);
    expect(await office.$eval('#f-lawyerId', (e) => (e as HTMLSelectElement).value)).toBe(elcin.key);
    await screenshot(office, 'messages-refused');

    await office.locator('#f-body').fill('Lisenziyanızın surətini göndərin, zəhmət olmasa.');
    await clickAndWait(office, '::-p-aria(Göndər)');
    expect(await mainText(office)).toContain('Mesaj göndərildi.');
    expect(await mainText(office)).toContain('0 / 1 vəkil oxuyub');
    const threadUrl = office.url();

    const lawyerContext = await browser.createBrowserContext();
    const lawyer = await lawyerContext.newPage();
    await lawyer.setViewport(DESKTOP_VIEWPORT);
    await loginAsLawyer(lawyer, base, elcin.phone, elcin.mobileSignatureUserId, system.simulators!.urls.mobileSignature);
    const menu = await menuLink(lawyer, '/messages');
    expect(menu).toMatch(/^Mesajlar \(\d+\)$/);
    await clickAndWait(lawyer, 'header nav a[href="/messages"]');
    await clickAndWait(lawyer, '::-p-text(Sənədlərin yoxlanması)');
    expect(await mainText(lawyer)).toContain('Lisenziyanızın surətini göndərin, zəhmət olmasa.');
    expect(await mainText(lawyer)).toContain('Rəyasət Heyətinin aparatı');
    expect(countIn(await menuLink(lawyer, '/messages'))).toBe(countIn(menu) - 1);

    // The office's menu before the answer, then the answer.
    await office.goto(`${base}/admin/messages`, { waitUntil: 'domcontentloaded' });
    const officeBefore = countIn(await menuLink(office, '/admin/messages'));
    // A text file named .pdf is refused by its content, at the field; the text typed stays.
    await lawyer.locator('#f-body').fill('Surəti bu gün göndərirəm.');
    const fake = path.join(mkdtempSync(path.join(tmpdir(), 'evk-messages-')), 'surət.pdf');
    writeFileSync(fake, 'Bu PDF deyil.\n');
    await ((await lawyer.$('#f-file')) as ElementHandle<HTMLInputElement>).uploadFile(fake);
    await clickAndWait(lawyer, '::-p-aria(Göndər)');
    expect(await lawyer.$eval('#f-file-error', (e) => e.textContent?.trim())).toBe(
      'Yalnız PDF, JPEG və PNG faylları əlavə etmək olar; bu fayl onlardan deyil.',
    );
    expect(await lawyer.$eval('#f-body', (e) => (e as HTMLTextAreaElement).value)).toBe('Surəti bu gün göndərirəm.');
    await clickAndWait(lawyer, '::-p-aria(Göndər)');
    expect(await mainText(lawyer)).toContain('Cavab göndərildi.');
    expect(await lawyer.$$eval('[data-message] .message-body', (els) => els.map((e) => e.textContent))).toEqual([
      'Lisenziyanızın surətini göndərin, zəhmət olmasa.',
      'Surəti bu gün göndərirəm.',
    ]);
    await screenshot(lawyer, 'messages-thread');

    await office.goto(`${base}/admin/messages`, { waitUntil: 'domcontentloaded' });
    expect(countIn(await menuLink(office, '/admin/messages'))).toBe(officeBefore + 1);
    await office.goto(threadUrl, { waitUntil: 'domcontentloaded' });
    expect(await mainText(office)).toContain('Surəti bu gün göndərirəm.');
    expect(await mainText(office)).toContain('1 / 1 vəkil oxuyub');
    expect(countIn(await menuLink(office, '/admin/messages'))).toBe(officeBefore);
    await lawyerContext.close();
    await officeContext.close();
  });
});
