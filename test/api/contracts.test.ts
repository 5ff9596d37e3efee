/**
 * The contract API (SPEC §4.1–4.4, 4.7) through real HTTP, as the people use it: lawyers logged in
 * with the mobile signature, the applicant with a password, money through the payment-agent
 * simulator and its signed callback, and the real worker, Temporal and PostgreSQL behind it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_COMPANIES, DEMO_PEOPLE, DEMO_UNKNOWN_FIN, DEMO_UNKNOWN_VOEN, TAX_SIM_FAILURE_VOEN } from '../../simulators/demo-data';
import {
  activeContract,
  approvedContract,
  type ContractDetails,
  createDraft,
  getContract,
  loginApplicant,
  loginDemoLawyers,
  openPayment,
  payAtTerminal,
  payByCard,
  submittedContract,
  waitForContract,
  webUrl,
} from '../support/api';
import { HttpClient } from '../support/http-client';
import { completeDraft, startTestSystem, type TestSystem, uniquePerson } from '../support/system';

let system: TestSystem;
/** One browser per demo lawyer: the lawyer and the colleague of bureau "baki-1", its head, and the individual lawyer. */
let lawyer: HttpClient;
let colleague: HttpClient;
let head: HttpClient;
let individual: HttpClient;
let anonymous: HttpClient;

beforeAll(async () => {
  system = await startTestSystem({ web: true });
  ({ lawyer, colleague, head, individual } = await loginDemoLawyers(system));
  anonymous = new HttpClient(webUrl(system));
});
afterAll(async () => {
  await system?.close();
});

const people = () => ({ lawyer, head });
const isPdf = (bytes: Buffer) => bytes.subarray(0, 5).toString('latin1') === '%PDF-';

async function listIds(browser: HttpClient, query: string): Promise<string[]> {
  const answer = await browser.get(`/api/contracts?${query}&pageSize=100`);
  expect(answer.status, answer.text).toBe(200);
  return (answer.body.contracts as { id: string }[]).map((c) => c.id);
}

/** The public check as the order's QR code and link make it: the number with its verification code (issue 9 item 9). */
async function verify(orderNumber: string) {
  const version = await system.db('contract_versions').where({ order_number: orderNumber }).first('verification_code');
  const code = String(version?.verification_code ?? '');
  return anonymous.get(`/verify/${encodeURIComponent(orderNumber)}?code=${encodeURIComponent(code)}`);
}

