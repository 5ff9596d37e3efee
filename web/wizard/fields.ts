/** The wizard's fields as the views show them: labels, hints, errors in the page's language, the summary (R4.1). */
import type { Response } from 'express';
import { CITIZENSHIP_KINDS, type ContractDraft, type FieldError, formatAzn, type LegalEntity, type NaturalPerson } from '../../domain/contract';
import { formatDate } from '../../domain/shared/dates';
import { type Locale, translate } from '../shared/i18n';
import { t, TYPED_INPUTS } from '../shared/render';
import { fieldText, isCoded } from '../contract/field-text';
import { countryName, foreignCountries } from '../../locales/countries';
import { type Step, under, stepApplies, draftErrors, type FormState } from './steps';

// ---------------------------------------------------------------- messages

/** "applicant.fin" and "protectedPerson.fin" share their words; holder lines share theirs. */
export function fieldKey(field: string): string {
  return field.replace(/^(applicant|protectedPerson)\./, 'person.').replace(/\.\d+$/, '');
}

export function has(locale: Locale, key: string): boolean {
  return translate(locale, key) !== key;
}

/** An error in the page's language: its code's own words; a legacy kind as a general message naming the field. */
export function localize(res: Response, e: FieldError): FieldError {
  const locale = (res.locals.locale as Locale) ?? 'az';
  if (isCoded(e) || !has(locale, `wizard.err.${e.code}`)) return { ...e, message: fieldText(locale, e) };
  const key = fieldKey(e.field);
  const label = has(locale, `wizard.f.${key}`) ? translate(locale, `wizard.f.${key}`) : key;
  return { ...e, message: translate(locale, `wizard.err.${e.code}`, { label }) };
}

// ---------------------------------------------------------------- view models

export interface Option {
  value: string;
  label: string;
  id: string;
  checked: boolean;
}

export interface FieldView {
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
  /** Date fields (issue 13): typed as dd.mm.yyyy, whatever the browser's language. */
  pattern?: string;
  placeholder?: string;
}

export interface Note {
  text: string;
  kind: 'notice' | 'warning';
}

