/**
 * The rules of a legal-aid contract (SPEC §4), in one plain module with no dependencies, so that
 * the workflow, the API and the web pages all decide the same way.
 * Money is integer qəpik (1 AZN = 100 qəpik) everywhere.
 */

export const CASE_TYPES = ['civil', 'criminal', 'commercial', 'administrative', 'administrative_offence'] as const;
export type CaseType = (typeof CASE_TYPES)[number];

export const CITIZENSHIP_KINDS = ['citizen', 'foreign', 'stateless'] as const;
export type Citizenship = (typeof CITIZENSHIP_KINDS)[number];

/** The Bar's fee paid by the bureau head on the already-paid path (R4.2.2): 20.50 AZN. */
export const BAR_FEE_QEPIK = 2050;
/** A ceiling that catches a mistyped price (a misplaced decimal point), not a legal limit. */
export const MAX_PRICE_QEPIK = 100_000_000;

export const CONTRACT_STATUSES = [
  'draft', // the lawyer is filling in the wizard (R4.1.7)
  'awaiting_approval', // sent to the bureau head (R4.2)
  'awaiting_payment', // approved; the applicant may pay (R4.2.1, R4.3)
  'awaiting_fee', // approved as already paid; the head pays the Bar fee (R4.2.2)
  'active', // paid, the order is issued
  'finished', // archived as completed (R4.7)
  'terminated', // archived unfinished; may be restarted (R4.7)
  'discarded', // a draft the lawyer deleted (R4.1.7)
] as const;
export type ContractStatus = (typeof CONTRACT_STATUSES)[number];

export const ARCHIVED_STATUSES: readonly ContractStatus[] = ['finished', 'terminated'];
const TERMINABLE_STATUSES: readonly ContractStatus[] = ['awaiting_approval', 'awaiting_payment', 'awaiting_fee', 'active'];

export interface NaturalPerson {
  citizenship: Citizenship;
  /** Citizens only: personal identification number, fills the rest from the population registry. */
  fin?: string;
  /** Foreign citizens and stateless persons: passport or residence document number. */
  documentNumber?: string;
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

export interface FieldError {
  /** Dotted path of the field, e.g. "applicant.phone". */
  field: string;
  /** Stable code for translations and tests. */
  code: string;
  message: string;
}

// ---------------------------------------------------------------- identifiers and contacts

const FIN_PATTERN = /^[A-Z0-9]{7}$/;

export function normalizeFin(value: string): string {
  return value.trim().toUpperCase();
}

export function isValidFin(value: string): boolean {
  return FIN_PATTERN.test(normalizeFin(value));
}

/** VÖEN: 10 digits, the 9th a check digit over the first 8 (weights 4,1,8,6,2,7,5,3 mod 11). */
export function isValidVoen(value: string): boolean {
  if (!/^\d{10}$/.test(value)) return false;
  const weights = [4, 1, 8, 6, 2, 7, 5, 3];
  const sum = weights.reduce((acc, w, i) => acc + w * Number(value[i]), 0);
  const check = sum % 11;
  return check < 10 && check === Number(value[8]) && (value[9] === '1' || value[9] === '2');
}

/** "+994 50 123 45 67", "050-123-45-67" → "+994501234567"; anything unparseable is returned trimmed. */
export function normalizePhone(value: string): string {
  const compact = value.replace(/[\s\-().]/g, '');
  if (/^0\d{9}$/.test(compact)) return `+994${compact.slice(1)}`;
  if (/^994\d{9}$/.test(compact)) return `+${compact}`;
  if (/^00\d{8,15}$/.test(compact)) return `+${compact.slice(2)}`;
  return compact;
}

export function isValidPhone(value: string): boolean {
  return /^\+\d{8,15}$/.test(normalizePhone(value));
}

export function normalizeEmail(value: string): string {
  return value.trim().toLowerCase();
}

export function isValidEmail(value: string): boolean {
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(normalizeEmail(value));
}

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
  if (terms.applicant) holders.push({ path: 'applicant', person: terms.applicant as Partial<NaturalPerson> });
  if (terms.protectedPartyKind === 'natural' && terms.applicantIsProtectedParty === false && terms.protectedPerson) {
    holders.push({ path: 'protectedPerson', person: terms.protectedPerson as Partial<NaturalPerson> });
  }
  return holders;
}

