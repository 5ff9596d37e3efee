/**
 * A bureau of the register (R2.1 ii, R2.2): name, address and the payment-agent contract (number,
 * valid from, valid to). Whether the contract holds today is judged in one place, domain/access.
 */
import { parseDateInput } from '../shared/dates';
import type { FieldError } from '../shared/field-error';
import type { RegisterCode } from './codes';
import { isCalendarDate } from './lawyer';

export interface BureauInput {
  name: string;
  address: string;
  agentContractNumber: string;
  /** `YYYY-MM-DD` or ''. */
  agentContractValidFrom: string;
  /** `YYYY-MM-DD` or '' (open-ended). */
  agentContractValidTo: string;
}

export const BUREAU_FIELDS = ['name', 'address', 'agentContractNumber', 'agentContractValidFrom', 'agentContractValidTo'] as const;
export type BureauField = (typeof BUREAU_FIELDS)[number];

export function normalizeBureau(input: BureauInput): BureauInput {
  return {
    name: input.name.trim(),
    address: input.address.trim(),
    agentContractNumber: input.agentContractNumber.trim(),
    // Typed dd.mm.yyyy on the pages (issue 13), YYYY-MM-DD from the API: both kept as a day.
    agentContractValidFrom: parseDateInput(input.agentContractValidFrom) ?? input.agentContractValidFrom.trim(),
    agentContractValidTo: parseDateInput(input.agentContractValidTo) ?? input.agentContractValidTo.trim(),
  };
}

const problem = (field: BureauField, code: string, reason: RegisterCode, params?: Record<string, string | number>): FieldError =>
  params ? { field, code, reason, params } : { field, code, reason };

/** The fields' problems: a contract needs a number and a first day; its last day, when given, is not before the first. */
export function bureauProblems(b: BureauInput): FieldError[] {
  const errors: FieldError[] = [];
  if (!b.name) errors.push(problem('name', 'required', 'register.bureau_name_required'));
  else if (b.name.length > 200) errors.push(problem('name', 'too_long', 'register.too_long', { max: 200 }));
  if (!b.address) errors.push(problem('address', 'required', 'register.bureau_address_required'));
  else if (b.address.length > 300) errors.push(problem('address', 'too_long', 'register.too_long', { max: 300 }));
  const anyContract = Boolean(b.agentContractNumber || b.agentContractValidFrom || b.agentContractValidTo);
  if (anyContract && !b.agentContractNumber) errors.push(problem('agentContractNumber', 'required', 'register.contract_number_required'));
  else if (b.agentContractNumber.length > 60) errors.push(problem('agentContractNumber', 'too_long', 'register.too_long', { max: 60 }));
  if (anyContract && !b.agentContractValidFrom) errors.push(problem('agentContractValidFrom', 'required', 'register.contract_from_required'));
  else if (b.agentContractValidFrom && !isCalendarDate(b.agentContractValidFrom))
    errors.push(problem('agentContractValidFrom', 'invalid', 'register.date_invalid'));
  if (b.agentContractValidTo && !isCalendarDate(b.agentContractValidTo)) errors.push(problem('agentContractValidTo', 'invalid', 'register.date_invalid'));
  else if (b.agentContractValidTo && isCalendarDate(b.agentContractValidFrom) && b.agentContractValidTo < b.agentContractValidFrom)
    errors.push(problem('agentContractValidTo', 'order', 'register.contract_dates_order'));
  return errors;
}

/** The name of the bureau of one that a lawyer practising individually gets. */
export const individualBureauName = (firstName: string, lastName: string) => `${firstName} ${lastName}`.trim();
