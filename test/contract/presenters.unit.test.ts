import { describe, expect, it } from 'vitest';
import type { ContractTerms } from '../../domain/contract';
import { translate } from '../../locales';
import { amendmentRows, dueNowQepik, historySentences, planText, termsSections } from '../../web/contract/presenters';
import type { ContractView, HistoryEntry } from '../../workflows/contract/messages';

const en = (key: string, vars?: Record<string, unknown>) => translate('en', key, vars);
const terms: ContractTerms = {
  protectedPartyKind: 'natural',
  applicantIsProtectedParty: true,
  caseType: 'criminal',
  applicant: { citizenship: 'citizen', fin: '5ABCD12', firstName: 'Aysel', lastName: 'Məmmədova', phone: '+994501234567' },
  evidence: { none: true, holders: [] },
  assignment: 'Təmsilçilik',
  institution: { id: 'i1', name: 'Bakı Apellyasiya Məhkəməsi' },
  price: { totalQepik: 100_000, plan: 'two_instalments', firstInstalmentQepik: 30_000 },
};
const entry = (event: string, by?: string, detail?: string): HistoryEntry => ({ event, by, detail, at: '2026-01-05T10:00:00Z' });
const view = (over: Partial<ContractView> = {}): ContractView =>
  ({
    contractNumber: 'M-2026-000001',
    status: 'awaiting_payment',
    terms,
    paidQepik: 0,
    balanceDueQepik: 100_000,
    approvedAsAlreadyPaid: false,
    payments: [],
    history: [entry('created', 'L1')],
    ...over,
  }) as unknown as ContractView;

describe('what the contract pages show (R4.1, R4.3, R4.4)', () => {
  it('R4.1.6 the plan reads as the two instalments with the remainder', () => {
    expect(planText(en, terms.price)).toBe('Two instalments: first 300.00 AZN, the rest 700.00 AZN');
    expect(planText(en, { totalQepik: 100, plan: 'single' })).toBe('Paid at once');
  });

  it('R4.1.1 the applicant does not see the case type; the lawyer does', () => {
    const labels = (forApplicant: boolean) =>
      termsSections(en, view(), { forApplicant, lawyerName: 'Elçin Quliyev' }).flatMap((s) => s.facts.map((f) => f.label));
    expect(labels(false)).toContain(en('contractPage.caseType'));
    expect(labels(true)).not.toContain(en('contractPage.caseType'));
  });

  it('runs of draft saves by one person read as one line; lawyers are named', () => {
    const lines = historySentences(en, [entry('created', 'L1'), entry('draft_saved', 'L1'), entry('draft_saved', 'L1')], new Map([['L1', 'Elçin Quliyev']]), {
      forApplicant: false,
    });
    expect(lines).toHaveLength(2);
    expect(lines[0].text).toBe('Elçin Quliyev created the draft.');
  });

  it('R4.4 an amendment lists only what changes, before and after', () => {
    const rows = amendmentRows(en, terms, { price: { totalQepik: 120_000, plan: 'single' } }, { forApplicant: true });
    expect(rows).toEqual([
      { label: 'Price', before: '1000.00 AZN', after: '1200.00 AZN' },
      { label: en('contractPage.plan'), before: 'Two instalments: first 300.00 AZN, the rest 700.00 AZN', after: 'Paid at once' },
    ]);
  });

  it('R4.2.2 R4.3 what is due now: the first instalment before the order, the Bar fee on the already-paid path, the balance after', () => {
    expect(dueNowQepik(view())).toBe(30_000);
    expect(dueNowQepik(view({ status: 'awaiting_fee', approvedAsAlreadyPaid: true }))).toBe(2050);
    expect(dueNowQepik(view({ status: 'active', paidQepik: 30_000 }))).toBe(70_000);
  });
});
