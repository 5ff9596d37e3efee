/**
 * R4.6 "İşi göndər" in a real headless Chromium: the lawyer enters a court case number on the
 * contract page and presses "Göndər"; e-court (its simulator) is down, so the filing shows
 * "gözlənilir" while the workflow retries; the portal comes back and the page, refreshing itself,
 * shows "qoşuldu". An unknown case number shows the reason.
 */
import type { Browser, Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_COURT_CASES, DEMO_LAWYERS, DEMO_PEOPLE, DEMO_UNKNOWN_CASE_NUMBER } from '../../simulators/demo-data';
import { clickAndWait, DESKTOP_VIEWPORT, launchBrowser, loginAsLawyer, screenshot } from '../support/browser';
import { actors, completeDraft, eventually, startTestSystem, type TestSystem, uniquePerson } from '../support/system';

let system: TestSystem;
let browser: Browser;
let base: string;
let simulators: NonNullable<TestSystem['simulators']>;

const elcin = DEMO_LAWYERS.find((l) => l.key === 'lawyer-mammadov')!;
/** A seeded court case whose accused is Aysel Əliyeva (DEMO_PEOPLE[0]). */
const courtCase = DEMO_COURT_CASES.find((c) => c.parties.some((p) => p.fin === DEMO_PEOPLE[0].fin))!;

beforeAll(async () => {
  system = await startTestSystem({ web: true });
  base = system.web!.url;
  simulators = system.simulators!;
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await system?.close();
});

const shot = screenshot;

/** An active contract of Elçin Məmmədov for Aysel Əliyeva, paid, its order issued (through the gateway). */
async function activeContract(): Promise<string> {
  const gateway = system.web!.gateway;
  const p = DEMO_PEOPLE[0];
  const draft = completeDraft({
    protectedPerson: uniquePerson({ fin: p.fin, firstName: p.firstName, lastName: p.lastName, patronymic: p.patronymic, phone: undefined, email: undefined }),
  });
  const { contractId } = await gateway.create(actors.lawyer, draft);
  await gateway.submit(contractId, actors.lawyer);
  await eventually(async () => (await system.db('contracts').where({ id: contractId }).first('applicant_account_id'))?.applicant_account_id, {
    what: 'the applicant cabinet',
  });
  await gateway.approve(contractId, actors.head);
  await gateway.paymentCompleted(contractId, { paymentId: `e2e-court-${contractId}`, amountQepik: 100_000, method: 'card', paidAt: new Date().toISOString() });
  await eventually(async () => (await system.db('contracts').where({ id: contractId }).first('current_version'))?.current_version === 1, {
    what: 'the order',
    timeoutMs: 45_000,
  });
  return contractId;
}

const eCourtControl = async (what: 'down' | 'up' | 'status') => {
  const r = await fetch(`${simulators.urls.eCourt}/simulator/api/${what}`, { method: what === 'status' ? 'GET' : 'POST' });
  expect(r.ok).toBe(true);
  return (await r.json()) as { down: boolean; joins?: number };
};

const filingStatus = (page: Page, caseNumber: string) =>
  page.$eval(`li[data-case="${caseNumber}"]`, (e) => e.getAttribute('data-filing-status')).catch(() => null);

async function send(page: Page, caseNumber: string) {
  await page.locator('#f-caseNumber').fill(caseNumber);
  await clickAndWait(page, 'form.cp-court-send button[type=submit]');
}

