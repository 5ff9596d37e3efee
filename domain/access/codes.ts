/** The R2.1 refusals: why a person confirmed by the mobile signature may not use the lawyer's cabinet. */
export const ACCESS_CODES = [
  'access.not_on_active_register',
  'access.no_payment_agent_contract_individual',
  'access.no_payment_agent_contract_bureau',
] as const;

export type AccessCode = (typeof ACCESS_CODES)[number];

/** The Bar office's reasoned access to a contract (issue 9 item 6). */
export const BAR_OFFICE_ACCESS_CODES = [
  /** A file or the personal data of a contract, asked for without an open reasoned access (403). */
  'access.reason_required',
  'access.reason_too_short',
  'access.reason_too_long',
  /** The Bar office may not search contracts by a person's name (it would learn who is a client). */
  'access.name_search_not_for_bar_office',
] as const;
