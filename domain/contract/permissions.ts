/** Who may do what to a contract, and when (R2.5, R4). */
import type { Actor } from '../shared/actor';
import type { ContractStatus } from './status';
import { TERMINABLE_STATUSES } from './status';

export const CONTRACT_ACTIONS = [
  'saveDraft',
  'discardDraft',
  'submitForApproval',
  'approve',
  'approveAsAlreadyPaid',
  'reject',
  'pay',
  'payBarFee',
  'proposeAmendment',
  'respondToPriceChange',
  'approveAmendment',
  'rejectAmendment',
  'finish',
  'terminate',
  'restart',
  'sendToCourt',
] as const;
export type ContractAction = (typeof CONTRACT_ACTIONS)[number];

/** What the rules need to know of a contract to decide on an action. */
export interface ContractFacts {
  status: ContractStatus;
  lawyerId: string;
  bureauId: string;
  applicantAccountId?: string;
  amendmentStatus?: AmendmentStatus;
  balanceDueQepik: number;
}

export type AmendmentStatus = 'awaiting_consent' | 'awaiting_head_approval';

const isOwnLawyer = (a: Actor, c: ContractFacts) => a.kind === 'lawyer' && a.id === c.lawyerId;
const isHeadOfBureau = (a: Actor, c: ContractFacts) => a.kind === 'lawyer' && a.isHead === true && a.bureauId === c.bureauId;
const isApplicant = (a: Actor, c: ContractFacts) => a.kind === 'applicant' && c.applicantAccountId !== undefined && a.id === c.applicantAccountId;

/** May this actor see the contract at all (R2.5)? */
export function canView(actor: Actor, c: ContractFacts): boolean {
  return isOwnLawyer(actor, c) || isHeadOfBureau(actor, c) || isApplicant(actor, c) || actor.kind === 'admin' || actor.kind === 'system';
}

/** Why the action is refused now, or undefined when it is allowed. */
export function refusal(action: ContractAction, actor: Actor, c: ContractFacts): string | undefined {
  if (!canView(actor, c)) return 'This contract is not yours.';
  const stateIs = (...statuses: ContractStatus[]) => statuses.includes(c.status);
  const lawyerOrHead = isOwnLawyer(actor, c) || isHeadOfBureau(actor, c);
  switch (action) {
    case 'saveDraft':
    case 'discardDraft':
    case 'submitForApproval':
      if (!isOwnLawyer(actor, c)) return "Only the contract's lawyer edits and sends the draft.";
      if (!stateIs('draft')) return `The contract is no longer a draft (it is ${c.status}).`;
      return undefined;
    case 'approve':
    case 'approveAsAlreadyPaid':
    case 'reject':
      if (!isHeadOfBureau(actor, c)) return 'Only the head of the bureau approves or rejects a contract.';
      if (!stateIs('awaiting_approval')) return `The contract is not awaiting approval (it is ${c.status}).`;
      return undefined;
    case 'pay':
      if (!isApplicant(actor, c)) return 'Only the applicant pays for the contract.';
      if (stateIs('awaiting_payment')) return undefined;
      if (stateIs('active') && c.balanceDueQepik > 0) return undefined;
      return c.status === 'active' ? 'The contract is paid in full.' : `The contract is not awaiting payment (it is ${c.status}).`;
    case 'payBarFee':
      if (!isHeadOfBureau(actor, c)) return 'Only the head of the bureau pays the Bar fee.';
      if (!stateIs('awaiting_fee')) return 'No Bar fee is due on this contract.';
      return undefined;
    case 'proposeAmendment':
      if (!lawyerOrHead) return "Only the contract's lawyer or the bureau head amends a contract.";
      if (!stateIs('active')) return `Only an active contract can be amended (it is ${c.status}).`;
      if (c.amendmentStatus) return 'An amendment is already pending.';
      return undefined;
    case 'respondToPriceChange':
      if (!isApplicant(actor, c)) return 'Only the applicant consents to a price change.';
      if (c.amendmentStatus !== 'awaiting_consent') return 'No price change is awaiting your consent.';
      return undefined;
    case 'approveAmendment':
    case 'rejectAmendment':
      if (!isHeadOfBureau(actor, c)) return 'Only the head of the bureau decides on an amendment.';
      if (c.amendmentStatus !== 'awaiting_head_approval') return 'No amendment is awaiting approval.';
      return undefined;
    case 'finish':
      if (!lawyerOrHead) return "Only the contract's lawyer or the bureau head finishes a contract.";
      if (!stateIs('active')) return `Only an active contract can be finished (it is ${c.status}).`;
      return undefined;
    case 'terminate':
      if (!lawyerOrHead) return "Only the contract's lawyer or the bureau head terminates a contract.";
      if (!TERMINABLE_STATUSES.includes(c.status)) return `A ${c.status} contract cannot be terminated.`;
      return undefined;
    case 'restart':
      if (!lawyerOrHead) return "Only the contract's lawyer or the bureau head restarts a contract.";
      if (!stateIs('terminated')) return 'Only a terminated contract can be restarted.';
      return undefined;
    case 'sendToCourt':
      if (!lawyerOrHead) return "Only the contract's lawyer or the bureau head sends the case to court.";
      if (!stateIs('active')) return `Only an active contract can be sent to court (it is ${c.status}).`;
      return undefined;
  }
}

export function allowedActions(actor: Actor, c: ContractFacts): ContractAction[] {
  return CONTRACT_ACTIONS.filter((action) => refusal(action, actor, c) === undefined);
}
