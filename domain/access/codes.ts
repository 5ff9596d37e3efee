/** The R2.1 refusals: why a person confirmed by the mobile signature may not use the lawyer's cabinet. */
export const ACCESS_CODES = [
  'access.not_on_active_register',
  'access.no_payment_agent_contract_individual',
  'access.no_payment_agent_contract_bureau',
] as const;

export type AccessCode = (typeof ACCESS_CODES)[number];
