/**
 * R4.6 "İşi göndər": the contract's workflow joins the lawyer to a court case in the e-court
 * portal and attaches the order, on the real Temporal dev server with the real activities
 * (PostgreSQL, the order PDF from storage) and the e-court simulator over HTTP.
 */
import { randomBytes } from 'node:crypto';
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor, ContractDraft } from '../../domain/contract';
import { describe as describeCode } from '../../locales';
import { startECourtSimulator, type RunningECourtSimulator } from '../../simulators/e-court/simulator';
import type { contractWorkflow } from '../../workflows/contract/workflow';
import {
  approve,
  type ContractTimings,
  type ContractView,
  contractWorkflowId,
  type CourtFiling,
  getContractState,
  paymentCompleted,
  proposeAmendment,
  saveDraft,
  sendToCourt,
  submitForApproval,
} from '../../workflows/contract/messages';
import { fileStorageFor } from '../../platform/file-storage';
import { pdfText } from '../documents/pdf-reading';
import { replayHistory } from '../support/replay';
import { actors, completeDraft, eventually, startTestSystem, type TestSystem } from '../support/system';

let system: TestSystem;
let eCourt: RunningECourtSimulator;

beforeAll(async () => {
  system = await startTestSystem();
  // The worker's adapter calls config.eCourtUrl, the simulator's port picked by startTestSystem.
  eCourt = await startECourtSimulator(system.config.simulators.eCourtPort, { latencyMs: [0, 0], cases: [] });
});
afterAll(async () => {
  await eCourt?.close();
  await system?.close();
});

type Handle = WorkflowHandle<typeof contractWorkflow>;
const state = (handle: Handle) => handle.query(getContractState);

async function waitFor(handle: Handle, predicate: (v: ContractView) => boolean, what: string, timeoutMs = 30_000): Promise<ContractView> {
  return eventually(
    async () => {
      const v = await state(handle);
      return predicate(v) ? v : undefined;
    },
    { what, timeoutMs },
  );
}

let counter = 0;
/** A fresh case number and a court case in the simulator whose parties are given. */
function courtCase(parties: { fin?: string; voen?: string; name: string }[]): string {
  const caseNumber = `2(${String(100 + (++counter % 900))})-${randomBytes(2).readUInt16BE()}/2026`;
  eCourt.addCase({
    caseNumber,
    courtName: 'Bakı şəhəri Yasamal Rayon Məhkəməsi',
    subject: 'Test işi',
    parties: parties.map((p) => ({ ...p, role: 'defendant' })),
  });
  return caseNumber;
}

/** An active contract with its order issued (draft → approval → payment). */
async function activeContract(
  draft: ContractDraft = completeDraft(),
  lawyer: Actor = actors.lawyer,
  timings?: Partial<ContractTimings>,
): Promise<{ handle: Handle; view: ContractView }> {
  const contractId = `court-${randomBytes(5).toString('hex')}`;
  const handle = (await system.client.workflow.start('contractWorkflow', {
    workflowId: contractWorkflowId(contractId),
    taskQueue: system.taskQueue,
    args: [{ contractId, contractNumber: `M-${contractId}`, lawyerId: lawyer.id, bureauId: lawyer.bureauId!, draft: {}, timings }],
  })) as Handle;
  await handle.executeUpdate(saveDraft, { args: [lawyer, draft] });
  await handle.executeUpdate(submitForApproval, { args: [lawyer] });
  await waitFor(handle, (v) => v.applicantAccountId !== undefined, 'the applicant cabinet');
  await handle.executeUpdate(approve, { args: [actors.head] });
  await handle.signal(paymentCompleted, {
    paymentId: `agent-${contractId}`,
    amountQepik: draft.price!.totalQepik!,
    method: 'card',
    paidAt: new Date().toISOString(),
  });
  const view = await waitFor(handle, (v) => v.status === 'active' && v.issuedVersions.length === 1, 'the order');
  return { handle, view };
}

const filingOf = (v: ContractView, caseNumber: string): CourtFiling | undefined => v.courtFilings?.find((f) => f.caseNumber === caseNumber);

async function refusalOf(promise: Promise<unknown>): Promise<ApplicationFailure> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err, 'the update should have been refused').toBeInstanceOf(WorkflowUpdateFailedError);
  return (err as WorkflowUpdateFailedError).cause as ApplicationFailure;
}

const protectedOf = (draft: ContractDraft) => ({
  fin: draft.protectedPerson!.fin!,
  name: `${draft.protectedPerson!.lastName} ${draft.protectedPerson!.firstName}`,
});

