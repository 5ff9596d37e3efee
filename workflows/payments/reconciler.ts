/**
 * The payment reconciliation (issue 10 item 1, R4.3.3): one long-running workflow per namespace (ID
 * `payment-reconciler`), started by the worker like the notification dispatcher. Every
 * `intervalMs` it runs `reconcilePayments`, which re-delivers the stored reports that never reached
 * their contract and asks the agent about every open payment request, so a payment the agent took
 * reaches its contract after any outage — of the web process, of Temporal, of the agent's
 * callbacks — even when the agent has given up calling us back. Repeats are harmless: the
 * contract's workflow keeps a high-water mark per agent payment.
 */
import { continueAsNew, proxyActivities, sleep, workflowInfo } from '@temporalio/workflow';
import type { PaymentActivities, PaymentReconcilerInput } from '../../activities/payment/types';

const { reconcilePayments } = proxyActivities<PaymentActivities>({
  // One turn asks the agent at most `limit` times (10 s each at worst) and stops at its first failure.
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds' },
});

export const PAYMENT_RECONCILER_DEFAULTS = {
  intervalMs: 15_000,
  continueAsNewEvery: 200,
} as const;

export async function paymentReconcilerWorkflow(input: PaymentReconcilerInput = {}): Promise<void> {
  const { intervalMs = PAYMENT_RECONCILER_DEFAULTS.intervalMs, continueAsNewEvery = PAYMENT_RECONCILER_DEFAULTS.continueAsNewEvery, ...turn } = input;
  for (let iteration = 0; iteration < continueAsNewEvery; iteration++) {
    await reconcilePayments(turn);
    await sleep(intervalMs);
    if (workflowInfo().continueAsNewSuggested) break;
  }
  await continueAsNew<typeof paymentReconcilerWorkflow>(input);
}
