/**
 * The payment agent's notifications (R4.3.3) through real HTTP: the signed callback to
 * /api/payment-agent/callback is authenticated, fresh, never replayed and checked against what we
 * asked; the callback and the payer's browser coming back settle one payment once; a declined card
 * leaves the contract payable. Forged callbacks are signed with the agent's shared secret as the
 * agent would sign them (signCallback), or deliberately not.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CallbackNotification, PaymentState, signCallback } from '../../integrations/payment-agent/protocol';
import { contractWorkflowId } from '../../workflows/contract/messages';
import {
  activeContract,
  approvedContract,
  callbackDeliveries,
  getContract,
  loginDemoLawyers,
  type OpenedPayment,
  openPayment,
  payAtTerminal,
  payByCard,
  TEST_CARDS,
  waitForContract,
} from '../support/api';
import { HttpClient } from '../support/http-client';
import { completeDraft, eventually, startTestSystem, type TestSystem } from '../support/system';

let system: TestSystem;
let lawyer: HttpClient;
let head: HttpClient;

beforeAll(async () => {
  system = await startTestSystem({ web: true });
  ({ lawyer, head } = await loginDemoLawyers(system));
});
afterAll(async () => {
  await system?.close();
});

const callbackUrl = () => `${system.config.publicUrl}/api/payment-agent/callback`;

/** A contract awaiting payment and the payment the applicant opened on the agent. */
async function contractAwaitingPayment() {
  const { id, applicant } = await approvedContract(system, { lawyer, head });
  const payment = await openPayment(applicant, id);
  return { id, applicant, payment };
}

