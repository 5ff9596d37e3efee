/**
 * The people of the API tests as "browsers" (HttpClient) logged in the real way, and the steps a
 * contract goes through, each over real HTTP against the running web server, worker and simulators.
 */
import { randomBytes } from 'node:crypto';
import bcrypt from 'bcryptjs';
import { decryptSecret } from '../../platform/secret-box';
import type { ContractDraft } from '../../domain/contract';
import type { ContractView } from '../../workflows/contract/messages';
import { MobileSignatureSimulatorControl } from '../../simulators/mobile-signature/simulator';
import { TEST_CARDS } from '../../simulators/payment-agent/simulator';
import { HttpClient, type HttpResponse } from './http-client';
import { completeDraft, demoLawyer, eventually, type TestSystem } from './system';

/** The contract as GET /api/contracts/:id answers it. */
export interface ContractDetails {
  contract: ContractView;
  allowedActions: string[];
  documents: { version: number; orderNumber: string; superseded: boolean; contractUrl: string; orderUrl: string }[];
}

export function webUrl(system: TestSystem): string {
  if (!system.web) throw new Error('start the test system with { web: true }');
  return system.web.url;
}

/** Throws with the server's answer when the status is not the expected one. */
export function expectStatus<T>(response: HttpResponse<T>, status: number, what: string): HttpResponse<T> {
  if (response.status !== status) throw new Error(`${what}: expected HTTP ${status}, got ${response.status}: ${response.text.slice(0, 500)}`);
  return response;
}

export function phoneControl(system: TestSystem): MobileSignatureSimulatorControl {
  return new MobileSignatureSimulatorControl(system.config.mobileSignatureUrl);
}

/** R2.3: phone + user ID → code → confirmed on the simulated phone → logged in. */
export async function loginLawyer(system: TestSystem, key: string): Promise<HttpClient> {
  const lawyer = demoLawyer(key);
  const browser = new HttpClient(webUrl(system));
  const started = expectStatus(
    await browser.post('/api/auth/lawyer/start', { phone: lawyer.phone, userId: lawyer.mobileSignatureUserId }),
    200,
    `login start of ${key}`,
  );
  await phoneControl(system).confirm(started.body.transactionId);
  expectStatus(await browser.post('/api/auth/lawyer/complete', { transactionId: started.body.transactionId }), 200, `login of ${key}`);
  return browser;
}

/** The four demo lawyers who pass R2.1, each in a browser of their own. */
export async function loginDemoLawyers(system: TestSystem) {
  const [lawyer, colleague, head, individual] = await Promise.all(
    ['lawyer-mammadov', 'lawyer-qasimova', 'head-huseynova', 'individual-quliyev'].map((key) => loginLawyer(system, key)),
  );
  return { lawyer, colleague, head, individual };
}

export async function getContract(browser: HttpClient, id: string): Promise<ContractDetails> {
  return expectStatus(await browser.get<ContractDetails>(`/api/contracts/${id}`), 200, `GET contract ${id}`).body;
}

/** Polls the contract until the predicate holds (payments and documents arrive asynchronously). */
export function waitForContract(browser: HttpClient, id: string, predicate: (d: ContractDetails) => boolean, what: string): Promise<ContractDetails> {
  return eventually(
    async () => {
      const details = await getContract(browser, id);
      return predicate(details) ? details : undefined;
    },
    { what, timeoutMs: 45_000 },
  );
}

export async function createDraft(lawyer: HttpClient, draft: ContractDraft = completeDraft()): Promise<string> {
  const created = expectStatus(await lawyer.post<ContractDetails>('/api/contracts', { draft }), 201, 'create draft');
  return created.body.contract.contractId;
}

/** A complete draft, sent for approval ("Təsdiq üçün göndər"). */
export async function submittedContract(lawyer: HttpClient, draft: ContractDraft = completeDraft()): Promise<string> {
  const id = await createDraft(lawyer, draft);
  expectStatus(await lawyer.post(`/api/contracts/${id}/submit`), 200, 'submit');
  return id;
}

/**
 * The one-time activation link of a cabinet (issue 9 item 1), as the person receives it: the
 * token is in the outbox only encrypted (until the message is sent) and then in the mail sink or
 * the SMS simulator; the test reads it from whichever has it.
 */
export async function activationToken(system: TestSystem, contractId: string, accountId: string): Promise<string> {
  return eventually(
    async () => {
      const row = await system.db('outbox').where({ contract_id: contractId }).andWhere('dedupe_key', 'like', `%:cabinet:${accountId}:%`).first();
      if (!row) return undefined;
      if (row.secret_ciphertext) return decryptSecret(system.config.sessionSecret, row.secret_ciphertext as string);
      const texts = [
        ...(system.simulators?.mailSink
          .messages()
          .filter((m) => m.envelopeTo.includes(row.recipient))
          .map((m) => m.text) ?? []),
        ...(system.simulators?.smsSimulator
          .messages()
          .filter((m) => m.to === row.recipient)
          .map((m) => m.text) ?? []),
      ];
      for (const text of texts) {
        const token = /\/activate\?token=([A-Za-z0-9_-]+)/.exec(text)?.[1];
        if (token) return token;
      }
      return undefined;
    },
    { what: 'the activation link' },
  );
}

