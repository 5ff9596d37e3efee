/** The wizard's steps (R4.1.1–R4.1.7): which fields each edits, the order, and the form's values read into a draft. */
import {
  type ContractDraft,
  type FieldError,
  fieldError,
  formatAzn,
  kindOf,
  type LegalEntity,
  isValidEmail,
  isValidPhone,
  type NaturalPerson,
  normalizeEmail,
  normalizeFin,
  normalizePhone,
  parseAznToQepik,
  validateTerms,
} from '../../domain/contract';
import type { Institution } from '../../api/contract/service';
import { dateInputValue, parseDateInput } from '../../domain/shared/dates';

// ---------------------------------------------------------------- steps and their fields

export const STEP_COUNT = 7;
export type Step = 1 | 2 | 3 | 4 | 5 | 6 | 7;

/** Which draft fields each step edits (field paths as `validateTerms` reports them). */
export const STEP_FIELDS: Record<Step, string[]> = {
  1: ['protectedPartyKind', 'applicantIsProtectedParty', 'caseType'],
  2: ['protectedPerson', 'protectedEntity'],
  3: ['applicant'],
  4: ['evidence'],
  5: ['assignment', 'institution'],
  6: ['price'],
  7: ['confirm'],
};

export const under = (field: string, prefix: string) => field === prefix || field.startsWith(`${prefix}.`);

/** The step where a field is edited; the confirmation step for anything else. */
export function stepOfField(field: string): Step {
  for (let s = 1; s < STEP_COUNT; s++) if (STEP_FIELDS[s as Step].some((p) => under(field, p))) return s as Step;
  return 7;
}

/** Step 2 exists for a legal entity and for a natural person other than the applicant. */
export function stepApplies(step: Step, draft: ContractDraft): boolean {
  if (step !== 2) return true;
  return draft.protectedPartyKind === 'legal' || (draft.protectedPartyKind === 'natural' && draft.applicantIsProtectedParty === false);
}

export function nextStep(step: Step, draft: ContractDraft): Step {
  const next = Math.min(STEP_COUNT, step + 1) as Step;
  return stepApplies(next, draft) ? next : nextStep(next, draft);
}

export function previousStep(step: Step, draft: ContractDraft): Step {
  const prev = Math.max(1, step - 1) as Step;
  return prev === 1 || stepApplies(prev, draft) ? prev : previousStep(prev, draft);
}

/** Errors of a whole draft, with "the whole person is missing" put at the person's first field. */
export function draftErrors(draft: ContractDraft, mode: 'partial' | 'complete'): FieldError[] {
  return validateTerms(draft, mode).map(atFirstField);
}

export function atFirstField(e: FieldError): FieldError {
  if (e.field === 'applicant' || e.field === 'protectedPerson') return { field: `${e.field}.citizenship`, code: 'terms.citizenship_required' };
  if (e.field === 'protectedEntity') return { field: 'protectedEntity.resident', code: 'terms.entity_resident_required' };
  return e;
}

/** Where `/contracts/:id/wizard` resumes a draft: the first step that still lacks something. */
export function resumeStep(draft: ContractDraft): Step {
  const steps = draftErrors(draft, 'complete').map((e) => stepOfField(e.field));
  return steps.length === 0 ? 7 : (Math.min(...steps) as Step);
}

// ---------------------------------------------------------------- the form's values

/** What the form shows: flat strings keyed by field path, and the evidence holder lines. */
export interface FormState {
  v: Record<string, string>;
  holders: string[];
}

export const PERSON_KEYS = [
  'citizenship',
  'fin',
  'documentNumber',
  'country',
  'lastName',
  'firstName',
  'patronymic',
  'birthDate',
  'address',
  'phone',
  'email',
] as const;
export const ENTITY_KEYS = ['voen', 'name', 'address', 'email'] as const;

/** A draft's or a form's value as the form shows it: the form parser gives strings, the draft strings, numbers and booleans. */
export const str = (value: unknown): string => {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return '';
};
export const bodyStr = (body: Record<string, unknown>, key: string) => {
  const value = body[key];
  return Array.isArray(value) ? str(value[value.length - 1]) : str(value);
};

