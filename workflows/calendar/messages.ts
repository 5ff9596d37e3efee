/**
 * The messages of the calendar's workflows (R8.4, issue 12), shared by the workflows, the API's
 * gateway and the activities. Imports nothing that touches Node. IDs carry the meeting's UUID only.
 */
import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { MeetingPlan } from '../../domain/calendar/reminders';

export const MEETING_REMINDERS_WORKFLOW_TYPE = 'meetingRemindersWorkflow';
export const meetingRemindersWorkflowId = (meetingId: string) => `meeting-reminders-${meetingId}`;

export interface MeetingRemindersState {
  plan: MeetingPlan;
  /** `sentKey(reminder, dueAt)` of every reminder handed to the outbox. */
  sent: string[];
  /** How many went out late (the system was down at their time). */
  late: number;
  cancelled: boolean;
}

export interface SendMeetingReminderInput {
  meetingId: string;
  reminderId: string;
  version: number;
  dueAt: string;
  late: boolean;
}

export interface MeetingReminderActivities {
  /** Queues the reminder in the outbox (e-mail and/or SMS), once per meeting, reminder and version. */
  sendMeetingReminder(input: SendMeetingReminderInput): Promise<{ queued: number; skipped?: 'stale' | 'gone' | 'repeat' | 'over' }>;
}

export interface CourtHearingSyncInput {
  /** Between two turns (5 minutes by default; seconds in tests). */
  intervalMs?: number;
  continueAsNewEvery?: number;
}

export interface CourtHearingActivities {
  /** Asks e-court for the hearings of every case a lawyer joined (R4.6) and brings the meetings in line. */
  syncCourtHearings(): Promise<{ cases: number; created: number; moved: number; cancelled: number }>;
}

/** A newer plan (an edit, a moved hearing): the reminders are planned again. */
export const meetingPlanned = defineSignal<[MeetingPlan]>('meetingPlanned');
export const meetingCancelled = defineSignal('meetingCancelled');
export const getMeetingRemindersState = defineQuery<MeetingRemindersState>('getMeetingRemindersState');
