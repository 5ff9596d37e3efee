/** What a contract says (R4.1.1–R4.1.6): the terms, how drafts and amendments merge, how terms are kept. */
import { normalizeEmail, normalizeFin, normalizePhone } from '../shared/identifiers';
import { displayName } from '../shared/names';

export const CASE_TYPES = ['civil', 'criminal', 'commercial', 'administrative', 'administrative_offence'] as const;
export type CaseType = (typeof CASE_TYPES)[number];

export const CITIZENSHIP_KINDS = ['citizen', 'foreign', 'stateless'] as const;
export type Citizenship = (typeof CITIZENSHIP_KINDS)[number];

/** A ceiling that catches a mistyped price (a misplaced decimal point), not a legal limit. */
export const MAX_PRICE_QEPIK = 100_000_000;

export interface NaturalPerson {
  citizenship: Citizenship;
  /** Citizens only: personal identification number, fills the rest from the population registry. */
  fin?: string;
  /** Foreign citizens and stateless persons: passport or residence document number. */
  documentNumber?: string;
  /** Foreign citizens only: the state of citizenship, an ISO 3166-1 alpha-2 code (issue 13). */
  country?: string;
  firstName: string;
  lastName: string;
  patronymic?: string;
  birthDate?: string;
  address?: string;
  phone?: string;
  email?: string;
}

export interface LegalEntity {
  resident: boolean;
  voen?: string;
  name: string;
  address?: string;
  email?: string;
}

export interface Institution {
  /** An entry of the system's institution list, or absent for "Digər" (other). */
  id?: string;
  name: string;
}

export interface PriceTerms {
  totalQepik: number;
  plan: 'single' | 'two_instalments';
  firstInstalmentQepik?: number;
  /** Two instalments: the day ("YYYY-MM-DD", Baku) the second is due; printed in the contract, reminded (issue 12). */
  secondInstalmentDueOn?: string;
}

/** Everything the wizard collects (R4.1.1–R4.1.6). */
export interface ContractTerms {
  protectedPartyKind: 'natural' | 'legal';
  /** Natural person only: "Eynidir" (true) or "Fərqlidir" (false). */
  applicantIsProtectedParty: boolean;
  caseType: CaseType;
  protectedPerson?: NaturalPerson;
  protectedEntity?: LegalEntity;
  applicant: NaturalPerson;
  evidence: { none: boolean; holders: string[] };
  assignment: string;
  institution: Institution;
  price: PriceTerms;
}

export type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? (T[K] extends unknown[] ? T[K] : DeepPartial<T[K]>) : T[K] };
export type ContractDraft = DeepPartial<ContractTerms>;

/**
 * Who a person is for the one-person-per-contact rule (R4.1.2): the FIN for a citizen, the document
 * number otherwise. Undefined while the form does not yet say.
 */
export function personKey(person: Partial<NaturalPerson> | undefined): string | undefined {
  if (!person) return undefined;
  if (person.citizenship === 'citizen' && person.fin) return `fin:${normalizeFin(person.fin)}`;
  if (person.citizenship && person.citizenship !== 'citizen' && person.documentNumber) {
    return `doc:${person.documentNumber.trim().toUpperCase()}`;
  }
  return undefined;
}

/** The people of a contract whose phone and e-mail fall under R4.1.2, with the field path of each. */
export function contactHolders(terms: ContractDraft): { path: string; person: Partial<NaturalPerson> }[] {
  const holders: { path: string; person: Partial<NaturalPerson> }[] = [];
  if (terms.applicant) holders.push({ path: 'applicant', person: terms.applicant });
  if (terms.protectedPartyKind === 'natural' && terms.applicantIsProtectedParty === false && terms.protectedPerson) {
    holders.push({ path: 'protectedPerson', person: terms.protectedPerson });
  }
  return holders;
}

/** Merges an amendment's changes into the terms; arrays and scalars are replaced, objects merged. */
export function applyChanges(terms: ContractTerms, changes: ContractDraft): ContractTerms {
  return deepMerge(terms, changes) as ContractTerms;
}

/** Merges a wizard step into the draft, the same way. */
export function mergeDraft(draft: ContractDraft, step: ContractDraft): ContractDraft {
  return deepMerge(draft, step) as ContractDraft;
}

/** The terms as they are kept: identifiers upper-cased, phones and e-mails in one canonical form. */
export function normalizeTerms(draft: ContractDraft): ContractTerms {
  const terms = deepMerge({}, draft) as ContractTerms;
  const normalizePerson = (person?: NaturalPerson) => {
    if (!person) return;
    if (person.fin) person.fin = normalizeFin(person.fin);
    if (person.phone) person.phone = normalizePhone(person.phone);
    if (person.email) person.email = normalizeEmail(person.email);
    for (const key of ['firstName', 'lastName', 'patronymic', 'address', 'documentNumber'] as const) {
      if (typeof person[key] === 'string') person[key] = person[key].trim();
    }
    if (person.citizenship === 'foreign' && typeof person.country === 'string') person.country = person.country.trim().toUpperCase();
    else delete person.country;
  };
  normalizePerson(terms.applicant);
  if (terms.protectedPartyKind === 'natural' && terms.applicantIsProtectedParty) delete terms.protectedPerson;
  else normalizePerson(terms.protectedPerson);
  if (terms.protectedPartyKind !== 'legal') delete terms.protectedEntity;
  else if (terms.protectedEntity?.email) terms.protectedEntity.email = normalizeEmail(terms.protectedEntity.email);
  if (terms.protectedPartyKind === 'legal') terms.applicantIsProtectedParty = false;
  terms.evidence = { none: Boolean(terms.evidence?.none), holders: (terms.evidence?.holders ?? []).map((h) => h.trim()) };
  terms.assignment = terms.assignment.trim();
  if (terms.price.plan === 'single') delete terms.price.firstInstalmentQepik;
  if (terms.price.plan !== 'two_instalments' || !terms.price.secondInstalmentDueOn) delete terms.price.secondInstalmentDueOn;
  return terms;
}

function deepMerge(base: unknown, patch: unknown): unknown {
  if (patch === undefined) return base;
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return patch;
  const result: Record<string, unknown> = { ...((base && typeof base === 'object' && !Array.isArray(base) ? base : {}) as Record<string, unknown>) };
  for (const [key, value] of Object.entries(patch as Record<string, unknown>)) result[key] = deepMerge(result[key], value);
  return result;
}

export function priceChanged(before: PriceTerms, after: PriceTerms): boolean {
  // The due date is a term of payment, not of the price: moving it needs no consent of the applicant.
  return before.totalQepik !== after.totalQepik || before.plan !== after.plan || (before.firstInstalmentQepik ?? 0) !== (after.firstInstalmentQepik ?? 0);
}

export function protectedPartyName(terms: ContractDraft): string {
  if (terms.protectedPartyKind === 'legal') return terms.protectedEntity?.name ?? '';
  if (terms.applicantIsProtectedParty === false) return displayName(terms.protectedPerson);
  return displayName(terms.applicant);
}