describe('sending the case to court (R4.6)', () => {
  it('joins the lawyer to the case and attaches the current order; the portal holds the PDF', async () => {
    const draft = completeDraft();
    const { handle, view } = await activeContract(draft);
    const caseNumber = courtCase([protectedOf(draft), { fin: 'ZZZ0001', name: 'Digər Tərəf' }]);
    const result = await handle.executeUpdate(sendToCourt, { args: [actors.lawyer, { caseNumber: ` ${caseNumber} ` }] });
    expect(result.status).toBe('active');
    const pending = filingOf(await state(handle), caseNumber);
    expect(pending).toMatchObject({ caseNumber, orderNumber: view.issuedVersions[0].orderNumber });

    // Issue 13: once joined, the order is issued again (version 2) with the case number printed,
    // and that version is attached to the case too.
    const joined = await waitFor(
      handle,
      (v) => v.issuedVersions.length === 2 && filingOf(v, caseNumber)?.status === 'joined' && filingOf(v, caseNumber)!.attachedOrders.length === 2,
      'the join and the re-issued order',
    );
    const orders = joined.issuedVersions.map((i) => i.orderNumber);
    expect(orders[0]).toBe(view.issuedVersions[0].orderNumber);
    const filing = filingOf(joined, caseNumber)!;
    expect(filing).toMatchObject({ status: 'joined', orderNumber: orders[1], courtName: 'Bakı şəhəri Yasamal Rayon Məhkəməsi' });
    expect(filing.attachedOrders).toEqual(orders);
    expect(joined.history.some((h) => h.event === 'court_joined')).toBe(true);
    const inPortal = eCourt.caseOf(caseNumber)!;
    expect(inPortal.representatives).toHaveLength(1);
    expect(inPortal.representatives[0]).toMatchObject({ licenseNumber: expect.stringMatching(/^VL-/), protectedParty: { fin: draft.protectedPerson!.fin } });
    expect(inPortal.representatives[0].orders.map((o) => o.orderNumber)).toEqual(orders);
    const [first, second] = await Promise.all(
      [1, 2].map(async (version) => {
        const row = await system.db('contract_versions').where({ contract_id: view.contractId, version }).first('order_file');
        return pdfText((await fileStorageFor(system.config).get(row.order_file))!);
      }),
    );
    expect(first).not.toContain(caseNumber);
    expect(second).toContain(caseNumber);
    expect(second).toContain(orders[0]); // it names the order it replaces
    expect(inPortal.representatives[0].orders[0].bytes).toBeGreaterThan(1000);

    // The read model (what the API and the pages show) has the filing too.
    await eventually(
      async () => {
        const row = await system.db('contracts').where({ id: view.contractId }).first('view');
        return row.view.courtFilings?.[0]?.status === 'joined';
      },
      { what: 'the filing in the read model' },
    );

    // The same case again is refused while joined; another person's lawyer cannot send at all.
    expect((await refusalOf(handle.executeUpdate(sendToCourt, { args: [actors.lawyer, { caseNumber }] }))).type).toBe('NotAllowed');
    expect((await refusalOf(handle.executeUpdate(sendToCourt, { args: [actors.otherLawyer, { caseNumber }] }))).type).toBe('NotYours');
    expect((await refusalOf(handle.executeUpdate(sendToCourt, { args: [actors.lawyer, { caseNumber: '  ' }] }))).type).toBe('InvalidInput');
  });

  it('an unknown case number fails with the reason, without retrying', async () => {
    const { handle } = await activeContract();
    const before = eCourt.joinCalls();
    await handle.executeUpdate(sendToCourt, { args: [actors.lawyer, { caseNumber: '2(999)-1/2026' }] });
    const failed = await waitFor(handle, (v) => filingOf(v, '2(999)-1/2026')?.status === 'failed', 'the refusal');
    const filing = filingOf(failed, '2(999)-1/2026')!;
    expect(filing).toMatchObject({ reasonCode: 'CourtCaseNotFound', attempts: 1 });
    expect(describeCode('en', filing.reason ?? '', filing.reasonParams)).toMatch(/no case numbered 2\(999\)-1\/2026/i);
    expect(eCourt.joinCalls() - before).toBe(1);
  });

  it('a case the protected party is not a party to fails with the reason; the head may send another', async () => {
    const draft = completeDraft();
    const { handle } = await activeContract(draft);
    const strangers = courtCase([{ fin: 'ZZZ0002', name: 'Başqa Şəxs' }]);
    await handle.executeUpdate(sendToCourt, { args: [actors.lawyer, { caseNumber: strangers }] });
    const failed = await waitFor(handle, (v) => filingOf(v, strangers)?.status === 'failed', 'the refusal');
    const notAParty = filingOf(failed, strangers);
    expect(notAParty).toMatchObject({ reasonCode: 'NotAPartyToCase', reason: 'court_filing.not_a_party' });
    expect(describeCode('en', notAParty?.reason ?? '', notAParty?.reasonParams)).toMatch(/is not a party to case/);

    // The bureau head may send too, and a failed case number may be sent again once the portal knows it.
    eCourt.addCase({ caseNumber: strangers, courtName: 'Bakı Apellyasiya Məhkəməsi', subject: '', parties: [{ ...protectedOf(draft), role: 'accused' }] });
    await handle.executeUpdate(sendToCourt, { args: [actors.head, { caseNumber: strangers }] });
    const joined = await waitFor(handle, (v) => filingOf(v, strangers)?.status === 'joined', 'the second try');
    expect(filingOf(joined, strangers)).toMatchObject({ requestedBy: actors.head.id, courtName: 'Bakı Apellyasiya Məhkəməsi' });
    expect(filingOf(joined, strangers)!.reason).toBeUndefined();
  });

  it('e-court down: the filing stays pending while the activity retries, and joins once the portal is back', async () => {
    const draft = completeDraft();
    const { handle } = await activeContract(draft);
    const caseNumber = courtCase([protectedOf(draft)]);
    eCourt.setDown(true);
    try {
      const before = eCourt.joinCalls();
      await handle.executeUpdate(sendToCourt, { args: [actors.lawyer, { caseNumber }] });
      await eventually(() => Promise.resolve(eCourt.joinCalls() - before >= 2), { what: 'a retry while e-court is down', timeoutMs: 20_000 });
      expect(filingOf(await state(handle), caseNumber)?.status).toBe('pending');
    } finally {
      eCourt.setDown(false);
    }
    const joined = await waitFor(handle, (v) => filingOf(v, caseNumber)?.status === 'joined', 'the join after recovery', 45_000);
    expect(filingOf(joined, caseNumber)!.attempts).toBeGreaterThanOrEqual(3);
  });

  it('an amendment issues a new order, which is attached again to the joined case', async () => {
    const draft = completeDraft();
    const { handle, view } = await activeContract(draft);
    const caseNumber = courtCase([protectedOf(draft)]);
    await handle.executeUpdate(sendToCourt, { args: [actors.lawyer, { caseNumber }] });
    await waitFor(handle, (v) => v.issuedVersions.length === 2 && filingOf(v, caseNumber)?.attachedOrders.length === 2, 'the join and the re-issue');

    // The head's own amendment takes effect at once (R4.4.3): version 2 and a new order number.
    await handle.executeUpdate(proposeAmendment, { args: [actors.head, { changes: { assignment: 'Apellyasiya instansiyasında təmsilçilik.' } }] });
    const reattached = await waitFor(
      handle,
      (v) =>
        v.issuedVersions.length === 3 &&
        filingOf(v, caseNumber)?.status === 'joined' &&
        filingOf(v, caseNumber)!.orderNumber === v.issuedVersions[2].orderNumber,
      'the amended order attached',
    );
    const orders = reattached.issuedVersions.map((i) => i.orderNumber);
    expect(orders[0]).toBe(view.issuedVersions[0].orderNumber);
    expect(orders).toHaveLength(3); // the order, its re-issue with the case number (issue 13), the amendment's
    expect(filingOf(reattached, caseNumber)!.attachedOrders).toEqual(orders);
    expect(eCourt.caseOf(caseNumber)!.representatives[0].orders.map((o) => o.orderNumber)).toEqual(orders);

    // The history with the court lane (filing, join, amendment, re-attach) replays deterministically.
    await replayHistory(await handle.fetchHistory(), handle.workflowId);
  });

  it('a filing pending when the contract continues as new is carried over and completed by the new run', async () => {
    const draft = completeDraft();
    const { handle } = await activeContract(draft, actors.lawyer, { historyEventLimit: 75 });
    const firstRun = (await handle.describe()).runId;
    const caseNumber = courtCase([protectedOf(draft)]);
    eCourt.setDown(true);
    try {
      const before = eCourt.joinCalls();
      await handle.executeUpdate(sendToCourt, { args: [actors.lawyer, { caseNumber }] });
      // More steps push the history past the limit while the join is still failing. How many events a
      // step adds depends on how the server batches workflow tasks under load, so steps are sent until
      // the run continues as new (at most 12), not a fixed three.
      for (let i = 0; i < 12 && (await handle.describe()).runId === firstRun; i++) {
        await handle.executeUpdate(sendToCourt, { args: [actors.lawyer, { caseNumber: `2(999)-${900 + i}/2026` }] }).catch(() => undefined);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      await eventually(async () => (await handle.describe()).runId !== firstRun, { what: 'continue-as-new', timeoutMs: 20_000 });
      await eventually(() => Promise.resolve(eCourt.joinCalls() - before >= 2), { what: 'a retry while e-court is down', timeoutMs: 20_000 });
      expect(filingOf(await state(handle), caseNumber)?.status).toBe('pending');
    } finally {
      eCourt.setDown(false);
    }
    const joined = await waitFor(
      handle,
      (v) => filingOf(v, caseNumber)?.status === 'joined' && filingOf(v, caseNumber)!.attachedOrders.length === 2,
      'the join and the re-issued order in the new run',
      45_000,
    );
    expect(filingOf(joined, caseNumber)!.attachedOrders).toEqual(joined.issuedVersions.map((i) => i.orderNumber));
    expect(eCourt.caseOf(caseNumber)!.representatives).toHaveLength(1);
  });
});
