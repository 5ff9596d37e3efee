/**
 * Field rules of the wizard and of amendments (R4.1.1–R4.1.6). Each problem is a code (a key of the
 * locale files, `terms.*`) at a field, with its parameters; the words live in locales/<l>/contract.json.
 */
import type { CodeParams } from '../shared/codes';
import type { FieldError } from '../shared/field-error';
import { isValidEmail, isValidFin, isValidPhone, isValidVoen, normalizeEmail, normalizePhone } from '../shared/identifiers';
import { isForeignCountryCode } from '../shared/countries';
import { parseDateInput } from '../shared/dates';
import {
  CASE_TYPES,
  CITIZENSHIP_KINDS,
  contactHolders,
  type ContractDraft,
  type DeepPartial,
  type LegalEntity,
  MAX_PRICE_QEPIK,
  type NaturalPerson,
  personKey,
  type PriceTerms,
} from './terms';

/**
 * Every validation code with its kind: what is wrong, in one word (`required`, `invalid`, …). The JSON
 * API answers the kind as a field's `code` (as before codes existed) and the code as its `reason`.
 */
export const TERMS_CODE_KINDS = {
  'terms.party_kind_invalid': 'invalid',
  'terms.party_kind_required': 'required',
  'terms.case_type_invalid': 'invalid',
  'terms.case_type_required': 'required',
  'terms.same_person_required': 'required',
  'terms.applicant_required': 'required',
  'terms.protected_person_required': 'required',
  'terms.citizenship_invalid': 'invalid',
  'terms.citizenship_required': 'required',
  'terms.fin_invalid': 'invalid',
  'terms.fin_required': 'required',
  'terms.document_number_required': 'required',
  'terms.country_required': 'required',
  'terms.country_invalid': 'invalid',
  'terms.first_name_required': 'required',
  'terms.last_name_required': 'required',
  'terms.too_long': 'too_long',
  'terms.birth_date_invalid': 'invalid',
  'terms.phone_invalid': 'invalid',
  'terms.email_invalid': 'invalid',
  'terms.contact_required': 'contact_required',
  'terms.phone_shared': 'contact_taken',
  'terms.email_shared': 'contact_taken',
  'terms.entity_required': 'required',
  'terms.entity_resident_required': 'required',
  'terms.voen_invalid': 'invalid',
  'terms.voen_required': 'required',
  'terms.entity_name_required': 'required',
  'terms.holder_required': 'required',
  'terms.evidence_conflict': 'conflict',
  'terms.evidence_required': 'required',
  'terms.assignment_required': 'required',
  'terms.institution_required': 'required',
  'terms.institution_name_required': 'required',
  'terms.institution_unknown': 'invalid',
  'terms.price_required': 'required',
  'terms.price_invalid': 'invalid',
  'terms.price_unparsable': 'unparsable',
  'terms.price_too_large': 'too_large',
  'terms.plan_invalid': 'invalid',
  'terms.plan_required': 'required',
  'terms.first_payment_required': 'required',
  'terms.first_payment_invalid': 'invalid',
  'terms.first_payment_unparsable': 'unparsable',
  'terms.first_payment_not_less': 'not_less_than_price',
  'terms.due_date_invalid': 'invalid',
  'terms.due_date_past': 'invalid',
  'terms.confirm_required': 'required',
} as const;
export type TermsCode = keyof typeof TERMS_CODE_KINDS;
export const TERMS_CODES = Object.keys(TERMS_CODE_KINDS) as TermsCode[];

/** What is wrong, in one word, for a code of this module; another code is its own kind. */
export function kindOf(code: string): string {
  return (TERMS_CODE_KINDS as Record<string, string>)[code] ?? code;
}

export const fieldError = (field: string, code: TermsCode, params?: CodeParams): FieldError => (params ? { field, code, params } : { field, code });

export type Completeness = 'partial' | 'complete';
type Add = (field: string, code: TermsCode, params?: CodeParams) => void;

/**
 * Field errors of a draft. 'partial' checks only what has been entered (a draft being saved step by
 * step); 'complete' also requires everything the contract needs before it is sent for approval.
 */
