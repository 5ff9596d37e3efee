/** A field error in the page's language: the words of its code (locales/<l>/contract.json, `terms.*`). */
import type { FieldError } from '../../domain/contract';
import { describe, hasText, type Locale } from '../../locales';

/**
 * The text of a field error. A code has its own words; an error that is not a code yet (the
 * workflow's reason check, the contact claim of an activity, both engineer A's) reads as its code
 * would once it is one, and anything else as it came.
 */
export function fieldText(locale: Locale, e: FieldError): string {
  if (hasText('az', e.code) || hasText('en', e.code)) return describe(locale, e.code, e.params ?? {});
  if (e.code === 'contact_taken')
    return describe(locale, e.field.endsWith('.email') || e.field.endsWith('Email') ? 'contract.email_taken' : 'contract.phone_taken');
  if (e.code === 'required' && /reason$/i.test(e.field)) return describe(locale, 'contract.reason_required');
  return e.message ?? e.code;
}

/** Whether the error is a code with its own words (rather than a legacy kind). */
export const isCoded = (e: FieldError) => hasText('az', e.code) || hasText('en', e.code);
