/**
 * The notification dispatcher (R4.2, R4.3.1): one long-running workflow (ID
 * `notification-dispatcher`) that keeps delivering the outbox. Each turn calls the activity
 * `dispatchPendingNotifications`; when nothing was sent (or nothing is left) it sleeps
 * `pollIntervalMs`; every `continueAsNewEvery` turns (or when Temporal suggests it) it continues as
 * new, so its history stays short. The activity does the claiming with short leases in PostgreSQL,
 * renewed while it sends (issue 10 item 2), so a
 * second dispatcher (or an activity retried while its first attempt still runs) never sends a row
 * twice.
 */
import { continueAsNew, proxyActivities, sleep, workflowInfo } from '@temporalio/workflow';
import type { NotificationActivities, NotificationDispatcherInput } from '../../activities/notifications/types';

const { dispatchPendingNotifications } = proxyActivities<NotificationActivities>({
  startToCloseTimeout: '1 minute',
  // Issue 10 item 2: the activity heartbeats every second while it sends; a dispatcher killed with
  // its batch is retried within seconds, and its rows' short leases have run out by then.
  heartbeatTimeout: '5 seconds',
  // Messages must get out in the end: retry without limit (e.g. while PostgreSQL restarts).
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds' },
});

export const NOTIFICATION_DISPATCHER_DEFAULTS = {
  batchSize: 50,
  pollIntervalMs: 2_000,
  continueAsNewEvery: 200,
} as const;

export async function notificationDispatcherWorkflow(input: NotificationDispatcherInput = {}): Promise<void> {
  const batchSize = input.batchSize ?? NOTIFICATION_DISPATCHER_DEFAULTS.batchSize;
  const pollIntervalMs = input.pollIntervalMs ?? NOTIFICATION_DISPATCHER_DEFAULTS.pollIntervalMs;
  const continueAsNewEvery = input.continueAsNewEvery ?? NOTIFICATION_DISPATCHER_DEFAULTS.continueAsNewEvery;
  for (let iteration = 0; iteration < continueAsNewEvery; iteration++) {
    const { sent, remaining } = await dispatchPendingNotifications({ limit: batchSize });
    // More is due and this batch went out: go on at once. Otherwise (idle, or every send failed —
    // the mail server may be down) wait, rather than hammering it.
    if (sent === 0 || remaining === 0) await sleep(pollIntervalMs);
    if (workflowInfo().continueAsNewSuggested) break;
  }
  await continueAsNew<typeof notificationDispatcherWorkflow>(input);
}
