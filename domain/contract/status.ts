/** The statuses of a contract (SPEC "Lifecycle of a contract"). */

export const CONTRACT_STATUSES = [
  'draft', // the lawyer is filling in the wizard (R4.1.7)
  'awaiting_approval', // sent to the bureau head (R4.2)
  'awaiting_payment', // approved; the applicant may pay (R4.2.1, R4.3)
  'awaiting_fee', // approved as already paid; the head pays the Bar fee (R4.2.2)
  'active', // paid, the order is issued
  'finished', // archived as completed (R4.7)
  'terminated', // archived unfinished; may be restarted (R4.7)
  'discarded', // a draft the lawyer deleted (R4.1.7)
] as const;
export type ContractStatus = (typeof CONTRACT_STATUSES)[number];

export const ARCHIVED_STATUSES: readonly ContractStatus[] = ['finished', 'terminated'];
export const TERMINABLE_STATUSES: readonly ContractStatus[] = ['awaiting_approval', 'awaiting_payment', 'awaiting_fee', 'active'];
