/**
 * The API's door to Temporal for seminars (R3.1): each event's reminder workflow is planned when the
 * Bar office publishes it, told of a new start time, and ended when the event is cancelled.
 */
import { type Client, WorkflowNotFoundError } from '@temporalio/client';
import { REMINDER_LEAD_MS } from '../../domain/seminars/reminder';
import { type SeminarReminderInput, seminarCancelled, seminarReminderWorkflowId, seminarRescheduled } from '../../workflows/seminars/messages';
import type { seminarReminderWorkflow } from '../../workflows/seminars/reminder';

export interface SeminarGatewayOptions {
  client: Client;
  taskQueue: string;
  /** How long before the start the reminder goes out; 24 h unless a test says otherwise. */
  reminderLeadMs?: number;
}

export class SeminarGateway {
  constructor(private readonly options: SeminarGatewayOptions) {}

  /**
   * Plans (or re-plans) the reminder for this start time: a running workflow is told by signal; a
   * finished one (its event had begun, and has now been moved later) starts again.
   */
  async planReminder(seminarId: string, startsAt: string): Promise<void> {
    const { client, taskQueue } = this.options;
    const input: SeminarReminderInput = { seminarId, startsAt, leadMs: this.options.reminderLeadMs ?? REMINDER_LEAD_MS };
    await client.workflow.signalWithStart<typeof seminarReminderWorkflow, [{ startsAt: string }]>('seminarReminderWorkflow', {
      workflowId: seminarReminderWorkflowId(seminarId),
      taskQueue,
      args: [input],
      signal: seminarRescheduled,
      signalArgs: [{ startsAt }],
    });
  }

  /** The event is cancelled: its reminder ends (nothing to do if it already has). */
  async cancelReminder(seminarId: string): Promise<void> {
    try {
      await this.options.client.workflow.getHandle(seminarReminderWorkflowId(seminarId)).signal(seminarCancelled);
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
    }
  }
}
