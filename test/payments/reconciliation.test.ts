/**
 * Issue 10 item 1 (R4.3.3): no payment is lost when an outage outlasts the agent's callback retries.
 * The payment agent simulator is told to drop its callbacks (we are "unreachable"), the payer pays by
 * card or at a terminal (no browser comes back), and the payment reconciliation of this system's
 * worker (a singleton workflow, turns of 300 ms here) asks the agent and settles it: the contract
 * becomes active within seconds. A report stored but never told to its contract (a crash between the
 * two) is re-delivered; a payment reminder still in the outbox is withdrawn once the contract is paid.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PaymentState } from '../../integrations/payment-agent/protocol';
import { approvedContract, callbackDeliveries, loginDemoLawyers, openPayment, payAtTerminal, payByCard, waitForContract } from '../support/api';
import { HttpClient } from '../support/http-client';
import { eventually, startTestSystem, type TestSystem } from '../support/system';

let system: TestSystem;
let lawyer: HttpClient;
let head: HttpClient;

async function dropCallbacks(drop: boolean) {
  const response = await fetch(`${system.config.paymentAgentUrl}/api/test/callbacks`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ drop }),
  });
  expect(response.status).toBe(200);
}

beforeAll(async () => {
  system = await startTestSystem({ web: true, paymentReconciler: { intervalMs: 300 } });
  ({ lawyer, head } = await loginDemoLawyers(system));
});
afterEach(async () => {
  await dropCallbacks(false);
});
afterAll(async () => {
  await system?.close();
});

const isActive = (d: { contract: { status: string; currentVersion?: number } }) => d.contract.status === 'active' && d.contract.currentVersion === 1;

describe('payment reconciliation (issue 10 item 1, R4.3.3)', () => {
  it('a card payment and a terminal payment whose callbacks never reach us still activate their contracts', async () => {
    await dropCallbacks(true);
    const [byCard, atTerminal] = await Promise.all([approvedContract(system, { lawyer, head }), approvedContract(system, { lawyer, head })]);
    const [cardPayment, terminalPayment] = await Promise.all([openPayment(byCard.applicant, byCard.id), openPayment(atTerminal.applicant, atTerminal.id)]);
    // Paid at the agent; nobody comes back through a browser (the test API pays as the forms do).
    await payByCard(system, cardPayment.agentPaymentId);
    await payAtTerminal(system, terminalPayment.terminalCode, terminalPayment.amountQepik);

    await Promise.all([
      waitForContract(lawyer, byCard.id, isActive, 'the card-paid contract active through reconciliation'),
      waitForContract(lawyer, atTerminal.id, isActive, 'the terminal-paid contract active through reconciliation'),
    ]);
    // It was the reconciliation: every callback attempt was dropped, and the reports came from asking the agent.
    for (const payment of [cardPayment, terminalPayment]) {
      const deliveries = await callbackDeliveries(system, payment.agentPaymentId);
      expect(deliveries.length).toBeGreaterThan(0);
      expect(deliveries.every((d) => d.status !== 'delivered')).toBe(true);
      const events = await system.db('payment_events').where({ agent_payment_id: payment.agentPaymentId });
      expect(events.map((e) => e.source)).toEqual(['reconcile']);
      expect(events[0].applied_at).not.toBeNull();
      const request = await system.db('payment_requests').where({ agent_payment_id: payment.agentPaymentId }).first();
      expect(Number(request.state)).toBe(PaymentState.Paid);
    }
    // Asked again on later turns, nothing more is stored and the money counts once.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const again = await system.db('payment_events').whereIn('agent_payment_id', [cardPayment.agentPaymentId, terminalPayment.agentPaymentId]);
    expect(again).toHaveLength(2);
    const details = await waitForContract(lawyer, byCard.id, isActive, 'still active');
    expect(details.contract.paidQepik).toBe(cardPayment.amountQepik);
  });

  it('a report stored but never told to its contract is re-delivered', async () => {
    const { id, applicant } = await approvedContract(system, { lawyer, head });
    const payment = await openPayment(applicant, id);
    const request = await system.db('payment_requests').where({ agent_payment_id: payment.agentPaymentId }).first();
    // What the callback route leaves behind when the process dies (or Temporal is down) after storing
    // the report and marking the request paid, before the contract's workflow heard of it.
    await system.db.transaction(async (trx) => {
      const report = {
        agentPaymentId: payment.agentPaymentId,
        state: PaymentState.Paid,
        cumulativePaidQepik: payment.amountQepik,
        priceQepik: payment.amountQepik,
        currency: 'AZN',
        externalId: request.external_id,
        method: 'card',
      };
      await trx('payment_events').insert({
        agent_payment_id: payment.agentPaymentId,
        cumulative_paid_qepik: payment.amountQepik,
        state: PaymentState.Paid,
        source: 'callback',
        payload: JSON.stringify(report),
        report_key: `test-unapplied:${payment.agentPaymentId}`,
        external_id: request.external_id,
        currency: 'AZN',
      });
      await trx('payment_requests')
        .where({ agent_payment_id: payment.agentPaymentId })
        .update({ state: PaymentState.Paid, paid_qepik: payment.amountQepik, method: 'card' });
    });

    const details = await waitForContract(lawyer, id, isActive, 'the contract active through the re-delivered report');
    expect(details.contract.paidQepik).toBe(payment.amountQepik);
    const event = await system
      .db('payment_events')
      .where({ report_key: `test-unapplied:${payment.agentPaymentId}` })
      .first();
    expect(event.applied_at).not.toBeNull();
    expect(event.flag).toBeNull();
  });

  it('a payment reminder still waiting in the outbox is withdrawn once the contract is paid (R4.3)', async () => {
    const { id, applicant } = await approvedContract(system, { lawyer, head });
    const payment = await openPayment(applicant, id);
    await payByCard(system, payment.agentPaymentId);
    await waitForContract(lawyer, id, isActive, 'the contract active');
    // A reminder the workflow queued while the contract awaited payment, not yet sent (the dispatcher was behind).
    const [row] = await system
      .db('outbox')
      .insert({
        dedupe_key: `${id}:payment_reminder:3:applicant:email:reminder-test@example.az`,
        contract_id: id,
        channel: 'email',
        recipient: 'reminder-test@example.az',
        subject: 'Ödəniş xatırlatması',
        body: 'Müqavilə üzrə ödəniş gözlənilir.',
      })
      .returning('id');
    const withdrawn = await eventually(
      async () => {
        const r = await system.db('outbox').where({ id: row.id }).first();
        return r.status === 'pending' || r.status === 'sending' ? undefined : r;
      },
      { what: 'the reminder withdrawn', timeoutMs: 10_000 },
    );
    expect(withdrawn.status).toBe('withdrawn');
    expect(withdrawn.sent_at).toBeNull();
  });
});
