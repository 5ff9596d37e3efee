/**
 * Issue 9 item 1: a cabinet cannot be taken over through a FIN. The exact scenario of the issue,
 * over real HTTP, the real worker, the outbox and the mail sink:
 *
 *   lawyer A drafts a contract naming person P's FIN with A's own e-mail → A's mailbox gets a
 *   one-time link to a cabinet with that one contract only; lawyer B of another bureau makes a
 *   contract for P's FIN with P's real e-mail → P gets a cabinet of their own with B's contract,
 *   and A's mailbox and cabinet never see it; P's cabinet does not show A's contract, unless a
 *   contract carries P's contact (R4.3.1, R4.1.2, R2.5).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activationToken, expectStatus, loginLawyer, submittedContract, waitForContract, webUrl } from '../support/api';
import { HttpClient } from '../support/http-client';
import { completeDraft, eventually, startTestSystem, type TestSystem, uniquePerson } from '../support/system';

let system: TestSystem;
beforeAll(async () => {
  system = await startTestSystem({ web: true });
});
afterAll(async () => {
  await system?.close();
});

const mailsTo = (address: string) => system.simulators!.mailSink.messages().filter((m) => m.envelopeTo.includes(address));

/** Follows the cabinet's activation link as the holder of the mailbox would, and logs in. */
async function openCabinet(contractId: string, accountId: string, login: string) {
  const token = await activationToken(system, contractId, accountId);
  const password = `Bizim ${Math.random().toString(36).slice(2, 8)} evimiz`;
  const browser = new HttpClient(webUrl(system));
  expectStatus(await browser.post('/api/auth/activate', { token, password }), 200, 'activation');
  // The link works once.
  expect((await new HttpClient(webUrl(system)).post('/api/auth/activate', { token, password: `${password} yene` })).body.error.reason).toBe(
    'auth.link_invalid',
  );
  expectStatus(await browser.post('/api/auth/applicant/login', { login, password }), 200, 'login');
  return browser;
}

const listed = async (cabinet: HttpClient) =>
  (expectStatus(await cabinet.get('/api/contracts'), 200, 'cabinet list').body.contracts as { id: string }[]).map((c) => c.id);

describe('issue 9 item 1: the cabinet belongs to the contact, not to the FIN', () => {
  it("a FIN typed with someone else's e-mail opens a cabinet for that e-mail only; the real applicant gets their own", async () => {
    const lawyerA = await loginLawyer(system, 'lawyer-mammadov'); // bureau baki-1
    const lawyerB = await loginLawyer(system, 'individual-quliyev'); // another bureau
    const p = uniquePerson();
    const aMailbox = `lawyer-a.${p.fin.toLowerCase()}@example.az`;

    // Lawyer A: P's FIN and name, A's own e-mail, no phone.
    const contractA = await submittedContract(lawyerA, completeDraft({ applicant: { ...p, email: aMailbox, phone: undefined } }));
    const detailsA = await waitForContract(lawyerA, contractA, (d) => Boolean(d.contract.applicantAccountId), 'cabinet of A');
    const accountA = detailsA.contract.applicantAccountId!;
    const rowA = await system.db('applicant_accounts').where({ id: accountA }).first();
    expect(rowA).toMatchObject({ contact: `email:${aMailbox}`, login: aMailbox, password_hash: null });

    // A's mailbox gets a link (no password), and the cabinet behind it holds A's contract only.
    await eventually(() => Promise.resolve(mailsTo(aMailbox).some((m) => m.text.includes('/activate?token=')) ? true : undefined), { what: "A's link" });
    expect(mailsTo(aMailbox).every((m) => !/Şifrə:/.test(m.text))).toBe(true);
    const cabinetA = await openCabinet(contractA, accountA, aMailbox);
    expect(await listed(cabinetA)).toEqual([contractA]);

    // Lawyer B of another bureau: the same FIN with P's real e-mail.
    const contractB = await submittedContract(lawyerB, completeDraft({ applicant: { ...p, phone: undefined } }));
    const detailsB = await waitForContract(lawyerB, contractB, (d) => Boolean(d.contract.applicantAccountId), 'cabinet of P');
    const accountP = detailsB.contract.applicantAccountId!;
    expect(accountP).not.toBe(accountA);

    // P gets their own cabinet with B's contract, and not A's.
    const cabinetP = await openCabinet(contractB, accountP, p.email);
    expect(await listed(cabinetP)).toEqual([contractB]);
    expect((await cabinetP.get(`/api/contracts/${contractA}`)).status).toBe(404);

    // A's cabinet and mailbox never see B's contract.
    expect(await listed(cabinetA)).toEqual([contractA]);
    expect((await cabinetA.get(`/api/contracts/${contractB}`)).status).toBe(404);
    expect((await cabinetA.get(`/applicant/contracts/${contractB}`, { accept: 'text/html' })).status).toBe(404);
    const numberB = detailsB.contract.contractNumber;
    expect(mailsTo(aMailbox).filter((m) => m.text.includes(numberB) || m.subject.includes(numberB))).toEqual([]);
    await eventually(() => Promise.resolve(mailsTo(p.email).length > 0 ? true : undefined), { what: "P's mail" });
    expect(mailsTo(p.email).every((m) => !m.text.includes(detailsA.contract.contractNumber))).toBe(true);

    // A later contract that carries P's contact joins P's cabinet, whoever wrote it; no new link goes out.
    const contractC = await submittedContract(lawyerA, completeDraft({ applicant: { ...p, phone: undefined } }));
    await waitForContract(lawyerA, contractC, (d) => d.contract.applicantAccountId === accountP, "P's cabinet");
    expect((await listed(cabinetP)).sort()).toEqual([contractB, contractC].sort());
    expect(await listed(cabinetA)).toEqual([contractA]);
    expect(await system.db('outbox').where({ contract_id: contractC }).andWhere('dedupe_key', 'like', '%:cabinet:%')).toEqual([]);
  });

  it('a login by a FIN, or by the old first.last login, opens nothing', async () => {
    const b = new HttpClient(webUrl(system));
    const p = uniquePerson();
    const answer = await b.post('/api/auth/applicant/login', { login: p.fin, password: 'nothing here at all' });
    expect(answer.status).toBe(401);
    expect(answer.body.error.code).toBe('wrong_credentials');
  });
});
