/**
 * "Profil" (SPEC R8.2, issue 11) in a real headless Chromium, by the labels a person sees: the
 * lawyer (on a phone) asks for a new e-mail, a wrong one is refused at the field with the typed text
 * kept; sent, it shows "Təsdiq gözləyir" while the verified e-mail stays; the Bar office approves it
 * in "Profil dəyişiklikləri"; the lawyer then sees the new e-mail.
 */
import type { Browser, Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_LAWYERS } from '../../simulators/demo-data';
import { DEMO_ADMIN } from '../../simulators/demo-seed';
import { DESKTOP_VIEWPORT, launchBrowser, loginAsLawyer, PHONE_VIEWPORT, screenshot } from '../support/browser';
import { startTestSystem, type TestSystem } from '../support/system';

const KEY = 'individual-quliyev';
const demo = DEMO_LAWYERS.find((l) => l.key === KEY)!;
let system: TestSystem;
let browser: Browser;
let base: string;
let original: Record<string, unknown>;

beforeAll(async () => {
  system = await startTestSystem({ web: true });
  base = system.web!.url;
  original = (await system.db<Record<string, unknown>>('lawyers').where({ id: KEY }).first('email', 'contact_phone', 'postal_address')) ?? {};
  await system.db('profile_changes').where({ lawyer_id: KEY }).delete();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  if (system) {
    await system.db('lawyers').where({ id: KEY }).update(original);
    await system.db('profile_changes').where({ lawyer_id: KEY }).delete();
  }
  await system?.close();
});

/** The input a label names. */
async function fieldByLabel(page: Page, label: string) {
  const id = await page.$eval(`label ::-p-text(${label})`, (l) => (l as HTMLLabelElement).htmlFor);
  return `#${id}`;
}

async function submitAndWait(page: Page, buttonText: string) {
  await Promise.all([page.waitForNavigation({ waitUntil: 'domcontentloaded' }), page.click(`button ::-p-text(${buttonText})`)]);
}

const text = (page: Page, selector: string) => page.$eval(selector, (e) => (e as HTMLElement).innerText);

describe('"Profil": a new e-mail waits for the Bar office (R8.2)', () => {
  it('the lawyer sends it, sees "Təsdiq gözləyir", the office approves it in its queue, the lawyer sees the new e-mail', async () => {
    const lawyerContext = await browser.createBrowserContext();
    const page = await lawyerContext.newPage();
    await page.setViewport(PHONE_VIEWPORT);
    await loginAsLawyer(page, base, demo.phone, demo.mobileSignatureUserId, system.simulators!.urls.mobileSignature);
    await page.goto(`${base}/profile`, { waitUntil: 'domcontentloaded' });
    expect(await text(page, 'h1')).toBe('Profil');
    expect(await text(page, 'main')).toContain('Göstəricilər');
    expect(await text(page, '[data-profile-personal]')).toContain(String(original.email));

    const email = await fieldByLabel(page, 'Yeni email ünvanı');
    await page.locator(email).fill('elvin-yeni-at-example');
    await submitAndWait(page, 'Təsdiqə göndər');
    expect(await text(page, `${email}-error`)).toBe('Email ünvanı düzgün deyil.');
    expect(await page.$eval(email, (i) => (i as HTMLInputElement).value)).toBe('elvin-yeni-at-example');

    await page.locator(email).fill('elvin.yeni@example.az');
    await submitAndWait(page, 'Təsdiqə göndər');
    expect(await text(page, 'main')).toContain('Dəyişiklik təsdiqə göndərildi.');
    const pending = await text(page, '[data-pending-change]');
    expect(pending).toContain('Təsdiq gözləyir');
    expect(pending).toContain('elvin.yeni@example.az');
    expect(await text(page, '[data-verified]')).toContain(String(original.email));
    await screenshot(page, 'profile-pending-phone');

    const officeContext = await browser.createBrowserContext();
    const office = await officeContext.newPage();
    await office.setViewport(DESKTOP_VIEWPORT);
    await office.goto(`${base}/login/admin`, { waitUntil: 'domcontentloaded' });
    await office.locator('#f-login').fill(DEMO_ADMIN.login);
    await office.locator('#f-password').fill(DEMO_ADMIN.password);
    await Promise.all([office.waitForNavigation({ waitUntil: 'domcontentloaded' }), office.click('form button[type=submit]')]);
    await Promise.all([office.waitForNavigation({ waitUntil: 'domcontentloaded' }), office.click('nav a ::-p-text(Profil dəyişiklikləri)')]);
    const changeId = await office.$$eval('li[data-profile-change]', (items) =>
      items.find((li) => li.innerText.includes('elvin.yeni@example.az'))?.getAttribute('data-profile-change'),
    );
    expect(changeId).toBeTruthy();
    const item = `li[data-profile-change="${changeId}"]`;
    expect(await text(office, item)).toContain('elvin.yeni@example.az');
    await Promise.all([office.waitForNavigation({ waitUntil: 'domcontentloaded' }), office.click(`${item} button ::-p-text(Təsdiqlə)`)]);
    expect(await text(office, 'main')).toContain('Dəyişiklik təsdiq edildi');

    await page.goto(`${base}/profile`, { waitUntil: 'domcontentloaded' });
    expect(await text(page, '[data-verified]')).toContain('elvin.yeni@example.az');
    expect(await text(page, '[data-decided-change]')).toContain('Təsdiq edildi');
    await lawyerContext.close();
    await officeContext.close();
  });
});
