/** Field rules of the wizard and of amendments (R4.1.1–R4.1.6). */
import type { FieldError } from '../shared/field-error';
import { isValidEmail, isValidFin, isValidPhone, isValidVoen, normalizeEmail, normalizePhone } from '../shared/identifiers';
import { CASE_TYPES, CITIZENSHIP_KINDS, type CaseType, type Citizenship, contactHolders, type ContractDraft, type DeepPartial, type LegalEntity, MAX_PRICE_QEPIK, type NaturalPerson, personKey, type PriceTerms } from './terms';

// ---------------------------------------------------------------- validation (R4.1.1–R4.1.6)

export type Completeness = 'partial' | 'complete';

/**
 * Field errors of a draft. 'partial' checks only what has been entered (a draft being saved step by
 * step); 'complete' also requires everything the contract needs before it is sent for approval.
 */
export function validateTerms(draft: ContractDraft, completeness: Completeness): FieldError[] {
  const errors: FieldError[] = [];
  const complete = completeness === 'complete';
  const add = (field: string, code: string, message: string) => errors.push({ field, code, message });
  const requireValue = (field: string, value: unknown, message: string) => {
    if (complete && (value === undefined || value === null || value === '')) add(field, 'required', message);
  };

  if (draft.protectedPartyKind !== undefined && draft.protectedPartyKind !== 'natural' && draft.protectedPartyKind !== 'legal') {
    add('protectedPartyKind', 'invalid', 'Choose a natural person or a legal entity.');
  }
  requireValue('protectedPartyKind', draft.protectedPartyKind, 'Choose whether the protected party is a natural person or a legal entity.');
  if (draft.caseType !== undefined && !CASE_TYPES.includes(draft.caseType as CaseType)) add('caseType', 'invalid', 'Unknown case type.');
  requireValue('caseType', draft.caseType, 'Choose the case type.');

  if (draft.protectedPartyKind === 'natural') {
    if (complete && typeof draft.applicantIsProtectedParty !== 'boolean') {
      add('applicantIsProtectedParty', 'required', 'Say whether the applicant and the protected party are the same person.');
    }
    if (draft.applicantIsProtectedParty === false) {
      validatePerson(draft.protectedPerson, 'protectedPerson', complete, false, add);
    }
  }
  if (draft.protectedPartyKind === 'legal') validateEntity(draft.protectedEntity, complete, add);

  validatePerson(draft.applicant, 'applicant', complete, true, add);
  validateDistinctContacts(draft, add);

  if (draft.evidence) {
    const holders = (draft.evidence.holders ?? []).map((h) => (typeof h === 'string' ? h.trim() : ''));
    holders.forEach((h, i) => {
      if (h === '') add(`evidence.holders.${i}`, 'required', 'Type the holder or remove the line.');
      else if (h.length > 300) add(`evidence.holders.${i}`, 'too_long', 'At most 300 characters.');
    });
    if (draft.evidence.none && holders.length > 0) add('evidence', 'conflict', '"Mövcud deyil" cannot be chosen together with holders.');
    if (complete && !draft.evidence.none && holders.length === 0) add('evidence', 'required', 'Add an evidence holder or choose "Mövcud deyil".');
  } else if (complete) add('evidence', 'required', 'Add an evidence holder or choose "Mövcud deyil".');

  const assignment = draft.assignment?.trim() ?? '';
  if (complete && assignment === '') add('assignment', 'required', 'Describe the assignment.');
  if (assignment.length > 5000) add('assignment', 'too_long', 'At most 5000 characters.');

  if (draft.institution) {
    if (!draft.institution.name?.trim()) add('institution.name', 'required', 'Choose the institution or type its name under "Digər".');
  } else if (complete) add('institution', 'required', 'Choose the institution or type its name under "Digər".');

  validatePrice(draft.price, complete, add);
  return errors;
}

