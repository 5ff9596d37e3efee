/**
 * Issue 14, R4.2.1: a payment that issues the order is written to the read model with the order,
 * so the order's activity is scheduled in the workflow task of the payment itself, not behind a
 * read-model write. If the order is late (here: its version row cannot be written), the payment
 * shows by itself after PAYMENT_SHOWN_WITHIN_MS, and the order follows once it can be issued.
 * The contract itself is prepared at approval by the approval's read-model write, so that only the
 * order is rendered at payment.
 * Real Temporal dev server, real activities, PostgreSQL and Chromium.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contractPdfCounts } from '../../activities/contract/documents';
import { localStorageDir } from '../../platform/file-storage';
import { approve, paymentCompleted } from '../../workflows/contract/messages';
import { PAYMENT_SHOWN_WITHIN_MS } from '../../workflows/contract/run';
import { type ContractHandle, submittedContractWorkflow } from '../support/contract-workflows';
import { actors, eventually, startTestSystem, type TestSystem } from '../support/system';

let system: TestSystem;
beforeAll(async () => {
  system = await startTestSystem();
});
afterAll(async () => {
  await system?.close();
});

/** A contract approved and waiting for its payment. */
async function awaitingPayment(prefix: string): Promise<{ contractId: string; handle: ContractHandle }> {
  const { contractId, handle } = await submittedContractWorkflow(system, prefix);
  await handle.executeUpdate(approve, { args: [actors.head] });
  // The applicant's cabinet is opened after the submit; its commit (which would write the latest
  // state, a payment too) must be done before the payment, so that the order's is the next.
  await eventually(
    async () => ((await system.db('contracts').where({ id: contractId }).first('applicant_account_id'))?.applicant_account_id ? true : undefined),
    {
      what: "the applicant's cabinet",
    },
  );
  return { contractId, handle };
}

const pay = (handle: ContractHandle, contractId: string) =>
  handle.signal(paymentCompleted, { paymentId: `agent-${contractId}`, amountQepik: 100_000, method: 'card', paidAt: new Date().toISOString() });

interface ReadModelRow {
  status: string;
  paid_qepik: number;
  current_version: number;
}

const readModel = async (contractId: string): Promise<ReadModelRow | undefined> =>
  system.db<ReadModelRow & { id: string }>('contracts').where({ id: contractId }).first('status', 'paid_qepik', 'current_version');

describe('issue 14: the payment written with its order', () => {
  it('R4.2.1 the order is scheduled in the payment’s own workflow task, and the read model shows payment and order in one write', async () => {
    const { contractId, handle } = await awaitingPayment('with-order');
    await pay(handle, contractId);
    const row = await eventually(async () => {
      const r = await readModel(contractId);
      return r?.status === 'active' ? r : undefined;
    });
    // The first write that shows the contract paid also shows its order.
    expect(row).toMatchObject({ status: 'active', paid_qepik: 100_000, current_version: 1 });

    const events = (await handle.fetchHistory()).events ?? [];
    const signalled = events.findIndex((e) => e.workflowExecutionSignaledEventAttributes);
    const scheduled = events.findIndex((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'issueDocuments');
    expect(signalled).toBeGreaterThan(0);
    expect(scheduled).toBeGreaterThan(signalled);
    // Between the payment and the order's activity: the one workflow task, no read-model write (a local activity's marker).
    const between = events.slice(signalled + 1, scheduled);
    expect(between.filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity')).toEqual([]);
    expect(between.filter((e) => e.workflowTaskCompletedEventAttributes)).toHaveLength(1);
    // The fallback's timer was cancelled by the order's write, not left to fire.
    expect(events.filter((e) => e.timerFiredEventAttributes)).toHaveLength(0);
  });

  it(`R4.2.1 an order that is late: the payment shows by itself within ${PAYMENT_SHOWN_WITHIN_MS / 1000} s, and the order follows`, async () => {
    const { contractId, handle } = await awaitingPayment('order-late');
    // The order's version row cannot be written while this transaction holds the table.
    const stuck = await system.db.transaction();
    let paidAlone: ReadModelRow | undefined;
    try {
      await stuck.raw('LOCK TABLE contract_versions IN EXCLUSIVE MODE');
      const paidAt = Date.now();
      await pay(handle, contractId);
      paidAlone = await eventually(
        async () => {
          const r = await readModel(contractId);
          return r?.status === 'active' ? r : undefined;
        },
        { what: 'the payment in the read model while the order is held up' },
      );
      const shownAfter = Date.now() - paidAt;
      expect(shownAfter).toBeGreaterThanOrEqual(PAYMENT_SHOWN_WITHIN_MS - 500);
    } finally {
      await stuck.rollback();
    }
    expect(paidAlone).toMatchObject({ status: 'active', paid_qepik: 100_000, current_version: 0 });
    const ordered = await eventually(async () => {
      const r = await readModel(contractId);
      return r?.current_version === 1 ? r : undefined;
    });
    expect(ordered).toMatchObject({ status: 'active', paid_qepik: 100_000 });
    const events = (await handle.fetchHistory()).events ?? [];
    expect(events.filter((e) => e.timerFiredEventAttributes)).toHaveLength(1);
  });
});

describe('issue 14: the contract prepared by the approval', () => {
  it('R4.2 R4.2.1 the approval’s read-model write prepares the contract, with no activity of its own, and the order is issued with that copy', async () => {
    const before = contractPdfCounts();
    const { contractId, handle } = await awaitingPayment('prepared');
    const dir = path.join(localStorageDir(system.config), 'contracts', contractId, 'v1');
    const prepared = await eventually(async () => (await fs.readdir(dir).catch(() => [] as string[])).find((f) => f.startsWith('prepared-')), {
      what: 'the contract prepared at approval',
    });
    await pay(handle, contractId);
    await eventually(async () => ((await readModel(contractId))?.current_version === 1 ? true : undefined), { what: 'the order' });
    // The order's activity took the prepared copy (and rendered no contract), then removed it.
    expect(contractPdfCounts().prepared - before.prepared).toBe(1);
    expect(contractPdfCounts().rendered - before.rendered).toBe(0);
    const files = await fs.readdir(dir);
    expect(files).toEqual(expect.arrayContaining(['contract.pdf', 'order.pdf']));
    expect(files).not.toContain(prepared);
    const events = (await handle.fetchHistory()).events ?? [];
    expect(events.filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'prepareContract')).toEqual([]);
  });
});