describe('the new-contract wizard (R4.1)', () => {
  it('issue 10 item 5: "Yeni müqavilə yarat" sent again with the same key (a retry after a 503) gives the same draft, never a second one', async () => {
    const key = `retry-${Date.now()}-a`;
    const contractCount = async () => Number((await system.db('contracts').count<{ n: string }[]>({ n: '*' }))[0].n);
    const before = await contractCount();
    const first = await lawyer.post('/api/contracts', { draft: {} }, { 'idempotency-key': key });
    expect(first.status, first.text).toBe(201);
    const again = await lawyer.post('/api/contracts', { draft: {} }, { 'idempotency-key': key });
    expect(again.status, again.text).toBe(201);
    expect(again.body.contract.contractId).toBe(first.body.contract.contractId);
    expect(await contractCount()).toBe(before + 1);
    // The key is the lawyer's own: a colleague's same key makes the colleague's own draft; no key, a new draft each time.
    const colleagues = await colleague.post('/api/contracts', { draft: {} }, { 'idempotency-key': key });
    expect(colleagues.status, colleagues.text).toBe(201);
    expect(colleagues.body.contract.contractId).not.toBe(first.body.contract.contractId);
    const unkeyed = await lawyer.post('/api/contracts', { draft: {} });
    expect(unkeyed.body.contract.contractId).not.toBe(first.body.contract.contractId);
    // A key that is not one is refused at the header, in the page's language.
    const bad = await lawyer.post('/api/contracts', { draft: {} }, { 'idempotency-key': 'x y' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.reason).toBe('common.idempotency_key_invalid');
    expect(bad.body.error.message).toMatch(/Idempotency-Key/);
    expect(bad.body.error.fields[0].field).toBe('Idempotency-Key');
  });

  it('R4.1.7 a draft is created, saved step by step; a bad step is refused at its field and loses nothing', async () => {
    const applicant = uniquePerson();
    const created = await lawyer.post<ContractDetails>('/api/contracts', {
      draft: { protectedPartyKind: 'natural', applicantIsProtectedParty: true, caseType: 'civil' },
    });
    expect(created.status).toBe(201);
    const id = created.body.contract.contractId;
    expect(created.body.contract.status).toBe('draft');
    expect(created.body.contract.contractNumber).toBe(`M-${id}`);
    expect(created.body.allowedActions).toEqual(expect.arrayContaining(['saveDraft', 'discardDraft', 'submitForApproval']));

    const saved = await lawyer.patch(`/api/contracts/${id}/draft`, { applicant });
    expect(saved.status).toBe(200);
    expect(saved.body.contract.draft.applicant).toMatchObject({ fin: applicant.fin, phone: applicant.phone });

    const badPhone = await lawyer.patch(`/api/contracts/${id}/draft`, { applicant: { phone: '12' } });
    expect(badPhone.status).toBe(400);
    expect(badPhone.body.error.fields[0]).toMatchObject({ field: 'applicant.phone', code: 'invalid' });
    const badType = await lawyer.patch(`/api/contracts/${id}/draft`, { price: { totalQepik: '1000 AZN' } });
    expect(badType.status).toBe(400);
    expect(badType.body.error.fields[0].field).toBe('price.totalQepik');
    const badInstalment = await lawyer.patch(`/api/contracts/${id}/draft`, {
      price: { totalQepik: 100_000, plan: 'two_instalments', firstInstalmentQepik: 100_000 },
    });
    expect(badInstalment.status).toBe(400);
    expect(badInstalment.body.error.fields[0]).toMatchObject({ field: 'price.firstInstalmentQepik', code: 'not_less_than_price' });
    const unknownField = await lawyer.patch(`/api/contracts/${id}/draft`, { colour: 'blue' });
    expect(unknownField.status).toBe(400);
    const tooLarge = await lawyer.patch(`/api/contracts/${id}/draft`, { assignment: 'x'.repeat(300_000) });
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.body.error.code).toBe('too_large');

    // Nothing entered earlier was lost by the refused steps (R4.1.7).
    const afterRefusals = await getContract(lawyer, id);
    expect(afterRefusals.contract.draft).toMatchObject({ caseType: 'civil', applicant: { phone: applicant.phone, fin: applicant.fin } });
    expect(afterRefusals.contract.draft.price).toBeUndefined();

    const check = await lawyer.get(`/api/contracts/${id}/draft/check`);
    expect(check.status).toBe(200);
    const missing = (check.body.errors as { field: string }[]).map((e) => e.field);
    expect(missing).toEqual(expect.arrayContaining(['evidence', 'assignment', 'institution', 'price.totalQepik']));
    expect(missing).not.toContain('caseType');
    expect(missing).not.toContain('applicant.fin');
    const tooEarly = await lawyer.post(`/api/contracts/${id}/submit`);
    expect(tooEarly.status).toBe(400);
    expect(tooEarly.body.error.fields.map((f: { field: string }) => f.field)).toEqual(expect.arrayContaining(['assignment']));

    const rest = completeDraft();
    for (const step of [
      { evidence: { none: true, holders: [] } },
      { assignment: rest.assignment, institution: { name: 'Digər: Xətai Rayon Məhkəməsi' } },
      { price: { totalQepik: 50_000, plan: 'single' } },
    ]) {
      expect((await lawyer.patch(`/api/contracts/${id}/draft`, step)).status).toBe(200);
    }
    expect((await lawyer.get(`/api/contracts/${id}/draft/check`)).body.errors).toEqual([]);
    const submitted = await lawyer.post(`/api/contracts/${id}/submit`);
    expect(submitted.status).toBe(200);
    expect(submitted.body.contract.status).toBe('awaiting_approval');
    expect(submitted.body.contract.terms.institution.name).toBe('Digər: Xətai Rayon Məhkəməsi');
  });

  it('R4.1.7 a draft can be deleted and is gone from the lists; a first step that is wrong leaves no draft', async () => {
    const id = await createDraft(lawyer, { caseType: 'commercial' });
    expect(await listIds(lawyer, 'scope=mine')).toContain(id);
    const deleted = await lawyer.delete(`/api/contracts/${id}`);
    expect(deleted.status).toBe(200);
    expect(deleted.body.contract.status).toBe('discarded');
    expect(await listIds(lawyer, 'scope=mine')).not.toContain(id);
    expect((await lawyer.post(`/api/contracts/${id}/submit`)).status).toBe(409);

    const before = await system.db('contracts').where({ lawyer_id: 'lawyer-mammadov' }).count({ n: '*' }).first();
    const wrongFirst = await lawyer.post('/api/contracts', { draft: { applicant: { email: 'not-an-email' } } });
    expect(wrongFirst.status).toBe(400);
    expect(wrongFirst.body.error.fields[0].field).toBe('applicant.email');
    const after = await system.db('contracts').where({ lawyer_id: 'lawyer-mammadov' }).count({ n: '*' }).first();
    expect(Number(after?.n)).toBe(Number(before?.n));
  });

  it('R4.1.2 R4.1.3 R4.1.5 look-ups: a citizen by FIN, a company by VÖEN, the institutions; failures tell the lawyer to type the data', async () => {
    const aysel = DEMO_PEOPLE[0];
    const person = await lawyer.post('/api/lookups/people', { fin: aysel.fin.toLowerCase() });
    expect(person.status).toBe(200);
    expect(person.body.person).toMatchObject({
      fin: aysel.fin,
      firstName: aysel.firstName,
      lastName: aysel.lastName,
      patronymic: aysel.patronymic,
      birthDate: aysel.birthDate,
    });
    const unknownPerson = await lawyer.post('/api/lookups/people', { fin: DEMO_UNKNOWN_FIN });
    expect(unknownPerson.status).toBe(404);
    expect(unknownPerson.body.error.message).toMatch(/by hand/);
    const badFin = await lawyer.post('/api/lookups/people', { fin: 'AB-12' });
    expect(badFin.status).toBe(400);
    expect(badFin.body.error.fields[0].field).toBe('fin');

    const company = await lawyer.post('/api/lookups/companies', { voen: DEMO_COMPANIES[0].voen });
    expect(company.status).toBe(200);
    expect(company.body.company).toMatchObject({ voen: DEMO_COMPANIES[0].voen, name: DEMO_COMPANIES[0].name, email: DEMO_COMPANIES[0].email });
    const failing = await lawyer.post('/api/lookups/companies', { voen: TAX_SIM_FAILURE_VOEN });
    expect(failing.status).toBe(503);
    expect(failing.body.error.code).toBe('unavailable');
    expect(failing.body.error.message).toMatch(/by hand/);
    expect((await lawyer.post('/api/lookups/companies', { voen: DEMO_UNKNOWN_VOEN })).status).toBe(404);
    const badVoen = await lawyer.post('/api/lookups/companies', { voen: '1234567890' });
    expect(badVoen.status).toBe(400);
    expect(badVoen.body.error.fields[0].field).toBe('voen');

    // Issue 9 item 5: the FIN never travels in a URL; the former GET look-up is no endpoint at all.
    expect((await lawyer.get(`/api/lookups/people/${aysel.fin}`)).status).toBe(404);

    const institutions = await lawyer.get('/api/lookups/institutions');
    expect(institutions.body.institutions.map((i: { id: string }) => i.id)).toContain('baku-serious-crimes-court');
  });
});

