/**
 * issue 12: the applicant's reminder of the second instalment. A durable timer per contract, started
 * when the first instalment's order is issued; it checks at firing time that the remainder is still
 * owed, goes through the outbox in the applicant's language once, survives a worker restart between
 * planning and firing (seconds as timings), and stops once the remainder is paid.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInstalmentReminder } from '../../activities/instalments/reminders';
import { type Actor, type ContractDraft } from '../../domain/contract';
import { bakuDay } from '../../domain/shared/dates';
import { createLogger } from '../../platform/logger';
import { startWorker } from '../../platform/worker';
import {
  approve,
  type ContractView,
  contractWorkflowId,
  getContractState,
  paymentCompleted,
  saveDraft,
  submitForApproval,
} from '../../workflows/contract/messages';
import { getInstalmentReminderState, instalmentReminderWorkflowId } from '../../workflows/instalments/messages';
import { actors, completeDraft, eventually, startTestSystem, type TestSystem, testTemporalAddress } from '../support/system';

let system: TestSystem;
beforeAll(async () => {
  system = await startTestSystem();
}, 60_000);
afterAll(async () => {
  await system?.close();
});

const tomorrow = () => bakuDay(new Date(Date.now() + 24 * 3600_000));
const twoInstalments = (dueOn?: string): ContractDraft['price'] => ({
  totalQepik: 100_000,
  plan: 'two_instalments',
  firstInstalmentQepik: 30_000,
  ...(dueOn ? { secondInstalmentDueOn: dueOn } : {}),
});

let payments = 0;
const payment = (amountQepik: number) => ({
  paymentId: `agent-${Date.now()}-${++payments}`,
  amountQepik,
  method: 'card' as const,
  paidAt: new Date().toISOString(),
});

/** A contract through the real workflow to its first order (the first instalment paid). */
async function activeContract(price: ContractDraft['price'], lawyer: Actor = actors.lawyer) {
  const contractId = `inst-${randomBytes(5).toString('hex')}`;
  const handle = await system.client.workflow.start('contractWorkflow', {
    workflowId: contractWorkflowId(contractId),
    taskQueue: system.taskQueue,
    args: [{ contractId, contractNumber: `M-${contractId}`, lawyerId: lawyer.id, bureauId: lawyer.bureauId!, draft: {} }],
  });
  await handle.executeUpdate(saveDraft, { args: [lawyer, completeDraft({ price })] });
  await handle.executeUpdate(submitForApproval, { args: [lawyer] });
  await eventually(async () => (await handle.query(getContractState)).applicantAccountId !== undefined, { what: 'the cabinet' });
  await handle.executeUpdate(approve, { args: [actors.head] });
  await handle.signal(paymentCompleted, payment(30_000));
  const view = await eventually(
    async () => {
      const v: ContractView = await handle.query(getContractState);
      return v.status === 'active' && v.issuedVersions.length === 1 ? v : undefined;
    },
    { what: 'the first order' },
  );
  return { contractId, handle, view };
}

const reminders = (contractId: string) =>
  system
    .db('outbox')
    .where({ contract_id: contractId })
    .andWhere('dedupe_key', 'like', '%:instalment_reminder:%')
    .orderBy('channel')
    .select('channel', 'subject', 'body', 'locale', 'dedupe_key');

describe('issue 12, R4.1.6: the second instalment is reminded, once, until it is paid', () => {
  it('the first order plans the reminder; a due day nearer than the lead is reminded at once, by e-mail and SMS, in Azerbaijani', async () => {
    const dueOn = tomorrow();
    const { contractId, view } = await activeContract(twoInstalments(dueOn));
    const sent = await eventually(
      async () => {
        const rows = await reminders(contractId);
        return rows.length === 2 ? rows : undefined;
      },
      { what: 'the reminder in the outbox' },
    );
    expect(sent.map((r) => r.channel)).toEqual(['email', 'sms']);
    const dueText = dueOn.split('-').reverse().join('.');
    expect(sent[0].subject).toBe(`Müqavilə ${view.contractNumber}: qalan məbləğin ödəniş tarixi yaxınlaşır`);
    expect(sent[0].body).toContain(`qalan məbləğin (700.00 AZN) ödəniş tarixi ${dueText}`);
    expect(sent[0].body).toContain('/applicant');
    expect(sent[1].body).toBe(
      `Müqavilə ${view.contractNumber}: qalan məbləğ (700.00 AZN) ${dueText} tarixinədək ödənilməlidir. Kabinet: ${system.config.publicUrl}/applicant`,
    );
    expect(sent.every((r) => r.locale === 'az')).toBe(true);
    const reminder = system.client.workflow.getHandle(instalmentReminderWorkflowId(contractId));
    expect((await reminder.query(getInstalmentReminderState)).remindedFor).toEqual([dueOn]);
  });

  it('a reminder planned before a worker restart fires after it, once; paid, the next one is not sent and the timer ends', async () => {
    // No due day in the terms: this test plans the reminder itself, with seconds.
    const { contractId, handle } = await activeContract(twoInstalments());
    const dueOn = tomorrow();
    const dueAt = new Date(Date.now() + 5_000).toISOString();
    await startInstalmentReminder(system.client, system.taskQueue, { contractId, leadMs: 2_500 }, { dueOn, dueAt });
    // The worker goes down before the timer fires (in ~2.5 s) and comes back after it.
    await system.worker.close();
    expect(await reminders(contractId)).toHaveLength(0);
    await new Promise((r) => setTimeout(r, 3_000));
    system.worker = await startWorker({
      config: system.config,
      db: system.db,
      temporalAddress: testTemporalAddress(),
      log: createLogger('evk-test', 'warn'),
      notificationDispatcher: false,
      paymentReconciler: false,
    });
    const sent = await eventually(
      async () => {
        const rows = await reminders(contractId);
        // Both channels (the e-mail and the SMS are queued one after the other): the assertion below still fails on any other set.
        return rows.length >= 2 ? rows : undefined;
      },
      { what: 'the reminder after the restart' },
    );
    expect(sent.map((r) => r.channel)).toEqual(['email', 'sms']);

    // The remainder is paid; a new due day is then checked at its time, found paid, and nothing is sent.
    await handle.signal(paymentCompleted, payment(70_000));
    await eventually(async () => (await system.db('contracts').where({ id: contractId }).first()).view.paidQepik === 100_000, {
      what: 'the payment in the read model',
    });
    const nextDay = bakuDay(new Date(Date.now() + 2 * 24 * 3600_000));
    await startInstalmentReminder(
      system.client,
      system.taskQueue,
      { contractId, leadMs: 0 },
      { dueOn: nextDay, dueAt: new Date(Date.now() + 500).toISOString() },
    );
    // The first run ended at its due time; signal-with-start begins a new one for the new day, which finds it paid.
    const result = await system.client.workflow.getHandle(instalmentReminderWorkflowId(contractId)).result();
    expect(result).toMatchObject({ settled: true });
    expect(result.remindedFor.at(-1)).toBe(nextDay);
    expect((await reminders(contractId)).map((r) => r.channel)).toEqual(['email', 'sms']); // still the first two only
  });
});
