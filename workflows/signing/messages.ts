/**
 * The messages of an order's electronic signing (issue 13): one workflow per contract and version,
 * one update to ask for the signature (answering the code the phone shows), one query. Shared by
 * the workflow, the activities and the API; imports nothing that touches Node.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Actor } from '../../domain/shared/actor';

export const ORDER_SIGNING_WORKFLOW_TYPE = 'orderSigningWorkflow';
/** Business key, no personal data: the contract's ID and the version. */
export const orderSigningWorkflowId = (contractId: string, version: number) => `order-signing-${contractId}-v${version}`;

export interface OrderSigningInput {
  contractId: string;
  version: number;
  /** The contract's lawyer: the only one who signs its order. */
  lawyerId: string;
}

/** idle: nothing asked yet; pending: the phone shows the request; then how it ended. */
export type OrderSigningStatus = 'idle' | 'pending' | 'signed' | 'refused' | 'expired';

export interface OrderSigningAnswer {
  status: OrderSigningStatus;
  /** While pending: the 4 digits the phone shows too, and until when it waits. */
  verificationCode?: string;
  expiresAt?: string;
}

export interface SignatureRequested extends OrderSigningAnswer {
  /** The provider's transaction, while pending. */
  transactionId?: string;
}

export interface OrderSigningActivities {
  /**
   * Renders the signed copy's text, prepares its signature, asks the lawyer's phone. Answers
   * `signed` when this version is signed already (signing twice gives one signed copy).
   */
  requestOrderSignature(input: OrderSigningInput): Promise<SignatureRequested>;
  /** Waits for the phone (heartbeating), then embeds the signature and stores the signed copy. */
  completeOrderSignature(input: { contractId: string; version: number; transactionId: string }): Promise<{ status: 'signed' | 'refused' | 'expired' }>;
}

export const requestSignature = defineUpdate<OrderSigningAnswer, [Actor]>('requestOrderSignature');
export const getOrderSigningState = defineQuery<OrderSigningAnswer>('getOrderSigningState');
