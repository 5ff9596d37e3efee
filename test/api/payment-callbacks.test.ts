/**
 * The payment agent's callback verified as payment providers test theirs (issue 9, "Tests that
 * prove it"; stripe-node's webhook tests are the model: a malformed header, a missing or wrong
 * signature, timestamps outside the tolerance, a replayed nonce), and the bookkeeping of item 3:
 * a wrong amount, a wrong currency, another contract's ExternalId, a reversal, cumulative reports
 * out of order and two identical callbacks at once. Real web, worker and simulators (test/support).
 * Every refused callback leaves a `callback_refused` security event with a reason code and nothing
 * secret (issue 9 item 10).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CallbackNotification, PaymentState, signCallback } from '../../integrations/payment-agent/protocol';
import { pdfText } from '../documents/pdf-reading';
import {
  activeContract,
  approvedContract,
  getContract,
  loginDemoLawyers,
  type OpenedPayment,
  openPayment,
  payByCard,
  waitForContract,
  webUrl,
} from '../support/api';
import { HttpClient } from '../support/http-client';
import { completeDraft, eventually, startTestSystem, type TestSystem } from '../support/system';

let system: TestSystem;
let lawyer: HttpClient;
let head: HttpClient;
let anonymous: HttpClient;

beforeAll(async () => {
  system = await startTestSystem({ web: true });
  ({ lawyer, head } = await loginDemoLawyers(system));
  anonymous = new HttpClient(webUrl(system));
});
afterAll(async () => {
  await system?.close();
});

const callbackUrl = () => `${system.config.publicUrl}/api/payment-agent/callback`;

async function contractAwaitingPayment(draft = completeDraft()) {
  const { id, applicant } = await approvedContract(system, { lawyer, head }, draft);
  const payment = await openPayment(applicant, id);
  return { id, applicant, payment };
}

async function notificationFor(payment: OpenedPayment, overrides: Partial<CallbackNotification> = {}): Promise<CallbackNotification> {
  const request = await system.db('payment_requests').where({ agent_payment_id: payment.agentPaymentId }).first();
  return {
    ExternalId: String(request?.external_id ?? 'unknown'),
    PaymentId: payment.agentPaymentId,
    Price: payment.amountQepik,
    Debt: 0,
    Currency: 'AZN',
    PaymentAttempt: 1,
    State: PaymentState.Paid,
    Method: 'card',
    Timestamp: new Date().toISOString(),
    ...overrides,
  };
}

async function postCallback(rawBody: string, headers: Record<string, string>) {
  const response = await fetch(callbackUrl(), { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: rawBody });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as { status?: string; flag?: string; error?: { code: string } }) : undefined };
}

async function sendCallback(notification: CallbackNotification, sign: { secret?: string; nonce?: string; timestamp?: number } = {}) {
  const rawBody = JSON.stringify(notification);
  const headers = { ...signCallback({ secret: sign.secret ?? system.config.paymentAgentSecret, url: callbackUrl(), rawBody, ...sign }) };
  return { ...(await postCallback(rawBody, headers)), rawBody, headers: headers as Record<string, string> };
}

const eventsOf = (agentPaymentId: string) => system.db('payment_events').where({ agent_payment_id: agentPaymentId }).orderBy('id');

/** The callback_refused events recorded since `sinceId`. */
async function refusedSince(sinceId: number) {
  return system.db('security_events').where({ kind: 'callback_refused' }).andWhere('id', '>', sinceId).orderBy('id');
}
async function lastSecurityEventId(): Promise<number> {
  const row = await system.db('security_events').max({ max: 'id' }).first();
  return Number(row?.max ?? 0);
}

async function expectUntouched(id: string) {
  const { contract } = await getContract(lawyer, id);
  expect(contract.status).toBe('awaiting_payment');
  expect(contract.paidQepik).toBe(0);
  expect(contract.payments).toEqual([]);
}

async function verificationCodeOf(orderNumber: string): Promise<string> {
  const row = await system.db('contract_versions').where({ order_number: orderNumber }).first('verification_code');
  return String(row?.verification_code);
}

