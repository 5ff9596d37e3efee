/**
 * R6 "Layihələr": the lawyer's own working classification of a case, kept in the read model
 * (`contracts.stage`, migration 006), not in the contract's workflow.
 */
export const CONTRACT_STAGES = ['pre_trial', 'first_instance', 'appeal', 'cassation', 'other'] as const;
export type ContractStage = (typeof CONTRACT_STAGES)[number];

export function isContractStage(value: unknown): value is ContractStage {
  return typeof value === 'string' && (CONTRACT_STAGES as readonly string[]).includes(value);
}