export function validateTerms(draft: ContractDraft, completeness: Completeness): FieldError[] {
  const errors: FieldError[] = [];
  const complete = completeness === 'complete';
  const add: Add = (field, code, params) => errors.push(fieldError(field, code, params));
  const requireValue = (field: string, value: unknown, code: TermsCode) => {
    if (complete && (value === undefined || value === null || value === '')) add(field, code);
  };

  if (draft.protectedPartyKind !== undefined && draft.protectedPartyKind !== 'natural' && draft.protectedPartyKind !== 'legal') {
    add('protectedPartyKind', 'terms.party_kind_invalid');
  }
  requireValue('protectedPartyKind', draft.protectedPartyKind, 'terms.party_kind_required');
  if (draft.caseType !== undefined && !CASE_TYPES.includes(draft.caseType)) add('caseType', 'terms.case_type_invalid');
  requireValue('caseType', draft.caseType, 'terms.case_type_required');

  if (draft.protectedPartyKind === 'natural') {
    if (complete && typeof draft.applicantIsProtectedParty !== 'boolean') add('applicantIsProtectedParty', 'terms.same_person_required');
    if (draft.applicantIsProtectedParty === false) validatePerson(draft.protectedPerson, 'protectedPerson', complete, false, add);
  }
  if (draft.protectedPartyKind === 'legal') validateEntity(draft.protectedEntity, complete, add);

  validatePerson(draft.applicant, 'applicant', complete, true, add);
  validateDistinctContacts(draft, add);

  if (draft.evidence) {
    const holders = (draft.evidence.holders ?? []).map((h) => (typeof h === 'string' ? h.trim() : ''));
    holders.forEach((h, i) => {
      if (h === '') add(`evidence.holders.${i}`, 'terms.holder_required');
      else if (h.length > 300) add(`evidence.holders.${i}`, 'terms.too_long', { max: 300 });
    });
    if (draft.evidence.none && holders.length > 0) add('evidence', 'terms.evidence_conflict');
    if (complete && !draft.evidence.none && holders.length === 0) add('evidence', 'terms.evidence_required');
  } else if (complete) add('evidence', 'terms.evidence_required');

  const assignment = draft.assignment?.trim() ?? '';
  if (complete && assignment === '') add('assignment', 'terms.assignment_required');
  if (assignment.length > 5000) add('assignment', 'terms.too_long', { max: 5000 });

  if (draft.institution) {
    if (!draft.institution.name?.trim()) add('institution.name', 'terms.institution_name_required');
  } else if (complete) add('institution', 'terms.institution_required');

  validatePrice(draft.price, complete, add);
  return errors;
}

function validatePerson(person: DeepPartial<NaturalPerson> | undefined, path: string, complete: boolean, isApplicant: boolean, add: Add) {
  if (!person) {
    if (complete) add(path, isApplicant ? 'terms.applicant_required' : 'terms.protected_person_required');
    return;
  }
  if (person.citizenship !== undefined && !CITIZENSHIP_KINDS.includes(person.citizenship)) add(`${path}.citizenship`, 'terms.citizenship_invalid');
  if (complete && !person.citizenship) add(`${path}.citizenship`, 'terms.citizenship_required');
  if (person.citizenship === 'citizen') {
    if (person.fin !== undefined && person.fin !== '' && !isValidFin(person.fin)) add(`${path}.fin`, 'terms.fin_invalid');
    if (complete && !person.fin) add(`${path}.fin`, 'terms.fin_required');
  } else if (person.citizenship) {
    if (complete && !person.documentNumber?.trim()) add(`${path}.documentNumber`, 'terms.document_number_required');
  }
  // issue 13: a court identifies a foreign citizen by the passport and the state that issued it.
  if (person.citizenship === 'foreign') {
    if (person.country !== undefined && person.country !== '' && !isForeignCountryCode(person.country)) add(`${path}.country`, 'terms.country_invalid');
    if (complete && !person.country) add(`${path}.country`, 'terms.country_required');
  }
  for (const [field, required] of [
    ['firstName', 'terms.first_name_required'],
    ['lastName', 'terms.last_name_required'],
  ] as const) {
    const value = person[field]?.trim() ?? '';
    if (complete && value === '') add(`${path}.${field}`, required);
    if (value.length > 100) add(`${path}.${field}`, 'terms.too_long', { max: 100 });
  }
  if (person.birthDate && !/^\d{4}-\d{2}-\d{2}$/.test(person.birthDate)) add(`${path}.birthDate`, 'terms.birth_date_invalid');
  if (person.phone && !isValidPhone(person.phone)) add(`${path}.phone`, 'terms.phone_invalid');
  if (person.email && !isValidEmail(person.email)) add(`${path}.email`, 'terms.email_invalid');
  if (isApplicant && complete && !person.phone && !person.email) add(`${path}.phone`, 'terms.contact_required');
}

