/**
 * "Müqaviləyə düzəliş et" (R4.4): the amendment form's values, the changes they make to the terms,
 * and the errors of what was typed, each at the form field that shows it, in the page's language.
 */
import {
  type ContractDraft,
  type ContractTerms,
  type FieldError,
  type NaturalPerson,
  type PriceTerms,
  applyChanges,
  fieldError,
  formatAzn,
  isValidPhone,
  normalizeEmail,
  normalizePhone,
  parseAznToQepik,
  priceChanged,
  validateTerms,
} from '../../domain/contract';
import type { Locale } from '../shared/i18n';
import { fieldText } from './field-text';

export interface AmendValues {
  holders: string[];
  evidenceNone: boolean;
  assignment: string;
  institutionId: string;
  institutionOther: string;
  totalAzn: string;
  plan: string;
  firstAzn: string;
  applicantPhone: string;
  applicantEmail: string;
  protectedPhone: string;
  protectedEmail: string;
  note: string;
}

export const hasProtectedPerson = (terms: ContractTerms) => terms.protectedPartyKind === 'natural' && !terms.applicantIsProtectedParty;

export function amendValuesOf(terms: ContractTerms): AmendValues {
  return {
    holders: [...terms.evidence.holders],
    evidenceNone: terms.evidence.none,
    assignment: terms.assignment,
    institutionId: terms.institution.id ?? 'other',
    institutionOther: terms.institution.id ? '' : terms.institution.name,
    totalAzn: formatAzn(terms.price.totalQepik),
    plan: terms.price.plan,
    firstAzn: terms.price.firstInstalmentQepik ? formatAzn(terms.price.firstInstalmentQepik) : '',
    applicantPhone: terms.applicant.phone ?? '',
    applicantEmail: terms.applicant.email ?? '',
    protectedPhone: hasProtectedPerson(terms) ? (terms.protectedPerson?.phone ?? '') : '',
    protectedEmail: hasProtectedPerson(terms) ? (terms.protectedPerson?.email ?? '') : '',
    note: '',
  };
}

export function amendValuesFrom(body: Record<string, unknown>): AmendValues {
  const str = (v: unknown) => (typeof v === 'string' ? v : '');
  const holders = Array.isArray(body.holders) ? body.holders.map(str) : typeof body.holders === 'string' ? [body.holders] : [];
  return {
    holders,
    evidenceNone: body.evidenceNone === 'on',
    assignment: str(body.assignment),
    institutionId: str(body.institutionId),
    institutionOther: str(body.institutionOther),
    totalAzn: str(body.totalAzn).trim(),
    plan: str(body.plan),
    firstAzn: str(body.firstAzn).trim(),
    applicantPhone: str(body.applicantPhone).trim(),
    applicantEmail: str(body.applicantEmail).trim(),
    protectedPhone: str(body.protectedPhone).trim(),
    protectedEmail: str(body.protectedEmail).trim(),
    note: str(body.note),
  };
}

/** The form field that shows a rules-module error about a path of the terms. */
export function formFieldOf(path: string, values: AmendValues): string {
  if (path.startsWith('evidence')) return 'holders';
  if (path === 'assignment') return 'assignment';
  if (path.startsWith('institution')) return values.institutionId === 'other' ? 'institutionOther' : 'institutionId';
  if (path === 'price.totalQepik' || path === 'price') return 'totalAzn';
  if (path === 'price.firstInstalmentQepik') return 'firstAzn';
  if (path === 'price.plan') return 'plan';
  if (path === 'applicant.phone') return 'applicantPhone';
  if (path === 'applicant.email') return 'applicantEmail';
  if (path === 'protectedPerson.phone') return 'protectedPhone';
  if (path === 'protectedPerson.email') return 'protectedEmail';
  return 'note';
}

