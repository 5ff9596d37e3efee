/**
 * "Yeni müqavilə yarat": the new-contract wizard (R4.1.1–R4.1.7), server-rendered.
 *
 * The draft lives in the contract's workflow, so it survives a closed browser and is resumed from
 * the contract list (`/contracts/:id/wizard` opens the first step that still lacks something).
 * Every page costs one read of the read model; every "Davam et" one `saveDraft` update on top.
 * A step is checked here with the same rules module the workflow uses (`validateTerms`), so a
 * step with mistakes is shown again with the lawyer's own input and a message at each field,
 * without a round trip to Temporal. JavaScript (web/static/app.js) only enhances the pages.
 *
 * Translation keys: `wizard.*` — `wizard.step.<n>` step titles, `wizard.f.<field>` labels,
 * `wizard.h.<field>` hints, `wizard.o.<choice>.<value>` choices, `wizard.err.<field>.<code>` and
 * `wizard.err.<code>` messages, `wizard.lookup.*` look-up results, `wizard.sum.*` the summary.
 */
import { type Request, type Response, Router } from 'express';
import { currentActor } from '../../api/auth/routes';
import { type ContractRow, loadVisibleContract } from '../../api/contract/routes';
import { fromWorkflowError, HttpError, notFound } from '../../api/http/errors';
import {
  type Actor,
  CASE_TYPES,
  CITIZENSHIP_KINDS,
  type ContractDraft,
  type FieldError,
  formatAzn,
  type LegalEntity,
  isValidEmail,
  isValidFin,
  isValidPhone,
  isValidVoen,
  mergeDraft,
  type NaturalPerson,
  normalizeEmail,
  normalizeFin,
  normalizePhone,
  parseAznToQepik,
  validateTerms,
} from '../../domain/contract';
import { IntegrationError } from '../../integrations/http';
import { type Locale, translate } from '../shared/i18n';
import { renderPage, t } from '../shared/render';
import { redirectWithFlash } from '../shared/feedback';
import { requirePageActor } from '../shared/guard';
import type { WebDeps } from '../shared/deps';

// ---------------------------------------------------------------- steps and their fields

const STEP_COUNT = 7;
type Step = 1 | 2 | 3 | 4 | 5 | 6 | 7;

/** Which draft fields each step edits (field paths as `validateTerms` reports them). */
const STEP_FIELDS: Record<Step, string[]> = {
  1: ['protectedPartyKind', 'applicantIsProtectedParty', 'caseType'],
  2: ['protectedPerson', 'protectedEntity'],
  3: ['applicant'],
  4: ['evidence'],
  5: ['assignment', 'institution'],
  6: ['price'],
  7: ['confirm'],
};

const under = (field: string, prefix: string) => field === prefix || field.startsWith(`${prefix}.`);

/** The step where a field is edited; the confirmation step for anything else. */
export function stepOfField(field: string): Step {
  for (let s = 1; s < STEP_COUNT; s++) if (STEP_FIELDS[s as Step].some((p) => under(field, p))) return s as Step;
  return 7;
}

/** Step 2 exists for a legal entity and for a natural person other than the applicant. */
function stepApplies(step: Step, draft: ContractDraft): boolean {
  if (step !== 2) return true;
  return draft.protectedPartyKind === 'legal' || (draft.protectedPartyKind === 'natural' && draft.applicantIsProtectedParty === false);
}

function nextStep(step: Step, draft: ContractDraft): Step {
  const next = Math.min(STEP_COUNT, step + 1) as Step;
  return stepApplies(next, draft) ? next : nextStep(next, draft);
}

function previousStep(step: Step, draft: ContractDraft): Step {
  const prev = Math.max(1, step - 1) as Step;
  return prev === 1 || stepApplies(prev, draft) ? prev : previousStep(prev, draft);
}

/** Errors of a whole draft, with "the whole person is missing" put at the person's first field. */
function draftErrors(draft: ContractDraft, mode: 'partial' | 'complete'): FieldError[] {
  return validateTerms(draft, mode).map(atFirstField);
}

function atFirstField(e: FieldError): FieldError {
  if (e.field === 'applicant' || e.field === 'protectedPerson') return { ...e, field: `${e.field}.citizenship` };
  if (e.field === 'protectedEntity') return { ...e, field: 'protectedEntity.resident' };
  return e;
}

/** Where `/contracts/:id/wizard` resumes a draft: the first step that still lacks something. */
function resumeStep(draft: ContractDraft): Step {
  const steps = draftErrors(draft, 'complete').map((e) => stepOfField(e.field));
  return steps.length === 0 ? 7 : (Math.min(...steps) as Step);
}

// ---------------------------------------------------------------- the form's values

/** What the form shows: flat strings keyed by field path, and the evidence holder lines. */
interface FormState {
  v: Record<string, string>;
  holders: string[];
}

const PERSON_KEYS = ['citizenship', 'fin', 'documentNumber', 'lastName', 'firstName', 'patronymic', 'birthDate', 'address', 'phone', 'email'] as const;
const ENTITY_KEYS = ['voen', 'name', 'address', 'email'] as const;

