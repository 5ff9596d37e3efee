/** Contract workflows started straight on Temporal (no API), as the workflow tests drive them. */
import { randomBytes } from 'node:crypto';
import type { WorkflowHandle } from '@temporalio/client';
import type { contractWorkflow } from '../../workflows/contract/workflow';
import { contractWorkflowId, saveDraft, submitForApproval } from '../../workflows/contract/messages';
import { actors, completeDraft, type TestSystem } from './system';

export type ContractHandle = WorkflowHandle<typeof contractWorkflow>;

/** A contract of the demo lawyer with a complete draft, submitted for approval; its ID begins with `prefix`. */
export async function submittedContractWorkflow(system: TestSystem, prefix: string): Promise<{ contractId: string; handle: ContractHandle }> {
  const contractId = `${prefix}-${randomBytes(5).toString('hex')}`;
  const handle = (await system.client.workflow.start('contractWorkflow', {
    workflowId: contractWorkflowId(contractId),
    taskQueue: system.taskQueue,
    args: [{ contractId, contractNumber: `M-${contractId}`, lawyerId: actors.lawyer.id, bureauId: actors.lawyer.bureauId!, draft: {} }],
  })) as ContractHandle;
  await handle.executeUpdate(saveDraft, { args: [actors.lawyer, completeDraft()] });
  await handle.executeUpdate(submitForApproval, { args: [actors.lawyer] });
  return { contractId, handle };
}
