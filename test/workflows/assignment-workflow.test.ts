/**
 * State-funded assignments (SPEC R5) on the real Temporal dev server with the real read-model
 * activity: assigned → approved by the head → current → done → archived; declined with a reason;
 * the wrong person refused.
 */
import { randomBytes } from 'node:crypto';
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor, AssignmentDetails } from '../../domain/assignment';
import type { assignmentWorkflow } from '../../workflows/assignment/workflow';
import { approveAssignment, assignmentWorkflowId, completeAssignment, declineAssignment, getAssignmentState } from '../../workflows/assignment/messages';
import { actors, eventually, startTestSystem, type TestSystem } from '../support/system';

let system: TestSystem;

beforeAll(async () => {
  system = await startTestSystem();
});
afterAll(async () => {
  await system?.close();
});

type Handle = WorkflowHandle<typeof assignmentWorkflow>;

const details = (): AssignmentDetails => ({
  court: 'Bakı Ağır Cinayətlər Məhkəməsi',
  caseNumber: `1(101)-${randomBytes(2).toString('hex')}/2026`,
  defendedPerson: { name: 'Rəşad Əliyev', fin: '5AB7K2M' },
  assignedAt: '2026-11-20',
});

async function assign(lawyer: Actor = actors.lawyer): Promise<Handle> {
  const assignmentId = `wf-${randomBytes(5).toString('hex')}`;
  return system.client.workflow.start('assignmentWorkflow', {
    workflowId: assignmentWorkflowId(assignmentId),
    taskQueue: system.taskQueue,
    args: [
      { assignmentId, assignmentNumber: `T-${assignmentId}`, lawyerId: lawyer.id, bureauId: lawyer.bureauId!, assignedBy: actors.admin.id, details: details() },
    ],
  }) as Promise<Handle>;
}

const idOf = (handle: Handle) => handle.workflowId.slice('assignment-'.length);
const readModel = (handle: Handle) =>
  system
    .db('assignments')
    .where({ id: idOf(handle) })
    .first();

async function refusal(promise: Promise<unknown>): Promise<ApplicationFailure> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
  const cause = (err as WorkflowUpdateFailedError).cause;
  expect(cause).toBeInstanceOf(ApplicationFailure);
  return cause as ApplicationFailure;
}

describe('an assignment (R5)', () => {
  it('assigned → the head approves → current → the lawyer marks it done → archived, each step in the read model', async () => {
    const handle = await assign();
    const first = await eventually(async () => (await readModel(handle)) ?? undefined, { what: 'the read model' });
    expect(first).toMatchObject({
      status: 'awaiting_approval',
      lawyer_id: actors.lawyer.id,
      bureau_id: actors.lawyer.bureauId,
      defended_person_fin: '5AB7K2M',
    });

    const approved = await handle.executeUpdate(approveAssignment, { args: [actors.head] });
    expect(approved.status).toBe('current');
    expect((await readModel(handle)).status).toBe('current');
    expect((await handle.query(getAssignmentState)).approval?.by).toBe(actors.head.id);

    const done = await handle.executeUpdate(completeAssignment, { args: [actors.lawyer] });
    expect(done.status).toBe('archived');
    const final = await handle.result();
    expect(final.status).toBe('archived');
    expect(final.history.map((h) => h.event)).toEqual(['assigned', 'approved', 'completed']);
    const row = await readModel(handle);
    expect(row.status).toBe('archived');
    expect(row.revision).toBe(final.revision);
  });

  it('the head declines with a reason; a decline without one is refused at its field', async () => {
    const handle = await assign();
    const noReason = await refusal(handle.executeUpdate(declineAssignment, { args: [actors.head, { reason: '  ' }] }));
    expect(noReason.type).toBe('InvalidInput');
    expect(noReason.details?.[0]).toMatchObject({ field: 'reason' });

    const declined = await handle.executeUpdate(declineAssignment, { args: [actors.head, { reason: 'Vəkil həmin gün başqa prosesdədir.' }] });
    expect(declined.status).toBe('declined');
    const final = await handle.result();
    expect(final.decline).toMatchObject({ reason: 'Vəkil həmin gün başqa prosesdədir.', by: actors.head.id });
    expect((await readModel(handle)).status).toBe('declined');
  });

  it('the individual lawyer approves their own assignment', async () => {
    const handle = await assign(actors.individual);
    expect((await handle.executeUpdate(approveAssignment, { args: [actors.individual] })).status).toBe('current');
    await handle.terminate('test over');
  });

  it('the wrong person is refused: the lawyer cannot approve, another bureau cannot see it, nothing is done twice', async () => {
    const handle = await assign();
    expect((await refusal(handle.executeUpdate(approveAssignment, { args: [actors.lawyer] }))).type).toBe('NotAllowed');
    expect((await refusal(handle.executeUpdate(declineAssignment, { args: [actors.lawyer, { reason: 'x' }] }))).type).toBe('NotAllowed');
    // The individual lawyer heads a bureau of one: someone else's bureau's assignment is not theirs.
    expect((await refusal(handle.executeUpdate(approveAssignment, { args: [actors.individual] }))).type).toBe('NotYours');
    // A colleague of the same bureau who is not its head does not see another lawyer's assignment.
    expect((await refusal(handle.executeUpdate(approveAssignment, { args: [actors.otherLawyer] }))).type).toBe('NotYours');
    expect((await refusal(handle.executeUpdate(completeAssignment, { args: [actors.lawyer] }))).type).toBe('NotAllowed');
    // Refused updates leave no trace.
    expect((await handle.query(getAssignmentState)).status).toBe('awaiting_approval');
    expect((await handle.query(getAssignmentState)).revision).toBe(1);

    await handle.executeUpdate(approveAssignment, { args: [actors.head] });
    expect((await refusal(handle.executeUpdate(approveAssignment, { args: [actors.head] }))).type).toBe('NotAllowed');
    expect((await refusal(handle.executeUpdate(completeAssignment, { args: [actors.individual] }))).type).toBe('NotYours');
    expect((await handle.executeUpdate(completeAssignment, { args: [actors.head] })).status).toBe('archived');
  });
});