const str = (value: unknown) => (value === undefined || value === null ? '' : String(value));
const bodyStr = (body: Record<string, unknown>, key: string) => {
  const value = body[key];
  return Array.isArray(value) ? str(value[value.length - 1]) : str(value);
};

function valuesFromDraft(draft: ContractDraft): FormState {
  const v: Record<string, string> = {};
  v.protectedPartyKind = str(draft.protectedPartyKind);
  v.applicantIsProtectedParty = draft.applicantIsProtectedParty === true ? 'same' : draft.applicantIsProtectedParty === false ? 'different' : '';
  v.caseType = str(draft.caseType);
  for (const prefix of ['protectedPerson', 'applicant'] as const) {
    const person = (draft[prefix] ?? {}) as Partial<NaturalPerson>;
    for (const key of PERSON_KEYS) v[`${prefix}.${key}`] = str(person[key]);
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
  return { v, holders: [...(draft.evidence?.holders ?? [])] };
}

/** The saved values, with this step's fields replaced by what the lawyer sent. */
function valuesFromBody(body: Record<string, unknown>, step: Step, base: FormState): FormState {
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
      ['price.totalQepik', 'price.plan', 'price.firstInstalmentQepik'].forEach(take);
      break;
    case 7:
      break;
  }
  return state;
}

interface Institution {
  id: string;
  name: string;
}

const fieldError = (field: string, code: string, message = code): FieldError => ({ field, code, message });

/** This step's part of the draft, from the form; and what could not even be read (amounts). */
function stepDraftOf(step: Step, state: FormState, saved: ContractDraft, institutions: Institution[]): { draft: ContractDraft; errors: FieldError[] } {
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
      lastName: v[`${prefix}.lastName`].trim(),
      firstName: v[`${prefix}.firstName`].trim(),
      patronymic: v[`${prefix}.patronymic`].trim(),
      birthDate: v[`${prefix}.birthDate`].trim(),
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
      return { draft: { applicant: person('applicant', true) as NaturalPerson }, errors };
    case 4: {
      const holders = state.holders.map((h) => h.trim()).filter((h) => h !== '');
      return { draft: { evidence: { none: v['evidence.none'] === '1', holders } }, errors };
    }
    case 5: {
      const draft: ContractDraft = { assignment: v.assignment };
      const id = v['institution.id'];
      if (id === 'other') draft.institution = { id: '', name: v['institution.name'].trim() };
      else if (id === '') errors.push(fieldError('institution', 'required'));
      else {
        const known = institutions.find((i) => i.id === id);
        if (known) draft.institution = { id: known.id, name: known.name };
        else errors.push(fieldError('institution', 'invalid'));
      }
      return { draft, errors };
    }
    case 6: {
      const price: NonNullable<ContractDraft['price']> = {};
      const plan = orUndefined(v['price.plan']) as 'single' | 'two_instalments' | undefined;
      if (plan) price.plan = plan;
      const amount = (field: 'totalQepik' | 'firstInstalmentQepik') => {
        const text = v[`price.${field}`].trim();
        if (text === '') return errors.push(fieldError(`price.${field}`, 'required'));
        const qepik = parseAznToQepik(text.replace(/\s+/g, ''));
        if (qepik === undefined) return errors.push(fieldError(`price.${field}`, 'unparsable'));
        price[field] = qepik;
      };
      amount('totalQepik');
      if (plan === 'two_instalments') amount('firstInstalmentQepik');
      return { draft: { price }, errors };
    }
    case 7:
      return { draft: {}, errors };
  }
}

/** This step's mistakes: what could not be read, then the rules' verdict on the merged draft. */
function stepErrors(step: Step, merged: ContractDraft, readErrors: FieldError[], mode: 'partial' | 'complete'): FieldError[] {
  const own = mode === 'complete' ? readErrors : readErrors.filter((e) => e.code !== 'required');
  const taken = new Set(own.map((e) => e.field));
  return [...own, ...draftErrors(merged, mode).filter((e) => stepOfField(e.field) === step && !taken.has(e.field))];
}

// ---------------------------------------------------------------- messages

/** "applicant.fin" and "protectedPerson.fin" share their words; holder lines share theirs. */
function fieldKey(field: string): string {
  return field.replace(/^(applicant|protectedPerson)\./, 'person.').replace(/\.\d+$/, '');
}

function has(locale: Locale, key: string): boolean {
  return translate(locale, key) !== key;
}

/** An error in the page's language: a message for this field and code, or a general one naming the field. */
function localize(res: Response, e: FieldError): FieldError {
  const locale = (res.locals.locale as Locale) ?? 'az';
  const key = fieldKey(e.field);
  const label = has(locale, `wizard.f.${key}`) ? translate(locale, `wizard.f.${key}`) : key;
  for (const candidate of [`wizard.err.${key}.${e.code}`, `wizard.err.${e.code}`]) {
    if (has(locale, candidate)) return { ...e, message: translate(locale, candidate, { label }) };
  }
  return { ...e, message: e.message && e.message !== e.code ? e.message : translate(locale, 'wizard.err.invalid', { label }) };
}

// ---------------------------------------------------------------- view models

interface Option {
  value: string;
  label: string;
  id: string;
  checked: boolean;
}

