/** A problem with one field of the input, as the form shows it next to that field. */
export interface FieldError {
  /** Dotted path of the field, e.g. "applicant.phone". */
  field: string;
  /** Stable code for translations and tests. */
  code: string;
  message: string;
}
