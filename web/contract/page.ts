/**
 * The contract page of a lawyer and a bureau head (R4.2, R4.4, R4.7): what the contract says, its
 * history in plain sentences, its documents, and the steps this person may take now — approval
 * ("Təsdiqlə", "Rədd et", "Ödəniş edilib"), the Bar fee, amendments ("Müqaviləyə düzəliş et"),
 * and the archive ("Bitir", "Xitam ver", "İşi yenidən başlat").
 *
 * Every decision goes through the ContractGateway, every payment through `startPayment`; who may
 * do what comes from the rules module (`allowedActions`), so the page offers only what the
 * workflow will accept. The helpers exported at the end are shared with the applicant's cabinet.
 */
import 'express-session';
import { type Request, type Response, Router } from 'express';
import type { Knex } from 'knex';
import {
  type Actor,
  type ContractAction,
  type ContractDraft,
  type ContractTerms,
  type FieldError,
  type LegalEntity,
  type NaturalPerson,
  type PriceTerms,
  amountDueForOrderQepik,
  applyChanges,
  BAR_FEE_QEPIK,
  displayName,
  formatAzn,
  isValidPhone,
  normalizeEmail,
  normalizePhone,
  normalizeTerms,
  parseAznToQepik,
  priceChanged,
  remainderQepik,
  validateTerms,
} from '../../domain/contract';
import { type ContractRow, contractDetails, loadVisibleContract } from '../../api/contract/routes';
import { fromWorkflowError, HttpError, notFound } from '../../api/http/errors';
import { startPayment } from '../../api/payment/routes';
import { PaymentState } from '../../integrations/payment-agent/protocol';
import type { ContractView, HistoryEntry } from '../../workflows/contract/messages';
import type { Locale } from '../shared/i18n';
import { describe } from '../../locales';
import { dossierForPage } from '../dossier/page';
import { courtForPage } from '../court/page';
import { saveSession } from '../../api/auth/routes';
import { renderPage, t } from '../shared/render';
import { requirePageActor } from '../shared/guard';
import type { WebDeps } from '../shared/deps';
import { asHttpError, known, localizeReason, redirectWithAlert, redirectWithNotice, stepRefusal, takeAlert, takeNotice, type Tr, translator } from '../shared/feedback';

// ---------------------------------------------------------------- helpers shared with the applicant's cabinet

/** The payment agent's reason code in plain words (unknown codes are shown as they came). */
export function paymentReason(tr: Tr, reason: string | undefined): string {
  if (!reason || /^state \d+$/.test(reason)) return tr('paymentReason.other');
  return known(tr, `paymentReason.${reason}`) ?? reason;
}

/** A field error in the page's language: by field and code, by code, or as the rules said it. */
function fieldMessage(tr: Tr, field: string, code: string, fallback: string): string {
  return known(tr, `formError.${code}.${field}`) ?? known(tr, `formError.${code}`) ?? fallback;
}

export interface Fact {
  label: string;
  value?: string;
  list?: string[];
}
export interface FactSection {
  title: string;
  facts: Fact[];
}

function personFacts(tr: Tr, person: Partial<NaturalPerson> | undefined): Fact[] {
  if (!person) return [];
  const facts: Fact[] = [{ label: tr('person.name'), value: displayName(person) }];
  if (person.citizenship) facts.push({ label: tr('person.citizenship'), value: tr(`citizenship.${person.citizenship}`) });
  if (person.fin) facts.push({ label: tr('person.fin'), value: person.fin });
  if (person.documentNumber) facts.push({ label: tr('person.documentNumber'), value: person.documentNumber });
  if (person.birthDate) facts.push({ label: tr('person.birthDate'), value: person.birthDate });
  if (person.address) facts.push({ label: tr('person.address'), value: person.address });
  if (person.phone) facts.push({ label: tr('person.phone'), value: person.phone });
  if (person.email) facts.push({ label: tr('person.email'), value: person.email });
  return facts;
}

function entityFacts(tr: Tr, entity: Partial<LegalEntity> | undefined): Fact[] {
  if (!entity) return [];
  const facts: Fact[] = [{ label: tr('entity.name'), value: entity.name ?? '' }];
  if (typeof entity.resident === 'boolean') facts.push({ label: tr('entity.resident'), value: tr(entity.resident ? 'entity.residentYes' : 'entity.residentNo') });
  if (entity.voen) facts.push({ label: tr('entity.voen'), value: entity.voen });
  if (entity.address) facts.push({ label: tr('person.address'), value: entity.address });
  if (entity.email) facts.push({ label: tr('person.email'), value: entity.email });
  return facts;
}