interface FieldView {
  kind: 'input' | 'radio' | 'select' | 'textarea' | 'checkbox';
  id: string;
  name: string;
  label: string;
  type?: string;
  value?: string;
  options?: Option[];
  hint?: string;
  hintId?: string;
  error?: string;
  errorId?: string;
  note?: string;
  noteId?: string;
  noteClass?: string;
  describedBy?: string;
  autocomplete?: string;
  inputmode?: string;
  maxlength?: number;
  lookup?: { action: string; label: string; busy: string };
  showIf?: string;
  priceRole?: 'total' | 'first';
  short?: boolean;
  upper?: boolean;
  checked?: boolean;
}

interface Note {
  text: string;
  kind: 'notice' | 'warning';
}

interface FieldSpec {
  name: string;
  kind?: FieldView['kind'];
  /** Translation key of the label; by default `wizard.f.<field key>`. */
  label?: string;
  /** Hint translation key; by default `wizard.h.<field key>` when it exists. */
  hint?: string | false;
  type?: string;
  choices?: readonly string[];
  /** For choices: `wizard.o.<choiceKey>.<value>`. */
  choiceKey?: string;
  options?: { value: string; label: string }[];
  id?: string;
  extraDescribedBy?: string;
  autocomplete?: string;
  inputmode?: string;
  maxlength?: number;
  lookup?: 'fin' | 'voen';
  showIf?: string;
  priceRole?: 'total' | 'first';
  short?: boolean;
  upper?: boolean;
}

interface RenderContext {
  res: Response;
  state: FormState;
  errors: FieldError[];
  notes: Record<string, Note>;
}

function buildField(ctx: RenderContext, spec: FieldSpec): FieldView {
  const { res, state, errors, notes } = ctx;
  const locale = (res.locals.locale as Locale) ?? 'az';
  const key = fieldKey(spec.name);
  const id = spec.id ?? `f-${spec.name}`;
  const kind = spec.kind ?? 'input';
  const error = errors.find((e) => e.field === (spec.id ? spec.id.slice(2) : spec.name));
  const hintKey = spec.hint === false ? undefined : (spec.hint ?? `wizard.h.${key}`);
  const hint = hintKey && has(locale, hintKey) ? translate(locale, hintKey) : undefined;
  const note = notes[spec.name];
  const value = state.v[spec.name] ?? '';
  const view: FieldView = {
    kind,
    id,
    name: spec.name,
    label: translate(locale, spec.label ?? `wizard.f.${key}`),
    type: spec.type ?? 'text',
    value,
    hint,
    hintId: hint ? `${id}-hint` : undefined,
    error: error?.message,
    errorId: error ? `${id}-error` : undefined,
    note: note?.text,
    noteId: note ? `${id}-note` : undefined,
    noteClass: note?.kind,
    autocomplete: spec.autocomplete,
    inputmode: spec.inputmode,
    maxlength: spec.maxlength,
    showIf: spec.showIf,
    priceRole: spec.priceRole,
    short: spec.short,
    upper: spec.upper,
  };
  view.describedBy = [view.errorId, view.hintId, spec.extraDescribedBy, view.noteId].filter(Boolean).join(' ') || undefined;
  if (spec.lookup) view.lookup = { action: `lookup-${spec.lookup}`, label: t(res, 'wizard.lookup.button'), busy: t(res, 'wizard.lookup.busy') };
  const options = spec.options ?? (spec.choices ?? []).map((c) => ({ value: c, label: translate(locale, `wizard.o.${spec.choiceKey ?? key}.${c}`) }));
  if (kind === 'radio' || kind === 'select') {
    view.options = options.map((o, i) => ({ ...o, id: kind === 'radio' && i > 0 ? `${id}--${o.value}` : id, checked: o.value === value }));
    if (kind === 'select') view.options = view.options.map((o) => ({ ...o, id: '' }));
  }
  if (kind === 'checkbox') {
    view.value = '1';
    view.checked = value === '1';
  }
  return view;
}

interface Group {
  legend?: string;
  hint?: string;
  hintId?: string;
  fields: FieldView[];
}

function personGroups(ctx: RenderContext, prefix: 'protectedPerson' | 'applicant'): Group[] {
  const f = (spec: FieldSpec) => buildField(ctx, spec);
  const identity: Group = {
    fields: [
      f({ name: `${prefix}.citizenship`, kind: 'radio', choices: CITIZENSHIP_KINDS, choiceKey: 'citizenship' }),
      f({ name: `${prefix}.fin`, lookup: 'fin', autocomplete: 'off', maxlength: 7, showIf: `${prefix}.citizenship=citizen|`, short: true, upper: true }),
      f({ name: `${prefix}.documentNumber`, autocomplete: 'off', showIf: `${prefix}.citizenship=foreign|stateless|`, short: true }),
      f({ name: `${prefix}.lastName`, autocomplete: 'off' }),
      f({ name: `${prefix}.firstName`, autocomplete: 'off' }),
      f({ name: `${prefix}.patronymic`, autocomplete: 'off' }),
      f({ name: `${prefix}.birthDate`, type: 'date', short: true }),
      f({ name: `${prefix}.address`, autocomplete: 'off' }),
    ],
  };
  if (prefix === 'protectedPerson') return [identity];
  const hintId = 'applicant-contact-hint';
  const contact: Group = {
    legend: t(ctx.res, 'wizard.g.contact'),
    hint: t(ctx.res, 'wizard.h.contact'),
    hintId,
    fields: [
      f({ name: 'applicant.phone', type: 'tel', autocomplete: 'off', inputmode: 'tel', extraDescribedBy: hintId, short: true }),
      f({ name: 'applicant.email', type: 'email', autocomplete: 'off', extraDescribedBy: hintId }),
    ],
  };
  return [identity, contact];
}