/** Two different people of one contract cannot share a phone or an e-mail (R4.1.2). */
function validateDistinctContacts(draft: ContractDraft, add: Add) {
  const holders = contactHolders(draft);
  if (holders.length < 2) return;
  const [a, b] = holders;
  if (personKey(a.person) && personKey(a.person) === personKey(b.person)) return;
  if (a.person.phone && b.person.phone && normalizePhone(a.person.phone) === normalizePhone(b.person.phone)) add(`${b.path}.phone`, 'terms.phone_shared');
  if (a.person.email && b.person.email && normalizeEmail(a.person.email) === normalizeEmail(b.person.email)) add(`${b.path}.email`, 'terms.email_shared');
}

function validateEntity(entity: DeepPartial<LegalEntity> | undefined, complete: boolean, add: Add) {
  if (!entity) {
    if (complete) add('protectedEntity', 'terms.entity_required');
    return;
  }
  if (complete && typeof entity.resident !== 'boolean') add('protectedEntity.resident', 'terms.entity_resident_required');
  if (entity.resident && entity.voen && !isValidVoen(entity.voen)) add('protectedEntity.voen', 'terms.voen_invalid');
  if (complete && entity.resident && !entity.voen) add('protectedEntity.voen', 'terms.voen_required');
  if (complete && !entity.name?.trim()) add('protectedEntity.name', 'terms.entity_name_required');
  if (entity.email && !isValidEmail(entity.email)) add('protectedEntity.email', 'terms.email_invalid');
}

function validatePrice(price: DeepPartial<PriceTerms> | undefined, complete: boolean, add: Add) {
  if (!price) {
    if (complete) add('price.totalQepik', 'terms.price_required');
    return;
  }
  const total = price.totalQepik;
  if (total !== undefined && (!Number.isInteger(total) || total <= 0)) add('price.totalQepik', 'terms.price_invalid');
  else if (total !== undefined && total > MAX_PRICE_QEPIK) add('price.totalQepik', 'terms.price_too_large');
  if (complete && total === undefined) add('price.totalQepik', 'terms.price_required');
  if (price.plan !== undefined && price.plan !== 'single' && price.plan !== 'two_instalments') add('price.plan', 'terms.plan_invalid');
  if (complete && !price.plan) add('price.plan', 'terms.plan_required');
  if (price.plan === 'two_instalments') {
    const first = price.firstInstalmentQepik;
    if (first === undefined) {
      if (complete) add('price.firstInstalmentQepik', 'terms.first_payment_required');
    } else if (!Number.isInteger(first) || first <= 0) add('price.firstInstalmentQepik', 'terms.first_payment_invalid');
    else if (total !== undefined && first >= total) add('price.firstInstalmentQepik', 'terms.first_payment_not_less');
    const due = price.secondInstalmentDueOn;
    if (due !== undefined && due !== '' && !isCalendarDay(due)) add('price.secondInstalmentDueOn', 'terms.due_date_invalid');
  }
}

/** "YYYY-MM-DD" naming a real day. */
const isCalendarDay = (text: string) => parseDateInput(text) === text;

/**
 * issue 12: a due date typed in the wizard lies after today (Baku). Not a rule of the terms
 * themselves (an amendment of an old contract may keep a day now past), so the wizard asks it.
 */
export function dueDateErrors(price: DeepPartial<PriceTerms> | undefined, todayBaku: string): FieldError[] {
  const due = price?.plan === 'two_instalments' ? price.secondInstalmentDueOn : undefined;
  if (!due || !isCalendarDay(due) || due > todayBaku) return [];
  return [fieldError('price.secondInstalmentDueOn', 'terms.due_date_past')];
}