// ---------------------------------------------------------------- price (R4.1.6)

/** The second instalment: price 1000 AZN, first 300 → 700. */
export function remainderQepik(price: Partial<PriceTerms>): number {
  const total = price.totalQepik ?? 0;
  if (price.plan !== 'two_instalments') return 0;
  return Math.max(0, total - (price.firstInstalmentQepik ?? 0));
}

/** What the applicant must pay before the order is issued. */
export function amountDueForOrderQepik(price: PriceTerms): number {
  return price.plan === 'two_instalments' ? (price.firstInstalmentQepik ?? price.totalQepik) : price.totalQepik;
}

export function formatAzn(qepik: number): string {
  const sign = qepik < 0 ? '-' : '';
  const abs = Math.abs(qepik);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** "12.5", "12,50", 12.5 → 1250 qəpik; undefined when it is not an amount. */
export function parseAznToQepik(value: string | number): number | undefined {
  const text = String(value).trim().replace(',', '.');
  if (!/^\d+(\.\d{1,2})?$/.test(text)) return undefined;
  const [whole, fraction = ''] = text.split('.');
  return Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
}

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
      if (typeof person[key] === 'string') person[key] = person[key]!.trim();
    }
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
  return before.totalQepik !== after.totalQepik || before.plan !== after.plan || (before.firstInstalmentQepik ?? 0) !== (after.firstInstalmentQepik ?? 0);
}

/** The natural-person names a contract is listed and filtered under (R4.8). */
export function displayName(person: Partial<NaturalPerson> | undefined): string {
  if (!person) return '';
  return [person.lastName, person.firstName, person.patronymic].filter(Boolean).join(' ');
}

export function protectedPartyName(terms: ContractDraft): string {
  if (terms.protectedPartyKind === 'legal') return terms.protectedEntity?.name ?? '';
  if (terms.applicantIsProtectedParty === false) return displayName(terms.protectedPerson as Partial<NaturalPerson>);
  return displayName(terms.applicant as Partial<NaturalPerson>);
}

// ---------------------------------------------------------------- who may do what, when (R2.5, R4)

export type ActorKind = 'lawyer' | 'applicant' | 'admin' | 'system';

export interface Actor {
  kind: ActorKind;
  id: string;
  /** Lawyers: the bureau; a lawyer practising individually is the head of a bureau of one. */
  bureauId?: string;
  isHead?: boolean;
}

export const CONTRACT_ACTIONS = [
  'saveDraft',
  'discardDraft',
  'submitForApproval',
  'approve',
  'approveAsAlreadyPaid',
  'reject',
  'pay',
  'payBarFee',
  'proposeAmendment',
  'respondToPriceChange',
  'approveAmendment',
  'rejectAmendment',
  'finish',
  'terminate',
  'restart',
  'sendToCourt',
] as const;
export type ContractAction = (typeof CONTRACT_ACTIONS)[number];

/** What the rules need to know of a contract to decide on an action. */
export interface ContractFacts {
  status: ContractStatus;
  lawyerId: string;
  bureauId: string;
  applicantAccountId?: string;
  amendmentStatus?: AmendmentStatus;
  balanceDueQepik: number;
}

export type AmendmentStatus = 'awaiting_consent' | 'awaiting_head_approval';

const isOwnLawyer = (a: Actor, c: ContractFacts) => a.kind === 'lawyer' && a.id === c.lawyerId;
const isHeadOfBureau = (a: Actor, c: ContractFacts) => a.kind === 'lawyer' && a.isHead === true && a.bureauId === c.bureauId;
const isApplicant = (a: Actor, c: ContractFacts) => a.kind === 'applicant' && c.applicantAccountId !== undefined && a.id === c.applicantAccountId;

/** May this actor see the contract at all (R2.5)? */
export function canView(actor: Actor, c: ContractFacts): boolean {
  return isOwnLawyer(actor, c) || isHeadOfBureau(actor, c) || isApplicant(actor, c) || actor.kind === 'admin' || actor.kind === 'system';
}

