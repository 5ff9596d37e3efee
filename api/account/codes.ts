/** Refusals of the account's own settings (issue 11); texts in locales/<language>/account.json. */
export const ACCOUNT_CODES = ['account.language_unknown'] as const;

export type AccountCode = (typeof ACCOUNT_CODES)[number];
