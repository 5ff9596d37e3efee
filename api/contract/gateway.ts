/**
 * The API's only door to Temporal for contracts: starts a contract's workflow and passes each
 * person's decision to it as an update, payments as signals. The web pages never call Temporal.
 */
import { type Client, WithStartWorkflowOperation, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
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
import { contractStartAttributes } from '../../workflows/shared/search-attributes';

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

  /**
   * A new draft (R4.1): numbered, its workflow started, and in the read model when this returns.
   * With a request key (the page's form, the API's Idempotency-Key) the same key of the same lawyer
   * always gives the same contract: a retry after an outage or a second click makes no second draft
   * (issue 10 item 5), and the first step is then not saved again over what the lawyer did since.
   */
  async create(lawyer: Actor, draft: ContractDraft, requestKey?: string): Promise<{ contractId: string; contractNumber: string }> {
    const { client, taskQueue } = this.options;
    const contractId = requestKey ? await this.contractIdForRequest(lawyer.id, requestKey) : await this.newContractId();
    const contractNumber = contractNumberOf(contractId);
    const startWorkflowOperation = new WithStartWorkflowOperation<typeof contractWorkflow>('contractWorkflow', {
      workflowId: contractWorkflowId(contractId),
      taskQueue,
      workflowIdConflictPolicy: 'FAIL',
      args: [{ contractId, contractNumber, lawyerId: lawyer.id, bureauId: lawyer.bureauId!, draft: {}, timings: this.options.timings }],
      typedSearchAttributes: contractStartAttributes(contractId, lawyer),
    });
    // Started together with the first save. A refused first save would still leave the workflow (and an
    // empty draft) behind, so the route checks the first step before calling this.
    try {
      await client.workflow.executeUpdateWithStart(saveDraft, { args: [lawyer, draft], startWorkflowOperation });
    } catch (err) {
      // The same request again, after the first one started the contract: that contract is the answer.
      if (!(requestKey && err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
    return { contractId, contractNumber };
  }

  private async newContractId(): Promise<string> {
    const {
      rows: [{ seq }],
    } = await this.options.db.raw<{ rows: [{ seq: number | string }] }>("SELECT nextval('contract_number_seq') AS seq");
    return contractIdOf(new Date().getFullYear(), seq);
  }

  /** The contract a lawyer's request key made, or a new number kept under the key (a race: the first insert wins). */
  private async contractIdForRequest(lawyerId: string, requestKey: string): Promise<string> {
    const { db } = this.options;
    const known = await db('contract_request_keys')
      .where({ lawyer_id: lawyerId, request_key: requestKey })
      .first<{ contract_id: string } | undefined>('contract_id');
    if (known) return known.contract_id;
    const contractId = await this.newContractId();
    await db('contract_request_keys')
      .insert({ lawyer_id: lawyerId, request_key: requestKey, contract_id: contractId })
      .onConflict(['lawyer_id', 'request_key'])
      .ignore();
    const kept = await db('contract_request_keys').where({ lawyer_id: lawyerId, request_key: requestKey }).first<{ contract_id: string }>('contract_id');
    return kept.contract_id;
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
