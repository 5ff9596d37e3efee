/**
 * A real browser for end-to-end tests of the cabinets: headless Chromium through puppeteer, and a
 * lawyer's login through the ASAN İmza simulator (R2.3) — the form, then "the phone" confirms.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer';
import { normalizePhone } from '../../domain/contract';
import { CHROMIUM_ARGS } from '../../platform/chromium';

/** A phone-sized window (no isMobile: switching it makes puppeteer reload the page and lose typed input). */
export const PHONE_VIEWPORT = { width: 390, height: 844, deviceScaleFactor: 1 };
export const DESKTOP_VIEWPORT = { width: 1280, height: 900, deviceScaleFactor: 1 };

/** Headless Chromium: CHROMIUM_PATH when set, else the system's /usr/bin/chromium. */
export async function launchBrowser(options: { headless?: boolean; slowMo?: number } = {}): Promise<Browser> {
  return puppeteer.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: options.headless ?? true,
    slowMo: options.slowMo,
    args: CHROMIUM_ARGS,
  });
}

/** The text of the page's error summary or alert, for a readable failure. */
async function pageProblem(page: Page): Promise<string> {
  return page.evaluate(() => (document.querySelector('.error-summary, [role=alert]')?.textContent ?? document.title).replace(/\s+/g, ' ').trim());
}

/**
 * Logs a lawyer in on `page` (R2.3): phone and user ID on "Vəkil kimi giriş et", then the pending
 * request is confirmed with PIN1 on the simulator's JSON API, and the page (which polls) goes on to
 * the cabinet. Resolves on the lawyer's first page; throws with the page's message otherwise.
 */
export async function loginAsLawyer(page: Page, baseUrl: string, phone: string, userId: string, simulatorUrl: string): Promise<void> {
  await loginSteps(page, baseUrl.replace(/\/$/, ''), phone, userId, simulatorUrl.replace(/\/$/, ''));
}

async function loginSteps(page: Page, base: string, phone: string, userId: string, simulator: string): Promise<void> {
  // The form is there once the document is (locator() waits for each field): no 500 ms of network quiet needed.
  await page.goto(`${base}/login/lawyer`, { waitUntil: 'domcontentloaded' });
  await page.locator('#f-phone').fill(phone);
  await page.locator('#f-userId').fill(userId);
  await Promise.all([page.waitForNavigation({ waitUntil: 'domcontentloaded' }), page.click('form[action="/login/lawyer"] button[type=submit]')]);
  if (!new URL(page.url()).pathname.startsWith('/login/lawyer/confirm')) {
    throw new Error(`Lawyer login of ${phone} was refused: ${await pageProblem(page)}`);
  }

  const listed = await fetch(`${simulator}/simulator/api/transactions?status=pending&phone=${encodeURIComponent(normalizePhone(phone))}`);
  const { transactions } = (await listed.json()) as { transactions: { transactionId: string }[] };
  if (!transactions?.length) throw new Error(`The ASAN İmza simulator at ${simulator} has no pending login for ${phone}`);

  // The confirmation page polls the login and submits itself once the phone has answered.
  const leftConfirmPage = page.waitForNavigation({ waitUntil: 'domcontentloaded', timeout: 8_000 }).then(
    () => true,
    () => false,
  );
  const confirmed = await fetch(`${simulator}/simulator/api/transactions/${encodeURIComponent(transactions[0].transactionId)}/confirm`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ pin1: '1234' }),
  });
  if (!confirmed.ok) throw new Error(`The simulator refused to confirm the login: ${confirmed.status} ${await confirmed.text()}`);
  if (!(await leftConfirmPage) && new URL(page.url()).pathname.startsWith('/login/lawyer/confirm')) {
    await Promise.all([page.waitForNavigation({ waitUntil: 'domcontentloaded' }), page.click('form[action="/login/lawyer/confirm"] button[type=submit]')]);
  }

  if (new URL(page.url()).pathname.startsWith('/login')) {
    throw new Error(`Lawyer login of ${phone} did not complete: ${await pageProblem(page)}`);
  }
}

/** Submits the form of `selector` (a button) and waits for the next page. */
export async function clickAndWait(page: Page, selector: string): Promise<void> {
  await Promise.all([page.waitForNavigation({ waitUntil: 'domcontentloaded' }), page.click(selector)]);
}

/** Where the tests write screenshots of key pages for review (not compared pixel by pixel). */
export const SCREENSHOTS_DIR = path.resolve(__dirname, '..', 'screenshots');

/**
 * The page at phone size and at desktop size, as `<name>-phone.png` and `<name>-desktop.png`, when
 * EVK_TEST_SCREENSHOTS=1 (`npm run test:screenshots`): for a look at the pages, not a check, so the
 * suite does not pay for ~50 full-page PNGs by default. Either way the page is left at desktop size.
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  if (process.env.EVK_TEST_SCREENSHOTS !== '1') return void (await page.setViewport(DESKTOP_VIEWPORT));
  mkdirSync(SCREENSHOTS_DIR, { recursive: true });
  await page.setViewport(PHONE_VIEWPORT);
  await page.screenshot({ path: path.join(SCREENSHOTS_DIR, `${name}-phone.png`), fullPage: true });
  await page.setViewport(DESKTOP_VIEWPORT);
  await page.screenshot({ path: path.join(SCREENSHOTS_DIR, `${name}-desktop.png`), fullPage: true });
}
