/**
 * The benchmark's baseline: the contract's message pattern (a first save that starts the workflow,
 * submit and approve as updates, the payment as a signal) with no activities, no read model, no
 * search attributes and no validators — what Temporal alone costs on the same server and worker
 * settings. Bundled separately by bench/run.ts; not part of workflows/index.ts.
 *
 * `waitUntilPaid` is an update that completes once the payment signal has been handled, so the
 * client learns "paid" without polling.
 */
import { condition, defineQuery, defineSignal, defineUpdate, setHandler } from '@temporalio/workflow';

export type BareStatus = 'draft' | 'awaiting_approval' | 'awaiting_payment' | 'paid' | 'closed';

export interface BareResult {
  status: BareStatus;
  revision: number;
}

export const bareSaveDraft = defineUpdate<BareResult, [unknown]>('bareSaveDraft');
export const bareSubmit = defineUpdate<BareResult>('bareSubmit');
export const bareApprove = defineUpdate<BareResult>('bareApprove');
export const barePaymentCompleted = defineSignal<[{ paymentId: string; amountQepik: number }]>('barePaymentCompleted');
export const bareWaitUntilPaid = defineUpdate<BareResult>('bareWaitUntilPaid');
export const bareClose = defineSignal('bareClose');
export const bareState = defineQuery<BareResult>('bareState');

export async function bareContractWorkflow(): Promise<BareResult> {
  let status: BareStatus = 'draft';
  let revision = 0;
  let draft: unknown;
  const result = (): BareResult => ({ status, revision });
  const step = (to: BareStatus) => {
    status = to;
    revision += 1;
    return result();
  };

  setHandler(bareState, result);
  setHandler(bareSaveDraft, (next) => {
    draft = next;
    return step('draft');
  });
  setHandler(bareSubmit, () => step('awaiting_approval'));
  setHandler(bareApprove, () => step('awaiting_payment'));
  setHandler(barePaymentCompleted, () => {
    if (status === 'awaiting_payment') step('paid');
  });
  setHandler(bareWaitUntilPaid, async () => {
    await condition(() => status === 'paid' || status === 'closed');
    return result();
  });
  setHandler(bareClose, () => {
    status = 'closed';
  });

  await condition(() => status === 'closed');
  void draft;
  return result();
}
