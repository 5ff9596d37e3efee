/**
 * The messages of a contract's second-instalment reminder (issue 12). Shared by the workflow and its
 * starter (an activity of the contract); imports nothing that touches Node.
 */
import { defineQuery, defineSignal } from '@temporalio/workflow';

export const INSTALMENT_REMINDER_WORKFLOW_TYPE = 'instalmentReminderWorkflow';
/** The contract's own ID: no number, no person. One reminder workflow per contract. */
export const instalmentReminderWorkflowId = (contractId: string) => `instalment-reminder-${contractId}`;

export interface InstalmentReminderInput {
  contractId: string;
  /** How long before the due time the applicant is reminded (EVK_INSTALMENT_REMINDER_LEAD_MS; seconds in tests). */
  leadMs: number;
}

/** The due day as the terms say it now; sent at every start, so an amended day replans. */
export interface InstalmentDue {
  /** "YYYY-MM-DD" (Baku). */
  dueOn: string;
  /** The instant the day is due at (ISO): 09:00 Baku of `dueOn`; tests give one seconds ahead. */
  dueAt: string;
}

export interface InstalmentReminderState {
  contractId: string;
  due?: InstalmentDue;
  leadMs: number;
  /** Due days whose reminder has been queued (or found not owed). */
  remindedFor: string[];
  /** Why it ended: the remainder was paid (or the contract closed) before or at a reminder. */
  settled: boolean;
}

export interface InstalmentReminderActivities {
  /** Queues the applicant's reminder when the remainder is still owed (checked now, not when planned). */
  queueInstalmentReminder(input: { contractId: string; dueOn: string }): Promise<{ owed: boolean; queued: number }>;
}

export const instalmentDueSet = defineSignal<[InstalmentDue]>('instalmentDueSet');
export const getInstalmentReminderState = defineQuery<InstalmentReminderState>('getInstalmentReminderState');