function evidenceText(tr: Tr, evidence: ContractTerms['evidence'] | undefined): string[] {
  if (!evidence || evidence.none || evidence.holders.length === 0) return [tr('contractPage.evidenceNone')];
  return evidence.holders;
}

export function planText(tr: Tr, price: PriceTerms | undefined): string {
  if (!price) return '';
  if (price.plan !== 'two_instalments') return tr('contractPage.planSingle');
  return tr('contractPage.planTwo', { first: formatAzn(price.firstInstalmentQepik ?? 0), rest: formatAzn(remainderQepik(price)) });
}

/** The contract's content as labelled facts: parties, assignment, price (R4.1). */
export function termsSections(tr: Tr, view: ContractView, opts: { forApplicant: boolean; lawyerName: string; bureauName?: string }): FactSection[] {
  const terms = view.terms;
  const sections: FactSection[] = [];
  const general: Fact[] = [
    { label: tr('contractPage.number'), value: view.contractNumber },
    { label: tr('contractPage.status'), value: tr(`status.${view.status}`) },
    { label: tr('contractPage.lawyer'), value: opts.bureauName ? `${opts.lawyerName} (${opts.bureauName})` : opts.lawyerName },
  ];
  if (!opts.forApplicant && terms?.caseType) general.push({ label: tr('contractPage.caseType'), value: tr(`caseType.${terms.caseType}`) });
  const created = view.history.find((h) => h.event === 'created');
  if (created && !opts.forApplicant) general.push({ label: tr('contractPage.createdAt'), value: formatDateTime(created.at) });
  if (view.termination) general.push({ label: tr('contractPage.termination'), value: view.termination.reason });
  sections.push({ title: tr('contractPage.general'), facts: general });
  if (!terms) return sections;

  if (terms.protectedPartyKind === 'legal') sections.push({ title: tr('contractPage.protectedParty'), facts: entityFacts(tr, terms.protectedEntity) });
  else if (terms.applicantIsProtectedParty) sections.push({ title: tr('contractPage.protectedParty'), facts: [{ label: tr('person.name'), value: `${displayName(terms.applicant)} — ${tr('contractPage.sameAsApplicant')}` }] });
  else sections.push({ title: tr('contractPage.protectedParty'), facts: personFacts(tr, terms.protectedPerson) });
  sections.push({ title: tr('contractPage.applicant'), facts: personFacts(tr, terms.applicant) });
  sections.push({
    title: tr('contractPage.assignmentSection'),
    facts: [
      { label: tr('contractPage.assignment'), value: terms.assignment },
      { label: tr('contractPage.institution'), value: terms.institution?.name ?? '' },
      { label: tr('contractPage.evidence'), list: evidenceText(tr, terms.evidence) },
    ],
  });
  const price: Fact[] = [
    { label: tr('contractPage.total'), value: `${formatAzn(terms.price.totalQepik)} AZN` },
    { label: tr('contractPage.plan'), value: planText(tr, terms.price) },
  ];
  if (view.approvedAsAlreadyPaid) {
    price.push({ label: tr('contractPage.paid'), value: tr('contractPage.alreadyPaid') });
    if (!opts.forApplicant) {
      const feePaid = view.payments.some((p) => p.kind === 'bar_fee' && !p.flag);
      price.push({ label: tr('contractPage.barFee'), value: tr(feePaid ? 'contractPage.barFeePaid' : 'contractPage.barFeeDue') });
    }
  } else {
    price.push({ label: tr('contractPage.paid'), value: `${formatAzn(view.paidQepik)} AZN` });
    price.push({ label: tr('contractPage.balance'), value: `${formatAzn(view.balanceDueQepik)} AZN` });
  }
  sections.push({ title: tr('contractPage.priceSection'), facts: price });
  return sections;
}

const formatDateTime = (iso: string) => {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : d.toLocaleString('az-AZ', { timeZone: 'Asia/Baku', dateStyle: 'short', timeStyle: 'short' });
};

