/**
 * The messages of an event's reminder workflow (R3.1): the API tells it of a new start time or of
 * the event's cancellation. Shared by the workflow and the API's gateway; imports nothing that touches Node.
 */
import { defineQuery, defineSignal } from '@temporalio/workflow';

export const SEMINAR_REMINDER_WORKFLOW_TYPE = 'seminarReminderWorkflow';
/** The event's own ID (a UUID): no title, no person. */
export const seminarReminderWorkflowId = (seminarId: string) => `seminar-reminder-${seminarId}`;

export interface SeminarReminderInput {
  seminarId: string;
  startsAt: string;
  /** How long before the start the reminder goes out (24 h in production; seconds in tests). */
  leadMs: number;
}

export interface SeminarReminderState {
  seminarId: string;
  startsAt: string;
  leadMs: number;
  /** Start times whose reminder has been queued. */
  remindedFor: string[];
  cancelled: boolean;
}

export interface SeminarReminderActivities {
  /** Queues the reminder e-mail of every lawyer registered now, once per start time (outbox keys). */
  queueSeminarReminders(input: { seminarId: string; startsAt: string }): Promise<{ queued: number }>;
}

export const seminarRescheduled = defineSignal<[{ startsAt: string }]>('seminarRescheduled');
export const seminarCancelled = defineSignal('seminarCancelled');
export const getSeminarReminderState = defineQuery<SeminarReminderState>('getSeminarReminderState');
