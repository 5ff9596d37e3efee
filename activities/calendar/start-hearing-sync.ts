/**
 * Starts the hearing sync (issue 12) once per Temporal namespace; safe on every start of a worker:
 * when it already runs, the running one is kept.
 */
import type { Client } from '@temporalio/client';
import type { courtHearingSyncWorkflow } from '../../workflows/calendar/court-hearing-sync';
import type { CourtHearingSyncInput } from '../../workflows/calendar/messages';

export const COURT_HEARING_SYNC_WORKFLOW_ID = 'court-hearing-sync';

export async function ensureCourtHearingSync(client: Client, taskQueue: string, options: CourtHearingSyncInput & { workflowId?: string } = {}) {
  const { workflowId = COURT_HEARING_SYNC_WORKFLOW_ID, ...input } = options;
  return client.workflow.start<typeof courtHearingSyncWorkflow>('courtHearingSyncWorkflow', {
    workflowId,
    taskQueue,
    args: [input],
    workflowIdConflictPolicy: 'USE_EXISTING',
  });
}
