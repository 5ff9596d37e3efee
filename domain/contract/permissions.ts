/** Who may do what to a contract, and when (R2.5, R4). */
import type { Actor } from '../shared/actor';
import { type Refusal, refuse } from '../shared/codes';
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

/** May this actor see the contract at all (R2.5)? The Bar office sees its outline only, unless it opened it with a reason (viewScope). */
export function canView(actor: Actor, c: ContractFacts): boolean {
  return viewScope(actor, c, false) !== 'none';
}

/**
 * How much of a contract this actor sees (R2.5; issue 9 item 6, least privilege):
 *   - `full`: its lawyer, the head of its bureau, its applicant (and the system itself);
 *   - `outline`: the Bar office (`admin`) — number, status, dates, lawyer, bureau, stage, never the
 *     people, the price, the assignment or the files (domain/access/bar-office.ts);
 *   - `full` for the Bar office too while it has an open reasoned access to this contract;
 *   - `none` for everyone else (an operator included: no cabinet pages), answered as 404.
 */
export type ContractViewScope = 'full' | 'outline' | 'none';

export function viewScope(actor: Actor, c: ContractFacts, barOfficeAccessOpen: boolean): ContractViewScope {
  if (isOwnLawyer(actor, c) || isHeadOfBureau(actor, c) || isApplicant(actor, c) || actor.kind === 'system') return 'full';
  if (actor.kind === 'admin') return barOfficeAccessOpen ? 'full' : 'outline';
  return 'none';
}

/** Why the action is refused now, or undefined when it is allowed. */
export function refusal(action: ContractAction, actor: Actor, c: ContractFacts): Refusal | undefined {
  if (!canView(actor, c)) return refuse('contract.not_yours');
  const stateIs = (...statuses: ContractStatus[]) => statuses.includes(c.status);
  const lawyerOrHead = isOwnLawyer(actor, c) || isHeadOfBureau(actor, c);
  switch (action) {
    case 'saveDraft':
    case 'discardDraft':
    case 'submitForApproval':
      if (!isOwnLawyer(actor, c)) return refuse('contract.draft_lawyer_only');
      if (!stateIs('draft')) return refuse('contract.not_draft', { status: c.status });
      return undefined;
    case 'approve':
    case 'approveAsAlreadyPaid':
    case 'reject':
      if (!isHeadOfBureau(actor, c)) return refuse('contract.head_only_approves');
      if (!stateIs('awaiting_approval')) return refuse('contract.not_awaiting_approval', { status: c.status });
      return undefined;
    case 'pay':
      if (!isApplicant(actor, c)) return refuse('contract.applicant_only_pays');
      if (stateIs('awaiting_payment')) return undefined;
      if (stateIs('active') && c.balanceDueQepik > 0) return undefined;
      return c.status === 'active' ? refuse('contract.paid_in_full') : refuse('contract.not_awaiting_payment', { status: c.status });
    case 'payBarFee':
      if (!isHeadOfBureau(actor, c)) return refuse('contract.head_only_pays_fee');
      if (!stateIs('awaiting_fee')) return refuse('contract.no_bar_fee_due');
      return undefined;
    case 'proposeAmendment':
      if (!lawyerOrHead) return refuse('contract.amend_lawyer_or_head');
      if (!stateIs('active')) return refuse('contract.amend_not_active', { status: c.status });
      if (c.amendmentStatus) return refuse('contract.amendment_pending');
      return undefined;
    case 'respondToPriceChange':
      if (!isApplicant(actor, c)) return refuse('contract.applicant_only_consents');
      if (c.amendmentStatus !== 'awaiting_consent') return refuse('contract.no_price_change');
      return undefined;
    case 'approveAmendment':
    case 'rejectAmendment':
      if (!isHeadOfBureau(actor, c)) return refuse('contract.head_only_decides_amendment');
      if (c.amendmentStatus !== 'awaiting_head_approval') return refuse('contract.no_amendment_awaiting');
      return undefined;
    case 'finish':
      if (!lawyerOrHead) return refuse('contract.finish_lawyer_or_head');
      if (!stateIs('active')) return refuse('contract.finish_not_active', { status: c.status });
      return undefined;
    case 'terminate':
      if (!lawyerOrHead) return refuse('contract.terminate_lawyer_or_head');
      if (!TERMINABLE_STATUSES.includes(c.status)) return refuse('contract.cannot_terminate', { status: c.status });
      return undefined;
    case 'restart':
      if (!lawyerOrHead) return refuse('contract.restart_lawyer_or_head');
      if (!stateIs('terminated')) return refuse('contract.restart_not_terminated');
      return undefined;
    case 'sendToCourt':
      if (!lawyerOrHead) return refuse('contract.court_lawyer_or_head');
      if (!stateIs('active')) return refuse('contract.court_not_active', { status: c.status });
      return undefined;
  }
}

export function allowedActions(actor: Actor, c: ContractFacts): ContractAction[] {
  return CONTRACT_ACTIONS.filter((action) => refusal(action, actor, c) === undefined);
}