/** Names of the lawyers who acted on a contract, in one query. */
export async function lawyerNames(db: Knex, ids: (string | undefined)[]): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((id): id is string => Boolean(id)))];
  if (wanted.length === 0) return new Map();
  const rows = await db('lawyers').whereIn('id', wanted).select('id', 'first_name', 'last_name');
  return new Map(rows.map((r: { id: string; first_name: string; last_name: string }) => [r.id, `${r.first_name} ${r.last_name}`]));
}

/** Whom an entry's `by` names: a lawyer by name, the applicant, or nobody (the payment agent, timers). */
function whoOf(tr: Tr, by: string | undefined, names: Map<string, string>, applicantAccountId: string | undefined): string {
  if (!by) return tr('history.someone');
  if (names.has(by)) return names.get(by)!;
  if (applicantAccountId && by === applicantAccountId) return tr('history.applicant');
  return tr('history.someone');
}

/** Events the applicant reads in their cabinet; the rest is the bureau's own business. */
const APPLICANT_EVENTS = new Set([
  'submitted',
  'approved',
  'paid',
  'balance_paid',
  'payment_failed',
  'order_issued',
  'amendment_applied',
  'price_change_consented',
  'price_change_declined',
  'terminated',
  'restarted',
  'finished',
  'payment_reminder_sent',
]);

/** The history as plain sentences, oldest first; runs of draft saves by one person read as one line. */
export function historySentences(tr: Tr, history: HistoryEntry[], names: Map<string, string>, opts: { applicantAccountId?: string; forApplicant: boolean }) {
  const entries = opts.forApplicant ? history.filter((h) => APPLICANT_EVENTS.has(h.event)) : history;
  const lines: { at: string; text: string; event: string }[] = [];
  for (let i = 0; i < entries.length; i++) {
    const h = entries[i];
    const who = whoOf(tr, h.by, names, opts.applicantAccountId);
    if (h.event === 'draft_saved') {
      let n = 1;
      while (i + n < entries.length && entries[i + n].event === 'draft_saved' && entries[i + n].by === h.by) n++;
      const last = entries[i + n - 1];
      lines.push({ at: last.at, event: h.event, text: n > 1 ? tr('history.draft_saved_n', { who, n }) : tr('history.draft_saved', { who }) });
      i += n - 1;
      continue;
    }
    const amount = h.detail && /^\d+$/.test(h.detail) ? formatAzn(Number(h.detail)) : '';
    const key = h.event === 'amendment_proposed' && h.detail ? 'history.amendment_proposed_note' : `history.${h.event}`;
    const detail = h.event === 'payment_failed' ? paymentReason(tr, h.detail) : (h.detail ?? '');
    const text = known(tr, key, { who, detail, amount }) ?? tr('history.unknown', { event: h.event });
    lines.push({ at: h.at, event: h.event, text });
  }
  return lines.map((l) => ({ ...l, when: formatDateTime(l.at) }));
}

/** What an amendment changes, row by row: the label, the value now and the value after. */
export function amendmentRows(tr: Tr, terms: ContractTerms, changes: ContractDraft, opts: { forApplicant: boolean }) {
  let after: ContractTerms;
  try {
    after = normalizeTerms(applyChanges(terms, changes));
  } catch {
    after = applyChanges(terms, changes);
  }
  const empty = tr('amendment.empty');
  const show = (v: unknown) => (v === undefined || v === null || v === '' ? empty : String(v));
  const rows: { label: string; before: string; after: string }[] = [];
  const add = (label: string, get: (x: ContractTerms) => unknown) => {
    const b = show(get(terms));
    const a = show(get(after));
    if (a !== b) rows.push({ label, before: b, after: a });
  };
  if (!opts.forApplicant) add(tr('contractPage.caseType'), (x) => (x.caseType ? tr(`caseType.${x.caseType}`) : ''));
  add(tr('contractPage.evidence'), (x) => evidenceText(tr, x.evidence).join('; '));
  add(tr('contractPage.assignment'), (x) => x.assignment);
  add(tr('contractPage.institution'), (x) => x.institution?.name);
  add(tr('contractPage.total'), (x) => (x.price ? `${formatAzn(x.price.totalQepik)} AZN` : ''));
  add(tr('contractPage.plan'), (x) => planText(tr, x.price));
  const people: [string, (x: ContractTerms) => Partial<NaturalPerson> | undefined][] = [
    [tr('contractPage.applicant'), (x) => x.applicant],
    [tr('contractPage.protectedParty'), (x) => (x.protectedPartyKind === 'natural' && !x.applicantIsProtectedParty ? x.protectedPerson : undefined)],
  ];
  for (const [who, get] of people) {
    for (const field of ['firstName', 'lastName', 'patronymic', 'fin', 'documentNumber', 'birthDate', 'address', 'phone', 'email'] as const) {
      const label = field === 'firstName' || field === 'lastName' || field === 'patronymic' ? tr('person.name') : tr(`person.${field}`);
      if (field === 'firstName' || field === 'patronymic') continue; // the name row covers them
      add(`${who}: ${label}`, (x) => (field === 'lastName' ? displayName(get(x)) : get(x)?.[field]));
    }
  }
  if (terms.protectedPartyKind === 'legal' || after.protectedPartyKind === 'legal') {
    for (const field of ['name', 'voen', 'address', 'email'] as const) {
      add(`${tr('contractPage.protectedParty')}: ${tr(field === 'name' ? 'entity.name' : field === 'voen' ? 'entity.voen' : `person.${field}`)}`, (x) => x.protectedEntity?.[field]);
    }
  }
  return rows;
}

