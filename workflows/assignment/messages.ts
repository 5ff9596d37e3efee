/**
 * The messages an assignment workflow answers (SPEC R5): updates for the bureau head's and the
 * lawyer's decisions (each with a synchronous validator in the workflow), one query for the state.
 * Shared by the workflow and the API; imports nothing that touches Node.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Actor, AssignmentDetails, AssignmentStatus } from '../../domain/assignment';

export const ASSIGNMENT_WORKFLOW_TYPE = 'assignmentWorkflow';
export const assignmentWorkflowId = (assignmentId: string) => `assignment-${assignmentId}`;

export interface AssignmentWorkflowInput {
  assignmentId: string;
  assignmentNumber: string;
  lawyerId: string;
  bureauId: string;
  /** The Bar office administrator who assigned the case. */
  assignedBy: string;
  details: AssignmentDetails;
}

export interface AssignmentHistoryEntry {
  at: string;
  event: string;
  by?: string;
  detail?: string;
}

/** The workflow's whole state: plain JSON. */
export interface AssignmentState {
  assignmentId: string;
  assignmentNumber: string;
  lawyerId: string;
  bureauId: string;
  assignedBy: string;
  details: AssignmentDetails;
  status: AssignmentStatus;
  approval?: { at: string; by: string };
  decline?: { reason: string; at: string; by: string };
  completion?: { at: string; by: string };
  history: AssignmentHistoryEntry[];
  /** Increases with every change; the read model keeps only the newest. */
  revision: number;
}

export type AssignmentView = AssignmentState;

export interface AssignmentActionResult {
  status: AssignmentStatus;
  revision: number;
}

/** The activities an assignment workflow calls, as types only. */
export interface AssignmentActivities {
  /** Writes the assignment's read model; an older revision never overwrites a newer one. */
  recordAssignment(view: AssignmentView): Promise<void>;
}

export const getAssignmentState = defineQuery<AssignmentView>('getAssignmentState');

export const approveAssignment = defineUpdate<AssignmentActionResult, [Actor]>('approveAssignment');
export const declineAssignment = defineUpdate<AssignmentActionResult, [Actor, { reason: string }]>('declineAssignment');
export const completeAssignment = defineUpdate<AssignmentActionResult, [Actor]>('completeAssignment');
