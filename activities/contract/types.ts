/**
 * The activities a contract workflow calls, as types only, so workflow code can proxy them without
 * importing their Node implementations.
 */
import type { ContractTerms } from '../../domain/contract';
import type { ContractView, IssuedVersion } from '../../workflows/contract/messages';

export const NOTIFICATION_EVENTS = [
  'submitted', // to the applicant and the bureau head (R4.2)
  'applicant_cabinet_opened', // link and login to the applicant (R4.3.1)
  'rejected', // to the lawyer (R4.2.3)
  'approved', // "pay now" to the applicant (R4.2.1)
  'payment_reminder', // the applicant has not paid yet
  'order_issued', // to the lawyer and the applicant
  'amendment_needs_consent', // to the applicant (R4.4.2)
  'amendment_needs_approval', // to the bureau head (R4.4.3)
  'amendment_applied', // to the lawyer and the applicant
  'amendment_rejected', // to the lawyer
  'finished',
  'terminated',
  'restarted',
  'payment_reversed', // the payment agent took money back: to the lawyer and the head (issue 9 item 3)
] as const;
export type NotificationEvent = (typeof NOTIFICATION_EVENTS)[number];

export interface ContactClaim {
  /** Field path of the person in the contract, for the error shown at the field. */
  path: string;
  personKey: string;
  phone?: string;
  email?: string;
}

export interface IssueDocumentsInput {
  contractId: string;
  contractNumber: string;
  version: number;
  terms: ContractTerms;
  lawyerId: string;
  bureauId: string;
  /** The workflow's time of the decision that issues this version, so retries print the same date. */
  issuedAt: string;
  /** Issue 13, R4.6: the court cases the lawyer has joined, printed in the order. */
  courtCaseNumbers?: string[];
}

/** Issue 14: the contract of the coming version, rendered at approval from the read model at that revision. */
export interface PrepareContractInput {
  contractId: string;
  version: number;
  atRevision: number;
  /** The approval's time: the document day the prepared copy prints (a copy of another day is not used). */
  preparedAt: string;
}

/**
 * Issue 14: what a read-model write starts once the view is written, without waiting for it: the
 * contract of the coming version prepared from this very view (histories with the
 * `contract-prepared-with-read-model` marker; before it, the prepareContract activity did that).
 */
export interface AfterWrite {
  prepareContract?: { version: number; preparedAt: string };
}

/**
 * Activities that read the contract from the read model get the revision they need (`atRevision`)
 * and retry until the read model has caught up with it.
 */
export interface ContractActivities {
  /** Writes the contract's read model; an older revision never overwrites a newer one. */
  recordContract(view: ContractView, after?: AfterWrite): Promise<void>;
  /** R4.1.2: binds each phone and e-mail to its first person; fails with type ContactTaken otherwise. */
  claimContacts(input: { contractId: string; claims: ContactClaim[] }): Promise<void>;
  /** R4.3.1: the applicant's cabinet (one account per person), credentials sent once. */
  openApplicantCabinet(input: { contractId: string; atRevision: number }): Promise<{ accountId: string }>;
  /** The contract and the order of one version: numbered once, rendered, stored (R4.2.1, R4.4.3). */
  issueDocuments(input: IssueDocumentsInput): Promise<IssuedVersion>;
  /** Issue 14: renders the contract of the coming version ahead of the payment; the order's activity uses it if it prints the same. */
  prepareContract(input: PrepareContractInput): Promise<void>;
  /** Queues e-mails and SMS for an event in the outbox, once per event key. */
  queueNotifications(input: { contractId: string; event: NotificationEvent; eventKey: string; atRevision: number }): Promise<void>;
  /**
   * Issue 14: writes the read model as recordContract does, then queues the step's notifications
   * as queueNotifications would, from this very view. Nothing when both are done; `notices_left`
   * when the read model is written but the notifications are not (the workflow then queues them by
   * queueNotifications), so a notification's trouble never holds up the read model.
   */
  recordContractAndNotify(view: ContractView, notices: StepNotice[], after?: AfterWrite): Promise<undefined | 'notices_left'>;
}

/** A notification decided by a step, queued with that step's read-model write (issue 14). */
export interface StepNotice {
  event: NotificationEvent;
  eventKey: string;
}

/** R4.6: what the workflow passes to join a court case; the order's PDF is read from storage, never passed. */
export interface JoinCourtCaseInput {
  contractId: string;
  caseNumber: string;
  /** The documents version whose order is attached. */
  version: number;
  orderNumber: string;
  lawyerId: string;
  protectedParty: { fin?: string; voen?: string; name: string };
}

export interface JoinCourtCaseResult {
  joinedAt: string;
  courtName: string;
  /** Which attempt of the activity succeeded (1 = the first). */
  attempt: number;
}

/**
 * Failure types of joinCourtCase: the two business refusals and other refusals are non-retryable
 * (message: a code, details: [{ ...its params, attempt }]); ECourtUnavailable retries.
 */
export const COURT_REFUSALS = ['CourtCaseNotFound', 'NotAPartyToCase', 'ECourtRejected'] as const;
export type CourtRefusal = (typeof COURT_REFUSALS)[number];

export interface CourtActivities {
  /** Joins the contract's lawyer to the court case in e-court and attaches the order (idempotent). */
  joinCourtCase(input: JoinCourtCaseInput): Promise<JoinCourtCaseResult>;
}