export function valuesFromDraft(draft: ContractDraft): FormState {
  const v: Record<string, string> = {};
  v.protectedPartyKind = str(draft.protectedPartyKind);
  v.applicantIsProtectedParty = draft.applicantIsProtectedParty === true ? 'same' : draft.applicantIsProtectedParty === false ? 'different' : '';
  v.caseType = str(draft.caseType);
  for (const prefix of ['protectedPerson', 'applicant'] as const) {
    const person = draft[prefix] ?? {};
    for (const key of PERSON_KEYS) v[`${prefix}.${key}`] = key === 'birthDate' ? dateInputValue(str(person[key])) : str(person[key]);
  }
  const entity = (draft.protectedEntity ?? {}) as Partial<Record<(typeof ENTITY_KEYS)[number] | 'resident', unknown>>;
  v['protectedEntity.resident'] = entity.resident === true ? 'yes' : entity.resident === false ? 'no' : '';
  for (const key of ENTITY_KEYS) v[`protectedEntity.${key}`] = str(entity[key]);
  v['evidence.none'] = draft.evidence?.none ? '1' : '';
  v.assignment = str(draft.assignment);
  const institution = draft.institution;
  v['institution.id'] = institution ? institution.id || 'other' : '';
  v['institution.name'] = institution && !institution.id ? str(institution.name) : '';
  const price = draft.price ?? {};
  v['price.totalQepik'] = typeof price.totalQepik === 'number' ? formatAzn(price.totalQepik) : '';
  v['price.plan'] = str(price.plan);
  v['price.firstInstalmentQepik'] = typeof price.firstInstalmentQepik === 'number' ? formatAzn(price.firstInstalmentQepik) : '';
  v['price.secondInstalmentDueOn'] = dateInputValue(price.secondInstalmentDueOn);
  return { v, holders: [...(draft.evidence?.holders ?? [])] };
}

/** The saved values, with this step's fields replaced by what the lawyer sent. */
export function valuesFromBody(body: Record<string, unknown>, step: Step, base: FormState): FormState {
  const state: FormState = { v: { ...base.v }, holders: [...base.holders] };
  const take = (key: string) => (state.v[key] = bodyStr(body, key));
  switch (step) {
    case 1:
      ['protectedPartyKind', 'applicantIsProtectedParty', 'caseType'].forEach(take);
      break;
    case 2:
      PERSON_KEYS.filter((k) => k !== 'phone' && k !== 'email').forEach((k) => take(`protectedPerson.${k}`));
      ['resident', ...ENTITY_KEYS].forEach((k) => take(`protectedEntity.${k}`));
      break;
    case 3:
      PERSON_KEYS.forEach((k) => take(`applicant.${k}`));
      break;
    case 4: {
      take('evidence.none');
      const holders = body.holders;
      state.holders = (Array.isArray(holders) ? holders : holders === undefined ? [] : [holders]).map(str);
      break;
    }
    case 5:
      ['assignment', 'institution.id', 'institution.name'].forEach(take);
      break;
    case 6:
      ['price.totalQepik', 'price.plan', 'price.firstInstalmentQepik', 'price.secondInstalmentDueOn'].forEach(take);
      break;
    case 7:
      break;
  }
  return state;
}