describe('approval, payment and the order (R4.2, R4.3)', () => {
  it('R4.2 R2.5 R4.2.1 R4.3.1 sent for approval → only the head approves → the applicant pays by card → the order is issued', async () => {
    const id = await submittedContract(lawyer);

    // R4.2: the head finds it under "Təsdiqə gələn işlər".
    expect(await listIds(head, 'scope=awaiting_approval')).toContain(id);
    expect(await listIds(head, 'scope=bureau')).toContain(id);
    expect(await listIds(lawyer, 'scope=mine')).toContain(id);
    expect(await listIds(colleague, 'scope=mine')).not.toContain(id);
    expect(await listIds(individual, 'scope=mine')).not.toContain(id);

    // R2.5: another bureau's lawyer and a colleague who is not head: the contract does not exist for them.
    for (const [who, browser] of [
      ['individual lawyer', individual],
      ['colleague', colleague],
    ] as const) {
      const seen = await browser.get(`/api/contracts/${id}`);
      expect(seen.status, who).toBe(404);
      expect(seen.body.error.code).toBe('not_found');
      const approved = await browser.post(`/api/contracts/${id}/approve`);
      expect(approved.status, who).toBe(404);
    }
    // The contract's own lawyer sees it but is not the head: refused with the reason.
    const byLawyer = await lawyer.post(`/api/contracts/${id}/approve`);
    expect(byLawyer.status).toBe(409);
    expect(byLawyer.body.error.message).toMatch(/head of the bureau/);
    expect((await getContract(lawyer, id)).allowedActions).not.toContain('approve');
    expect((await getContract(head, id)).allowedActions).toEqual(expect.arrayContaining(['approve', 'approveAsAlreadyPaid', 'reject']));

    const approved = await head.post(`/api/contracts/${id}/approve`);
    expect(approved.status).toBe(200);
    expect(approved.body.contract.status).toBe('awaiting_payment');
    expect(await listIds(head, 'scope=awaiting_approval')).not.toContain(id);

    // R4.3.1: the cabinet and its credentials; the applicant sees only their own contracts.
    const { browser: applicant } = await loginApplicant(system, lawyer, id);
    // Issue 9 item 1: the person chose the password on the one-time activation link, so no change is forced.
    expect((await applicant.get('/api/auth/me')).body.actor).toMatchObject({ kind: 'applicant', mustChangePassword: false });
    const own = await applicant.get('/api/contracts');
    expect(own.body.total).toBe(1);
    expect(own.body.contracts[0]).toMatchObject({ id, status: 'awaiting_payment' });
    expect(own.body.contracts[0].caseType).toBeUndefined(); // R4.1.1: the case type is for statistics only
    const otherContract = await submittedContract(lawyer);
    expect((await applicant.get(`/api/contracts/${otherContract}`)).status).toBe(404);
    const seenByApplicant = await getContract(applicant, id);
    expect(seenByApplicant.contract.draft).toBeUndefined();
    expect(seenByApplicant.contract.terms!.caseType).toBeUndefined();
    expect(seenByApplicant.contract.terms!.applicant.fin).toBeDefined();
    expect(seenByApplicant.allowedActions).toEqual(['pay']);
    expect((await applicant.patch(`/api/contracts/${id}/draft`, { assignment: 'x' })).status).toBe(403);
    expect((await applicant.post('/api/lookups/people', { fin: DEMO_PEOPLE[0].fin })).status).toBe(403);

    // "Ödə" is the applicant's: the lawyer has no fee to pay here.
    const lawyerPays = await lawyer.post(`/api/contracts/${id}/payments`);
    expect(lawyerPays.status).toBe(409);
    const payment = await openPayment(applicant, id);
    expect(payment).toMatchObject({ amountQepik: 100_000, kind: 'contract' });
    expect(payment.paymentPageUrl.startsWith(`${system.config.paymentAgentUrl}/pay/`)).toBe(true);
    expect(payment.terminalCode).toMatch(/^EVK-\d{6,}$/);
    // Asking again gives the same page: one open payment per amount due.
    const again = await applicant.post(`/api/contracts/${id}/payments`);
    expect(again.status).toBe(201);
    expect(again.body.paymentPageUrl).toBe(payment.paymentPageUrl);

    const card = await payByCard(system, payment.agentPaymentId);
    expect(card.outcome).toBe('paid');
    const active = await waitForContract(
      applicant,
      id,
      (d) => d.contract.status === 'active' && d.contract.currentVersion === 1,
      'the order after the card payment',
    );
    expect(active.contract.payments).toHaveLength(1);
    expect(active.contract.payments[0]).toMatchObject({ amountQepik: 100_000, method: 'card', kind: 'contract' });
    expect(active.contract.paidQepik).toBe(100_000);
    expect(active.contract.balanceDueQepik).toBe(0);
    const [document] = active.documents;
    expect(document).toMatchObject({ version: 1, superseded: false });
    expect(document.orderNumber).toMatch(/^EVO-\d{4}-\d{6}$/);
    expect((await applicant.post(`/api/contracts/${id}/payments`)).status).toBe(409); // paid in full

    // The order and the contract, for those who may see the contract only.
    for (const [who, browser] of [
      ['lawyer', lawyer],
      ['applicant', applicant],
      ['head', head],
    ] as const) {
      const order = await browser.getBytes(document.orderUrl);
      expect(order.status, who).toBe(200);
      expect(order.headers.get('content-type')).toMatch(/^application\/pdf/);
      expect(isPdf(order.bytes), who).toBe(true);
    }
    const contractPdf = await applicant.getBytes(document.contractUrl);
    expect(contractPdf.status).toBe(200);
    expect(isPdf(contractPdf.bytes)).toBe(true);
    expect((await individual.getBytes(document.orderUrl)).status).toBe(404);
    expect((await colleague.getBytes(document.orderUrl)).status).toBe(404);
    expect((await anonymous.getBytes(document.orderUrl)).status).toBe(401);
    expect((await lawyer.getBytes(`/api/contracts/${id}/versions/2/order.pdf`)).status).toBe(404);
    expect((await lawyer.getBytes(`/api/contracts/${id}/versions/1/secrets.pdf`)).status).toBe(404);

    // The public check of the order: genuine and current, no personal data.
    const verdict = await verify(document.orderNumber);
    expect(verdict.status).toBe(200);
    expect(verdict.body).toMatchObject({
      orderNumber: document.orderNumber,
      valid: true,
      status: 'current',
      lawyer: { name: 'Elçin Məmmədov', licenseNumber: 'VL-001187' },
    });
    const applicantPerson = active.contract.terms!.applicant;
    expect(verdict.text).not.toContain(applicantPerson.fin);
    expect(verdict.text).not.toContain(applicantPerson.lastName);
    // Without the code (issue 9 item 9: numbers count up and can be walked) it says no more than that the number exists.
    const page = await anonymous.get(`/verify/${document.orderNumber}`, { accept: 'text/html' });
    expect(page.status).toBe(200);
    expect(page.text).toContain(document.orderNumber);
    expect(page.text).not.toContain('VL-001187');
    const bare = await anonymous.get(`/verify/${document.orderNumber}`);
    expect(bare.body).toEqual({ orderNumber: document.orderNumber, exists: true, verified: false });
    const unknown = await verify('EVO-1999-000000');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ exists: false, valid: false, status: 'unknown' });
  });

  it("R4.3.1 R2.4 the applicant's cabinet opens when the contract is sent: the contract is readable, not yet payable; the password can be changed", async () => {
    const id = await submittedContract(lawyer);
    const { browser: applicant, login, password } = await loginApplicant(system, lawyer, id);
    const seen = await getContract(applicant, id);
    expect(seen.contract.status).toBe('awaiting_approval');
    expect(seen.allowedActions).toEqual([]);
    const tooEarly = await applicant.post(`/api/contracts/${id}/payments`);
    expect(tooEarly.status).toBe(409);
    expect(tooEarly.body.error.message).toMatch(/not awaiting payment/);

    const wrongCurrent = await applicant.post('/api/auth/applicant/password', { currentPassword: 'not-it', newPassword: 'a-new-password-1' });
    expect(wrongCurrent.status).toBe(400);
    expect(wrongCurrent.body.error.fields[0].field).toBe('currentPassword');
    const tooShort = await applicant.post('/api/auth/applicant/password', { currentPassword: password, newPassword: 'short' });
    expect(tooShort.status).toBe(400);
    expect(tooShort.body.error.fields[0].field).toBe('newPassword');
    expect((await applicant.post('/api/auth/applicant/password', { currentPassword: password, newPassword: 'a-new-password-1' })).status).toBe(200);
    expect((await applicant.get('/api/auth/me')).body.actor.mustChangePassword).toBe(false);

    const again = new HttpClient(webUrl(system));
    expect((await again.post('/api/auth/applicant/login', { login, password })).status).toBe(401);
    const withNew = await again.post('/api/auth/applicant/login', { login: login.toUpperCase(), password: 'a-new-password-1' });
    expect(withNew.status).toBe(200);
    expect(withNew.body.actor).toMatchObject({ kind: 'applicant', mustChangePassword: false });
  });

  it('R4.1.6 R4.3.2 R4.3.3 two instalments: 1000 AZN, first 300 by card issues the order; the balance 700 is paid at a terminal', async () => {
    const { id, applicant } = await approvedContract(
      system,
      people(),
      completeDraft({ price: { totalQepik: 100_000, plan: 'two_instalments', firstInstalmentQepik: 30_000 } }),
    );
    const first = await openPayment(applicant, id);
    expect(first.amountQepik).toBe(30_000);
    await payByCard(system, first.agentPaymentId);
    const afterFirst = await waitForContract(
      lawyer,
      id,
      (d) => d.contract.status === 'active' && d.contract.currentVersion === 1,
      'the order after the first instalment',
    );
    expect(afterFirst.contract.paidQepik).toBe(30_000);
    expect(afterFirst.contract.balanceDueQepik).toBe(70_000);
    const listed = (await lawyer.get('/api/contracts?scope=mine&pageSize=100')).body.contracts.find((c: { id: string }) => c.id === id);
    expect(listed).toMatchObject({ status: 'active', totalQepik: 100_000, paidQepik: 30_000, balanceDueQepik: 70_000, currentVersion: 1 });

    // The balance: "Ödə" again gives a terminal code for 700 AZN; paid at the terminal in two goes.
    const balance = await openPayment(applicant, id);
    expect(balance.amountQepik).toBe(70_000);
    expect(balance.terminalCode).not.toBe(first.terminalCode);
    expect((await payAtTerminal(system, balance.terminalCode, 20_000)).outcome).toBe('partially_paid');
    const partly = await waitForContract(applicant, id, (d) => d.contract.balanceDueQepik === 50_000, 'the balance after a partial terminal payment');
    expect(partly.contract.paidQepik).toBe(50_000);
    expect((await payAtTerminal(system, balance.terminalCode, 50_000)).outcome).toBe('paid');
    const paid = await waitForContract(applicant, id, (d) => d.contract.balanceDueQepik === 0, 'the balance paid at the terminal');
    expect(paid.contract.paidQepik).toBe(100_000);
    expect(paid.contract.payments.map((p: { method: string; amountQepik: number }) => [p.method, p.amountQepik])).toEqual([
      ['card', 30_000],
      ['terminal', 20_000],
      ['terminal', 50_000],
    ]);
    expect(paid.documents).toHaveLength(1); // still one order
    expect(paid.allowedActions).not.toContain('pay');
    const nothingDue = await applicant.post(`/api/contracts/${id}/payments`);
    expect(nothingDue.status).toBe(409);
  });

  it('R4.2.2 approved as already paid: the head pays the 20.50 AZN Bar fee by card and the order is issued', async () => {
    const id = await submittedContract(lawyer);
    const approved = await head.post(`/api/contracts/${id}/approve-as-already-paid`);
    expect(approved.status).toBe(200);
    expect(approved.body.contract.status).toBe('awaiting_fee');
    expect(approved.body.allowedActions).toContain('payBarFee');
    expect((await lawyer.post(`/api/contracts/${id}/payments`)).status).toBe(409); // only the head pays the fee
    const fee = await openPayment(head, id);
    expect(fee).toMatchObject({ amountQepik: 2050, kind: 'bar_fee' });
    await payByCard(system, fee.agentPaymentId);
    const active = await waitForContract(lawyer, id, (d) => d.contract.status === 'active' && d.contract.currentVersion === 1, 'the order after the Bar fee');
    expect(active.contract.balanceDueQepik).toBe(0);
    expect(active.contract.payments).toEqual([expect.objectContaining({ kind: 'bar_fee', amountQepik: 2050, method: 'card' })]);
    expect((await verify(active.documents[0].orderNumber)).body.status).toBe('current');
  });

  it('R4.2.3 the head rejects with a reason; the lawyer sees it, corrects the draft and sends it again', async () => {
    const id = await submittedContract(lawyer);
    expect((await individual.post(`/api/contracts/${id}/reject`, { reason: 'x' })).status).toBe(404);
    const noReason = await head.post(`/api/contracts/${id}/reject`, { reason: '   ' });
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.fields[0].field).toBe('reason');
    const missingReason = await head.post(`/api/contracts/${id}/reject`, {});
    expect(missingReason.status).toBe(400);
    expect(missingReason.body.error.fields[0].field).toBe('reason');

    const rejected = await head.post(`/api/contracts/${id}/reject`, { reason: 'Tapşırığın mahiyyəti dəqiq deyil' });
    expect(rejected.status).toBe(200);
    expect(rejected.body.contract.status).toBe('draft');
    const seen = await getContract(lawyer, id);
    expect(seen.contract.rejection).toMatchObject({ reason: 'Tapşırığın mahiyyəti dəqiq deyil', by: 'head-huseynova' });
    expect(seen.contract.draft.assignment).toBe(completeDraft().assignment);
    expect(await listIds(head, 'scope=awaiting_approval')).not.toContain(id);

    expect((await lawyer.patch(`/api/contracts/${id}/draft`, { assignment: 'Apellyasiya şikayətinin hazırlanması və məhkəmədə təmsilçilik.' })).status).toBe(
      200,
    );
    const resubmitted = await lawyer.post(`/api/contracts/${id}/submit`);
    expect(resubmitted.status).toBe(200);
    expect(resubmitted.body.contract).toMatchObject({ status: 'awaiting_approval', terms: { assignment: expect.stringContaining('Apellyasiya') } });
    expect(resubmitted.body.contract.rejection).toBeUndefined();
    expect(await listIds(head, 'scope=awaiting_approval')).toContain(id);
  });
});

