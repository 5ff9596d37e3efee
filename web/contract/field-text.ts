/** A field error in the page's language: the words of its code (locales/<l>/contract.json, `terms.*`). */
import type { FieldError } from '../../domain/contract';
import { describe, hasText, type Locale } from '../../locales';

/** The text of a field error: the words of its code (or of its `reason`, when the code is a short kind); anything else as it came. */
export function fieldText(locale: Locale, e: FieldError): string {
  const key = e.reason ?? e.code;
  if (hasText('az', key) || hasText('en', key)) return describe(locale, key, e.params ?? {});
  return e.message ?? e.code;
}

/** Whether the error is a code with its own words (rather than a legacy kind). */
export const isCoded = (e: FieldError) => hasText('az', e.reason ?? e.code) || hasText('en', e.reason ?? e.code);