export interface FieldSpec {
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

export interface RenderContext {
  res: Response;
  state: FormState;
  errors: FieldError[];
  notes: Record<string, Note>;
}

export function buildField(ctx: RenderContext, spec: FieldSpec): FieldView {
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
    type: spec.type === 'date' ? 'text' : (spec.type ?? 'text'),
    value,
    hint,
    hintId: hint ? `${id}-hint` : undefined,
    error: error?.message,
    errorId: error ? `${id}-error` : undefined,
    note: note?.text,
    noteId: note ? `${id}-note` : undefined,
    noteClass: note?.kind,
    autocomplete: spec.type === 'date' ? 'off' : spec.autocomplete,
    inputmode: spec.type === 'date' ? 'numeric' : spec.inputmode,
    ...(spec.type === 'date' ? { pattern: TYPED_INPUTS.date.pattern, placeholder: translate(locale, TYPED_INPUTS.date.placeholder) } : {}),
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

export interface Group {
  legend?: string;
  hint?: string;
  hintId?: string;
  fields: FieldView[];
}

export function personGroups(ctx: RenderContext, prefix: 'protectedPerson' | 'applicant'): Group[] {
  const f = (spec: FieldSpec) => buildField(ctx, spec);
  const identity: Group = {
    fields: [
      f({ name: `${prefix}.citizenship`, kind: 'radio', choices: CITIZENSHIP_KINDS, choiceKey: 'citizenship' }),
      f({ name: `${prefix}.fin`, lookup: 'fin', autocomplete: 'off', maxlength: 7, showIf: `${prefix}.citizenship=citizen|`, short: true, upper: true }),
      f({ name: `${prefix}.documentNumber`, autocomplete: 'off', showIf: `${prefix}.citizenship=foreign|stateless|`, short: true }),
      countryField(ctx, prefix),
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

/** issue 13: a foreign citizen's state, from the standard list, named in the page's language. */
function countryField(ctx: RenderContext, prefix: 'protectedPerson' | 'applicant'): FieldView {
  const locale = (ctx.res.locals.locale as Locale) ?? 'az';
  return buildField(ctx, {
    name: `${prefix}.country`,
    kind: 'select',
    showIf: `${prefix}.citizenship=foreign`,
    options: [{ value: '', label: translate(locale, 'wizard.o.country.choose') }, ...foreignCountries(locale).map((c) => ({ value: c.code, label: c.name }))],
  });
}

export function entityGroups(ctx: RenderContext): Group[] {
  const f = (spec: FieldSpec) => buildField(ctx, spec);
  return [
    {
      fields: [
        f({ name: 'protectedEntity.resident', kind: 'radio', choices: ['yes', 'no'], choiceKey: 'resident' }),
        f({
          name: 'protectedEntity.voen',
          lookup: 'voen',
          inputmode: 'numeric',
          autocomplete: 'off',
          maxlength: 12,
          showIf: 'protectedEntity.resident=yes|',
          short: true,
        }),
        f({ name: 'protectedEntity.name', autocomplete: 'off' }),
        f({ name: 'protectedEntity.address', autocomplete: 'off' }),
        f({ name: 'protectedEntity.email', type: 'email', autocomplete: 'off' }),
      ],
    },
  ];
}

export interface Fact {
  label: string;
  value: string;
  missing?: boolean;
  multiline?: boolean;
}

export function summarySections(res: Response, draft: ContractDraft, contractId: string) {
  const locale = (res.locals.locale as Locale) ?? 'az';
  const wanting = new Set(draftErrors(draft, 'complete').map((e) => e.field));
  /** One line of the summary; shown as missing when the rules still want `field`. */
  const fact = (labelKey: string, value: string | undefined, field?: string, extra: Partial<Fact> = {}): Fact => ({
    label: translate(locale, labelKey),
    value: value && value.trim() !== '' ? value : '—',
    missing: field !== undefined && [...wanting].some((w) => under(w, field)),
    ...extra,
  });
  const day = (iso: string | undefined) => (iso && /^\d{4}-\d{2}-\d{2}$/.test(iso) ? formatDate(iso) : iso);
  const choice = (group: string, value: string | undefined) => (value ? translate(locale, `wizard.o.${group}.${value}`) : undefined);
  const personFacts = (person: Partial<NaturalPerson> | undefined, path: string, withContacts: boolean): Fact[] => {
    const p = person ?? {};
    const nameMissing = [`${path}.lastName`, `${path}.firstName`].some((f) => wanting.has(f));
    const facts = [
      fact('wizard.sum.name', [p.lastName, p.firstName, p.patronymic].filter(Boolean).join(' '), undefined, { missing: nameMissing || wanting.has(path) }),
      fact('wizard.f.person.citizenship', choice('citizenship', p.citizenship), `${path}.citizenship`),
      p.citizenship === 'citizen' || !p.citizenship
        ? fact('wizard.f.person.fin', p.fin, `${path}.fin`)
        : fact('wizard.f.person.documentNumber', p.documentNumber, `${path}.documentNumber`),
      ...(p.citizenship === 'foreign' ? [fact('wizard.sum.country', p.country ? countryName(p.country, locale) : undefined, `${path}.country`)] : []),
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
        ? [
            fact(
              'wizard.f.applicantIsProtectedParty',
              choice(
                'applicantIsProtectedParty',
                draft.applicantIsProtectedParty === true ? 'same' : draft.applicantIsProtectedParty === false ? 'different' : undefined,
              ),
              'applicantIsProtectedParty',
            ),
          ]
        : []),
      fact(
        'wizard.f.caseType',
        draft.caseType ? `${choice('caseType', draft.caseType)} (${translate(locale, 'wizard.sum.caseTypeNotPrinted')})` : undefined,
        'caseType',
      ),
    ],
  });
  if (draft.protectedPartyKind === 'legal') {
    const e: Partial<LegalEntity> = draft.protectedEntity ?? {};
    sections.push({
      step: 2,
      title: translate(locale, 'wizard.step.2'),
      href: edit(2),
      facts: [
        fact(
          'wizard.f.protectedEntity.resident',
          choice('resident', e.resident === true ? 'yes' : e.resident === false ? 'no' : undefined),
          'protectedEntity.resident',
        ),
        ...(e.resident === false ? [] : [fact('wizard.f.protectedEntity.voen', e.voen, 'protectedEntity.voen')]),
        fact('wizard.f.protectedEntity.name', e.name, 'protectedEntity.name'),
        fact('wizard.f.protectedEntity.address', e.address),
        fact('wizard.f.protectedEntity.email', e.email, 'protectedEntity.email'),
      ],
    });
  } else if (stepApplies(2, draft)) {
    sections.push({ step: 2, title: translate(locale, 'wizard.step.2'), href: edit(2), facts: personFacts(draft.protectedPerson, 'protectedPerson', false) });
  }
  sections.push({ step: 3, title: translate(locale, 'wizard.step.3'), href: edit(3), facts: personFacts(draft.applicant, 'applicant', true) });
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
      fact(
        'wizard.f.institution',
        institution?.name ? (institution.id ? institution.name : `${institution.name} (${translate(locale, 'wizard.o.institution.other')})`) : undefined,
        'institution',
      ),
    ],
  });
  const price = draft.price ?? {};
  const aznText = (q: number | undefined) => (typeof q === 'number' ? `${formatAzn(q)} AZN` : undefined);
  const priceFacts = [
    fact('wizard.sum.price', aznText(price.totalQepik), 'price.totalQepik'),
    fact('wizard.f.price.plan', choice('plan', price.plan), 'price.plan'),
  ];
  if (price.plan === 'two_instalments') {
    const rest =
      typeof price.totalQepik === 'number' && typeof price.firstInstalmentQepik === 'number' ? price.totalQepik - price.firstInstalmentQepik : undefined;
    priceFacts.push(
      fact('wizard.sum.first', aznText(price.firstInstalmentQepik), 'price.firstInstalmentQepik'),
      fact('wizard.sum.remainder', aznText(rest)),
      fact('wizard.sum.dueOn', price.secondInstalmentDueOn ? formatDate(price.secondInstalmentDueOn) : undefined, 'price.secondInstalmentDueOn'),
    );
  }
  sections.push({ step: 6, title: translate(locale, 'wizard.step.6'), href: edit(6), facts: priceFacts });
  return sections;
}
