/**
 * The messages a contract workflow answers: updates for human decisions (each with a synchronous
 * validator in the workflow), signals for what comes from outside (payments), one query for the state.
 * Shared by the workflow and the API; imports nothing that touches Node.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { Actor, ContractDraft, ContractStatus } from '../../domain/contract';
import type { AgentPaymentNotice, PaymentFailureNotice, PaymentNotice, ContractView } from './state';

export const CONTRACT_WORKFLOW_TYPE = 'contractWorkflow';
export const contractWorkflowId = (contractId: string) => `contract-${contractId}`;

export type { PaymentKind } from '../../domain/contract/payments';
export {
  type AgentPaymentNotice,
  type AgreedContractState,
  type AgreedStatus,
  type ContractState,
  type ContractTimings,
  type ContractView,
  type ContractWorkflowInput,
  type CourtFiling,
  type CourtFilingStatus,
  DEFAULT_TIMINGS,
  type DraftContractState,
  type HistoryEntry,
  type IssuedVersion,
  type PaymentFailureNotice,
  type PaymentNotice,
  type PaymentReversal,
  type PendingAmendment,
  type RecordedPayment,
} from './state';

export interface ActionResult {
  status: ContractStatus;
  revision: number;
}

export const getContractState = defineQuery<ContractView>('getContractState');

export const saveDraft = defineUpdate<ActionResult, [Actor, ContractDraft]>('saveDraft');
export const discardDraft = defineUpdate<ActionResult, [Actor]>('discardDraft');
export const submitForApproval = defineUpdate<ActionResult, [Actor]>('submitForApproval');
export const approve = defineUpdate<ActionResult, [Actor]>('approve');
export const approveAsAlreadyPaid = defineUpdate<ActionResult, [Actor]>('approveAsAlreadyPaid');
export const reject = defineUpdate<ActionResult, [Actor, { reason: string }]>('reject');
export const proposeAmendment = defineUpdate<ActionResult, [Actor, { changes: ContractDraft; note?: string }]>('proposeAmendment');
export const respondToPriceChange = defineUpdate<ActionResult, [Actor, { consent: boolean }]>('respondToPriceChange');
export const approveAmendment = defineUpdate<ActionResult, [Actor]>('approveAmendment');
export const rejectAmendment = defineUpdate<ActionResult, [Actor, { reason: string }]>('rejectAmendment');
export const finish = defineUpdate<ActionResult, [Actor]>('finish');
export const terminate = defineUpdate<ActionResult, [Actor, { reason: string }]>('terminate');
export const restart = defineUpdate<ActionResult, [Actor]>('restart');

/** Before issue 9: an amount the API computed; kept for running contracts and recorded histories. */
export const paymentCompleted = defineSignal<[PaymentNotice]>('paymentCompleted');
export const barFeePaid = defineSignal<[PaymentNotice]>('barFeePaid');
export const paymentFailed = defineSignal<[PaymentFailureNotice]>('paymentFailed');
/** The agent's cumulative report of a payment, paid or reversed (issue 9 item 3): what the API sends now. */
export const paymentReported = defineSignal<[AgentPaymentNotice]>('paymentReported');

// ------------------------------------------------------------ the case in court (R4.6)

export const sendToCourt = defineUpdate<ActionResult, [Actor, { caseNumber: string }]>('sendToCourt');
