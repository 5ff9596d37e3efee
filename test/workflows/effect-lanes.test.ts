/**
 * Issue 10 item 2, R4.2.1: an order never waits behind a notification. The fault: the outbox is
 * locked (as a message stranded on a dead worker or a stalled database write would hold it), so
 * queueing the "approved" message hangs; the payment still gets its order at once, and the
 * messages follow once the outbox is free again — "order issued" after the order exists.
 * Real Temporal dev server, real activities, PostgreSQL and Chromium.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventOfDedupeKey } from '../../activities/contract/notifications-queue';
import { approve, getContractState, paymentCompleted } from '../../workflows/contract/messages';
import { type ContractHandle, submittedContractWorkflow } from '../support/contract-workflows';
import { actors, eventually, startTestSystem, type TestSystem } from '../support/system';

let system: TestSystem;
beforeAll(async () => {
  system = await startTestSystem();
});
afterAll(async () => {
  await system?.close();
});

const eventsQueued = async (contractId: string) =>
  (await system.db('outbox').where({ contract_id: contractId }).select('dedupe_key')).map((r: { dedupe_key: string }) => eventOfDedupeKey(r.dedupe_key));

/** A contract submitted for approval, once its "submitted" messages are in the outbox. */
async function submitted(prefix: string): Promise<{ contractId: string; handle: ContractHandle }> {
  const { contractId, handle } = await submittedContractWorkflow(system, prefix);
  await eventually(async () => ((await eventsQueued(contractId)).includes('submitted') ? true : undefined), { what: 'the "submitted" messages' });
  return { contractId, handle };
}

describe('issue 10 item 2: the documents lane and the notification lane', () => {
  it('R4.2.1 a paid contract gets its order while its earlier notification is stuck; the messages follow, in order', async () => {
    const { contractId, handle } = await submitted('lanes');

    // The outbox takes no new rows while this transaction holds it.
    const stuck = await system.db.transaction();
    try {
      await stuck.raw('LOCK TABLE outbox IN EXCLUSIVE MODE');
      await handle.executeUpdate(approve, { args: [actors.head] });
      await handle.signal(paymentCompleted, { paymentId: `agent-${contractId}`, amountQepik: 100_000, method: 'card', paidAt: new Date().toISOString() });
      const active = await eventually(
        async () => {
          const v = await handle.query(getContractState);
          return v.issuedVersions.length === 1 ? v : undefined;
        },
        { what: 'the order, while the "approved" message is stuck' },
      );
      expect(active.status).toBe('active');
      expect(active.issuedVersions[0].orderNumber).toMatch(/^EVO-\d{4}-\d{6}$/);
      const [version] = await system.db('contract_versions').where({ contract_id: contractId });
      expect(version.order_file).toMatch(/order\.pdf$/);
    } finally {
      await stuck.rollback();
    }
    // Nothing is lost: both messages are queued once the outbox is free, "order issued" after the order.
    const events = await eventually(
      async () => {
        const e = await eventsQueued(contractId);
        return e.includes('approved') && e.includes('order_issued') ? e : undefined;
      },
      { what: 'the "approved" and "order issued" messages' },
    );
    expect(events).toContain('submitted');
    // The "approved" message could not go with the approval's read-model write (the outbox was
    // locked past its second): it was queued by an activity of its own.
    expect(await activitiesScheduled(handle, 'queueNotifications')).toBeGreaterThanOrEqual(1);
  });

  it('issue 14, R4.2: a step with nothing waiting before it has its messages in the outbox by the time it returns, without an activity of its own', async () => {
    // "submitted" waits for the applicant's cabinet, then goes with the write that records the cabinet.
    const { contractId, handle } = await submitted('with-read-model');
    await handle.executeUpdate(approve, { args: [actors.head] });
    expect(await eventsQueued(contractId)).toContain('approved');
    const [row] = await system.db('contracts').where({ id: contractId }).select('status');
    expect(row.status).toBe('awaiting_payment');
    expect(await activitiesScheduled(handle, 'queueNotifications')).toBe(0);
  });
});

async function activitiesScheduled(handle: ContractHandle, activity: string): Promise<number> {
  const { events } = await handle.fetchHistory();
  return (events ?? []).filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === activity).length;
}
