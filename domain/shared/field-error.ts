import type { CodeParams } from './codes';

/** A problem with one field of the input, shown next to that field. */
export interface FieldError {
  /** Dotted path of the field, e.g. "applicant.phone". */
  field: string;
  /** Stable code, a key of the locale files (see domain/shared/codes.ts). */
  code: string;
  params?: CodeParams;
  /** When `code` is a short kind (`invalid`, `required`), the locale key of this field's own text. */
  reason?: string;
  /** Filled in by the API from the locale files in the caller's language; the rules never write it. */
  message?: string;
}