describe('issue 9: callback verification, as the payment providers test theirs', () => {
  it('a malformed header, a missing or wrong signature, a stale or future timestamp, a replay: refused, recorded with a reason and no secret', async () => {
    const { id, payment } = await contractAwaitingPayment();
    const paid = await notificationFor(payment);
    const rawBody = JSON.stringify(paid);
    const since = await lastSecurityEventId();
    const now = Math.floor(Date.now() / 1000);
    const good = signCallback({ secret: system.config.paymentAgentSecret, url: callbackUrl(), rawBody });

    const malformedTimestamp = await postCallback(rawBody, { ...good, 'X-Timestamp': 'yesterday' });
    expect([malformedTimestamp.status, malformedTimestamp.body?.error?.code]).toEqual([400, 'malformed']);
    const noSignature = await postCallback(rawBody, { 'X-Nonce': good['X-Nonce'], 'X-Timestamp': good['X-Timestamp'] });
    expect([noSignature.status, noSignature.body?.error?.code]).toEqual([400, 'malformed']);
    const notHex = await postCallback(rawBody, { ...good, 'X-Signature': 'not-a-signature' });
    expect([notHex.status, notHex.body?.error?.code]).toEqual([401, 'bad_signature']);
    const wrongSecret = await sendCallback(paid, { secret: 'not-the-agents-secret' });
    expect([wrongSecret.status, wrongSecret.body?.error?.code]).toEqual([401, 'bad_signature']);
    const stale = await sendCallback(paid, { timestamp: now - 301 - 60 });
    expect([stale.status, stale.body?.error?.code]).toEqual([401, 'stale']);
    const future = await sendCallback(paid, { timestamp: now + 301 + 60 });
    expect([future.status, future.body?.error?.code]).toEqual([401, 'stale']);

    // None of them burnt the nonce or changed anything; the genuine callback goes through once.
    expect(await eventsOf(payment.agentPaymentId)).toHaveLength(0);
    await expectUntouched(id);
    const genuine = await postCallback(rawBody, { ...good });
    expect(genuine.status).toBe(200);
    const replay = await postCallback(rawBody, { ...good });
    expect([replay.status, replay.body?.error?.code]).toEqual([409, 'replayed']);

    const refused = await refusedSince(since);
    expect(refused.map((e) => (e.detail as { reason: string }).reason)).toEqual([
      'malformed',
      'malformed',
      'bad_signature',
      'bad_signature',
      'stale',
      'stale',
      'replayed',
    ]);
    const recorded = JSON.stringify(refused);
    expect(recorded).not.toContain(good['X-Signature']);
    expect(recorded).not.toContain(wrongSecret.headers['X-Signature']);
    expect(recorded).not.toContain(system.config.paymentAgentSecret);
    expect(recorded).not.toContain('not-the-agents-secret');
    await waitForContract(lawyer, id, (d) => d.contract.status === 'active', 'the genuine payment applied');
  });

  it('issue 9 item 3: a wrong amount, a wrong currency and another contract’s ExternalId are stored and flagged, never applied', async () => {
    const { id, payment } = await contractAwaitingPayment();
    const other = await contractAwaitingPayment();
    const since = await lastSecurityEventId();

    const wrongAmount = await sendCallback(await notificationFor(payment, { Price: payment.amountQepik + 100 }));
    expect(wrongAmount.status).toBe(200);
    expect(wrongAmount.body).toEqual({ status: 'accepted', flag: 'amount_mismatch' });
    // Refused before issue 9 (400, never stored): now the agent's report is kept.
    const wrongCurrency = await sendCallback(await notificationFor(payment, { Currency: 'USD' }));
    expect(wrongCurrency.status).toBe(200);
    expect(wrongCurrency.body).toEqual({ status: 'accepted', flag: 'wrong_currency' });
    const otherExternalId = (await system.db('payment_requests').where({ agent_payment_id: other.payment.agentPaymentId }).first()).external_id as string;
    expect(otherExternalId.startsWith(`${other.id}.`)).toBe(true);
    const elsewhere = await sendCallback(await notificationFor(payment, { ExternalId: otherExternalId }));
    expect(elsewhere.body).toEqual({ status: 'accepted', flag: 'external_id_mismatch' });

    const events = await eventsOf(payment.agentPaymentId);
    expect(events.map((e) => e.flag)).toEqual(['amount_mismatch', 'wrong_currency', 'external_id_mismatch']);
    expect(events[1]).toMatchObject({ currency: 'USD', source: 'callback' });
    expect(events[2]).toMatchObject({ external_id: otherExternalId });
    await expectUntouched(id);
    await expectUntouched(other.id);
    const refused = await refusedSince(since);
    expect(refused.map((e) => [e.subject, (e.detail as { reason: string }).reason])).toEqual([
      [`payment:${payment.agentPaymentId}`, 'amount_mismatch'],
      [`payment:${payment.agentPaymentId}`, 'wrong_currency'],
      [`payment:${payment.agentPaymentId}`, 'external_id_mismatch'],
    ]);
  });

  it('issue 9 item 3: a report the agent signed but whose body is unreadable is refused (400) and still kept, flagged malformed', async () => {
    const { id, payment } = await contractAwaitingPayment();
    const since = await lastSecurityEventId();
    const unreadable = { ...(await notificationFor(payment)), Price: 'three hundred' } as unknown as CallbackNotification;
    const answer = await sendCallback(unreadable);
    expect([answer.status, answer.body?.error?.code]).toEqual([400, 'malformed']);
    const [event] = await eventsOf(payment.agentPaymentId);
    expect(event).toMatchObject({ flag: 'malformed', state: -1 });
    expect((event.payload as { raw: string }).raw).toBe(answer.rawBody);
    expect((await refusedSince(since)).map((e) => (e.detail as { reason: string }).reason)).toEqual(['malformed']);
    await expectUntouched(id);
  });

  it('issue 9 item 3: an older cumulative report after a newer one (Debt 200 of 300 after Debt 0) leaves 300 paid, not 400', async () => {
    const { id, payment } = await contractAwaitingPayment(completeDraft({ price: { totalQepik: 30_000, plan: 'single' } }));
    expect(payment.amountQepik).toBe(30_000);
    const full = await sendCallback(await notificationFor(payment, { State: PaymentState.Paid, Debt: 0, PaymentAttempt: 2 }));
    expect(full.status).toBe(200);
    await waitForContract(lawyer, id, (d) => d.contract.status === 'active' && d.contract.paidQepik === 30_000, 'the full payment');
    const older = await sendCallback(await notificationFor(payment, { State: PaymentState.PartiallyPaid, Debt: 20_000, PaymentAttempt: 1 }));
    expect(older.status).toBe(200);
    // Stored (two reports), applied once.
    await eventually(async () => (await eventsOf(payment.agentPaymentId)).length === 2, { what: 'both reports stored' });
    const again = await sendCallback(await notificationFor(payment, { State: PaymentState.Paid, Debt: 0, PaymentAttempt: 2 }));
    expect(again.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 500)); // time for a wrong credit to show
    const { contract } = await getContract(lawyer, id);
    expect(contract.paidQepik).toBe(30_000);
    expect(contract.balanceDueQepik).toBe(0);
    expect(contract.payments.reduce((sum, p) => sum + p.amountQepik, 0)).toBe(30_000);
    const request = await system.db('payment_requests').where({ agent_payment_id: payment.agentPaymentId }).first();
    expect(Number(request.paid_qepik)).toBe(30_000);
  });

  it('issue 9 item 3: two identical callbacks at once count once: one payment, one order', async () => {
    const { id, payment } = await contractAwaitingPayment();
    const paid = await notificationFor(payment);
    const answers = await Promise.all([sendCallback(paid), sendCallback(paid), sendCallback(paid)]);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    const active = await waitForContract(lawyer, id, (d) => d.contract.status === 'active' && d.contract.currentVersion === 1, 'the order');
    await new Promise((resolve) => setTimeout(resolve, 500));
    const { contract, documents } = await getContract(lawyer, id);
    expect(contract.paidQepik).toBe(active.contract.paidQepik);
    expect(contract.paidQepik).toBe(payment.amountQepik);
    expect(contract.payments).toHaveLength(1);
    expect(documents).toHaveLength(1);
    expect(await eventsOf(payment.agentPaymentId)).toHaveLength(1);
  });
});

