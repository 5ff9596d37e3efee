/**
 * The messages a profile change request's workflow answers (SPEC R8.2, issue 11): updates for the
 * Bar office's decision and the lawyer's withdrawal (each with a synchronous validator), one query
 * for the state. Shared by the workflow and the API; imports nothing that touches Node.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Actor, ProfileChangeStatus, ProfileContacts } from '../../domain/profile';

export const PROFILE_CHANGE_WORKFLOW_TYPE = 'profileChangeWorkflow';
/** The request's ID is a random UUID: no personal data in the workflow ID. */
export const profileChangeWorkflowId = (changeId: string) => `profile-change-${changeId}`;

/** Three days: after this the office is reminded of a request still waiting (issue 11). */
export const DEFAULT_PROFILE_REMINDER_MS = 3 * 24 * 60 * 60 * 1000;

export interface ProfileChangeInput {
  changeId: string;
  lawyerId: string;
  requested: ProfileContacts;
  submittedAt: string;
  /** How long the request may wait before the office is reminded; tests give seconds. */
  reminderAfterMs: number;
}

export interface ProfileChangeHistoryEntry {
  at: string;
  event: 'submitted' | 'reminded' | 'approved' | 'rejected' | 'withdrawn';
  by?: string;
}

/** The workflow's whole state: plain JSON. */
export interface ProfileChangeState {
  changeId: string;
  lawyerId: string;
  requested: ProfileContacts;
  status: ProfileChangeStatus;
  submittedAt: string;
  decision?: { at: string; by: string; reason?: string };
  remindedAt?: string;
  history: ProfileChangeHistoryEntry[];
  /** Increases with every change; the read model keeps only the newest. */
  revision: number;
}

export type ProfileChangeView = ProfileChangeState;

export interface ProfileChangeResult {
  status: ProfileChangeStatus;
  revision: number;
}

/** The activities the workflow calls, as types only. */
export interface ProfileChangeActivities {
  /** Writes the read model and, once approved, the lawyer's verified values; an older revision never overwrites a newer one. */
  recordProfileChange(view: ProfileChangeView): Promise<void>;
  /** The request has waited too long: marked for the office's queue, and an e-mail to the office's address when one is configured. */
  remindOfficeOfProfileChange(input: { changeId: string }): Promise<void>;
  /** The lawyer hears of the decision by e-mail (through the outbox), with a link to the profile; never the values. */
  notifyLawyerOfProfileDecision(input: { changeId: string; lawyerId: string; status: ProfileChangeStatus }): Promise<void>;
}

export const getProfileChangeState = defineQuery<ProfileChangeView>('getProfileChangeState');

export const approveProfileChange = defineUpdate<ProfileChangeResult, [Actor]>('approveProfileChange');
export const rejectProfileChange = defineUpdate<ProfileChangeResult, [Actor, { reason: string }]>('rejectProfileChange');
export const withdrawProfileChange = defineUpdate<ProfileChangeResult, [Actor]>('withdrawProfileChange');