function entityGroups(ctx: RenderContext): Group[] {
  const f = (spec: FieldSpec) => buildField(ctx, spec);
  return [
    {
      fields: [
        f({ name: 'protectedEntity.resident', kind: 'radio', choices: ['yes', 'no'], choiceKey: 'resident' }),
        f({ name: 'protectedEntity.voen', lookup: 'voen', inputmode: 'numeric', autocomplete: 'off', maxlength: 12, showIf: 'protectedEntity.resident=yes|', short: true }),
        f({ name: 'protectedEntity.name', autocomplete: 'off' }),
        f({ name: 'protectedEntity.address', autocomplete: 'off' }),
        f({ name: 'protectedEntity.email', type: 'email', autocomplete: 'off' }),
      ],
    },
  ];
}

interface Fact {
  label: string;
  value: string;
  missing?: boolean;
  multiline?: boolean;
}

function summarySections(res: Response, draft: ContractDraft, contractId: string) {
  const locale = (res.locals.locale as Locale) ?? 'az';
  const wanting = new Set(draftErrors(draft, 'complete').map((e) => e.field));
  /** One line of the summary; shown as missing when the rules still want `field`. */
  const fact = (labelKey: string, value: string | undefined, field?: string, extra: Partial<Fact> = {}): Fact => ({
    label: translate(locale, labelKey),
    value: value && value.trim() !== '' ? value : '—',
    missing: field !== undefined && [...wanting].some((w) => under(w, field)),
    ...extra,
  });
  const day = (iso: string | undefined) => (iso && /^\d{4}-\d{2}-\d{2}$/.test(iso) ? iso.split('-').reverse().join('.') : iso);
  const choice = (group: string, value: string | undefined) => (value ? translate(locale, `wizard.o.${group}.${value}`) : undefined);
  const personFacts = (person: Partial<NaturalPerson> | undefined, path: string, withContacts: boolean): Fact[] => {
    const p = person ?? {};
    const nameMissing = [`${path}.lastName`, `${path}.firstName`].some((f) => wanting.has(f));
    const facts = [
      fact('wizard.sum.name', [p.lastName, p.firstName, p.patronymic].filter(Boolean).join(' '), undefined, { missing: nameMissing || wanting.has(path) }),
      fact('wizard.f.person.citizenship', choice('citizenship', p.citizenship), `${path}.citizenship`),
      p.citizenship === 'citizen' || !p.citizenship ? fact('wizard.f.person.fin', p.fin, `${path}.fin`) : fact('wizard.f.person.documentNumber', p.documentNumber, `${path}.documentNumber`),
      fact('wizard.f.person.birthDate', day(p.birthDate), `${path}.birthDate`),
      fact('wizard.f.person.address', p.address),
    ];
    if (withContacts) facts.push(fact('wizard.f.person.phone', p.phone, `${path}.phone`), fact('wizard.f.person.email', p.email, `${path}.email`));
    return facts;
  };
  const edit = (step: Step) => `/contracts/${contractId}/wizard/${step}`;
  const sections: { step: Step; title: string; href: string; facts: Fact[]; list?: string[]; text?: string; missingText?: boolean }[] = [];

  sections.push({
    step: 1,
    title: translate(locale, 'wizard.step.1'),
    href: edit(1),
    facts: [
      fact('wizard.f.protectedPartyKind', choice('protectedPartyKind', draft.protectedPartyKind), 'protectedPartyKind'),
      ...(draft.protectedPartyKind === 'natural'
        ? [fact('wizard.f.applicantIsProtectedParty', choice('applicantIsProtectedParty', draft.applicantIsProtectedParty === true ? 'same' : draft.applicantIsProtectedParty === false ? 'different' : undefined), 'applicantIsProtectedParty')]
        : []),
      fact('wizard.f.caseType', draft.caseType ? `${choice('caseType', draft.caseType)} (${translate(locale, 'wizard.sum.caseTypeNotPrinted')})` : undefined, 'caseType'),
    ],
  });
  if (draft.protectedPartyKind === 'legal') {
    const e: Partial<LegalEntity> = draft.protectedEntity ?? {};
    sections.push({
      step: 2,
      title: translate(locale, 'wizard.step.2'),
      href: edit(2),
      facts: [
        fact('wizard.f.protectedEntity.resident', choice('resident', e.resident === true ? 'yes' : e.resident === false ? 'no' : undefined), 'protectedEntity.resident'),
        ...(e.resident === false ? [] : [fact('wizard.f.protectedEntity.voen', e.voen, 'protectedEntity.voen')]),
        fact('wizard.f.protectedEntity.name', e.name, 'protectedEntity.name'),
        fact('wizard.f.protectedEntity.address', e.address),
        fact('wizard.f.protectedEntity.email', e.email, 'protectedEntity.email'),
      ],
    });
  } else if (stepApplies(2, draft)) {
    sections.push({ step: 2, title: translate(locale, 'wizard.step.2'), href: edit(2), facts: personFacts(draft.protectedPerson as Partial<NaturalPerson>, 'protectedPerson', false) });
  }
  sections.push({ step: 3, title: translate(locale, 'wizard.step.3'), href: edit(3), facts: personFacts(draft.applicant as Partial<NaturalPerson>, 'applicant', true) });
  const holders = (draft.evidence?.holders ?? []).filter((h) => h.trim() !== '');
  sections.push({
    step: 4,
    title: translate(locale, 'wizard.step.4'),
    href: edit(4),
    facts: [],
    text: draft.evidence?.none ? translate(locale, 'wizard.f.evidence.none') : holders.length === 0 ? '—' : undefined,
    missingText: !draft.evidence?.none && holders.length === 0,
    list: !draft.evidence?.none && holders.length > 0 ? holders : undefined,
  });
  const institution = draft.institution;
  sections.push({
    step: 5,
    title: translate(locale, 'wizard.step.5'),
    href: edit(5),
    facts: [
      fact('wizard.f.assignment', draft.assignment, 'assignment', { multiline: true }),
      fact('wizard.f.institution', institution?.name ? (institution.id ? institution.name : `${institution.name} (${translate(locale, 'wizard.o.institution.other')})`) : undefined, 'institution'),
    ],
  });
  const price = draft.price ?? {};
  const aznText = (q: number | undefined) => (typeof q === 'number' ? `${formatAzn(q)} AZN` : undefined);
  const priceFacts = [fact('wizard.sum.price', aznText(price.totalQepik), 'price.totalQepik'), fact('wizard.f.price.plan', choice('plan', price.plan), 'price.plan')];
  if (price.plan === 'two_instalments') {
    const rest = typeof price.totalQepik === 'number' && typeof price.firstInstalmentQepik === 'number' ? price.totalQepik - price.firstInstalmentQepik : undefined;
    priceFacts.push(fact('wizard.sum.first', aznText(price.firstInstalmentQepik), 'price.firstInstalmentQepik'), fact('wizard.sum.remainder', aznText(rest)));
  }
  sections.push({ step: 6, title: translate(locale, 'wizard.step.6'), href: edit(6), facts: priceFacts });
  return sections;
}

