/**
 * Issue 11: each account has a language (az / en), and the e-mails and SMS go out in it — through
 * the real path: the workflow queues them into the outbox, the dispatcher sends them to the mail
 * sink and the SMS simulator. The language is set by PATCH /api/account/language or by the page
 * switch while signed in, kept on the account, and applied at the next login (R2.3, R2.4, R4.2,
 * R4.3.1).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectStatus, loginApplicant, loginLawyer, submittedContract, waitForContract, webUrl } from '../support/api';
import { loginNewAdmin } from '../support/bar-office';
import { clickAndWait, launchBrowser, loginAsLawyer, PHONE_VIEWPORT } from '../support/browser';
import { HttpClient } from '../support/http-client';
import { completeDraft, demoLawyer, eventually, startTestSystem, type TestSystem } from '../support/system';

const LAWYERS = ['lawyer-mammadov', 'head-huseynova', 'lawyer-qasimova'];

let system: TestSystem;
beforeAll(async () => {
  system = await startTestSystem({ web: true });
  await system.db('lawyers').whereIn('id', LAWYERS).update({ language: 'az' });
}, 120_000);
afterAll(async () => {
  // The demo lawyers are shared with the other test files, which read Azerbaijani.
  await system?.db('lawyers').whereIn('id', LAWYERS).update({ language: 'az' });
  await system?.close();
});

const mailsTo = (address: string) => system.simulators!.mailSink.messages().filter((m) => m.envelopeTo.includes(address));
const smsTo = (phone: string) => system.simulators!.smsSimulator.messages().filter((m) => m.to === phone);
const htmlLang = async (browser: HttpClient, path: string) =>
  /<html lang="(\w+)">/.exec(expectStatus(await browser.get(path, { accept: 'text/html' }), 200, path).text)?.[1];

/** Waits until the mail sink holds an e-mail to `address` whose subject passes `test`. */
const mailArrives = (address: string, test: (subject: string) => boolean, what: string) =>
  eventually(() => Promise.resolve(mailsTo(address).find((m) => test(m.subject))), { what, timeoutMs: 20_000 });
const smsArrives = (phone: string, test: (text: string) => boolean, what: string) =>
  eventually(() => Promise.resolve(smsTo(phone).find((m) => test(m.text))), { what, timeoutMs: 20_000 });

