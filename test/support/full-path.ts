/**
 * The full path of one contract, driven through its workflow's messages as the API's steps send
 * them: draft, submit, reject, resubmit, approve, first instalment paid (order v1), an amendment
 * with a price change and the applicant's consent (v2), the balance paid, terminate, restart,
 * finish. The workflow test records its history as the replay fixture; `npm run bench` measures
 * its size against issue 14's 40 KB. No vitest here: the bench imports it.
 */
import { type Client, WithStartWorkflowOperation, type WorkflowHandle } from '@temporalio/client';
import type { Actor, ContractDraft } from '../../domain/contract';
import type { contractWorkflow } from '../../workflows/contract/workflow';
import { contractStartAttributes } from '../../workflows/shared/search-attributes';
import {
  approve,
  approveAmendment,
  type ContractView,
  contractWorkflowId,
  finish,
  getContractState,
  paymentCompleted,
  proposeAmendment,
  reject,
  respondToPriceChange,
  restart,
  saveDraft,
  submitForApproval,
  terminate,
} from '../../workflows/contract/messages';

type Handle = WorkflowHandle<typeof contractWorkflow>;

export interface FullPathActors {
  lawyer: Actor;
  head: Actor;
}

/** Drives a new contract `contractId` along the whole path and waits for its workflow to complete. */
export async function driveFullPath(
  client: Client,
  taskQueue: string,
  contractId: string,
  draft: ContractDraft,
  { lawyer, head }: FullPathActors,
): Promise<{ handle: Handle; result: Awaited<ReturnType<Handle['result']>> }> {
  // Started with its first save, as the API's gateway starts a contract (api/contract/gateway.ts).
  const startWorkflowOperation = new WithStartWorkflowOperation<typeof contractWorkflow>('contractWorkflow', {
    workflowId: contractWorkflowId(contractId),
    taskQueue,
    workflowIdConflictPolicy: 'FAIL',
    args: [{ contractId, contractNumber: `M-${contractId}`, lawyerId: lawyer.id, bureauId: lawyer.bureauId!, draft: {} }],
    typedSearchAttributes: contractStartAttributes(contractId, lawyer),
  });
  await client.workflow.executeUpdateWithStart(saveDraft, {
    args: [lawyer, { ...draft, price: { totalQepik: 100_000, plan: 'two_instalments', firstInstalmentQepik: 30_000 } }],
    startWorkflowOperation,
  });
  const handle: Handle = await startWorkflowOperation.workflowHandle();
  const payment = (amountQepik: number, id: string) => ({
    paymentId: `${contractId}-${id}`,
    amountQepik,
    method: 'card' as const,
    paidAt: new Date().toISOString(),
  });
  await handle.executeUpdate(submitForApproval, { args: [lawyer] });
  await handle.executeUpdate(reject, { args: [head, { reason: 'Qiyməti yoxlayın' }] });
  await handle.executeUpdate(saveDraft, { args: [lawyer, { price: { totalQepik: 120_000, plan: 'two_instalments', firstInstalmentQepik: 30_000 } }] });
  await handle.executeUpdate(submitForApproval, { args: [lawyer] });
  const { applicantAccountId } = await until(handle, (v) => v.applicantAccountId !== undefined, 'the applicant cabinet');
  const applicant: Actor = { kind: 'applicant', id: applicantAccountId! };
  await handle.executeUpdate(approve, { args: [head] });
  await handle.signal(paymentCompleted, payment(30_000, 'first'));
  await until(handle, (v) => v.issuedVersions.length === 1, 'the order of v1');
  await handle.executeUpdate(proposeAmendment, {
    args: [lawyer, { changes: { price: { totalQepik: 150_000, plan: 'two_instalments', firstInstalmentQepik: 30_000 } } }],
  });
  await handle.executeUpdate(respondToPriceChange, { args: [applicant, { consent: true }] });
  await handle.executeUpdate(approveAmendment, { args: [head] });
  await until(handle, (v) => v.issuedVersions.length === 2, 'the order of v2');
  await handle.signal(paymentCompleted, payment(120_000, 'balance'));
  await handle.executeUpdate(terminate, { args: [lawyer, { reason: 'Fasilə' }] });
  await handle.executeUpdate(restart, { args: [lawyer] });
  await handle.executeUpdate(finish, { args: [head] });
  return { handle, result: await handle.result() };
}

async function until(handle: Handle, predicate: (v: ContractView) => boolean, what: string, timeoutMs = 60_000): Promise<ContractView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const view = await handle.query(getContractState);
    if (predicate(view)) return view;
    if (Date.now() > deadline) throw new Error(`the full path: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
