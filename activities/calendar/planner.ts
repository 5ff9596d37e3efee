/**
 * Plans a meeting's reminders in Temporal (R8.4, issue 12): the one door to the meeting workflows,
 * used by the API (a lawyer's edit) and by the hearing sync (a hearing e-court moved). A running
 * workflow is told the newer plan by signal; none running (a new meeting, or one whose workflow
 * ended with an earlier time) starts with it. A meeting with no reminders and no workflow needs none.
 */
import { type Client, WorkflowNotFoundError } from '@temporalio/client';
import { DEFAULT_LATE_AFTER_MS, type MeetingPlan, type PlannedReminder } from '../../domain/calendar/reminders';
import { meetingCancelled, meetingPlanned, meetingRemindersWorkflowId } from '../../workflows/calendar/messages';
import type { meetingRemindersWorkflow } from '../../workflows/calendar/meeting-reminders';

export interface ReminderPlannerOptions {
  client: Client;
  taskQueue: string;
  /** Reminders later than this are marked late (EVK_CALENDAR_LATE_AFTER_MS). */
  lateAfterMs?: number;
}

export interface PlannableMeeting {
  id: string;
  version: number;
  startsAt: string;
  endsAt: string;
  reminders: PlannedReminder[];
}

export class ReminderPlanner {
  constructor(private readonly options: ReminderPlannerOptions) {}

  async plan(meeting: PlannableMeeting): Promise<void> {
    const { client, taskQueue } = this.options;
    const plan: MeetingPlan = {
      meetingId: meeting.id,
      version: meeting.version,
      startsAt: meeting.startsAt,
      endsAt: meeting.endsAt,
      savedAt: new Date().toISOString(),
      reminders: meeting.reminders.map((r) => ({ id: r.id, beforeSeconds: r.beforeSeconds })),
      lateAfterMs: this.options.lateAfterMs ?? DEFAULT_LATE_AFTER_MS,
    };
    const workflowId = meetingRemindersWorkflowId(meeting.id);
    // Nothing to remind of (none asked, or the meeting is over): only a running workflow needs to hear it.
    if (plan.reminders.length === 0 || Date.parse(plan.endsAt) <= Date.now()) return this.signalIfRunning(workflowId, plan);
    await client.workflow.signalWithStart<typeof meetingRemindersWorkflow, [MeetingPlan]>('meetingRemindersWorkflow', {
      workflowId,
      taskQueue,
      args: [plan],
      signal: meetingPlanned,
      signalArgs: [plan],
    });
  }

  async cancel(meetingId: string): Promise<void> {
    try {
      await this.options.client.workflow.getHandle(meetingRemindersWorkflowId(meetingId)).signal(meetingCancelled);
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
    }
  }

  private async signalIfRunning(workflowId: string, plan: MeetingPlan): Promise<void> {
    try {
      await this.options.client.workflow.getHandle(workflowId).signal(meetingPlanned, plan);
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
    }
  }
}
