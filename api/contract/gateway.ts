/**
 * The API's only door to Temporal for contracts: starts a contract's workflow and passes each
 * person's decision to it as an update, payments as signals. The web pages never call Temporal.
 */
import { type Client, WithStartWorkflowOperation } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import type { Knex } from 'knex';
import type { Actor, ContractDraft } from '../../domain/contract';
import { contractIdOf, contractNumberOf } from '../../domain/contract/numbering';
import {
  type ActionResult,
  approve,
  approveAmendment,
  approveAsAlreadyPaid,
  barFeePaid,
  type ContractTimings,
  contractWorkflowId,
  discardDraft,
  finish,
  type AgentPaymentNotice,
  type PaymentFailureNotice,
  paymentCompleted,
  paymentFailed,
  paymentReported,
  type PaymentNotice,
  proposeAmendment,
  reject,
  rejectAmendment,
  respondToPriceChange,
  restart,
  saveDraft,
  sendToCourt,
  submitForApproval,
  terminate,
} from '../../workflows/contract/messages';
import type { contractWorkflow } from '../../workflows/contract/workflow';
import {
  BUREAU_ID_KEY as bureauKey,
  CONTRACT_ID_KEY as contractIdKey,
  CONTRACT_STATUS_KEY as statusKey,
  LAWYER_ID_KEY as lawyerKey,
} from '../../workflows/shared/search-attributes';

export interface ContractGatewayOptions {
  client: Client;
  db: Knex;
  taskQueue: string;
  timings?: Partial<ContractTimings>;
}

export class ContractGateway {
  constructor(private readonly options: ContractGatewayOptions) {}

  private handle(contractId: string) {
    return this.options.client.workflow.getHandle(contractWorkflowId(contractId));
  }

  /** A new draft (R4.1): numbered, its workflow started, and in the read model when this returns. */
  async create(lawyer: Actor, draft: ContractDraft): Promise<{ contractId: string; contractNumber: string }> {
    const { db, client, taskQueue } = this.options;
    const {
      rows: [{ seq }],
    } = await db.raw<{ rows: [{ seq: number | string }] }>("SELECT nextval('contract_number_seq') AS seq");
    const contractId = contractIdOf(new Date().getFullYear(), seq);
    const contractNumber = contractNumberOf(contractId);
    const startWorkflowOperation = new WithStartWorkflowOperation<typeof contractWorkflow>('contractWorkflow', {
      workflowId: contractWorkflowId(contractId),
      taskQueue,
      workflowIdConflictPolicy: 'FAIL',
      args: [{ contractId, contractNumber, lawyerId: lawyer.id, bureauId: lawyer.bureauId!, draft: {}, timings: this.options.timings }],
      typedSearchAttributes: [
        { key: contractIdKey, value: contractId },
        { key: statusKey, value: 'draft' },
        { key: bureauKey, value: lawyer.bureauId! },
        { key: lawyerKey, value: lawyer.id },
      ],
    });
    // Started together with the first save. A refused first save would still leave the workflow (and an
    // empty draft) behind, so the route checks the first step before calling this.
    await client.workflow.executeUpdateWithStart(saveDraft, { args: [lawyer, draft], startWorkflowOperation });
    return { contractId, contractNumber };
  }

  saveDraft = (id: string, actor: Actor, step: ContractDraft) => this.update(id, saveDraft, [actor, step]);
  discardDraft = (id: string, actor: Actor) => this.update(id, discardDraft, [actor]);
  submit = (id: string, actor: Actor) => this.update(id, submitForApproval, [actor]);
  approve = (id: string, actor: Actor) => this.update(id, approve, [actor]);
  approveAsAlreadyPaid = (id: string, actor: Actor) => this.update(id, approveAsAlreadyPaid, [actor]);
  reject = (id: string, actor: Actor, reason: string) => this.update(id, reject, [actor, { reason }]);
  proposeAmendment = (id: string, actor: Actor, changes: ContractDraft, note?: string) => this.update(id, proposeAmendment, [actor, { changes, note }]);
  respondToPriceChange = (id: string, actor: Actor, consent: boolean) => this.update(id, respondToPriceChange, [actor, { consent }]);
  approveAmendment = (id: string, actor: Actor) => this.update(id, approveAmendment, [actor]);
  rejectAmendment = (id: string, actor: Actor, reason: string) => this.update(id, rejectAmendment, [actor, { reason }]);
  finish = (id: string, actor: Actor) => this.update(id, finish, [actor]);
  terminate = (id: string, actor: Actor, reason: string) => this.update(id, terminate, [actor, { reason }]);
  restart = (id: string, actor: Actor) => this.update(id, restart, [actor]);
  /** R4.6 "Göndər": the filing is recorded as pending at once; e-court is called by the workflow. */
  sendToCourt = (id: string, actor: Actor, caseNumber: string) => this.update(id, sendToCourt, [actor, { caseNumber }]);

  async paymentCompleted(contractId: string, notice: PaymentNotice): Promise<void> {
    await this.handle(contractId).signal(paymentCompleted, notice);
  }

  async barFeePaid(contractId: string, notice: PaymentNotice): Promise<void> {
    await this.handle(contractId).signal(barFeePaid, notice);
  }

  /** The agent's cumulative report of a payment (issue 9 item 3). */
  async paymentReported(contractId: string, notice: AgentPaymentNotice): Promise<void> {
    await this.handle(contractId).signal(paymentReported, notice);
  }

  async paymentFailed(contractId: string, notice: PaymentFailureNotice): Promise<void> {
    await this.handle(contractId).signal(paymentFailed, notice);
  }

  private async update<Args extends [Actor, ...unknown[]]>(
    contractId: string,
    definition: UpdateDefinition<ActionResult, Args>,
    args: Args,
  ): Promise<ActionResult> {
    return this.handle(contractId).executeUpdate(definition, { args });
  }
}
