/**
 * issue 13 and issue 12 in the wizard, by the labels a lawyer sees: an expired identity card found
 * in the population registry warns (and does not stop the lawyer); a foreign applicant's state is
 * chosen from the list, and asked for when missing; the remainder's due date is typed dd.mm.yyyy,
 * refused at the field when past or not a day, with what was typed kept; the summary shows both.
 */
import type { Browser, Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_LAWYERS } from '../../simulators/demo-data';
import { clickAndWait, launchBrowser, loginAsLawyer, screenshot } from '../support/browser';
import { startTestSystem, type TestSystem } from '../support/system';

let system: TestSystem;
let browser: Browser;
let page: Page;
let base: string;

beforeAll(async () => {
  system = await startTestSystem({ web: true });
  base = system.web!.url;
  browser = await launchBrowser();
  page = await browser.newPage();
  const lawyer = DEMO_LAWYERS.find((l) => l.key === 'lawyer-mammadov')!;
  await loginAsLawyer(page, base, lawyer.phone, lawyer.mobileSignatureUserId, system.simulators!.urls.mobileSignature);
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await system?.close();
});

const next = () => clickAndWait(page, 'button.wizard-next');
const errorAt = (id: string) => page.$eval(`#${id.replace(/\./g, '\\.')}-error`, (e) => (e as HTMLElement).innerText);
const valueOf = (id: string) => page.$eval(`#${id.replace(/\./g, '\\.')}`, (e) => (e as HTMLInputElement).value);
async function fill(id: string, value: string) {
  const selector = `#${id.replace(/\./g, '\\.')}`;
  await page.$eval(selector, (e) => ((e as HTMLInputElement).value = ''));
  await page.type(selector, value);
}

describe('issue 13, issue 12 (R4.1.2, R4.1.6): the wizard warns of an expired card, asks the state and the due date', () => {
  it('walks the wizard as a lawyer does', async () => {
    await page.goto(`${base}/contracts`);
    await clickAndWait(page, 'form[action="/contracts/new"] button');
    await page.click('input[name=protectedPartyKind][value=natural]');
    await page.click('input[name=applicantIsProtectedParty][value=different]');
    await page.click('input[name=caseType][value=civil]');
    await next();

    // The registry's card of 2KM4N6P expired on 09.02.2025: a warning next to the FIN, the data filled all the same.
    await page.click('input[name="protectedPerson.citizenship"][value=citizen]');
    await page.type('#f-protectedPerson\\.fin', '2KM4N6P');
    await clickAndWait(page, 'button[value=lookup-fin]');
    const note = await page.$eval('#f-protectedPerson\\.fin-note', (e) => ({ text: (e as HTMLElement).innerText, warning: e.classList.contains('warning') }));
    expect(note.warning).toBe(true);
    expect(note.text).toContain('Əhali reyestrindən dolduruldu: Həsənov Tural Məhəmməd oğlu');
    expect(note.text).toContain('şəxsiyyət vəsiqəsinin etibarlılıq müddəti 09.02.2025 tarixində bitib');
    expect(await valueOf('f-protectedPerson.lastName')).toBe('Həsənov');
    await screenshot(page, 'wizard-expired-card');
    await next();

    // A foreign applicant: "Vətəndaşı olduğu dövlət" is asked for, and what was typed stays.
    await page.click('input[name="applicant.citizenship"][value=foreign]');
    const label = await page.$eval('label[for="f-applicant.country"]', (e) => (e as HTMLElement).innerText);
    expect(label).toBe('Vətəndaşı olduğu dövlət');
    await page.type('#f-applicant\\.documentNumber', 'C01X00T47');
    await page.type('#f-applicant\\.lastName', 'Müller');
    await page.type('#f-applicant\\.firstName', 'Hans');
    await page.type('#f-applicant\\.email', `hans.${Date.now()}@example.de`);
    await next();
    expect(await errorAt('f-applicant.country')).toBe('Xarici vətəndaşın hansı dövlətin vətəndaşı olduğunu seçin.');
    expect(await valueOf('f-applicant.documentNumber')).toBe('C01X00T47');
    const germany = await page.$eval('#f-applicant\\.country option[value=DE]', (o) => o.text);
    expect(germany).toBe('Almaniya');
    await page.select('#f-applicant\\.country', 'DE');
    await next();

    await fill('f-evidence.holders.0', 'Bakı Şəhər Baş Polis İdarəsi');
    await next();
    await page.type('#f-assignment', 'Mülki işdə məhkəmədə təmsilçilik.');
    await page.select('#f-institution', 'baku-serious-crimes-court');
    await next();

    // The remainder's due date: dd.mm.yyyy, after today; a past day or no day at all is refused at the field.
    await page.type('#f-price\\.totalQepik', '1000');
    await page.click('input[name="price.plan"][value=two_instalments]');
    await page.type('#f-price\\.firstInstalmentQepik', '300');
    expect(await page.$eval('label[for="f-price.secondInstalmentDueOn"]', (e) => (e as HTMLElement).innerText)).toBe('Qalan məbləğin ödəniş tarixi');
    await page.type('#f-price\\.secondInstalmentDueOn', '01.01.2020');
    await next();
    expect(await errorAt('f-price.secondInstalmentDueOn')).toBe('Qalan məbləğin ödəniş tarixi bu gündən sonra olmalıdır.');
    expect(await valueOf('f-price.firstInstalmentQepik')).toBe('300');
    await fill('f-price.secondInstalmentDueOn', '31.02.2030');
    await next();
    expect(await errorAt('f-price.secondInstalmentDueOn')).toBe('Tarixi gg.aa.iiii şəklində yazın, məsələn 15.03.2027.');
    expect(await valueOf('f-price.secondInstalmentDueOn')).toBe('31.02.2030');
    const dueDay = `15.03.${new Date().getFullYear() + 1}`;
    await fill('f-price.secondInstalmentDueOn', dueDay);
    await next();

    // The summary shows the state and the due date.
    const summary = await page.$eval('main', (m) => m.innerText);
    expect(summary).toMatch(/Vətəndaşı olduğu dövlət\s+Almaniya/);
    expect(summary).toMatch(new RegExp(`Qalan məbləğin ödəniş tarixi\\s+${dueDay.replace(/\./g, '\\.')}`));
    await screenshot(page, 'wizard-due-date-summary');
    // Back on the price step the day is shown as it was typed.
    await page.goto(page.url().replace(/\/7$/, '/6'));
    expect(await valueOf('f-price.secondInstalmentDueOn')).toBe(dueDay);
  });
});
