/**
 * Issue 13 in a real headless Chromium: the lawyer presses "İmzala" under the order, the page shows
 * the code the phone shows, the phone confirms, the contract page says the order is signed
 * electronically, and /verify (on a phone's screen) shows the signature's check and the signer.
 */
import type { Browser } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_LAWYERS } from '../../simulators/demo-data';
import { MobileSignatureSimulatorControl } from '../../simulators/mobile-signature/simulator';
import { DESKTOP_VIEWPORT, launchBrowser, loginAsLawyer, PHONE_VIEWPORT, screenshot } from '../support/browser';
import { actors, completeDraft, eventually, startTestSystem, type TestSystem } from '../support/system';

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

/** An active contract of Elçin Məmmədov, paid, its order issued (through the gateway). */
async function activeContract(): Promise<string> {
  const gateway = system.web!.gateway;
  const { contractId } = await gateway.create(actors.lawyer, completeDraft());
  await gateway.submit(contractId, actors.lawyer);
  await eventually(async () => (await system.db('contracts').where({ id: contractId }).first('applicant_account_id'))?.applicant_account_id, {
    what: 'the applicant cabinet',
  });
  await gateway.approve(contractId, actors.head);
  await gateway.paymentCompleted(contractId, { paymentId: `e2e-sign-${contractId}`, amountQepik: 100_000, method: 'card', paidAt: new Date().toISOString() });
  await eventually(async () => (await system.db('contracts').where({ id: contractId }).first('current_version'))?.current_version === 1, {
    what: 'the order',
    timeoutMs: 45_000,
  });
  return contractId;
}

describe('signing the order in a browser (issue 13)', () => {
  it('"İmzala", the code, one confirmation on the phone: the page says signed electronically, /verify shows the signer', async () => {
    const contractId = await activeContract();
    const page = await (await browser.createBrowserContext()).newPage();
    await page.setViewport(DESKTOP_VIEWPORT);
    await loginAsLawyer(page, base, elcin.phone, elcin.mobileSignatureUserId, system.config.mobileSignatureUrl);
    await page.goto(`${base}/contracts/${contractId}`, { waitUntil: 'domcontentloaded' });
    expect(await page.$eval('.order-signature', (e) => e.textContent ?? '')).toContain('əl ilə imzalanmalıdır');

    await Promise.all([page.waitForNavigation({ waitUntil: 'domcontentloaded' }), page.locator('.order-signature button::-p-text(İmzala)').click()]);
    const code = await page.$eval('.signing-code', (e) => e.textContent?.trim() ?? '');
    expect(code).toMatch(/^\d{4}$/);
    expect(await page.$eval('main', (e) => e.textContent ?? '')).toContain('PİN 2');
    await screenshot(page, 'signing-code');

    // The phone shows the same code; the lawyer confirms there.
    const phone = new MobileSignatureSimulatorControl(system.config.mobileSignatureUrl);
    const request = await eventually(async () => (await phone.transactions({ status: 'pending', phone: elcin.phone })).find((t) => t.kind === 'sign'), {
      what: 'the signing request on the phone',
    });
    expect(request.verificationCode).toBe(code);
    await phone.confirm(request.transactionId);

    // The waiting page refreshes itself and goes back to the contract, which says who signed.
    await page.waitForFunction(() => location.pathname.split('/').length === 3 && document.querySelector('.order-signature[data-signature="signed"]'), {
      timeout: 30_000,
    });
    const signature = await page.$eval('.order-signature', (e) => e.textContent ?? '');
    expect(signature).toContain('Elektron imza ilə imzalanıb: Məmmədov Elçin Tofiq oğlu');
    expect(await page.$('.order-signature a::-p-text(İmzalı order)')).not.toBeNull();
    await screenshot(page, 'signing-contract');

    // /verify, as a judge opens it from the QR code on a phone.
    const row = await system.db('contract_versions').where({ contract_id: contractId, version: 1 }).first('order_number', 'verification_code');
    const judge = await (await browser.createBrowserContext()).newPage();
    await judge.setViewport(PHONE_VIEWPORT);
    await judge.goto(`${base}/verify/${row.order_number}?code=${row.verification_code}`, { waitUntil: 'domcontentloaded' });
    const text = await judge.$eval('main', (e) => e.textContent ?? '');
    expect(text).toContain('Order etibarlıdır və qüvvədədir.');
    expect(text).toContain('İmzalayan');
    expect(text).toContain('Məmmədov Elçin Tofiq oğlu');
    expect(text).toContain('Bakı Ağır Cinayətlər Məhkəməsi');
    expect(await judge.$('section[data-signature="valid"]')).not.toBeNull();
    // Nothing spills sideways on a phone.
    expect(await judge.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1)).toBe(true);
    await screenshot(judge, 'verify-signed');
  });
});