/** This step's part of the draft, from the form; and what could not even be read (amounts). */
export function stepDraftOf(step: Step, state: FormState, saved: ContractDraft, institutions: Institution[]): { draft: ContractDraft; errors: FieldError[] } {
  const { v } = state;
  const errors: FieldError[] = [];
  const orUndefined = (value: string) => (value === '' ? undefined : value);
  const person = (prefix: string, withContacts: boolean): Partial<NaturalPerson> => {
    const citizenship = orUndefined(v[`${prefix}.citizenship`]) as NaturalPerson['citizenship'] | undefined;
    const fin = normalizeFin(v[`${prefix}.fin`] ?? '');
    const documentNumber = (v[`${prefix}.documentNumber`] ?? '').trim();
    const result: Partial<NaturalPerson> = {
      citizenship,
      // A citizen is known by the FIN, anyone else by a document: the other one is cleared.
      fin: citizenship && citizenship !== 'citizen' ? '' : fin,
      documentNumber: citizenship === 'citizen' ? '' : documentNumber,
      // issue 13: only a foreign citizen has a state of citizenship.
      country: citizenship === 'foreign' ? (v[`${prefix}.country`] ?? '').trim().toUpperCase() : '',
      lastName: v[`${prefix}.lastName`].trim(),
      firstName: v[`${prefix}.firstName`].trim(),
      patronymic: v[`${prefix}.patronymic`].trim(),
      // Typed dd.mm.yyyy (issue 13); what is not a date stays as typed, so the rules refuse it at the field.
      birthDate: parseDateInput(v[`${prefix}.birthDate`]) ?? v[`${prefix}.birthDate`].trim(),
      address: v[`${prefix}.address`].trim(),
    };
    if (withContacts) {
      const phone = v[`${prefix}.phone`].trim();
      const email = v[`${prefix}.email`].trim();
      result.phone = isValidPhone(phone) ? normalizePhone(phone) : phone;
      result.email = isValidEmail(email) ? normalizeEmail(email) : email;
    }
    return result;
  };

  switch (step) {
    case 1: {
      const kind = orUndefined(v.protectedPartyKind) as ContractDraft['protectedPartyKind'];
      const same = v.applicantIsProtectedParty;
      const draft: ContractDraft = { protectedPartyKind: kind, caseType: orUndefined(v.caseType) as ContractDraft['caseType'] };
      if (kind === 'natural' && (same === 'same' || same === 'different')) draft.applicantIsProtectedParty = same === 'same';
      return { draft, errors };
    }
    case 2:
      if (saved.protectedPartyKind === 'legal') {
        const resident = v['protectedEntity.resident'] === 'yes' ? true : v['protectedEntity.resident'] === 'no' ? false : undefined;
        return {
          draft: {
            protectedEntity: <LegalEntity>{
              resident,
              voen: resident === false ? '' : v['protectedEntity.voen'].replace(/\s+/g, ''),
              name: v['protectedEntity.name'].trim(),
              address: v['protectedEntity.address'].trim(),
              email: v['protectedEntity.email'].trim(),
            },
          },
          errors,
        };
      }
      return { draft: { protectedPerson: person('protectedPerson', false) as NaturalPerson }, errors };
    case 3:
      return { draft: { applicant: person('applicant', true) }, errors };
    case 4: {
      const holders = state.holders.map((h) => h.trim()).filter((h) => h !== '');
      return { draft: { evidence: { none: v['evidence.none'] === '1', holders } }, errors };
    }
    case 5: {
      const draft: ContractDraft = { assignment: v.assignment };
      const id = v['institution.id'];
      if (id === 'other') draft.institution = { id: '', name: v['institution.name'].trim() };
      else if (id === '') errors.push(fieldError('institution', 'terms.institution_required'));
      else {
        const known = institutions.find((i) => i.id === id);
        if (known) draft.institution = { id: known.id, name: known.name };
        else errors.push(fieldError('institution', 'terms.institution_unknown'));
      }
      return { draft, errors };
    }
    case 6: {
      const price: NonNullable<ContractDraft['price']> = {};
      const plan = orUndefined(v['price.plan']) as 'single' | 'two_instalments' | undefined;
      if (plan) price.plan = plan;
      const amount = (field: 'totalQepik' | 'firstInstalmentQepik') => {
        const text = v[`price.${field}`].trim();
        const total = field === 'totalQepik';
        if (text === '') return errors.push(fieldError(`price.${field}`, total ? 'terms.price_required' : 'terms.first_payment_required'));
        const qepik = parseAznToQepik(text.replace(/\s+/g, ''));
        if (qepik === undefined) return errors.push(fieldError(`price.${field}`, total ? 'terms.price_unparsable' : 'terms.first_payment_unparsable'));
        price[field] = qepik;
      };
      amount('totalQepik');
      if (plan === 'two_instalments') {
        amount('firstInstalmentQepik');
        // issue 12: the remainder's due day, typed dd.mm.yyyy; empty leaves it unset (no reminder).
        const dueText = (v['price.secondInstalmentDueOn'] ?? '').trim();
        const due = parseDateInput(dueText);
        if (dueText !== '' && !due) errors.push(fieldError('price.secondInstalmentDueOn', 'terms.due_date_invalid'));
        price.secondInstalmentDueOn = due ?? '';
      }
      return { draft: { price }, errors };
    }
    case 7:
      return { draft: {}, errors };
  }
}

/** This step's mistakes: what could not be read, then the rules' verdict on the merged draft. */
export function stepErrors(step: Step, merged: ContractDraft, readErrors: FieldError[], mode: 'partial' | 'complete'): FieldError[] {
  const own = mode === 'complete' ? readErrors : readErrors.filter((e) => kindOf(e.code) !== 'required');
  const taken = new Set(own.map((e) => e.field));
  return [...own, ...draftErrors(merged, mode).filter((e) => stepOfField(e.field) === step && !taken.has(e.field))];
}