/** The changes the form makes to the terms (only what differs), and the errors of what was typed. */
export function amendmentFrom(
  values: AmendValues,
  terms: ContractTerms,
  institutions: { id: string; name: string }[],
  locale: Locale,
): { changes: ContractDraft; errors: FieldError[] } {
  const changes: ContractDraft = {};
  const errors: FieldError[] = [];
  /** An error at a form field (named as the form names it), in the page's language. */
  const err = (field: string, e: FieldError) => errors.push({ ...e, field, message: fieldText(locale, e) });

  const holders = values.holders.map((h) => h.trim()).filter((h) => h !== '');
  if (
    values.evidenceNone !== terms.evidence.none ||
    holders.length !== terms.evidence.holders.length ||
    holders.some((h, i) => h !== terms.evidence.holders[i])
  ) {
    changes.evidence = { none: values.evidenceNone, holders };
  }
  const assignment = values.assignment.trim();
  if (assignment !== terms.assignment) changes.assignment = assignment;

  if (values.institutionId === 'other') {
    const name = values.institutionOther.trim();
    // null, not undefined: the merge of an amendment keeps what an absent key had, and "Digər" has no list id.
    if (terms.institution.id || name !== terms.institution.name) changes.institution = { id: null as unknown as undefined, name };
  } else {
    const chosen = institutions.find((i) => i.id === values.institutionId);
    if (!chosen) err('institutionId', fieldError('institution', 'terms.institution_unknown'));
    else if (chosen.id !== terms.institution.id) changes.institution = { id: chosen.id, name: chosen.name };
  }

  const total = values.totalAzn === '' ? undefined : parseAznToQepik(values.totalAzn);
  if (values.totalAzn === '') err('totalAzn', fieldError('price.totalQepik', 'terms.price_required'));
  else if (total === undefined) err('totalAzn', fieldError('price.totalQepik', 'terms.price_unparsable'));
  const plan = values.plan === 'two_instalments' ? 'two_instalments' : 'single';
  let first: number | undefined;
  if (plan === 'two_instalments') {
    first = values.firstAzn === '' ? undefined : parseAznToQepik(values.firstAzn);
    if (values.firstAzn === '') err('firstAzn', fieldError('price.firstInstalmentQepik', 'terms.first_payment_required'));
    else if (first === undefined) err('firstAzn', fieldError('price.firstInstalmentQepik', 'terms.first_payment_unparsable'));
  }
  if (total !== undefined && (plan === 'single' || first !== undefined)) {
    const price: PriceTerms = plan === 'single' ? { totalQepik: total, plan } : { totalQepik: total, plan, firstInstalmentQepik: first };
    if (priceChanged(terms.price, price)) changes.price = price;
  }

  const contact = (value: string, kind: 'phone' | 'email') =>
    value === '' ? '' : kind === 'phone' ? (isValidPhone(value) ? normalizePhone(value) : value) : normalizeEmail(value);
  const applicant: Partial<NaturalPerson> = {};
  if (contact(values.applicantPhone, 'phone') !== (terms.applicant.phone ?? '')) applicant.phone = contact(values.applicantPhone, 'phone');
  if (contact(values.applicantEmail, 'email') !== (terms.applicant.email ?? '')) applicant.email = contact(values.applicantEmail, 'email');
  if (Object.keys(applicant).length > 0) changes.applicant = applicant;
  if (hasProtectedPerson(terms)) {
    const person: Partial<NaturalPerson> = {};
    if (contact(values.protectedPhone, 'phone') !== (terms.protectedPerson?.phone ?? '')) person.phone = contact(values.protectedPhone, 'phone');
    if (contact(values.protectedEmail, 'email') !== (terms.protectedPerson?.email ?? '')) person.email = contact(values.protectedEmail, 'email');
    // ContractDraft types an optional part whole; a merge needs only the changed keys.
    if (Object.keys(person).length > 0) changes.protectedPerson = person as NaturalPerson;
  }

  if (errors.length === 0) {
    for (const e of validateTerms(applyChanges(terms, changes), 'complete')) {
      const field = formFieldOf(e.field, values);
      if (!errors.some((x) => x.field === field)) err(field, e);
    }
  }
  return { changes, errors };
}

/** Which sub-sections of the amendment form are open: those with changes or errors. */
export function openSections(values: AmendValues, terms: ContractTerms, errors: FieldError[]) {
  const start = amendValuesOf(terms);
  const has = (...fields: string[]) => errors.some((e) => fields.includes(e.field));
  return {
    evidence: has('holders') || values.evidenceNone !== start.evidenceNone || values.holders.filter((h) => h.trim()).join('\n') !== start.holders.join('\n'),
    assignment:
      has('assignment', 'institutionId', 'institutionOther') ||
      values.assignment !== start.assignment ||
      values.institutionId !== start.institutionId ||
      values.institutionOther !== start.institutionOther,
    price: has('totalAzn', 'plan', 'firstAzn') || values.totalAzn !== start.totalAzn || values.plan !== start.plan || values.firstAzn !== start.firstAzn,
    contacts:
      has('applicantPhone', 'applicantEmail', 'protectedPhone', 'protectedEmail') ||
      values.applicantPhone !== start.applicantPhone ||
      values.applicantEmail !== start.applicantEmail ||
      values.protectedPhone !== start.protectedPhone ||
      values.protectedEmail !== start.protectedEmail,
  };
}