/** What the agent would report about this payment; a test changes what it forges. */
async function notificationFor(payment: OpenedPayment, overrides: Partial<CallbackNotification> = {}): Promise<CallbackNotification> {
  const request = await system.db('payment_requests').where({ agent_payment_id: payment.agentPaymentId }).first();
  return {
    ExternalId: request?.external_id ?? 'unknown',
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

/** POSTs a callback with exactly these bytes and headers, as the agent does. */
async function postCallback(rawBody: string, headers: Record<string, string>) {
  const response = await fetch(callbackUrl(), { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: rawBody });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

/** Signs as the agent (the shared secret) unless told otherwise, and posts. */
async function sendCallback(notification: CallbackNotification, sign: { secret?: string; nonce?: string; timestamp?: number } = {}) {
  const rawBody = JSON.stringify(notification);
  const headers = signCallback({
    secret: sign.secret ?? system.config.paymentAgentSecret,
    url: callbackUrl(),
    rawBody,
    nonce: sign.nonce,
    timestamp: sign.timestamp,
  });
  return { ...(await postCallback(rawBody, { ...headers })), rawBody, headers: { ...headers } as Record<string, string> };
}

const eventsOf = (agentPaymentId: string) => system.db('payment_events').where({ agent_payment_id: agentPaymentId }).orderBy('id');

async function expectUntouched(id: string, payment: OpenedPayment) {
  const details = await getContract(lawyer, id);
  expect(details.contract.status).toBe('awaiting_payment');
  expect(details.contract.payments).toEqual([]);
  expect(details.contract.paidQepik).toBe(0);
  const request = await system.db('payment_requests').where({ agent_payment_id: payment.agentPaymentId }).first();
  expect(Number(request.paid_qepik)).toBe(0);
  expect(await system.db('contract_versions').where({ contract_id: id })).toHaveLength(0);
}

describe("the payment agent's callback", () => {
  it('R4.3.3 a callback with a bad signature is refused with 401 and changes nothing (nor does it burn the nonce)', async () => {
    const { id, payment } = await contractAwaitingPayment();
    const paid = await notificationFor(payment);

    const forged = await sendCallback(paid, { secret: 'not-the-agents-secret' });
    expect(forged.status).toBe(401);
    expect(forged.body.error.code).toBe('bad_signature');

    // Signed by the agent, then changed on the way: the signature covers the bytes.
    const genuine = signCallback({
      secret: system.config.paymentAgentSecret,
      url: callbackUrl(),
      rawBody: JSON.stringify({ ...paid, State: PaymentState.Created, Debt: paid.Price }),
    });
    const tampered = await postCallback(JSON.stringify(paid), { ...genuine });
    expect(tampered.status).toBe(401);
    // Signed for another receiver's URL.
    const elsewhereBody = JSON.stringify(paid);
    const elsewhere = await postCallback(elsewhereBody, {
      ...signCallback({ secret: system.config.paymentAgentSecret, url: 'https://attacker.example/callback', rawBody: elsewhereBody }),
    });
    expect(elsewhere.status).toBe(401);
    const unsigned = await postCallback(JSON.stringify(paid), {});
    expect(unsigned.status).toBe(400);
    expect(unsigned.body.error.code).toBe('malformed');

    expect(await eventsOf(payment.agentPaymentId)).toHaveLength(0);
    await expectUntouched(id, payment);

    // The forged request did not use up its nonce: the agent can still send one with it.
    const harmless = await sendCallback(await notificationFor(payment, { State: PaymentState.Created, Debt: payment.amountQepik }), {
      nonce: forged.headers['X-Nonce'],
    });
    expect(harmless.status).toBe(200);
    await expectUntouched(id, payment);
  });

  it('R4.3.3 a replayed callback (the same nonce) is refused with 409', async () => {
    const { id, payment } = await contractAwaitingPayment();
    const first = await sendCallback(await notificationFor(payment, { State: PaymentState.Created, Debt: payment.amountQepik }));
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ status: 'accepted' });

    const replay = await postCallback(first.rawBody, first.headers);
    expect(replay.status).toBe(409);
    expect(replay.body.error.code).toBe('replayed');
    // The same nonce with another (correctly signed) body is a replay too.
    const paidWithOldNonce = await sendCallback(await notificationFor(payment), { nonce: first.headers['X-Nonce'] });
    expect(paidWithOldNonce.status).toBe(409);
    await expectUntouched(id, payment);
  });

  it('R4.3.3 a callback with a stale (or far-future) timestamp is refused with 401', async () => {
    const { id, payment } = await contractAwaitingPayment();
    const now = Math.floor(Date.now() / 1000);
    const stale = await sendCallback(await notificationFor(payment), { timestamp: now - 10 * 60 });
    expect(stale.status).toBe(401);
    expect(stale.body.error.code).toBe('stale');
    const future = await sendCallback(await notificationFor(payment), { timestamp: now + 10 * 60 });
    expect(future.status).toBe(401);
    expect(await eventsOf(payment.agentPaymentId)).toHaveLength(0);
    await expectUntouched(id, payment);
  });

  it('R4.3.3 a callback whose Price differs from what we asked is stored and flagged amount_mismatch; the contract stays awaiting payment', async () => {
    const { id, applicant, payment } = await contractAwaitingPayment();
    const wrongPrice = await sendCallback(await notificationFor(payment, { Price: payment.amountQepik + 100 }));
    expect(wrongPrice.status).toBe(200); // received and kept: the agent must not retry it
    const events = await eventsOf(payment.agentPaymentId);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ flag: 'amount_mismatch', source: 'callback', state: PaymentState.Paid });
    expect(events[0].payload).toMatchObject({ priceQepik: payment.amountQepik + 100 });
    await expectUntouched(id, payment);

    // A report we never asked for is kept too, flagged, and touches no contract.
    const stranger = await sendCallback(await notificationFor({ ...payment, agentPaymentId: `pp_never_asked_${Date.now()}` }));
    expect(stranger.status).toBe(200);
    const strangerEvents = await system.db('payment_events').where('agent_payment_id', 'like', 'pp_never_asked_%');
    expect(strangerEvents.map((e) => e.flag)).toContain('unknown_payment');

    // The genuine payment still goes through afterwards.
    await payByCard(system, payment.agentPaymentId);
    const active = await waitForContract(
      applicant,
      id,
      (d) => d.contract.status === 'active' && d.contract.currentVersion === 1,
      'the order after the genuine payment',
    );
    expect(active.contract.paidQepik).toBe(payment.amountQepik);
  });
});