describe('issue 9 item 3: a reversal (agent states 7 and 9)', () => {
  it('a full reversal takes the money back, flags the contract for the lawyer, the head and the Bar office, and /verify stops calling the order valid', async () => {
    const { id, details } = await activeContract(system, { lawyer, head }, completeDraft({ price: { totalQepik: 50_000, plan: 'single' } }));
    const orderNumber = details.documents[0].orderNumber;
    const code = await verificationCodeOf(orderNumber);
    expect((await anonymous.get(`/verify/${orderNumber}?code=${code}`)).body).toMatchObject({ valid: true, status: 'current' });
    const agentPaymentId = String((await system.db('payment_requests').where({ contract_id: id }).first()).agent_payment_id);

    const reversed = await fetch(`${system.config.paymentAgentUrl}/api/test/payments/${agentPaymentId}/reverse`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(reversed.status).toBe(200);
    expect(((await reversed.json()) as { state: number }).state).toBe(PaymentState.Reversed);

    const flagged = await waitForContract(lawyer, id, (d) => Boolean(d.contract.paymentReversal), 'the reversal recorded');
    expect(flagged.contract.paidQepik).toBe(0);
    expect(flagged.contract.balanceDueQepik).toBe(50_000);
    expect(flagged.contract.paymentReversal).toMatchObject({ agentPaymentId, kind: 'contract', reversedQepik: 50_000, orderUncovered: true });
    expect(flagged.contract.history.map((h) => h.event)).toContain('payment_reversed');
    // What a court sees: the order is genuine but not valid, with the reason; the page says it in words.
    expect((await anonymous.get(`/verify/${orderNumber}?code=${code}`)).body).toMatchObject({ valid: false, status: 'payment_reversed' });
    const page = await anonymous.get(`/verify/${orderNumber}?code=${code}`, { accept: 'text/html' });
    expect(page.text).toContain('data-status="payment_reversed"');
    expect(page.text).toContain('geri qaytarılıb');
    // The lawyer and the head are told (outbox), the Bar office reads it among the security events.
    await eventually(async () => (await system.db('outbox').where({ contract_id: id }).andWhere('subject', 'like', 'Ödəniş geri qaytarıldı%')).length >= 2, {
      what: 'the lawyer and the head notified',
    });
    const barOffice = await system.db('security_events').where({ kind: 'payment_reversed', subject: `contract:${id}` });
    expect(barOffice).toHaveLength(1);
    // The reversal is stored like every report, and the same reversal again changes nothing.
    const events = await eventsOf(agentPaymentId);
    expect(events.map((e) => e.state)).toEqual([PaymentState.Paid, PaymentState.Reversed]);
    const request = await system.db('payment_requests').where({ agent_payment_id: agentPaymentId }).first();
    expect([request.state, Number(request.paid_qepik)]).toEqual([PaymentState.Reversed, 0]);
  });

  it('a partial reversal of the balance leaves the order valid (the first instalment still covers it) and raises what is due', async () => {
    const { id, applicant, details } = await activeContract(
      system,
      { lawyer, head },
      completeDraft({ price: { totalQepik: 100_000, plan: 'two_instalments', firstInstalmentQepik: 30_000 } }),
    );
    const balance = await openPayment(applicant, id);
    await payByCard(system, balance.agentPaymentId);
    await waitForContract(lawyer, id, (d) => d.contract.paidQepik === 100_000, 'the balance paid');
    const reversed = await fetch(`${system.config.paymentAgentUrl}/api/test/payments/${balance.agentPaymentId}/reverse`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ amountQepik: 20_000 }),
    });
    expect(((await reversed.json()) as { state: number }).state).toBe(PaymentState.PartiallyReversed);
    const flagged = await waitForContract(lawyer, id, (d) => Boolean(d.contract.paymentReversal), 'the partial reversal');
    expect(flagged.contract.paidQepik).toBe(80_000);
    expect(flagged.contract.balanceDueQepik).toBe(20_000);
    expect(flagged.contract.paymentReversal).toMatchObject({ reversedQepik: 20_000, orderUncovered: false });
    const orderNumber = details.documents[0].orderNumber;
    expect((await anonymous.get(`/verify/${orderNumber}?code=${await verificationCodeOf(orderNumber)}`)).body).toMatchObject({ valid: true });
  });
});

