/**
 * A workflow's refusal (DESIGN principle 2): the failure's type is the kind the API maps to an HTTP
 * status, its message is a code (a key of the locale files), details[0] the code's parameters — or,
 * for InvalidInput, details is the list of field errors, each `{ field, code, params? }`.
 */
import { ApplicationFailure } from '@temporalio/workflow';
import type { CodeParams } from '../../domain/shared/codes';
import type { FieldError } from '../../domain/shared/field-error';

export type FailureType = 'InvalidInput' | 'NotYours' | 'NotAllowed' | 'Busy' | 'Unavailable';

export function failure(type: FailureType, code: string, detail?: CodeParams | FieldError[]): ApplicationFailure {
  const details = detail === undefined ? undefined : Array.isArray(detail) ? detail : [detail];
  return ApplicationFailure.create({ type, message: code, details, nonRetryable: true });
}

/** InvalidInput for these fields; the failure's code is the first field's. */
export function invalidFields(fields: FieldError[]): ApplicationFailure {
  return failure('InvalidInput', fields[0]?.code ?? 'field.invalid', fields);
}

export const fieldError = (field: string, code: string, params?: CodeParams): FieldError => (params ? { field, code, params } : { field, code });
