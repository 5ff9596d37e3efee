/**
 * The rules' field errors as the JSON API answers them: `code` the kind of problem (`required`,
 * `invalid`, … as the API answered before codes existed), `reason` the code (`terms.fin_invalid`),
 * `params`, and `message` its text in the caller's language. A field error that is not a code yet
 * (a legacy sentence) passes unchanged.
 */
import { kindOf } from '../../domain/contract';
import type { FieldError } from '../../domain/shared/field-error';
import { describe, hasText, type Locale } from '../../locales';
import { HttpError } from '../http/errors';

export interface ApiFieldError extends FieldError {
  /** The code of the decision, a key of the locale files. */
  reason: string;
  message: string;
}

export function presentFieldErrors(locale: Locale, fields: FieldError[]): (FieldError | ApiFieldError)[] {
  return fields.map((f) => {
    if (!hasText('en', f.code)) return f;
    const presented: ApiFieldError = { field: f.field, code: kindOf(f.code), reason: f.code, message: describe(locale, f.code, f.params ?? {}) };
    return f.params ? { ...presented, params: f.params } : presented;
  });
}

/** 400 naming each field; the answer's reason is the first field's code. */
export function invalidTerms(locale: Locale, fields: FieldError[]): HttpError {
  const first = fields[0];
  return new HttpError(400, 'invalid_input', first?.code ?? 'common.invalid_input', first?.params ?? {}, presentFieldErrors(locale, fields));
}

/** A refusal at fields from the workflow, presented as above when its fields are codes; anything else unchanged. */
export function presentRefusal(locale: Locale, http: HttpError): HttpError {
  if (http.status !== 400 || !http.fields?.some((f) => hasText('en', f.code))) return http;
  return invalidTerms(locale, http.fields);
}