function validatePerson(
  person: DeepPartial<NaturalPerson> | undefined,
  path: string,
  complete: boolean,
  isApplicant: boolean,
  add: (field: string, code: string, message: string) => void,
) {
  if (!person) {
    if (complete) add(path, 'required', isApplicant ? 'Enter the applicant.' : 'Enter the protected person.');
    return;
  }
  if (person.citizenship !== undefined && !CITIZENSHIP_KINDS.includes(person.citizenship as Citizenship)) {
    add(`${path}.citizenship`, 'invalid', 'Unknown citizenship.');
  }
  if (complete && !person.citizenship) add(`${path}.citizenship`, 'required', 'Choose the citizenship.');
  if (person.citizenship === 'citizen') {
    if (person.fin !== undefined && person.fin !== '' && !isValidFin(person.fin)) {
      add(`${path}.fin`, 'invalid', 'A FIN is 7 Latin capital letters and digits.');
    }
    if (complete && !person.fin) add(`${path}.fin`, 'required', 'Enter the FIN.');
  } else if (person.citizenship) {
    if (complete && !person.documentNumber?.trim()) add(`${path}.documentNumber`, 'required', 'Enter the passport or document number.');
  }
  for (const [field, label] of [['firstName', 'first name'], ['lastName', 'surname']] as const) {
    const value = person[field]?.trim() ?? '';
    if (complete && value === '') add(`${path}.${field}`, 'required', `Enter the ${label}.`);
    if (value.length > 100) add(`${path}.${field}`, 'too_long', 'At most 100 characters.');
  }
  if (person.birthDate && !/^\d{4}-\d{2}-\d{2}$/.test(person.birthDate)) add(`${path}.birthDate`, 'invalid', 'Use the date format YYYY-MM-DD.');
  if (person.phone && !isValidPhone(person.phone)) add(`${path}.phone`, 'invalid', 'Enter the phone number with the country code, e.g. +994 50 123 45 67.');
  if (person.email && !isValidEmail(person.email)) add(`${path}.email`, 'invalid', 'Enter a valid e-mail address.');
  if (isApplicant && complete && !person.phone && !person.email) {
    add(`${path}.phone`, 'contact_required', "Enter the applicant's phone number or e-mail (at least one).");
  }
}

/** Two different people of one contract cannot share a phone or an e-mail (R4.1.2). */
function validateDistinctContacts(draft: ContractDraft, add: (field: string, code: string, message: string) => void) {
  const holders = contactHolders(draft);
  if (holders.length < 2) return;
  const [a, b] = holders;
  if (personKey(a.person) && personKey(a.person) === personKey(b.person)) return;
  if (a.person.phone && b.person.phone && normalizePhone(a.person.phone) === normalizePhone(b.person.phone)) {
    add(`${b.path}.phone`, 'contact_taken', 'This phone number is already given for another person of this contract.');
  }
  if (a.person.email && b.person.email && normalizeEmail(a.person.email) === normalizeEmail(b.person.email)) {
    add(`${b.path}.email`, 'contact_taken', 'This e-mail is already given for another person of this contract.');
  }
}

function validateEntity(entity: DeepPartial<LegalEntity> | undefined, complete: boolean, add: (f: string, c: string, m: string) => void) {
  if (!entity) {
    if (complete) add('protectedEntity', 'required', 'Enter the legal entity.');
    return;
  }
  if (complete && typeof entity.resident !== 'boolean') add('protectedEntity.resident', 'required', 'Say whether the entity is a resident.');
  if (entity.resident && entity.voen && !isValidVoen(entity.voen)) add('protectedEntity.voen', 'invalid', 'A VÖEN is 10 digits with a valid check digit.');
  if (complete && entity.resident && !entity.voen) add('protectedEntity.voen', 'required', 'Enter the VÖEN.');
  if (complete && !entity.name?.trim()) add('protectedEntity.name', 'required', 'Enter the name of the entity.');
  if (entity.email && !isValidEmail(entity.email)) add('protectedEntity.email', 'invalid', 'Enter a valid e-mail address.');
}

function validatePrice(price: DeepPartial<PriceTerms> | undefined, complete: boolean, add: (f: string, c: string, m: string) => void) {
  if (!price) {
    if (complete) add('price.totalQepik', 'required', 'Enter the price.');
    return;
  }
  const total = price.totalQepik;
  if (total !== undefined && (!Number.isInteger(total) || total <= 0)) add('price.totalQepik', 'invalid', 'The price must be a positive amount.');
  else if (total !== undefined && total > MAX_PRICE_QEPIK) add('price.totalQepik', 'too_large', 'The price looks mistyped: it is above 1,000,000 AZN.');
  if (complete && total === undefined) add('price.totalQepik', 'required', 'Enter the price.');
  if (price.plan !== undefined && price.plan !== 'single' && price.plan !== 'two_instalments') add('price.plan', 'invalid', 'Choose a single payment or two instalments.');
  if (complete && !price.plan) add('price.plan', 'required', 'Choose a single payment or two instalments.');
  if (price.plan === 'two_instalments') {
    const first = price.firstInstalmentQepik;
    if (first === undefined) {
      if (complete) add('price.firstInstalmentQepik', 'required', 'Enter the first payment.');
    } else if (!Number.isInteger(first) || first <= 0) add('price.firstInstalmentQepik', 'invalid', 'The first payment must be a positive amount.');
    else if (total !== undefined && first >= total) add('price.firstInstalmentQepik', 'not_less_than_price', 'The first payment must be less than the price.');
  }
}
