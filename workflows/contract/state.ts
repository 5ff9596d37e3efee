/**
 * The contract workflow's state: plain JSON, carried through continue-as-new. Its type says which
 * fields exist in which status: the agreed terms exist from the moment the draft is sent for
 * approval (R4.2) and as long as the contract lives; a draft (or a discarded one) has none.
 */
import type { AmendmentStatus, ContractDraft, ContractStatus, ContractTerms } from '../../domain/contract';
import type { AgentPaymentLedger, AgentPaymentReport, PaymentFlagCode, PaymentKind } from '../../domain/contract/payments';
import type { CodeParams } from '../../domain/shared/codes';

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

export interface PaymentNotice {
  /** The payment agent's reference; the same payment notified twice is counted once. */
  paymentId: string;
  amountQepik: number;
  method: 'card' | 'terminal' | 'bank' | 'other';
  paidAt: string;
}

/**
 * The agent's report of one payment, cumulative (issue 9 item 3): the workflow applies only what
 * exceeds what it recorded for that payment, and a reversal takes back what it no longer holds.
 */
export interface AgentPaymentNotice extends AgentPaymentReport {
  method: 'card' | 'terminal' | 'bank' | 'other';
  at: string;
}

/** The last reversal of money by the agent, shown on the contract and on /verify (issue 9 item 3). */
export interface PaymentReversal {
  agentPaymentId: string;
  kind: PaymentKind;
  /** What the reversal took back. */
  reversedQepik: number;
  at: string;
  /** The money kept no longer covers what the order was issued on: /verify says payment_reversed. */
  orderUncovered: boolean;
}

export interface PaymentFailureNotice {
  paymentId: string;
  kind: PaymentKind;
  reason: string;
  at: string;
}

export interface RecordedPayment extends PaymentNotice {
  kind: PaymentKind;
  /** Why the payment was accepted but not applied (e.g. it came when nothing was due): a code. */
  flag?: PaymentFlagCode;
  flagParams?: CodeParams;
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
  /** Free text (a reason, an order number) or a code whose parameters are detailParams. */
  detail?: string;
  detailParams?: CodeParams;
}

export type CourtFilingStatus = 'pending' | 'joined' | 'failed';

/** One court case the contract's lawyer joins in the e-court portal, with the order attached (R4.6). */
export interface CourtFiling {
  caseNumber: string;
  status: CourtFilingStatus;
  /** Why it failed: a code (court_filing.case_not_found …) with reasonParams. */
  reason?: string;
  reasonParams?: CodeParams;
  /** The portal's kind of refusal: CourtCaseNotFound | NotAPartyToCase | ECourtRejected | ECourtUnavailable. */
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

/** Statuses without agreed terms: the lawyer's draft, and a draft the lawyer deleted. */
export type DraftStatus = Extract<ContractStatus, 'draft' | 'discarded'>;
/** Statuses from the sending for approval on: the terms are agreed. */
export type AgreedStatus = Exclude<ContractStatus, DraftStatus>;

export interface Termination {
  reason: string;
  at: string;
  by: string;
  /** Where a restart returns the contract to (R4.7). */
  statusBefore: AgreedStatus;
}

interface CommonState {
  contractId: string;
  contractNumber: string;
  lawyerId: string;
  bureauId: string;
  draft: ContractDraft;
  applicantAccountId?: string;
  rejection?: { reason: string; at: string; by: string };
  approvedAsAlreadyPaid: boolean;
  payments: RecordedPayment[];
  lastPaymentFailure?: PaymentFailureNotice;
  paidQepik: number;
  /** Per payment at the agent, its high-water mark and reversals (issue 9 item 3); absent in runs before. */
  agentPayments?: AgentPaymentLedger[];
  paymentReversal?: PaymentReversal;
  issuedVersions: IssuedVersion[];
  amendment?: PendingAmendment;
  amendmentCount: number;
  termination?: Termination;
  awaitingPaymentSince?: string;
  paymentRemindersSent: number;
  history: HistoryEntry[];
  /** Increases with every change; the read model keeps only the newest. */
  revision: number;
  timings: ContractTimings;
  /** R4.6: the court cases the lawyer was sent to join; absent until the first "Göndər". */
  courtFilings?: CourtFiling[];
}

/** The lawyer is still filling in the wizard (R4.1), or deleted the draft (R4.1.7). */
export interface DraftContractState extends CommonState {
  status: DraftStatus;
  terms?: undefined;
}

/** Sent for approval and after: the agreed terms, changed only by amendments (R4.4). */
export interface AgreedContractState extends CommonState {
  status: AgreedStatus;
  terms: ContractTerms;
}

/** The workflow's whole state. */
export type ContractState = DraftContractState | AgreedContractState;

export type ContractView = ContractState & {
  balanceDueQepik: number;
  /** Documents version that is current, 0 before the first order. */
  currentVersion: number;
};

export const isAgreed = (state: ContractState): state is AgreedContractState => state.status !== 'draft' && state.status !== 'discarded';

export function initialState(input: ContractWorkflowInput): DraftContractState {
  return {
    contractId: input.contractId,
    contractNumber: input.contractNumber,
    lawyerId: input.lawyerId,
    bureauId: input.bureauId,
    status: 'draft',
    draft: input.draft ?? {},
    approvedAsAlreadyPaid: false,
    payments: [],
    paidQepik: 0,
    issuedVersions: [],
    amendmentCount: 0,
    paymentRemindersSent: 0,
    history: [{ at: new Date().toISOString(), event: 'created', by: input.lawyerId }],
    revision: 0,
    timings: { ...DEFAULT_TIMINGS, ...input.timings },
  };
}
