/**
 * The messages a contract workflow answers: updates for human decisions (each with a synchronous
 * validator in the workflow), signals for what comes from outside (payments), one query for the state.
 * Shared by the workflow and the API; imports nothing that touches Node.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { Actor, AmendmentStatus, ContractDraft, ContractStatus, ContractTerms } from '../../domain/contract';

export const CONTRACT_WORKFLOW_TYPE = 'contractWorkflow';
export const contractWorkflowId = (contractId: string) => `contract-${contractId}`;

/** Search attributes for operators in the Temporal UI: identifiers and status only, never personal data. */
export const SEARCH_ATTRIBUTES = {
  EvkContractId: 'Keyword',
  EvkContractStatus: 'Keyword',
  EvkBureauId: 'Keyword',
  EvkLawyerId: 'Keyword',
} as const;

/** Business waiting times, as workflow inputs so tests can make them seconds. */
export interface ContractTimings {
  /** Remind an applicant who has not paid after this long, and again after each further period. */
  paymentReminderAfterMs: number;
  maxPaymentReminders: number;
  /** Continue as new once history passes this many events (Temporal also suggests it by size). */
  historyEventLimit: number;
}

export const DEFAULT_TIMINGS: ContractTimings = {
  paymentReminderAfterMs: 3 * 24 * 60 * 60 * 1000,
  maxPaymentReminders: 3,
  historyEventLimit: 2000,
};

export interface ContractWorkflowInput {
  contractId: string;
  contractNumber: string;
  lawyerId: string;
  bureauId: string;
  draft: ContractDraft;
  timings?: Partial<ContractTimings>;
  /** Set only when continuing as new: the state carried over. */
  carriedState?: ContractState;
}

export type PaymentKind = 'contract' | 'bar_fee';

export interface PaymentNotice {
  /** The payment agent's reference; the same payment notified twice is counted once. */
  paymentId: string;
  amountQepik: number;
  method: 'card' | 'terminal' | 'bank' | 'other';
  paidAt: string;
}

export interface PaymentFailureNotice {
  paymentId: string;
  kind: PaymentKind;
  reason: string;
  at: string;
}

export interface RecordedPayment extends PaymentNotice {
  kind: PaymentKind;
  /** Why the payment was accepted but not applied (e.g. it came when nothing was due). */
  flag?: string;
}

export interface IssuedVersion {
  version: number;
  orderNumber: string;
  issuedAt: string;
}

export interface PendingAmendment {
  id: string;
  proposedBy: string;
  proposedByHead: boolean;
  changes: ContractDraft;
  note?: string;
  priceChanged: boolean;
  status: AmendmentStatus;
  proposedAt: string;
}

export interface HistoryEntry {
  at: string;
  event: string;
  by?: string;
  detail?: string;
}

/** The workflow's whole state: plain JSON, carried through continue-as-new. */
export interface ContractState {
  contractId: string;
  contractNumber: string;
  lawyerId: string;
  bureauId: string;
  status: ContractStatus;
  draft: ContractDraft;
  /** The agreed terms, fixed when the contract is sent for approval and changed only by amendments. */
  terms?: ContractTerms;
  applicantAccountId?: string;
  rejection?: { reason: string; at: string; by: string };
  approvedAsAlreadyPaid: boolean;
  payments: RecordedPayment[];
  lastPaymentFailure?: PaymentFailureNotice;
  paidQepik: number;
  issuedVersions: IssuedVersion[];
  amendment?: PendingAmendment;
  amendmentCount: number;
  termination?: { reason: string; at: string; by: string; statusBefore: ContractStatus };
  awaitingPaymentSince?: string;
  paymentRemindersSent: number;
  history: HistoryEntry[];
  /** Increases with every change; the read model keeps only the newest. */
  revision: number;
  timings: ContractTimings;
  /** R4.6: the court cases the lawyer was sent to join; absent until the first "Göndər". */
  courtFilings?: CourtFiling[];
}

export interface ContractView extends ContractState {
  balanceDueQepik: number;
  /** Documents version that is current, 0 before the first order. */
  currentVersion: number;
}

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

export const paymentCompleted = defineSignal<[PaymentNotice]>('paymentCompleted');
export const barFeePaid = defineSignal<[PaymentNotice]>('barFeePaid');
export const paymentFailed = defineSignal<[PaymentFailureNotice]>('paymentFailed');

// ------------------------------------------------------------ the case in court (R4.6)

export type CourtFilingStatus = 'pending' | 'joined' | 'failed';

/** One court case the contract's lawyer joins in the e-court portal, with the order attached. */
export interface CourtFiling {
  caseNumber: string;
  status: CourtFilingStatus;
  /** Why it failed, as the portal said (unknown case number, not a party to the case, …). */
  reason?: string;
  /** Machine-readable reason: CourtCaseNotFound | NotAPartyToCase | ECourtRejected. */
  reasonCode?: string;
  /** The order being attached (pending) or last attached (joined). */
  orderNumber: string;
  /** Calls made to the portal for the current order (retries included), known once an attempt ends. */
  attempts: number;
  requestedAt: string;
  requestedBy: string;
  joinedAt?: string;
  courtName?: string;
  /** Every order number attached to the case, oldest first (an amended order is attached again). */
  attachedOrders: string[];
}

export const sendToCourt = defineUpdate<ActionResult, [Actor, { caseNumber: string }]>('sendToCourt');
