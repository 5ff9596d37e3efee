/**
 * The codes the workflows and their activities refuse or flag with (DESIGN principle 2). Their
 * texts are in locales/<az|en>/workflow.json; test/workflows/codes.unit.test.ts checks each has both.
 */
import { PAYMENT_FLAG_CODES } from '../../domain/contract/payments';

export const WORKFLOW_CODES = [
  // the contract's steps (R4)
  'contract.busy', // another step that awaits an activity is still deciding {step}
  'contract.reason_required', // R4.2.3, R4.4.3, R4.7: a rejection or termination needs a reason
  'contract.consent_required', // R4.4.2: the applicant says yes or no
  'contract.amendment_changes_nothing', // R4.4
  // R4.1.2, R4.4.4: a phone or e-mail belongs to the first person it was given for
  'contract.phone_registered_elsewhere',
  'contract.email_registered_elsewhere',
  'contract.contact_check_unavailable',
  // activities' own failures (retried; seen by operators)
  'contract.read_model_behind', // {contractId, revision}
  'contract.applicant_without_key',
  // R4.6 the case in court
  'court_filing.case_number_required',
  'court_filing.case_number_invalid',
  'court_filing.already_sent', // {caseNumber}
  'court_filing.case_not_found', // {caseNumber}
  'court_filing.not_a_party', // {party, caseNumber}
  'court_filing.rejected', // {detail}: the portal's own words
  'court_filing.unavailable', // {detail}
  'court_filing.unknown_lawyer', // {lawyerId}
  'court_filing.order_not_stored', // {contractId, version}
  // R5 assignments
  'assignment.reason_required',
  'assignment.reason_too_long', // {max}
  ...PAYMENT_FLAG_CODES,
] as const;
export type WorkflowCode = (typeof WORKFLOW_CODES)[number];