describe('amendments and the archive (R4.4, R4.7)', () => {
  it("R4.4.2 R4.4.3 a price change: the applicant consents, the head approves → version 2; version 1's order is superseded but still downloadable", async () => {
    const { id, applicant, details } = await activeContract(system, people());
    const v1 = details.documents[0];

    const proposed = await lawyer.post(`/api/contracts/${id}/amendments`, {
      changes: { price: { totalQepik: 150_000, plan: 'single' } },
      note: 'Əlavə məhkəmə iclasları',
    });
    expect(proposed.status).toBe(200);
    expect(proposed.body.contract.amendment).toMatchObject({ status: 'awaiting_consent', priceChanged: true });
    expect(proposed.body.contract.terms.price.totalQepik).toBe(100_000); // not in force yet
    const headTooEarly = await head.post(`/api/contracts/${id}/amendment/approve`);
    expect(headTooEarly.status).toBe(409);
    expect((await lawyer.post(`/api/contracts/${id}/amendment/consent`, { consent: true })).status).toBe(403);
    expect((await getContract(applicant, id)).allowedActions).toContain('respondToPriceChange');
    const badConsent = await applicant.post(`/api/contracts/${id}/amendment/consent`, { consent: 'yes' });
    expect(badConsent.status).toBe(400);
    expect(badConsent.body.error.fields[0].field).toBe('consent');

    const consented = await applicant.post(`/api/contracts/${id}/amendment/consent`, { consent: true });
    expect(consented.status).toBe(200);
    expect(consented.body.contract.amendment.status).toBe('awaiting_head_approval');
    expect((await lawyer.post(`/api/contracts/${id}/amendment/approve`)).status).toBe(409); // not the head
    expect((await head.post(`/api/contracts/${id}/amendment/approve`)).status).toBe(200);

    const amended = await waitForContract(lawyer, id, (d) => d.contract.currentVersion === 2, 'documents of version 2');
    expect(amended.contract.terms!.price.totalQepik).toBe(150_000);
    expect(amended.contract.balanceDueQepik).toBe(50_000);
    expect(amended.contract.currentVersion).toBe(2);
    const v2 = amended.documents.find((d) => d.version === 2)!;
    expect(amended.documents.find((d) => d.version === 1)).toMatchObject({ orderNumber: v1.orderNumber, superseded: true });
    expect(v2).toMatchObject({ superseded: false });
    expect(v2.orderNumber).not.toBe(v1.orderNumber);
    expect((await verify(v1.orderNumber)).body).toMatchObject({ valid: false, status: 'superseded' });
    expect((await verify(v2.orderNumber)).body).toMatchObject({ valid: true, status: 'current' });
    const oldOrder = await applicant.getBytes(v1.orderUrl);
    expect(oldOrder.status).toBe(200);
    expect(isPdf(oldOrder.bytes)).toBe(true);

    // The raised price leaves a balance the applicant pays.
    const balance = await openPayment(applicant, id);
    expect(balance.amountQepik).toBe(50_000);
    await payByCard(system, balance.agentPaymentId);
    const settled = await waitForContract(applicant, id, (d) => d.contract.balanceDueQepik === 0, 'the raised price paid');
    expect(settled.documents).toHaveLength(2);
  });

  it('R4.7 terminate with a reason, restart, finish; the archive lists finished and terminated contracts', async () => {
    const { id: active, details } = await activeContract(system, people());
    const orderNumber = details.documents[0].orderNumber;
    const pending = await submittedContract(lawyer);

    const noReason = await lawyer.post(`/api/contracts/${active}/terminate`, { reason: '' });
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.fields[0].field).toBe('reason');
    expect((await individual.post(`/api/contracts/${active}/terminate`, { reason: 'x' })).status).toBe(404);

    // An active contract terminated: its order stops being in force, and comes back with the restart.
    const terminated = await lawyer.post(`/api/contracts/${active}/terminate`, { reason: 'Müştəri imtina etdi' });
    expect(terminated.status).toBe(200);
    expect(terminated.body.contract).toMatchObject({ status: 'terminated', termination: { reason: 'Müştəri imtina etdi', statusBefore: 'active' } });
    expect((await verify(orderNumber)).body).toMatchObject({ valid: false, status: 'terminated' });
    expect((await lawyer.post(`/api/contracts/${active}/finish`)).status).toBe(409);
    const restarted = await head.post(`/api/contracts/${active}/restart`);
    expect(restarted.status).toBe(200);
    expect(restarted.body.contract.status).toBe('active');
    expect((await verify(orderNumber)).body.status).toBe('current');

    const finished = await lawyer.post(`/api/contracts/${active}/finish`);
    expect(finished.status).toBe(200);
    expect(finished.body.contract.status).toBe('finished');
    expect((await verify(orderNumber)).body).toMatchObject({ valid: false, status: 'finished' });
    const finishedAgain = await lawyer.post(`/api/contracts/${active}/finish`);
    expect(finishedAgain.status).toBe(409);
    expect((await lawyer.post(`/api/contracts/${active}/restart`)).status).toBe(409);
    expect((await lawyer.getBytes(details.documents[0].orderUrl)).status).toBe(200); // archived documents stay

    // A contract still awaiting approval is terminated and restarted back to where it was.
    expect((await lawyer.post(`/api/contracts/${pending}/terminate`, { reason: 'Müraciət geri götürüldü' })).status).toBe(200);
    const archive = await listIds(lawyer, 'scope=mine&archive=true');
    expect(archive).toEqual(expect.arrayContaining([active, pending]));
    const current = await listIds(lawyer, 'scope=mine&archive=false');
    expect(current).not.toContain(active);
    expect(current).not.toContain(pending);
    expect(await listIds(head, 'scope=bureau&archive=true&status=terminated')).toContain(pending);

    const back = await lawyer.post(`/api/contracts/${pending}/restart`);
    expect(back.status).toBe(200);
    expect(back.body.contract.status).toBe('awaiting_approval');
    expect(await listIds(lawyer, 'scope=mine&archive=true')).not.toContain(pending);
    expect(await listIds(lawyer, 'scope=mine&archive=false')).toContain(pending);
    expect(await listIds(head, 'scope=awaiting_approval')).toContain(pending);
  });
});