describe('issue 9 item 9: the order carries an unguessable verification code', () => {
  it('the link printed on the order (and in its QR code) shows the order; the bare number, a wrong code or the next number say no more than whether it exists', async () => {
    const { id, details } = await activeContract(system, { lawyer, head });
    const document = details.documents[0];
    const pdf = await lawyer.getBytes(document.orderUrl);
    const text = (await pdfText(pdf.bytes)).replace(/\s+/g, '');
    const link = new RegExp(`/verify/${document.orderNumber}\\?code=([A-Za-z0-9_-]{20})`).exec(text);
    expect(link, 'the verification link on the order').not.toBeNull();
    const code = link![1];
    expect(code).toBe(await verificationCodeOf(document.orderNumber));

    const withCode = await anonymous.get(`/verify/${document.orderNumber}?code=${code}`);
    expect(withCode.status).toBe(200);
    expect(withCode.body).toMatchObject({ exists: true, verified: true, valid: true, status: 'current', lawyer: { licenseNumber: 'VL-001187' } });
    expect(withCode.headers.get('cache-control')).toBe('no-store');

    const bare = await anonymous.get(`/verify/${document.orderNumber}`);
    const wrong = await anonymous.get(`/verify/${document.orderNumber}?code=${code.slice(0, 19)}${code.endsWith('A') ? 'B' : 'A'}`);
    for (const answer of [bare, wrong]) {
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({ orderNumber: document.orderNumber, exists: true, verified: false });
    }
    const page = await anonymous.get(`/verify/${document.orderNumber}?code=wrong`, { accept: 'text/html' });
    expect(page.text).toContain('data-status="unverified"');
    expect(page.text).not.toContain('VL-001187');
    // Walking the numbers: each says only whether it exists.
    const [, year, seq] = /^EVO-(\d{4})-(\d+)$/.exec(document.orderNumber)!;
    const next = `EVO-${year}-${String(Number(seq) + 1000).padStart(seq.length, '0')}`;
    expect((await anonymous.get(`/verify/${next}`)).body).toEqual({ orderNumber: next, exists: false, valid: false, status: 'unknown' });
    // Every version has its own code.
    const codes = await system.db('contract_versions').whereNotNull('verification_code').pluck('verification_code');
    expect(new Set(codes).size).toBe(codes.length);
    expect(id).toBeTruthy();
  });
});