// ---------------------------------------------------------------- institutions (cached: no extra read per page)

let institutionCache: { at: number; list: Institution[] } | undefined;
const INSTITUTION_CACHE_MS = 5 * 60 * 1000;

async function institutionList(deps: WebDeps): Promise<Institution[]> {
  if (!institutionCache || Date.now() - institutionCache.at > INSTITUTION_CACHE_MS) {
    const list = (await deps.db('institutions').orderBy('name').select('id', 'name')) as Institution[];
    institutionCache = { at: Date.now(), list };
  }
  return institutionCache.list;
}

// ---------------------------------------------------------------- the pages

interface StepRender {
  row: ContractRow;
  step: Step;
  state: FormState;
  errors?: FieldError[];
  notes?: Record<string, Note>;
  /** A refusal that belongs to no field (the contract is busy, an outside system is down). */
  problem?: string;
  status?: number;
  /** After "+" without JavaScript: the new empty holder line gets the focus. */
  focusLastHolder?: boolean;
}

const wizardUrl = (id: string, step?: Step) => `/contracts/${encodeURIComponent(id)}/wizard${step ? `/${step}` : ''}`;

export function wizardPages(deps: WebDeps): Router {
  const router = Router();
  const { db, gateway } = deps;

  /** The contract's own lawyer's draft; another contract is "not found", a sent one opens its page. */
  async function loadDraft(req: Request, res: Response): Promise<ContractRow | undefined> {
    const actor = currentActor(req);
    const row = await loadVisibleContract(db, actor, String(req.params.id));
    if (row.lawyer_id !== actor.id || row.view.status === 'discarded') throw notFound('No such contract.');
    if (row.view.status !== 'draft') {
      res.redirect(303, `/contracts/${encodeURIComponent(row.id)}`);
      return undefined;
    }
    return row;
  }

  const parseStep = (raw: unknown): Step => {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1 || n > STEP_COUNT || String(n) !== String(raw)) throw notFound();
    return n as Step;
  };

  async function renderStep(req: Request, res: Response, r: StepRender) {
    const { row, step, state } = r;
    const draft = row.view.draft;
    const locale = (res.locals.locale as Locale) ?? 'az';
    const all = (r.errors ?? []).map(atFirstField).map((e) => localize(res, e));
    const errors = all.filter((e) => stepOfField(e.field) === step);
    const elsewhere = all
      .filter((e) => stepOfField(e.field) !== step)
      .map((e) => ({ ...e, href: `${wizardUrl(row.id, stepOfField(e.field))}#f-${e.field}`, stepTitle: translate(locale, `wizard.step.${stepOfField(e.field)}`) }));
    const ctx: RenderContext = { res, state, errors, notes: r.notes ?? {} };
    const f = (spec: FieldSpec) => buildField(ctx, spec);
    const missingSteps = new Set(draftErrors(draft, 'complete').map((e) => stepOfField(e.field)));
    const steps = Array.from({ length: STEP_COUNT }, (_, i) => {
      const n = (i + 1) as Step;
      const applies = stepApplies(n, draft) || (n === 2 && draft.protectedPartyKind === undefined);
      return {
        n,
        label: translate(locale, `wizard.step.${n}`),
        current: n === step,
        skipped: !applies,
        done: stepApplies(n, draft) && n < 7 && !missingSteps.has(n),
        href: n !== step && applies ? wizardUrl(row.id, n) : undefined,
      };
    });
    const common = {
      title: `${t(res, 'wizard.stepOf', { n: step, total: STEP_COUNT })}: ${t(res, `wizard.step.${step}`)}`,
      section: 'contracts',
      errors,
      elsewhere,
      problem: r.problem,
      contract: { id: row.id, number: row.number },
      step,
      stepTitle: t(res, `wizard.step.${step}`),
      stepCount: STEP_COUNT,
      steps,
      action: wizardUrl(row.id, step),
      backStep: step > 1 ? previousStep(step, draft) : undefined,
      deleteUrl: `${wizardUrl(row.id)}/delete`,
    };
    let view = 'wizard/step';
    let data: Record<string, unknown> = {};
    switch (step) {
      case 1:
        data = {
          groups: [
            {
              fields: [
                f({ name: 'protectedPartyKind', kind: 'radio', choices: ['natural', 'legal'] }),
                f({ name: 'applicantIsProtectedParty', kind: 'radio', choices: ['same', 'different'], showIf: 'protectedPartyKind=natural|' }),
                f({ name: 'caseType', kind: 'radio', choices: CASE_TYPES }),
              ],
            },
          ],
        };
        break;
      case 2:
        data = {
          intro: t(res, draft.protectedPartyKind === 'legal' ? 'wizard.intro.2.legal' : 'wizard.intro.2.natural'),
          groups: draft.protectedPartyKind === 'legal' ? entityGroups(ctx) : personGroups(ctx, 'protectedPerson'),
        };
        break;
      case 3:
        data = {
          intro: t(res, draft.protectedPartyKind === 'legal' ? 'wizard.intro.3.legal' : draft.applicantIsProtectedParty ? 'wizard.intro.3.same' : 'wizard.intro.3.different'),
          groups: personGroups(ctx, 'applicant'),
        };
        break;
      case 4: {
        view = 'wizard/evidence';
        const holders = state.holders.length > 0 ? state.holders : state.v['evidence.none'] === '1' ? [] : [''];
        data = {
          none: f({ name: 'evidence.none', kind: 'checkbox', id: 'f-evidence', extraDescribedBy: 'evidence-hint' }),
          holders: holders.map((value, i) => {
            const error = errors.find((e) => e.field === `evidence.holders.${i}`);
            return {
              id: `f-evidence.holders.${i}`,
              value,
              label: t(res, 'wizard.f.evidence.holder', { n: i + 1 }),
              error: error?.message,
              errorId: error ? `f-evidence.holders.${i}-error` : undefined,
              autofocus: r.focusLastHolder === true && i === holders.length - 1,
            };
          }),
          holderLabel: t(res, 'wizard.f.evidence.holderNew'),
        };
        break;
      }
      case 5: {
        const institutions = await institutionList(deps);
        data = {
          groups: [
            {
              fields: [
                f({ name: 'assignment', kind: 'textarea', maxlength: 5000 }),
                f({
                  name: 'institution.id',
                  id: 'f-institution',
                  label: 'wizard.f.institution',
                  hint: 'wizard.h.institution',
                  kind: 'select',
                  options: [
                    { value: '', label: t(res, 'wizard.o.institution.choose') },
                    ...institutions.map((i) => ({ value: i.id, label: i.name })),
                    { value: 'other', label: t(res, 'wizard.o.institution.other') },
                  ],
                }),
                f({ name: 'institution.name', showIf: 'institution.id=other' }),
              ],
            },
          ],
        };
        break;
      }
      case 6: {
        view = 'wizard/price';
        const total = parseAznToQepik(state.v['price.totalQepik'].replace(/\s+/g, '') || 'x');
        const firstText = state.v['price.firstInstalmentQepik'].replace(/\s+/g, '');
        const first = firstText === '' ? 0 : parseAznToQepik(firstText);
        data = {
          total: f({ name: 'price.totalQepik', inputmode: 'decimal', autocomplete: 'off', priceRole: 'total', short: true }),
          plan: f({ name: 'price.plan', kind: 'radio', choices: ['single', 'two_instalments'], choiceKey: 'plan' }),
          first: f({ name: 'price.firstInstalmentQepik', inputmode: 'decimal', autocomplete: 'off', priceRole: 'first', short: true }),
          remainder: total !== undefined && first !== undefined && first < total ? formatAzn(total - first) : '—',
        };
        break;
      }
      case 7: {
        view = 'wizard/confirm';
        const missing = draftErrors(draft, 'complete').map((e) => localize(res, e));
        data = {
          sections: summarySections(res, draft, row.id),
          missing: missing.map((e) => ({ ...e, href: `${wizardUrl(row.id, stepOfField(e.field))}#f-${e.field}`, stepTitle: translate(locale, `wizard.step.${stepOfField(e.field)}`) })),
          confirm: f({ name: 'confirm', kind: 'checkbox' }),
        };
        break;
      }
    }
    renderPage(req, res, view, { ...common, ...data }, r.status ?? 200);
  }

  // ------------------------------------------------------------ "Yeni müqavilə yarat"

  router.post('/contracts/new', requirePageActor('lawyer'), async (req, res) => {
    const { contractId } = await gateway.create(currentActor(req), {});
    res.redirect(303, wizardUrl(contractId, 1));
  });

  /** Resume a draft (R4.1.7): the first step that still lacks something, else the confirmation. */
  router.get('/contracts/:id/wizard', requirePageActor('lawyer'), async (req, res) => {
    const row = await loadDraft(req, res);
    if (!row) return;
    res.redirect(303, wizardUrl(row.id, resumeStep(row.view.draft)));
  });

  // ------------------------------------------------------------ "Layihəni sil" (R4.1.7)

  router.get('/contracts/:id/wizard/delete', requirePageActor('lawyer'), async (req, res) => {
    const row = await loadDraft(req, res);
    if (!row) return;
    renderPage(req, res, 'wizard/delete', {
      title: t(res, 'wizard.delete.title'),
      section: 'contracts',
      contract: { id: row.id, number: row.number, party: row.protected_party_name },
      action: `${wizardUrl(row.id)}/delete`,
      backUrl: wizardUrl(row.id),
    });
  });

  router.post('/contracts/:id/wizard/delete', requirePageActor('lawyer'), async (req, res) => {
    const row = await loadDraft(req, res);
    if (!row) return;
    try {
      await gateway.discardDraft(row.id, currentActor(req));
    } catch (err) {
      const http = err instanceof HttpError ? err : fromWorkflowError(err);
      if (!http || http.status === 404) throw http ?? err;
      return renderPage(req, res, 'wizard/delete', {
        title: t(res, 'wizard.delete.title'),
        section: 'contracts',
        contract: { id: row.id, number: row.number, party: row.protected_party_name },
        action: `${wizardUrl(row.id)}/delete`,
        backUrl: wizardUrl(row.id),
        problem: http.message,
      }, http.status);
    }
    await redirectWithFlash(req, res, '/contracts', t(res, 'wizard.delete.done', { number: row.number }));
  });

  // ------------------------------------------------------------ the steps

  router.get('/contracts/:id/wizard/:step', requirePageActor('lawyer'), async (req, res) => {
    const step = parseStep(req.params.step);
    const row = await loadDraft(req, res);
    if (!row) return;
    const draft = row.view.draft;
    if (step === 2 && !stepApplies(2, draft)) return res.redirect(303, wizardUrl(row.id, draft.protectedPartyKind ? 3 : 1));
    await renderStep(req, res, { row, step, state: valuesFromDraft(draft) });
  });

  router.post('/contracts/:id/wizard/:step', requirePageActor('lawyer'), async (req, res) => {
    const step = parseStep(req.params.step);
    const row = await loadDraft(req, res);
    if (!row) return;
    const actor = currentActor(req);
    const draft = row.view.draft;
    if (step === 2 && !stepApplies(2, draft)) return res.redirect(303, wizardUrl(row.id, draft.protectedPartyKind ? 3 : 1));
    const body = (req.body ?? {}) as Record<string, unknown>;
    const action = bodyStr(body, 'action') || 'next';
    const state = valuesFromBody(body, step, valuesFromDraft(draft));

    if (action === 'lookup-fin' && (step === 2 || step === 3)) {
      const { errors, notes } = await lookUpPerson(deps, state, step === 2 ? 'protectedPerson' : 'applicant', res);
      return renderStep(req, res, { row, step, state, errors, notes, status: errors.length ? 400 : 200 });
    }
    if (action === 'lookup-voen' && step === 2) {
      const { errors, notes } = await lookUpEntity(deps, state, res);
      return renderStep(req, res, { row, step, state, errors, notes, status: errors.length ? 400 : 200 });
    }
    if (action === 'add-holder' && step === 4) {
      state.holders.push('');
      return renderStep(req, res, { row, step, state, focusLastHolder: true });
    }
    if (step === 7) {
      if (action === 'back') return res.redirect(303, wizardUrl(row.id, previousStep(7, draft)));
      return submit(req, res, row, actor, body);
    }

    const back = action === 'back';
    const institutions = step === 5 ? await institutionList(deps) : [];
    const { draft: stepDraft, errors: readErrors } = stepDraftOf(step, state, draft, institutions);
    const merged = mergeDraft(draft, stepDraft);
    const errors = stepErrors(step, merged, readErrors, back ? 'partial' : 'complete');
    if (errors.length > 0) return renderStep(req, res, { row, step, state, errors, status: 400 });
    if (JSON.stringify(merged) !== JSON.stringify(draft)) {
      try {
        await gateway.saveDraft(row.id, actor, stepDraft);
      } catch (err) {
        const http = err instanceof HttpError ? err : fromWorkflowError(err);
        if (!http || http.status === 404) throw http ?? err;
        return renderStep(req, res, { row, step, state, errors: http.fields, problem: http.fields?.length ? undefined : http.message, status: http.status });
      }
    }
    res.redirect(303, wizardUrl(row.id, back ? previousStep(step, merged) : nextStep(step, merged)));
  });

  /** "Təsdiq üçün göndər" (R4.1.6, R4.2): a refusal at a field opens the step where the field is. */
  async function submit(req: Request, res: Response, row: ContractRow, actor: Actor, body: Record<string, unknown>) {
    const draft = row.view.draft;
    if (bodyStr(body, 'confirm') !== '1') {
      return renderStep(req, res, { row, step: 7, state: valuesFromDraft(draft), errors: [fieldError('confirm', 'required')], status: 400 });
    }
    try {
      await gateway.submit(row.id, actor);
    } catch (err) {
      const http = err instanceof HttpError ? err : fromWorkflowError(err);
      if (!http || http.status === 404) throw http ?? err;
      const fields = (http.fields ?? []).map(atFirstField);
      if (fields.length === 0) return renderStep(req, res, { row, step: 7, state: valuesFromDraft(draft), problem: http.message, status: http.status });
      const step = Math.min(...fields.map((e) => stepOfField(e.field))) as Step;
      return renderStep(req, res, { row, step, state: valuesFromDraft(draft), errors: fields, status: http.status });
    }
    await redirectWithFlash(req, res, `/contracts/${encodeURIComponent(row.id)}`, t(res, 'wizard.submitted', { number: row.number }));
  }

  return router;
}