describe('lists and the API description', () => {
  it('R4.8 R2.5 list filters check their input; only the head sees the whole bureau', async () => {
    const notHead = await lawyer.get('/api/contracts?scope=bureau');
    expect(notHead.status).toBe(404);
    const badScope = await lawyer.get('/api/contracts?scope=everything');
    expect(badScope.status).toBe(400);
    expect(badScope.body.error.fields[0].field).toBe('scope');
    const badStatus = await lawyer.get('/api/contracts?status=lost');
    expect(badStatus.status).toBe(400);
    expect(badStatus.body.error.fields[0].field).toBe('status');
    const badDate = await lawyer.get('/api/contracts?from=not-a-date');
    expect(badDate.status).toBe(400);
    expect(badDate.body.error.fields[0].field).toBe('from');
    const twice = await lawyer.get('/api/contracts?name=a&name=b');
    expect(twice.status).toBe(400);
    expect(twice.body.error.fields[0].field).toBe('name');
    const ranged = await lawyer.get('/api/contracts?from=2000-01-01&to=2999-01-01&caseType=criminal&name=%C5%9E%C3%BCk%C3%BCrova');
    expect(ranged.status).toBe(200);
    expect(ranged.body.total).toBeGreaterThan(0);
    expect(typeof ranged.body.total).toBe('number');
  });

  it('the OpenAPI document is OpenAPI 3.1 and lists every contract endpoint, e.g. /api/contracts/{id}/submit', async () => {
    const answer = await anonymous.get('/api/openapi.json');
    expect(answer.status).toBe(200);
    const doc = answer.body;
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(doc.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
    expect(doc.paths['/api/contracts/{id}/submit'].post).toBeDefined();
    expect(doc.paths['/api/contracts/{id}/submit'].post.parameters).toEqual([expect.objectContaining({ name: 'id', in: 'path', required: true })]);
    expect(doc.paths['/api/contracts'].get).toBeDefined();
    expect(doc.paths['/api/contracts/{id}/payments'].post).toBeDefined();
    expect(doc.paths['/api/payment-agent/callback'].post).toBeDefined();
    for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, { responses: object }>>)) {
      expect(path.startsWith('/')).toBe(true);
      for (const operation of Object.values(item)) expect(Object.keys(operation.responses).length).toBeGreaterThan(0);
    }
    // Every reference resolves inside the document.
    const refs = [...answer.text.matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]);
    expect(refs.length).toBeGreaterThan(0);
    for (const name of refs) expect(doc.components.schemas[name], name).toBeDefined();
  });
});