describe('one payment, reported twice or failing first', () => {
  it('R4.3.3 the same payment notified by the callback and by the browser return gives one order and one payment', async () => {
    const { id, applicant, payment } = await contractAwaitingPayment();
    const card = await payByCard(system, payment.agentPaymentId);
    expect(card.outcome).toBe('paid');
    // The browser comes back (the agent's 303 to our returnUrl) while the callback is on its way.
    const returnPath = new URL(card.redirectUrl!).pathname + new URL(card.redirectUrl!).search;
    expect(returnPath).toContain(`payment=${payment.agentPaymentId}`);
    const back = await applicant.get(returnPath);
    expect(back.status).toBe(303);
    expect(back.headers.get('location')).toBe(`/applicant/contracts/${id}?payment=${encodeURIComponent(payment.agentPaymentId)}`);

    await eventually(
      async () => {
        const deliveries = await callbackDeliveries(system, payment.agentPaymentId);
        return deliveries.length === 1 && deliveries[0].status === 'delivered' && deliveries[0].attempts.at(-1)?.status === 200;
      },
      { what: 'the callback delivered' },
    );
    const active = await waitForContract(applicant, id, (d) => d.contract.status === 'active' && d.contract.currentVersion === 1, 'the order');
    // And once more, late: a reload of the return page.
    expect((await applicant.get(returnPath)).status).toBe(303);

    const after = await getContract(lawyer, id);
    expect(after.contract.payments).toHaveLength(1);
    expect(after.contract.paidQepik).toBe(active.contract.terms!.price.totalQepik);
    expect(after.documents).toHaveLength(1);
    expect(await system.db('contract_versions').where({ contract_id: id })).toHaveLength(1);
    expect(await system.db('payments').where({ contract_id: id })).toHaveLength(1);
    expect(await eventsOf(payment.agentPaymentId)).toHaveLength(1);

    const unknown = await applicant.get('/payments/return?payment=pp_nothing_like_it');
    expect(unknown.status).toBe(404);
  });

  it('R4.3.1 R4.3.3 a declined card leaves the contract awaiting payment with the reason; paying again with a good card issues the order', async () => {
    const { id, applicant, payment } = await contractAwaitingPayment();
    const declined = await payByCard(system, payment.agentPaymentId, TEST_CARDS.declined);
    expect(declined.outcome).toBe('declined');
    const failed = await waitForContract(applicant, id, (d) => Boolean(d.contract.lastPaymentFailure), 'the failure recorded');
    expect(failed.contract.status).toBe('awaiting_payment');
    expect(failed.contract.lastPaymentFailure).toMatchObject({ kind: 'contract', reason: 'insufficient_funds' });
    expect(failed.contract.payments).toEqual([]);
    expect(failed.allowedActions).toContain('pay');
    expect((await getContract(lawyer, id)).contract.lastPaymentFailure!.reason).toBe('insufficient_funds');

    // "Ödə" again: the same payment page, now paid with a card that works.
    const retry = await openPayment(applicant, id);
    expect(retry.agentPaymentId).toBe(payment.agentPaymentId);
    await payByCard(system, retry.agentPaymentId, TEST_CARDS.success);
    const active = await waitForContract(applicant, id, (d) => d.contract.status === 'active' && d.contract.currentVersion === 1, 'the order after the retry');
    expect(active.contract.lastPaymentFailure).toBeUndefined();
    expect(active.contract.payments).toHaveLength(1);
    expect(active.documents).toHaveLength(1);
  });

  it('R4.3.3 money paid for a finished contract (a terminal code handed out before) is kept, flagged contract_closed, and the agent is not made to retry', async () => {
    const { id, applicant } = await activeContract(
      system,
      { lawyer, head },
      completeDraft({ price: { totalQepik: 100_000, plan: 'two_instalments', firstInstalmentQepik: 30_000 } }),
    );
    const balance = await openPayment(applicant, id);
    expect((await lawyer.post(`/api/contracts/${id}/finish`)).status).toBe(200);
    expect((await applicant.post(`/api/contracts/${id}/payments`)).status).toBe(409); // no new payment for a finished contract
    // The workflow sends its last notifications and then completes; until then a payment would still
    // reach it (and be recorded there, flagged). This test is about the time after.
    await system.client.workflow.getHandle(contractWorkflowId(id)).result();
    await payAtTerminal(system, balance.terminalCode, 70_000); // ... but the old code still takes money

    const [delivery] = await eventually(
      async () => {
        const deliveries = await callbackDeliveries(system, balance.agentPaymentId);
        return deliveries[0]?.status === 'delivered' ? deliveries : undefined;
      },
      { what: 'the callback answered' },
    );
    expect(delivery.attempts.map((a) => a.status)).toEqual([200]);
    const events = await eventsOf(balance.agentPaymentId);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ flag: 'contract_closed', cumulative_paid_qepik: 70_000 });
    expect((await getContract(lawyer, id)).contract).toMatchObject({ status: 'finished', paidQepik: 30_000 });
  });
});
