/**
 * Starts the payment reconciliation workflow once per Temporal namespace (issue 10 item 1). Safe to
 * call on every start of a worker: when it already runs, the running one is kept.
 */
import type { Client, WorkflowHandle } from '@temporalio/client';
import type { paymentReconcilerWorkflow } from '../../workflows/payments/reconciler';
import type { PaymentReconcilerInput } from './types';

export const PAYMENT_RECONCILER_WORKFLOW_ID = 'payment-reconciler';

export interface EnsurePaymentReconcilerOptions extends PaymentReconcilerInput {
  /** Default `payment-reconciler`. Tests that share a Temporal server use one per task queue. */
  workflowId?: string;
}

export async function ensurePaymentReconciler(
  client: Client,
  taskQueue: string,
  options: EnsurePaymentReconcilerOptions = {},
): Promise<WorkflowHandle<typeof paymentReconcilerWorkflow>> {
  const { workflowId = PAYMENT_RECONCILER_WORKFLOW_ID, ...input } = options;
  return client.workflow.start<typeof paymentReconcilerWorkflow>('paymentReconcilerWorkflow', {
    workflowId,
    taskQueue,
    args: [input],
    workflowIdConflictPolicy: 'USE_EXISTING',
  });
}