describe('issue 11: e-mails and SMS in the recipient’s language', () => {
  it('a lawyer and an applicant with English accounts get English texts; Azerbaijani ones get Azerbaijani', async () => {
    const lawyer = await loginLawyer(system, 'lawyer-mammadov');
    const head = await loginLawyer(system, 'head-huseynova');
    expect(expectStatus(await lawyer.patch('/api/account/language', { language: 'en' }), 200, 'lawyer → en').body).toEqual({ language: 'en' });

    // Contract A: its applicant switches the cabinet to English before the head approves.
    const draftA = completeDraft();
    const contractA = await submittedContract(lawyer, draftA);
    const applicantA = await loginApplicant(system, lawyer, contractA);
    expectStatus(await applicantA.browser.patch('/api/account/language', { language: 'en' }), 200, 'applicant → en');
    expectStatus(await head.post(`/api/contracts/${contractA}/approve`), 200, 'approve A');
    const numberA = (await waitForContract(lawyer, contractA, (d) => d.contract.status === 'awaiting_payment', 'A approved')).contract.contractNumber;
    const approvedMail = await mailArrives(draftA.applicant!.email!, (s) => s === `Contract No ${numberA} approved: please pay`, 'English e-mail to A');
    expect(approvedMail.text).toContain('Press "Pay" in your cabinet');
    const approvedSms = await smsArrives(draftA.applicant!.phone!, (t) => t.includes(`No ${numberA} approved`), 'English SMS to A');
    expect(approvedSms.text).toMatch(/^EVK: No .* approved\. Due: .* AZN\./);
    // The cabinet was opened at submission, before the applicant chose: that message was Azerbaijani.
    expect(mailsTo(draftA.applicant!.email!).some((m) => m.subject.includes('müqaviləsi təsdiqə göndərildi'))).toBe(true);

    // Contract B: an Azerbaijani applicant and head; the head returns it to the English lawyer.
    const draftB = completeDraft();
    const contractB = await submittedContract(lawyer, draftB);
    const numberB = (await waitForContract(lawyer, contractB, (d) => Boolean(d.contract.applicantAccountId), 'B submitted')).contract.contractNumber;
    expectStatus(await head.post(`/api/contracts/${contractB}/reject`, { reason: 'Qiymət yoxlanılmalıdır' }), 200, 'reject B');
    await mailArrives(draftB.applicant!.email!, (s) => s === `№ ${numberB} müqaviləsi təsdiqə göndərildi`, 'Azerbaijani e-mail to B');
    await smsArrives(draftB.applicant!.phone!, (t) => t.startsWith(`EVK: № ${numberB} müqaviləsi təsdiqə göndərildi.`), 'Azerbaijani SMS to B');
    const headRow = await system.db<{ id: string; email: string }>('lawyers').where({ id: 'head-huseynova' }).first('email');
    await mailArrives(headRow!.email, (s) => s === `Təsdiqə gələn iş: № ${numberB}`, 'Azerbaijani e-mail to the head');
    const lawyerRow = await system.db<{ id: string; email: string }>('lawyers').where({ id: 'lawyer-mammadov' }).first('email');
    const returned = await mailArrives(lawyerRow!.email, (s) => s === `Contract No ${numberB} returned`, 'English e-mail to the lawyer');
    expect(returned.text).toContain('The bureau head did not approve contract');
    expect(returned.text).toContain('Qiymət yoxlanılmalıdır');

    // The outbox says which language each message was written in.
    const locales = await system.db('outbox').whereIn('contract_id', [contractA, contractB]).select('recipient', 'locale', 'dedupe_key');
    // The key is `<contract>:<event>:<revision>:<audience>:<channel>:<address>`.
    const localeOf = (event: string, audience: string) =>
      new Set(locales.filter((r) => new RegExp(`:${event}:\\d+:${audience}:`).test(r.dedupe_key as string)).map((r) => r.locale as string));
    expect(localeOf('approved', 'applicant')).toEqual(new Set(['en']));
    expect(localeOf('rejected', 'lawyer')).toEqual(new Set(['en']));
    expect(localeOf('submitted', 'head')).toEqual(new Set(['az']));
    expect(localeOf('submitted', 'applicant')).toEqual(new Set(['az']));
  }, 90_000);

  it('the language chosen while signed in is kept: the next session comes up in it (lawyer, applicant, Bar office)', async () => {
    // The lawyer chose English above (the API); a new login speaks it at once.
    const lawyer = await loginLawyer(system, 'lawyer-mammadov');
    expect(await htmlLang(lawyer, '/projects')).toBe('en');
    // The page switch while signed in (a form with the form token) sets the account back to Azerbaijani.
    const page = await lawyer.get('/projects', { accept: 'text/html' });
    const form = /<form method="post" action="\/account\/language"[^>]*>(.*?)<\/form>/s.exec(page.text)?.[1] ?? '';
    expect(form).toContain('Azərbaycanca');
    const token = /name="_csrf" value="([^"]+)"/.exec(form)?.[1] ?? '';
    const switched = await lawyer.request('POST', '/account/language', {
      raw: new URLSearchParams({ _csrf: token, language: 'az', back: '/projects' }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
    });
    expect(switched.status).toBe(303);
    expect(switched.headers.get('location')).toBe('/projects');
    expect(await htmlLang(lawyer, '/projects')).toBe('az');
    expect(await htmlLang(await loginLawyer(system, 'lawyer-mammadov'), '/projects')).toBe('az');
    // The switch sends back only to a page of this site.
    const away = await lawyer.request('POST', '/account/language', {
      raw: new URLSearchParams({ _csrf: token, language: 'az', back: '//evil.example/' }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
    });
    expect(away.headers.get('location')).toBe('/');

    // The Bar office: English kept for the next login, whatever the anonymous cookie said.
    const { browser: admin, id } = await loginNewAdmin(system);
    expectStatus(await admin.patch('/api/account/language', { language: 'en' }), 200, 'admin → en');
    expect(await htmlLang(admin, '/admin')).toBe('en');
    expect((await system.db('admins').where({ id }).first('language')).language).toBe('en');

    // The applicant's cabinet likewise (the applicant of a new contract).
    const contract = await submittedContract(lawyer, completeDraft());
    const applicant = await loginApplicant(system, lawyer, contract);
    expect(await htmlLang(applicant.browser, '/applicant')).toBe('az');
    expectStatus(await applicant.browser.patch('/api/account/language', { language: 'en' }), 200, 'applicant → en');
    const again = new HttpClient(webUrl(system));
    expectStatus(await again.post('/api/auth/applicant/login', { login: applicant.login, password: applicant.password }), 200, 'applicant login');
    expect(await htmlLang(again, '/applicant')).toBe('en');
  }, 90_000);

  it('PATCH /api/account/language: a value other than az or en is refused at the field; nobody signed in gets 401', async () => {
    const { browser: admin } = await loginNewAdmin(system);
    for (const body of [{ language: 'fr' }, {}, { language: 7 }]) {
      const refused = await admin.request('PATCH', '/api/account/language', { json: body, headers: { 'accept-language': 'az' } });
      expect(refused.status).toBe(400);
      expect(refused.body.error.reason).toBe('account.language_unknown');
      expect(refused.body.error.fields).toEqual([
        expect.objectContaining({
          field: 'language',
          reason: 'account.language_unknown',
          message: 'Dil az (Azərbaycan dili) və ya en (ingilis dili) olmalıdır.',
        }),
      ]);
    }
    const anonymous = await new HttpClient(webUrl(system)).patch('/api/account/language', { language: 'en' });
    expect(anonymous.status).toBe(401);
  });
});