describe('sending the case to court in a browser (R4.6)', () => {
  it('e-court is down: "gözlənilir" while the workflow retries, then "qoşuldu" once it recovers; an unknown number shows why', async () => {
    const contractId = await activeContract();
    const context = await browser.createBrowserContext();
    const lawyer = await context.newPage();
    await lawyer.setViewport(DESKTOP_VIEWPORT);
    await loginAsLawyer(lawyer, base, elcin.phone, elcin.mobileSignatureUserId, simulators.urls.mobileSignature);
    await lawyer.goto(`${base}/contracts/${contractId}`);
    expect(await lawyer.$('section[data-court] form.cp-court-send')).not.toBeNull();

    // An empty number is refused with a reason, nothing is sent.
    await send(lawyer, '   ');
    expect(await lawyer.$eval('[data-refusal]', (e) => e.textContent)).toMatch(/nömrəsini daxil edin/);

    await eCourtControl('down');
    try {
      const joinsBefore = (await eCourtControl('status')).joins ?? 0;
      await send(lawyer, courtCase.caseNumber);
      expect(await filingStatus(lawyer, courtCase.caseNumber)).toBe('pending');
      expect(await lawyer.$eval(`li[data-case="${courtCase.caseNumber}"] .status`, (e) => e.textContent?.trim())).toBe('gözlənilir');
      await shot(lawyer, 'lawyer-court-pending');
      // The workflow keeps trying while the portal answers 503; the lawyer still reads "gözlənilir".
      await eventually(async () => ((await eCourtControl('status')).joins ?? 0) - joinsBefore >= 2, {
        what: 'retries while e-court is down',
        timeoutMs: 20_000,
      });
      await lawyer.reload();
      expect(await filingStatus(lawyer, courtCase.caseNumber)).toBe('pending');
    } finally {
      await eCourtControl('up');
    }

    // The page refreshes itself while a filing is pending, and shows the join once e-court has taken it.
    await lawyer.waitForSelector(`li[data-case="${courtCase.caseNumber}"][data-filing-status="joined"]`, { timeout: 45_000 });
    const item = await lawyer.$eval(`li[data-case="${courtCase.caseNumber}"]`, (e) => (e as HTMLElement).innerText);
    expect(item).toContain('qoşuldu');
    expect(item).toContain(courtCase.courtName);
    expect(item).toMatch(/Order № EVO-\d{4}-\d{6}/);
    await shot(lawyer, 'lawyer-court-joined');

    // The portal holds the lawyer and the order; the API's contract details have the filing.
    const cases = (await (await fetch(`${simulators.urls.eCourt}/simulator/api/cases`)).json()) as {
      cases: { caseNumber: string; representatives: { licenseNumber: string; orders: unknown[] }[] }[];
    };
    const inPortal = cases.cases.find((c) => c.caseNumber === courtCase.caseNumber)!;
    expect(inPortal.representatives.some((r) => r.licenseNumber === elcin.licenseNumber && r.orders.length >= 1)).toBe(true);
    const details = await lawyer.evaluate(async (u) => (await fetch(u)).json(), `${base}/api/contracts/${contractId}`);
    expect(details.contract.courtFilings).toEqual([expect.objectContaining({ caseNumber: courtCase.caseNumber, status: 'joined' })]);

    // An unknown case number: failed, with the reason in plain words.
    await send(lawyer, DEMO_UNKNOWN_CASE_NUMBER);
    await lawyer.waitForSelector(`li[data-case="${DEMO_UNKNOWN_CASE_NUMBER}"][data-filing-status="failed"]`, { timeout: 30_000 });
    expect(await lawyer.$eval(`li[data-case="${DEMO_UNKNOWN_CASE_NUMBER}"] [data-filing-reason]`, (e) => e.textContent)).toMatch(/iş tapılmadı/);
    await shot(lawyer, 'lawyer-court-failed');

    // The same step through the JSON API: 400 without a number, 202 with one; a case of other people fails.
    const api = (body: unknown) =>
      lawyer.evaluate(
        async (u, b) => {
          const r = await fetch(u, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(b) });
          return { status: r.status, body: await r.json() };
        },
        `${base}/api/contracts/${contractId}/court-filings`,
        body,
      );
    expect((await api({})).status).toBe(400);
    const otherCase = DEMO_COURT_CASES.find((c) => !c.parties.some((p) => p.fin === DEMO_PEOPLE[0].fin) && c.parties.some((p) => p.fin))!;
    const accepted = await api({ caseNumber: otherCase.caseNumber });
    expect(accepted.status).toBe(202);
    expect(accepted.body.contract.courtFilings.map((f: { caseNumber: string }) => f.caseNumber)).toContain(otherCase.caseNumber);
    expect((await api({ caseNumber: courtCase.caseNumber })).status).toBe(409); // already joined
    await eventually(
      async () => {
        const d = await lawyer.evaluate(async (u) => (await fetch(u)).json(), `${base}/api/contracts/${contractId}`);
        return d.contract.courtFilings.find(
          (f: { caseNumber: string; status: string; reasonCode?: string }) =>
            f.caseNumber === otherCase.caseNumber && f.status === 'failed' && f.reasonCode === 'NotAPartyToCase',
        );
      },
      { what: 'the party refusal through the API' },
    );
    await context.close();
  });
});
