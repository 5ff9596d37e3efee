/**
 * The API's door to Temporal for the order's electronic signature (issue 13): update-with-start on
 * the version's signing workflow. A running one answers the same pending code; a finished one is
 * started again (one attempt per run), and a signed version is answered `signed` by its activity.
 */
import { type Client, WithStartWorkflowOperation } from '@temporalio/client';
import type { Actor } from '../../domain/shared/actor';
import {
  getOrderSigningState,
  ORDER_SIGNING_WORKFLOW_TYPE,
  type OrderSigningAnswer,
  orderSigningWorkflowId,
  requestSignature,
} from '../../workflows/signing/messages';
import type { orderSigningWorkflow } from '../../workflows/signing/workflow';

export class SigningGateway {
  constructor(private readonly options: { client: Client; taskQueue: string }) {}

  request(contractId: string, version: number, lawyer: Actor): Promise<OrderSigningAnswer> {
    const startWorkflowOperation = new WithStartWorkflowOperation<typeof orderSigningWorkflow>(ORDER_SIGNING_WORKFLOW_TYPE, {
      workflowId: orderSigningWorkflowId(contractId, version),
      taskQueue: this.options.taskQueue,
      workflowIdConflictPolicy: 'USE_EXISTING',
      args: [{ contractId, version, lawyerId: lawyer.id }],
    });
    return this.options.client.workflow.executeUpdateWithStart(requestSignature, { args: [lawyer], startWorkflowOperation });
  }

  /** The running signing's state (its pending code), or undefined when none runs. */
  async state(contractId: string, version: number): Promise<OrderSigningAnswer | undefined> {
    try {
      return await this.options.client.workflow.getHandle(orderSigningWorkflowId(contractId, version)).query(getOrderSigningState);
    } catch {
      return undefined;
    }
  }
}
