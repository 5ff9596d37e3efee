/**
 * Decisions are codes, texts are translations (DESIGN principle 2): a refusal is a stable code with
 * its parameters; the words for it live in locales/<language>/*.json under the same key.
 */
export type CodeParams = Record<string, string | number>;

export interface Refusal {
  /** `area.what`, e.g. `contract.not_awaiting_approval`; a key of the locale files. */
  code: string;
  params?: CodeParams;
}

export const refuse = (code: string, params?: CodeParams): Refusal => (params ? { code, params } : { code });