// ---------------------------------------------------------------- look-ups (R4.1.2, R4.1.3)

/** "Axtar" by FIN: fills the person from the population registry, or says why the lawyer types it. */
async function lookUpPerson(deps: WebDeps, state: FormState, prefix: 'protectedPerson' | 'applicant', res: Response) {
  const v = state.v;
  const field = `${prefix}.fin`;
  const fin = normalizeFin(v[field] ?? '');
  v[field] = fin;
  const errors: FieldError[] = [];
  const notes: Record<string, Note> = {};
  if (fin === '') errors.push(fieldError(field, 'required'));
  else if (!isValidFin(fin)) errors.push(fieldError(field, 'invalid'));
  else {
    v[`${prefix}.citizenship`] = 'citizen';
    try {
      const person = await deps.registry.findByFin(fin);
      if (!person) notes[field] = { text: t(res, 'wizard.lookup.finNotFound'), kind: 'warning' };
      else {
        v[`${prefix}.documentNumber`] = '';
        v[`${prefix}.lastName`] = person.lastName;
        v[`${prefix}.firstName`] = person.firstName;
        v[`${prefix}.patronymic`] = person.patronymic;
        v[`${prefix}.birthDate`] = person.birthDate;
        v[`${prefix}.address`] = person.address;
        notes[field] = { text: t(res, 'wizard.lookup.finFound', { name: `${person.lastName} ${person.firstName} ${person.patronymic}` }), kind: 'notice' };
      }
    } catch (err) {
      if (!(err instanceof IntegrationError)) throw err;
      deps.log.warn({ err: err.message, service: err.service }, 'population registry look-up failed');
      notes[field] = { text: t(res, 'wizard.lookup.finUnavailable'), kind: 'warning' };
    }
  }
  return { errors, notes };
}

