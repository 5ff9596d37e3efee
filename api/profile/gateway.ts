/**
 * The API's door to Temporal for profile change requests (SPEC R8.2, issue 11): starts one
 * workflow per request and passes the office's decision (or the lawyer's withdrawal) to it as an update.
 */
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import type { Knex } from 'knex';
import type { Actor, ProfileContacts } from '../../domain/profile';
import {
  approveProfileChange,
  DEFAULT_PROFILE_REMINDER_MS,
  PROFILE_CHANGE_WORKFLOW_TYPE,
  type ProfileChangeResult,
  profileChangeWorkflowId,
  rejectProfileChange,
  withdrawProfileChange,
} from '../../workflows/profile/messages';
import type { profileChangeWorkflow } from '../../workflows/profile/workflow';
import { LAWYER_ID_KEY } from '../../workflows/shared/search-attributes';
import { conflict } from '../http/errors';

export interface ProfileGatewayOptions {
  client: Client;
  db: Knex;
  taskQueue: string;
  /** How long a request waits before the office is reminded (EVK_PROFILE_REMINDER_MS). */
  reminderAfterMs?: number;
}

const isUniqueViolation = (err: unknown) => (err as { code?: string } | undefined)?.code === '23505';

export class ProfileGateway {
  constructor(private readonly options: ProfileGatewayOptions) {}

  /**
   * A new request: its pending row is written first, so the one-pending-per-lawyer index refuses a
   * second one (409 profile.change_pending) before any workflow exists; then its workflow starts.
   */
  async submit(lawyerId: string, requested: ProfileContacts): Promise<{ changeId: string }> {
    const { db, client, taskQueue } = this.options;
    const changeId = randomUUID();
    const submittedAt = new Date().toISOString();
    try {
      await db('profile_changes').insert({
        id: changeId,
        lawyer_id: lawyerId,
        status: 'pending',
        requested: JSON.stringify(requested),
        submitted_at: submittedAt,
        revision: 0,
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw conflict('profile.change_pending');
      throw err;
    }
    try {
      await client.workflow.start<typeof profileChangeWorkflow>(PROFILE_CHANGE_WORKFLOW_TYPE, {
        workflowId: profileChangeWorkflowId(changeId),
        taskQueue,
        workflowIdConflictPolicy: 'FAIL',
        args: [{ changeId, lawyerId, requested, submittedAt, reminderAfterMs: this.options.reminderAfterMs ?? DEFAULT_PROFILE_REMINDER_MS }],
        typedSearchAttributes: [{ key: LAWYER_ID_KEY, value: lawyerId }],
      });
    } catch (err) {
      await db('profile_changes').where({ id: changeId, revision: 0 }).delete();
      throw err;
    }
    return { changeId };
  }

  approve = (changeId: string, actor: Actor) => this.update(changeId, approveProfileChange, [actor]);
  reject = (changeId: string, actor: Actor, reason: string) => this.update(changeId, rejectProfileChange, [actor, { reason }]);
  withdraw = (changeId: string, actor: Actor) => this.update(changeId, withdrawProfileChange, [actor]);

  private update<Args extends [Actor, ...unknown[]]>(changeId: string, definition: UpdateDefinition<ProfileChangeResult, Args>, args: Args) {
    return this.options.client.workflow.getHandle(profileChangeWorkflowId(changeId)).executeUpdate(definition, { args });
  }
}
