/**
 * Every code the contract's rules and API answer (DESIGN principle 2), so that a test can check
 * each has its words in both languages: the refusals of permissions.ts, the field errors of
 * validation.ts, and the API's own.
 */
import { TERMS_CODES } from './validation';

/** What refusal() in permissions.ts answers (R2.5, R4). */
export const REFUSAL_CODES = [
  'contract.not_yours',
  'contract.draft_lawyer_only',
  'contract.not_draft',
  'contract.head_only_approves',
  'contract.not_awaiting_approval',
  'contract.applicant_only_pays',
  'contract.paid_in_full',
  'contract.not_awaiting_payment',
  'contract.head_only_pays_fee',
  'contract.no_bar_fee_due',
  'contract.amend_lawyer_or_head',
  'contract.amend_not_active',
  'contract.amendment_pending',
  'contract.applicant_only_consents',
  'contract.no_price_change',
  'contract.head_only_decides_amendment',
  'contract.no_amendment_awaiting',
  'contract.finish_lawyer_or_head',
  'contract.finish_not_active',
  'contract.terminate_lawyer_or_head',
  'contract.cannot_terminate',
  'contract.restart_lawyer_or_head',
  'contract.restart_not_terminated',
  'contract.court_lawyer_or_head',
  'contract.court_not_active',
] as const;

/** The API's and the pages' own: a contract not found (or not yours), a missing reason, a contact taken, the stage (R6). */
export const CONTRACT_API_CODES = [
  'contract.not_found',
  'contract.reason_required',
  'contract.phone_taken',
  'contract.email_taken',
  'contract.stage_not_now',
  'contract.stage_invalid',
] as const;

export const CONTRACT_CODES = [...REFUSAL_CODES, ...TERMS_CODES, ...CONTRACT_API_CODES] as const;