describe('the stage of a case (R6)', () => {
  it('R6 R2.5 the lawyer or the head moves a current case to another stage; others learn nothing; a draft is not a case yet', async () => {
    const id = await submittedContract(lawyer);
    const moved = await lawyer.post(`/api/contracts/${id}/stage`, { stage: 'appeal' });
    expect(moved.status, moved.text).toBe(200);
    expect(moved.body).toMatchObject({ contractId: id, stage: 'appeal' });
    const listed = await lawyer.get(`/api/contracts?scope=mine&pageSize=100`);
    expect((listed.body.contracts as { id: string; stage: string }[]).find((c) => c.id === id)?.stage).toBe('appeal');
    expect((await head.post(`/api/contracts/${id}/stage`, { stage: 'cassation' })).status).toBe(200);
    expect((await individual.post(`/api/contracts/${id}/stage`, { stage: 'other' })).status).toBe(404);
    const bad = await lawyer.post(`/api/contracts/${id}/stage`, { stage: 'heaven' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields[0].field).toBe('stage');

    const draft = await createDraft(lawyer, { caseType: 'civil' });
    const notNow = await lawyer.post(`/api/contracts/${draft}/stage`, { stage: 'appeal' }, { 'accept-language': 'en' });
    expect(notNow.status).toBe(409);
    expect(notNow.body.error.message).toBe('The stage of this case can no longer be changed.');
  });

  it("R4.1 a field error answers its kind as the code, the code as the reason, and the text in the caller's language", async () => {
    const id = await createDraft(lawyer, { caseType: 'civil' });
    const az = await lawyer.request('PATCH', `/api/contracts/${id}/draft`, { json: { applicant: { phone: '12' } }, headers: { 'accept-language': 'az' } });
    expect(az.status).toBe(400);
    expect(az.body.error.fields[0]).toMatchObject({
      field: 'applicant.phone',
      code: 'invalid',
      reason: 'terms.phone_invalid',
      message: 'Telefon nömrəsini ölkə kodu ilə yazın, məsələn +994 50 123 45 67.',
    });
    const en = await lawyer.patch(`/api/contracts/${id}/draft`, { applicant: { phone: '12' } });
    expect(en.body.error.message).toBe('Enter the phone number with the country code, e.g. +994 50 123 45 67.');
  });
});
