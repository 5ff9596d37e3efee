/**
 * Starts the notification dispatcher workflow once per Temporal namespace (R4.2, R4.3.1). Safe to
 * call on every start of the worker or web process: when it already runs, the running one is kept.
 */
import type { Client, WorkflowHandle } from '@temporalio/client';
import type { notificationDispatcherWorkflow } from '../../workflows/notifications/dispatcher';
import type { NotificationDispatcherInput } from './types';

export const NOTIFICATION_DISPATCHER_WORKFLOW_ID = 'notification-dispatcher';

export interface EnsureNotificationDispatcherOptions extends NotificationDispatcherInput {
  /** Default `notification-dispatcher`. Tests that share a Temporal server use one per task queue. */
  workflowId?: string;
}

export async function ensureNotificationDispatcher(
  client: Client,
  taskQueue: string,
  options: EnsureNotificationDispatcherOptions = {},
): Promise<WorkflowHandle<typeof notificationDispatcherWorkflow>> {
  const { workflowId = NOTIFICATION_DISPATCHER_WORKFLOW_ID, ...input } = options;
  return client.workflow.start<typeof notificationDispatcherWorkflow>('notificationDispatcherWorkflow', {
    workflowId,
    taskQueue,
    args: [input],
    workflowIdConflictPolicy: 'USE_EXISTING',
  });
}