/** Where a payment the person came back from stands, for the notice on top of the contract. */
export async function paymentOutcome(db: Knex, row: ContractRow, agentPaymentId: string | undefined) {
  if (!agentPaymentId) return undefined;
  const request = await db('payment_requests').where({ agent_payment_id: agentPaymentId, contract_id: row.id }).first();
  if (!request) return undefined;
  const state = Number(request.state);
  const paidStates: number[] = [PaymentState.Paid, PaymentState.Delivered, PaymentState.PartiallyPaid];
  const failedStates: number[] = [PaymentState.Error, PaymentState.Declined, PaymentState.Canceled, PaymentState.Expired];
  if (paidStates.includes(state)) {
    const applied = row.view.payments.some((p) => p.paymentId.startsWith(`${agentPaymentId}@`));
    return { kind: applied ? ('received' as const) : ('confirming' as const) };
  }
  if (failedStates.includes(state)) return { kind: 'failed' as const, reason: String(request.state_reason ?? row.view.lastPaymentFailure?.reason ?? '') || undefined };
  return { kind: 'open' as const, terminalCode: String(request.terminal_code) };
}

/** An order or a new version is decided but its documents are not stored yet. */
export function documentsPending(view: ContractView, documentCount: number): boolean {
  if (view.status !== 'active' && view.status !== 'finished') return false;
  const events = view.history.map((h) => h.event);
  return documentCount === 0 || events.lastIndexOf('amendment_applied') > events.lastIndexOf('order_issued');
}

/** The payment page of the agent for a request of this contract, opened by this person. */
export async function openPaymentRequest(db: Knex, contractId: string, agentPaymentId: string) {
  return db('payment_requests').where({ agent_payment_id: agentPaymentId, contract_id: contractId }).first();
}

/**
 * The hand-over page to the payment agent. The cabinet's Content-Security-Policy (`form-action
 * 'self'`) makes Chromium refuse a form whose answer redirects to another site, so "Ödə" redirects
 * here (same site) and this page sends the browser on with a Refresh header and a plain link.
 */
export async function renderPaymentHandoff(req: Request, res: Response, deps: WebDeps, row: ContractRow, agentPaymentId: string, backHref: string) {
  const request = await openPaymentRequest(deps.db, row.id, agentPaymentId);
  if (!request) throw notFound();
  const actor = req.session.actor!;
  if ((actor.kind === 'applicant') !== (request.kind === 'contract')) throw notFound();
  const url = String(request.payment_page_url);
  res.setHeader('Refresh', `2; url=${url}`);
  renderPage(req, res, 'contract/payment-handoff', {
    title: t(res, 'handoff.title'),
    section: actor.kind === 'applicant' ? 'applicant' : 'contracts',
    amount: formatAzn(Number(request.amount_qepik)),
    paymentPageUrl: url,
    terminalCode: request.terminal_code,
    backHref,
  });
}

// ---------------------------------------------------------------- the amendment form (R4.4)

