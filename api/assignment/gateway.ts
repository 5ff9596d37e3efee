/**
 * The API's door to Temporal for state-funded assignments (SPEC R5): starts an assignment's
 * workflow when the Bar office assigns a case, and passes each decision to it as an update.
 */
import type { Client } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import type { Knex } from 'knex';
import { type Actor, type AssignmentDetails, type AssignmentInput, assignRefusal, normalizeAssignment, validateAssignment } from '../../domain/assignment';
import {
  type AssignmentActionResult,
  approveAssignment,
  assignmentWorkflowId,
  completeAssignment,
  declineAssignment,
} from '../../workflows/assignment/messages';
import type { assignmentWorkflow } from '../../workflows/assignment/workflow';
import { BUREAU_ID_KEY as bureauKey, LAWYER_ID_KEY as lawyerKey } from '../../workflows/shared/search-attributes';
import { fieldRefusal, invalidInput, refusedWith } from '../http/errors';

export interface AssignmentGatewayOptions {
  client: Client;
  db: Knex;
  taskQueue: string;
}

export class AssignmentGateway {
  constructor(private readonly options: AssignmentGatewayOptions) {}

  private handle(assignmentId: string) {
    return this.options.client.workflow.getHandle(assignmentWorkflowId(assignmentId));
  }

  /**
   * R5: the Bar office assigns a lawyer of the register to a proceeding. Checked here (fields at
   * their names, the lawyer on the active register), numbered, its workflow started, and in the read
   * model when this returns.
   */
  async assign(admin: Actor, input: AssignmentInput): Promise<{ assignmentId: string; assignmentNumber: string }> {
    const refused = assignRefusal(admin);
    if (refused) throw refusedWith(403, 'forbidden', refused);
    const details: AssignmentDetails | undefined = normalizeAssignment(input);
    if (!details || input.lawyerId === undefined) throw invalidInput(validateAssignment(input));
    const { db, client, taskQueue } = this.options;
    const lawyer = await db<{ id: string; bureau_id: string; on_active_register: boolean }>('lawyers')
      .where({ id: input.lawyerId.trim(), on_active_register: true })
      .first('id', 'bureau_id');
    if (!lawyer) throw fieldRefusal('lawyerId', 'unknown', 'assignment.lawyer_not_on_register');
    const {
      rows: [{ seq }],
    } = await db.raw<{ rows: [{ seq: string }] }>("SELECT nextval('assignment_number_seq') AS seq");
    const assignmentId = `${new Date().getFullYear()}-${String(seq).padStart(6, '0')}`;
    const assignmentNumber = `T-${assignmentId}`;
    await client.workflow.start<typeof assignmentWorkflow>('assignmentWorkflow', {
      workflowId: assignmentWorkflowId(assignmentId),
      taskQueue,
      workflowIdConflictPolicy: 'FAIL',
      args: [{ assignmentId, assignmentNumber, lawyerId: lawyer.id, bureauId: lawyer.bureau_id, assignedBy: admin.id, details }],
      typedSearchAttributes: [
        { key: bureauKey, value: lawyer.bureau_id },
        { key: lawyerKey, value: lawyer.id },
      ],
    });
    await this.waitForReadModel(assignmentId);
    return { assignmentId, assignmentNumber };
  }

  approve = (id: string, actor: Actor) => this.update(id, approveAssignment, [actor]);
  decline = (id: string, actor: Actor, reason: string) => this.update(id, declineAssignment, [actor, { reason }]);
  complete = (id: string, actor: Actor) => this.update(id, completeAssignment, [actor]);

  /** The workflow's first step writes the read model; the lists should show the assignment at once. */
  private async waitForReadModel(assignmentId: string, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (await this.options.db('assignments').where({ id: assignmentId }).first('id')) return;
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  private async update<Args extends [Actor, ...unknown[]]>(
    id: string,
    definition: UpdateDefinition<AssignmentActionResult, Args>,
    args: Args,
  ): Promise<AssignmentActionResult> {
    return this.handle(id).executeUpdate(definition, { args });
  }
}