/** Why the action is refused now, or undefined when it is allowed. */
export function refusal(action: ContractAction, actor: Actor, c: ContractFacts): string | undefined {
  if (!canView(actor, c)) return 'This contract is not yours.';
  const stateIs = (...statuses: ContractStatus[]) => statuses.includes(c.status);
  const lawyerOrHead = isOwnLawyer(actor, c) || isHeadOfBureau(actor, c);
  switch (action) {
    case 'saveDraft':
    case 'discardDraft':
    case 'submitForApproval':
      if (!isOwnLawyer(actor, c)) return "Only the contract's lawyer edits and sends the draft.";
      if (!stateIs('draft')) return `The contract is no longer a draft (it is ${c.status}).`;
      return undefined;
    case 'approve':
    case 'approveAsAlreadyPaid':
    case 'reject':
      if (!isHeadOfBureau(actor, c)) return 'Only the head of the bureau approves or rejects a contract.';
      if (!stateIs('awaiting_approval')) return `The contract is not awaiting approval (it is ${c.status}).`;
      return undefined;
    case 'pay':
      if (!isApplicant(actor, c)) return 'Only the applicant pays for the contract.';
      if (stateIs('awaiting_payment')) return undefined;
      if (stateIs('active') && c.balanceDueQepik > 0) return undefined;
      return c.status === 'active' ? 'The contract is paid in full.' : `The contract is not awaiting payment (it is ${c.status}).`;
    case 'payBarFee':
      if (!isHeadOfBureau(actor, c)) return 'Only the head of the bureau pays the Bar fee.';
      if (!stateIs('awaiting_fee')) return 'No Bar fee is due on this contract.';
      return undefined;
    case 'proposeAmendment':
      if (!lawyerOrHead) return "Only the contract's lawyer or the bureau head amends a contract.";
      if (!stateIs('active')) return `Only an active contract can be amended (it is ${c.status}).`;
      if (c.amendmentStatus) return 'An amendment is already pending.';
      return undefined;
    case 'respondToPriceChange':
      if (!isApplicant(actor, c)) return 'Only the applicant consents to a price change.';
      if (c.amendmentStatus !== 'awaiting_consent') return 'No price change is awaiting your consent.';
      return undefined;
    case 'approveAmendment':
    case 'rejectAmendment':
      if (!isHeadOfBureau(actor, c)) return 'Only the head of the bureau decides on an amendment.';
      if (c.amendmentStatus !== 'awaiting_head_approval') return 'No amendment is awaiting approval.';
      return undefined;
    case 'finish':
      if (!lawyerOrHead) return "Only the contract's lawyer or the bureau head finishes a contract.";
      if (!stateIs('active')) return `Only an active contract can be finished (it is ${c.status}).`;
      return undefined;
    case 'terminate':
      if (!lawyerOrHead) return "Only the contract's lawyer or the bureau head terminates a contract.";
      if (!TERMINABLE_STATUSES.includes(c.status)) return `A ${c.status} contract cannot be terminated.`;
      return undefined;
    case 'restart':
      if (!lawyerOrHead) return "Only the contract's lawyer or the bureau head restarts a contract.";
      if (!stateIs('terminated')) return 'Only a terminated contract can be restarted.';
      return undefined;
    case 'sendToCourt':
      if (!lawyerOrHead) return "Only the contract's lawyer or the bureau head sends the case to court.";
      if (!stateIs('active')) return `Only an active contract can be sent to court (it is ${c.status}).`;
      return undefined;
  }
}

export function allowedActions(actor: Actor, c: ContractFacts): ContractAction[] {
  return CONTRACT_ACTIONS.filter((action) => refusal(action, actor, c) === undefined);
}

// ---------------------------------------------------------------- search (R4.8)

const AZ_FOLD: Record<string, string> = { ə: 'e', ı: 'i', ö: 'o', ü: 'u', ş: 's', ç: 'c', ğ: 'g' };

/** Lower-cases and folds Azerbaijani letters, so "Əli", "əli" and "Eli" all match. */
export function foldForSearch(text: string): string {
  return text
    .replace(/İ/g, 'i')
    .toLowerCase()
    .replace(/[əıöüşçğ]/g, (ch) => AZ_FOLD[ch])
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}