interface AmendValues {
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

const hasProtectedPerson = (terms: ContractTerms) => terms.protectedPartyKind === 'natural' && !terms.applicantIsProtectedParty;

function amendValuesOf(terms: ContractTerms): AmendValues {
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

function amendValuesFrom(body: Record<string, unknown>): AmendValues {
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
function formFieldOf(path: string, values: AmendValues): string {
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
function amendmentFrom(values: AmendValues, terms: ContractTerms, institutions: { id: string; name: string }[], tr: Tr): { changes: ContractDraft; errors: FieldError[] } {
  const changes: ContractDraft = {};
  const errors: FieldError[] = [];
  const err = (field: string, code: string, fallback: string) => errors.push({ field, code, message: fieldMessage(tr, field, code, fallback) });

  const holders = values.holders.map((h) => h.trim()).filter((h) => h !== '');
  if (values.evidenceNone !== terms.evidence.none || holders.length !== terms.evidence.holders.length || holders.some((h, i) => h !== terms.evidence.holders[i])) {
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
    if (!chosen) err('institutionId', 'invalid', 'Choose an institution from the list or "Digər".');
    else if (chosen.id !== terms.institution.id) changes.institution = { id: chosen.id, name: chosen.name };
  }

  const total = values.totalAzn === '' ? undefined : parseAznToQepik(values.totalAzn);
  if (values.totalAzn === '') err('totalAzn', 'required', 'Enter the price.');
  else if (total === undefined) err('totalAzn', 'invalid', 'Type the price as an amount.');
  const plan = values.plan === 'two_instalments' ? 'two_instalments' : 'single';
  let first: number | undefined;
  if (plan === 'two_instalments') {
    first = values.firstAzn === '' ? undefined : parseAznToQepik(values.firstAzn);
    if (values.firstAzn === '') err('firstAzn', 'required', 'Enter the first payment.');
    else if (first === undefined) err('firstAzn', 'invalid', 'Type the first payment as an amount.');
  }
  if (total !== undefined && (plan === 'single' || first !== undefined)) {
    const price: PriceTerms = plan === 'single' ? { totalQepik: total, plan } : { totalQepik: total, plan, firstInstalmentQepik: first };
    if (priceChanged(terms.price, price)) changes.price = price;
  }

  const contact = (value: string, kind: 'phone' | 'email') => (value === '' ? '' : kind === 'phone' ? (isValidPhone(value) ? normalizePhone(value) : value) : normalizeEmail(value));
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
      if (!errors.some((x) => x.field === field)) err(field, e.code, e.message ?? e.code);
    }
  }
  return { changes, errors };
}

/** Which sub-sections of the amendment form are open: those with changes or errors. */
function openSections(values: AmendValues, terms: ContractTerms, errors: FieldError[]) {
  const start = amendValuesOf(terms);
  const has = (...fields: string[]) => errors.some((e) => fields.includes(e.field));
  return {
    evidence: has('holders') || values.evidenceNone !== start.evidenceNone || values.holders.filter((h) => h.trim()).join('\n') !== start.holders.join('\n'),
    assignment: has('assignment', 'institutionId', 'institutionOther') || values.assignment !== start.assignment || values.institutionId !== start.institutionId || values.institutionOther !== start.institutionOther,
    price: has('totalAzn', 'plan', 'firstAzn') || values.totalAzn !== start.totalAzn || values.plan !== start.plan || values.firstAzn !== start.firstAzn,
    contacts:
      has('applicantPhone', 'applicantEmail', 'protectedPhone', 'protectedEmail') ||
      values.applicantPhone !== start.applicantPhone ||
      values.applicantEmail !== start.applicantEmail ||
      values.protectedPhone !== start.protectedPhone ||
      values.protectedEmail !== start.protectedEmail,
  };
}

// ---------------------------------------------------------------- the pages

const REASON_FIELDS = { reject: 'rejectReason', terminate: 'terminateReason', rejectAmendment: 'amendmentRejectReason' } as const;
type ReasonStep = keyof typeof REASON_FIELDS;

export function contractPages(deps: WebDeps): Router {
  const { db, gateway } = deps;
  const router = Router();
  const contractId = (req: Request) => String(req.params.id);
  const actorOf = (req: Request): Actor => {
    const a = req.session.actor!;
    return { kind: a.kind, id: a.id, bureauId: a.bureauId, isHead: a.isHead };
  };
  const localeOf = (res: Response): Locale => (res.locals.locale === 'en' ? 'en' : 'az');

  async function showContract(
    req: Request,
    res: Response,
    row: ContractRow,
    extra: { errors?: FieldError[]; values?: Record<string, string>; open?: Record<string, boolean>; alert?: string } = {},
    status = 200,
  ) {
    const actor = actorOf(req);
    const tr = translator(res);
    const details = await contractDetails(db, actor, row);
    const view = row.view;
    const allowed = new Set<ContractAction>(details.allowedActions);
    const names = await lawyerNames(db, [view.lawyerId, ...view.history.map((h) => h.by), view.amendment?.proposedBy]);
    const outcome = await paymentOutcome(db, row, typeof req.query.payment === 'string' ? req.query.payment : undefined);
    const pendingDocs = documentsPending(view, details.documents.length);
    if (outcome?.kind === 'confirming' || pendingDocs) res.setHeader('Refresh', '4');

    const amendment = view.amendment && view.terms
      ? {
          awaitingConsent: view.amendment.status === 'awaiting_consent',
          proposed: tr('amendment.proposed', { who: whoOf(tr, view.amendment.proposedBy, names, row.applicant_account_id ?? undefined), at: formatDateTime(view.amendment.proposedAt) }),
          note: view.amendment.note,
          rows: amendmentRows(tr, view.terms, view.amendment.changes, { forApplicant: false }),
        }
      : undefined;
    const failure = view.lastPaymentFailure;
    renderPage(
      req,
      res,
      'contract/show',
      {
        title: tr('contractPage.title', { number: view.contractNumber }),
        section: 'contracts',
        contract: { id: row.id, number: view.contractNumber, status: view.status, statusLabel: tr(`status.${view.status}`) },
        alert: extra.alert ?? takeAlert(req),
        flash: takeNotice(req, res),
        outcome: outcome?.kind === 'failed' ? { ...outcome, reason: paymentReason(tr, outcome.reason) } : outcome,
        failure:
          failure && (!outcome || outcome.kind !== 'failed')
            ? { reason: paymentReason(tr, failure.reason), retry: failure.kind === 'bar_fee' && allowed.has('payBarFee') }
            : undefined,
        pendingDocs,
        archived: view.status === 'finished' || view.status === 'terminated',
        sections: termsSections(tr, view, { forApplicant: false, lawyerName: names.get(view.lawyerId) ?? '' }),
        rejection: view.status === 'draft' && view.rejection ? tr('contractPage.rejectedBecause', { reason: view.rejection.reason }) : undefined,
        history: historySentences(tr, view.history, names, { applicantAccountId: row.applicant_account_id ?? undefined, forApplicant: false }),
        documents: details.documents.map((d) => ({ ...d, issuedAtText: formatDateTime(String(d.issuedAt instanceof Date ? d.issuedAt.toISOString() : d.issuedAt)) })),
        amendment,
        dossier: await dossierForPage(db, actor, row, res),
        court: courtForPage(res, view, allowed),
        can: {
          wizard: view.status === 'draft' && allowed.has('saveDraft'),
          approve: allowed.has('approve'),
          reject: allowed.has('reject'),
          payBarFee: allowed.has('payBarFee'),
          amend: allowed.has('proposeAmendment'),
          approveAmendment: allowed.has('approveAmendment'),
          rejectAmendment: allowed.has('rejectAmendment'),
          finish: allowed.has('finish'),
          terminate: allowed.has('terminate'),
          restart: allowed.has('restart'),
        },
        anyAction: ['saveDraft', 'approve', 'payBarFee', 'proposeAmendment', 'finish', 'terminate', 'restart'].some((a) => allowed.has(a as ContractAction)),
        errors: extra.errors,
        values: extra.values ?? {},
        open: extra.open ?? {},
      },
      status,
    );
  }

  /** Runs a decision; a refusal comes back as the reason (409) or at its field (400), never as a crash. */
  async function decide(req: Request, res: Response, run: (id: string, actor: Actor) => Promise<unknown>, done: string, reasonStep?: ReasonStep) {
    const id = contractId(req);
    const actor = actorOf(req);
    const row = await loadVisibleContract(db, actor, id);
    const reasonField = reasonStep ? REASON_FIELDS[reasonStep] : undefined;
    const reason = reasonField ? String(req.body?.[reasonField] ?? '') : '';
    const reasonError = (message?: string) => {
      const tr = translator(res);
      const errors = [{ field: reasonField!, code: 'required', message: message ?? fieldMessage(tr, 'reason', 'required', 'Give a reason.') }];
      return showContract(req, res, row, { errors, values: { [reasonField!]: reason }, open: { [reasonStep!]: true } }, 400);
    };
    if (reasonField && reason.trim() === '') return reasonError();
    try {
      await run(id, actor);
    } catch (err) {
      const http = stepRefusal(err);
      if (http.status === 400 && reasonField) return reasonError(localizeReason(res, http.message, http.params));
      return redirectWithAlert(req, res, `/contracts/${id}`, localizeReason(res, http.message, http.params));
    }
    return redirectWithNotice(req, res, `/contracts/${id}`, t(res, done));
  }

  router.get('/contracts/:id', requirePageActor('lawyer'), async (req, res) => {
    const row = await loadVisibleContract(db, actorOf(req), contractId(req));
    if (row.view.status === 'discarded') throw notFound();
    await showContract(req, res, row);
  });

  // R4.2.1 / R4.2.2: "Təsdiqlə", with "Ödəniş edilib" ticked → approve as already paid, then the Bar fee.
  router.post('/contracts/:id/approve', requirePageActor('lawyer'), async (req, res) => {
    const alreadyPaid = req.body?.alreadyPaid === 'on';
    if (!alreadyPaid) return decide(req, res, (id, actor) => gateway.approve(id, actor), 'done.approved');
    const id = contractId(req);
    const actor = actorOf(req);
    await loadVisibleContract(db, actor, id);
    try {
      await gateway.approveAsAlreadyPaid(id, actor);
    } catch (err) {
      return redirectWithAlert(req, res, `/contracts/${id}`, localizeReason(res, stepRefusal(err).message, stepRefusal(err).params));
    }
    // The manual: approving as paid sends the head straight on to the payment agent for the 20.50 AZN fee.
    return payBarFee(req, res, t(res, 'done.approvedAsPaid'));
  });

  async function payBarFee(req: Request, res: Response, flashOnFailure?: string) {
    const id = contractId(req);
    try {
      const started = await startPayment(deps, actorOf(req), id, localeOf(res));
      res.redirect(303, `/contracts/${id}/payment/${encodeURIComponent(started.agentPaymentId)}`);
    } catch (err) {
      const http = stepRefusal(err);
      if (flashOnFailure) req.session.flash = flashOnFailure;
      return redirectWithAlert(req, res, `/contracts/${id}`, localizeReason(res, http.message, http.params));
    }
  }

  router.post('/contracts/:id/bar-fee', requirePageActor('lawyer'), async (req, res) => {
    await loadVisibleContract(db, actorOf(req), contractId(req));
    await payBarFee(req, res);
  });

  router.get('/contracts/:id/payment/:payment', requirePageActor('lawyer'), async (req, res) => {
    const row = await loadVisibleContract(db, actorOf(req), contractId(req));
    await renderPaymentHandoff(req, res, deps, row, String(req.params.payment), `/contracts/${row.id}`);
  });

  router.post('/contracts/:id/reject', requirePageActor('lawyer'), (req, res) =>
    decide(req, res, (id, actor) => gateway.reject(id, actor, String(req.body.rejectReason).trim()), 'done.rejected', 'reject'),
  );
  router.post('/contracts/:id/amendment/approve', requirePageActor('lawyer'), (req, res) =>
    decide(req, res, (id, actor) => gateway.approveAmendment(id, actor), 'done.amendmentApproved'),
  );
  router.post('/contracts/:id/amendment/reject', requirePageActor('lawyer'), (req, res) =>
    decide(req, res, (id, actor) => gateway.rejectAmendment(id, actor, String(req.body.amendmentRejectReason).trim()), 'done.amendmentRejected', 'rejectAmendment'),
  );
  router.post('/contracts/:id/finish', requirePageActor('lawyer'), (req, res) => decide(req, res, (id, actor) => gateway.finish(id, actor), 'done.finished'));
  router.post('/contracts/:id/terminate', requirePageActor('lawyer'), (req, res) =>
    decide(req, res, (id, actor) => gateway.terminate(id, actor, String(req.body.terminateReason).trim()), 'done.terminated', 'terminate'),
  );
  router.post('/contracts/:id/restart', requirePageActor('lawyer'), (req, res) => decide(req, res, (id, actor) => gateway.restart(id, actor), 'done.restarted'));

  // ------------------------------------------------------------ "Müqaviləyə düzəliş et" (R4.4)

  async function showAmendForm(req: Request, res: Response, row: ContractRow, values: AmendValues, extra: { errors?: FieldError[]; alert?: string } = {}, status = 200) {
    const terms = row.view.terms!;
    const actor = actorOf(req);
    const institutions = await db('institutions').orderBy('name').select('id', 'name');
    const holders = [...values.holders.filter((h) => h.trim() !== ''), ''];
    const errors = extra.errors ?? [];
    renderPage(
      req,
      res,
      'contract/amend',
      {
        title: `${t(res, 'amend.title')} · ${row.number}`,
        section: 'contracts',
        contract: { id: row.id, number: row.number },
        isHead: actor.isHead === true && actor.bureauId === row.bureau_id,
        values,
        holders: holders.map((value, i) => ({ value, n: i + 1, id: i === 0 ? 'f-holders' : `f-holders-${i + 1}` })),
        institutions: institutions.map((i: { id: string; name: string }) => ({ ...i, selected: i.id === values.institutionId })),
        otherSelected: values.institutionId === 'other',
        twoInstalments: values.plan === 'two_instalments',
        rest: (() => {
          const total = parseAznToQepik(values.totalAzn);
          const first = parseAznToQepik(values.firstAzn);
          return total !== undefined && first !== undefined && first < total ? formatAzn(total - first) : '—';
        })(),
        hasProtectedPerson: hasProtectedPerson(terms),
        open: openSections(values, terms, errors),
        errors: errors.length > 0 ? errors : undefined,
        alert: extra.alert,
      },
      status,
    );
  }

  router.get('/contracts/:id/amend', requirePageActor('lawyer'), async (req, res) => {
    const actor = actorOf(req);
    const row = await loadVisibleContract(db, actor, contractId(req));
    const { allowedActions } = await contractDetails(db, actor, row);
    if (!allowedActions.includes('proposeAmendment') || !row.view.terms) {
      return redirectWithAlert(req, res, `/contracts/${row.id}`, row.view.amendment ? localizeReason(res, 'An amendment is already pending.') : localizeReason(res, `Only an active contract can be amended (it is ${row.view.status}).`));
    }
    await showAmendForm(req, res, row, amendValuesOf(row.view.terms));
  });

  router.post('/contracts/:id/amend', requirePageActor('lawyer'), async (req, res) => {
    const actor = actorOf(req);
    const row = await loadVisibleContract(db, actor, contractId(req));
    const terms = row.view.terms;
    if (!terms) return redirectWithAlert(req, res, `/contracts/${row.id}`, localizeReason(res, `Only an active contract can be amended (it is ${row.view.status}).`));
    const tr = translator(res);
    const values = amendValuesFrom(req.body ?? {});
    const institutions = await db('institutions').select('id', 'name');
    const { changes, errors } = amendmentFrom(values, terms, institutions, tr);
    if (errors.length > 0) return showAmendForm(req, res, row, values, { errors }, 400);
    if (Object.keys(changes).length === 0) return showAmendForm(req, res, row, values, { alert: tr('amend.nothingChanged') }, 400);
    try {
      await gateway.proposeAmendment(row.id, actor, changes, values.note.trim() || undefined);
    } catch (err) {
      const http = stepRefusal(err);
      if (http.status === 400 && http.fields?.length) {
        const fieldErrors = http.fields.map((f) => {
          const field = formFieldOf(f.field, values);
          return { field, code: f.code, message: fieldMessage(tr, field, f.code, f.message ?? f.code) };
        });
        return showAmendForm(req, res, row, values, { errors: fieldErrors }, 400);
      }
      return showAmendForm(req, res, row, values, { alert: localizeReason(res, http.message, http.params) }, http.status);
    }
    const after = await loadVisibleContract(db, actor, row.id);
    const done = after.view.amendment?.status === 'awaiting_consent' ? 'done.amendToApplicant' : after.view.amendment ? 'done.amendToHead' : 'done.amendApplied';
    return redirectWithNotice(req, res, `/contracts/${row.id}`, t(res, done));
  });

  return router;
}

/** What the applicant owes before the order, or the balance afterwards (the same sum startPayment asks). */
export function amountDueNow(view: ContractView): number {
  if (view.status === 'awaiting_payment' && view.terms) return Math.max(0, amountDueForOrderQepik(view.terms.price) - view.paidQepik);
  if (view.status === 'awaiting_fee') return BAR_FEE_QEPIK;
  return view.balanceDueQepik;
}