describe('issue 11: the language switch in the browser', () => {
  it('a lawyer presses "English" in the header; the next login comes up in English; "Azərbaycanca" switches back for good', async () => {
    const chromium = await launchBrowser();
    try {
      const gunel = demoLawyer('lawyer-qasimova');
      const simulator = system.simulators!.urls.mobileSignature;
      const SWITCH = 'form[action="/account/language"] button';
      const menu = (page: Awaited<ReturnType<typeof newPage>>) => page.$eval('header nav', (nav) => nav.textContent ?? '');
      const newPage = async () => {
        const page = await (await chromium.createBrowserContext()).newPage();
        await page.setViewport(PHONE_VIEWPORT);
        return page;
      };

      const first = await newPage();
      await loginAsLawyer(first, webUrl(system), gunel.phone, gunel.mobileSignatureUserId, simulator);
      expect(await menu(first)).toContain('Layihələr');
      expect(await first.$eval(SWITCH, (b) => b.textContent)).toBe('English');
      const before = new URL(first.url()).pathname;
      await clickAndWait(first, SWITCH);
      expect(new URL(first.url()).pathname).toBe(before);
      expect(await menu(first)).toContain('Projects');
      expect(await menu(first)).toContain('Contract cases');

      // Another browser, no cookie: the login page is Azerbaijani, the cabinet after it English.
      const second = await newPage();
      await loginAsLawyer(second, webUrl(system), gunel.phone, gunel.mobileSignatureUserId, simulator);
      expect(await second.$eval('html', (h) => h.lang)).toBe('en');
      expect(await menu(second)).toContain('Projects');
      expect(await second.$eval(SWITCH, (b) => b.textContent)).toBe('Azərbaycanca');
      await clickAndWait(second, SWITCH);
      expect(await menu(second)).toContain('Layihələr');
      expect((await system.db('lawyers').where({ id: 'lawyer-qasimova' }).first('language')).language).toBe('az');
    } finally {
      await chromium.close();
    }
  }, 90_000);
});
