/**
 * What the contract pages show, as plain data (R4.1, R4.2, R4.4): the terms as labelled facts,
 * the history in sentences, an amendment's rows, the payment plan. Pure functions of the contract
 * view and a translator; the lawyer's page and the applicant's cabinet both use them.
 */
import {
  type ContractDraft,
  type ContractTerms,
  type LegalEntity,
  type MoneyFacts,
  type NaturalPerson,
  type PriceTerms,
  amountDueNowQepik,
  applyChanges,
  displayName,
  formatAzn,
  normalizeTerms,
  remainderQepik,
} from '../../domain/contract';
import { formatDateTime } from '../../domain/shared/dates';
import type { ContractView, HistoryEntry } from '../../workflows/contract/messages';
import type { Tr } from '../shared/feedback';

/** A translation that exists, or undefined (the translator answers the key itself when it has none). */
function known(tr: Tr, key: string, vars?: Record<string, unknown>): string | undefined {
  const text = tr(key, vars);
  return text === key ? undefined : text;
}

/** The payment agent's reason code in plain words (unknown codes are shown as they came). */
export function paymentReason(tr: Tr, reason: string | undefined): string {
  if (!reason || /^state \d+$/.test(reason)) return tr('paymentReason.other');
  return known(tr, `paymentReason.${reason}`) ?? reason;
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
  if (typeof entity.resident === 'boolean')
    facts.push({ label: tr('entity.resident'), value: tr(entity.resident ? 'entity.residentYes' : 'entity.residentNo') });
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
  else if (terms.applicantIsProtectedParty)
    sections.push({
      title: tr('contractPage.protectedParty'),
      facts: [{ label: tr('person.name'), value: `${displayName(terms.applicant)} — ${tr('contractPage.sameAsApplicant')}` }],
    });
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

/** A time in UTC, as the security records keep it: "2026-12-01 12:34 UTC" (issue 9 item 10). */
export const formatUtc = (iso: string | Date) => {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
};

/** "01.12.2026 12:20", Baku time: the one format of the pages (issue 13). */
export { formatDateTime };

/** Whom an entry's `by` names: a lawyer by name, the applicant, or nobody (the payment agent, timers). */
export function whoOf(tr: Tr, by: string | undefined, names: Map<string, string>, applicantAccountId: string | undefined): string {
  if (!by) return tr('history.someone');
  const name = names.get(by);
  if (name) return name;
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
  const show = (v: string | undefined) => (v === undefined || v === '' ? empty : v);
  const rows: { label: string; before: string; after: string }[] = [];
  const add = (label: string, get: (x: ContractTerms) => string | undefined) => {
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
      add(
        `${tr('contractPage.protectedParty')}: ${tr(field === 'name' ? 'entity.name' : field === 'voen' ? 'entity.voen' : `person.${field}`)}`,
        (x) => x.protectedEntity?.[field],
      );
    }
  }
  return rows;
}

/** An order or a new version is decided but its documents are not stored yet. */
export function documentsPending(view: ContractView, documentCount: number): boolean {
  if (view.status !== 'active' && view.status !== 'finished') return false;
  const events = view.history.map((h) => h.event);
  return documentCount === 0 || events.lastIndexOf('amendment_applied') > events.lastIndexOf('order_issued');
}

/** What the next payment asks now (R4.2.2, R4.3), as the rules say it: the first payment, the Bar fee or the balance. */
export function dueNowQepik(view: ContractView): number {
  const facts: MoneyFacts = { status: view.status, price: view.terms?.price, paidQepik: view.paidQepik, approvedAsAlreadyPaid: view.approvedAsAlreadyPaid };
  return amountDueNowQepik(facts);
}