/**
 * Logs in as the applicant of a submitted contract (R4.3.1, R2.4, issue 9 item 1).
 *
 * A new cabinet has no password: its contact receives a one-time activation link, and the person
 * sets their own password on it. The helper follows that link (POST /api/auth/activate) with a
 * password of its own, then logs in with the login (the cabinet's e-mail or phone). A cabinet
 * already opened by an earlier contract of the same contact gets no new link; the helper then
 * gives it a known password by writing its bcrypt hash (a test shortcut).
 */
export async function loginApplicant(
  system: TestSystem,
  lawyer: HttpClient,
  contractId: string,
): Promise<{ browser: HttpClient; accountId: string; login: string; password: string }> {
  const details = await waitForContract(lawyer, contractId, (d) => Boolean(d.contract.applicantAccountId), 'the applicant cabinet');
  const accountId = details.contract.applicantAccountId as string;
  const account = await system.db('applicant_accounts').where({ id: accountId }).first();
  const password = `Kabinet ${randomBytes(6).toString('hex')} açar`;
  if (!account.password_hash) {
    const token = await activationToken(system, contractId, accountId);
    expectStatus(await new HttpClient(webUrl(system)).post('/api/auth/activate', { token, password }), 200, 'activation');
  } else {
    await system
      .db('applicant_accounts')
      .where({ id: accountId })
      .update({ password_hash: await bcrypt.hash(password, 4) });
  }
  const browser = new HttpClient(webUrl(system));
  expectStatus(await browser.post('/api/auth/applicant/login', { login: account.login, password }), 200, 'applicant login');
  return { browser, accountId, login: account.login as string, password };
}

/** Submitted, approved by the head ("Təsdiqlə"), and the applicant logged in. */
export async function approvedContract(system: TestSystem, people: { lawyer: HttpClient; head: HttpClient }, draft: ContractDraft = completeDraft()) {
  const id = await submittedContract(people.lawyer, draft);
  expectStatus(await people.head.post(`/api/contracts/${id}/approve`), 200, 'approve');
  const applicant = await loginApplicant(system, people.lawyer, id);
  return { id, applicant: applicant.browser };
}

export interface OpenedPayment {
  agentPaymentId: string;
  paymentPageUrl: string;
  terminalCode: string;
  amountQepik: number;
  kind: string;
}

/** "Ödə": opens the payment on the agent and finds the agent's payment ID through our API. */
export async function openPayment(payer: HttpClient, contractId: string): Promise<OpenedPayment> {
  const started = expectStatus(await payer.post(`/api/contracts/${contractId}/payments`, { language: 'az' }), 201, 'start payment');
  const list = expectStatus(await payer.get(`/api/contracts/${contractId}/payments`), 200, 'list payments');
  const request = (list.body.payments as { agentPaymentId: string; terminalCode: string }[]).find((p) => p.terminalCode === started.body.terminalCode);
  if (!request) throw new Error('the payment request was not stored');
  return { agentPaymentId: request.agentPaymentId, ...started.body };
}

/** Pays on the agent's card form (the simulator's JSON twin of it). */
export async function payByCard(system: TestSystem, agentPaymentId: string, cardNumber: string = TEST_CARDS.success) {
  const response = await fetch(`${system.config.paymentAgentUrl}/api/test/payments/${encodeURIComponent(agentPaymentId)}/pay-card`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ cardNumber }),
  });
  const body = (await response.json()) as { outcome: string; redirectUrl?: string };
  if (!response.ok) throw new Error(`card payment: HTTP ${response.status} ${JSON.stringify(body)}`);
  return body;
}

/** Pays at a payment terminal with the code shown on the agent's page (R4.3.2). */
export async function payAtTerminal(system: TestSystem, code: string, amountQepik: number) {
  const response = await fetch(`${system.config.paymentAgentUrl}/api/test/terminal`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code, amountQepik }),
  });
  const body = (await response.json()) as { outcome: string; debtQepik: number };
  if (!response.ok) throw new Error(`terminal payment: HTTP ${response.status} ${JSON.stringify(body)}`);
  return body;
}

/** The callback deliveries the simulator made for a payment. */
export async function callbackDeliveries(system: TestSystem, agentPaymentId: string): Promise<{ status: string; attempts: { status?: number }[] }[]> {
  const response = await fetch(`${system.config.paymentAgentUrl}/api/test/payments/${encodeURIComponent(agentPaymentId)}/callbacks`);
  return (await response.json()) as { status: string; attempts: { status?: number }[] }[];
}

/** Approved and paid in full by card: active, with the order of version 1. */
export async function activeContract(system: TestSystem, people: { lawyer: HttpClient; head: HttpClient }, draft: ContractDraft = completeDraft()) {
  const { id, applicant } = await approvedContract(system, people, draft);
  const payment = await openPayment(applicant, id);
  await payByCard(system, payment.agentPaymentId);
  const details = await waitForContract(people.lawyer, id, (d) => d.contract.status === 'active' && d.contract.currentVersion === 1, 'the order');
  return { id, applicant, details };
}

export { TEST_CARDS };