/** "Axtar" by VÖEN: name, address and e-mail from the tax service; slow or failing → typed by hand. */
async function lookUpEntity(deps: WebDeps, state: FormState, res: Response) {
  const v = state.v;
  const field = 'protectedEntity.voen';
  const voen = (v[field] ?? '').replace(/\s+/g, '');
  v[field] = voen;
  v['protectedEntity.resident'] = 'yes';
  const errors: FieldError[] = [];
  const notes: Record<string, Note> = {};
  if (voen === '') errors.push(fieldError(field, 'required'));
  else if (!isValidVoen(voen)) errors.push(fieldError(field, 'invalid'));
  else {
    try {
      const company = await deps.taxService.findByVoen(voen);
      if (!company) notes[field] = { text: t(res, 'wizard.lookup.voenNotFound'), kind: 'warning' };
      else {
        v['protectedEntity.name'] = company.name;
        v['protectedEntity.address'] = company.address;
        if (company.email) v['protectedEntity.email'] = company.email;
        const text = t(res, 'wizard.lookup.voenFound', { director: company.directorName });
        notes[field] = company.status === 'liquidated' ? { text: `${text} ${t(res, 'wizard.lookup.voenLiquidated')}`, kind: 'warning' } : { text, kind: 'notice' };
      }
    } catch (err) {
      if (!(err instanceof IntegrationError)) throw err;
      deps.log.warn({ err: err.message, service: err.service }, 'tax service look-up failed');
      notes[field] = { text: t(res, 'wizard.lookup.voenUnavailable'), kind: 'warning' };
    }
  }
  return { errors, notes };
}

// ---------------------------------------------------------------- words (Azerbaijani first: the manual's labels)

