/**
 * Issue 9 item 6: what the Bar office sees of a contract without a reason, and the reason's rule.
 */
import { describe, expect, it } from 'vitest';
import { accessExpiry, accessReasonProblem, BAR_OFFICE_LIST_FIELDS, contractOutline } from '../../domain/access';
import { viewScope } from '../../domain/contract';

const facts = { status: 'active' as const, lawyerId: 'lawyer-a', bureauId: 'bureau-a', applicantAccountId: 'acc-1', balanceDueQepik: 0 };

describe('the Bar office sees an outline unless it gave a reason (issue 9 item 6)', () => {
  it('the lawyer, the head and the applicant see the whole contract; the Bar office the outline, or all of it with an open access; others nothing', () => {
    expect(viewScope({ kind: 'lawyer', id: 'lawyer-a', bureauId: 'bureau-a' }, facts, false)).toBe('full');
    expect(viewScope({ kind: 'lawyer', id: 'head-a', bureauId: 'bureau-a', isHead: true }, facts, false)).toBe('full');
    expect(viewScope({ kind: 'applicant', id: 'acc-1' }, facts, false)).toBe('full');
    expect(viewScope({ kind: 'admin', id: 'bar' }, facts, false)).toBe('outline');
    expect(viewScope({ kind: 'admin', id: 'bar' }, facts, true)).toBe('full');
    expect(viewScope({ kind: 'lawyer', id: 'colleague', bureauId: 'bureau-a' }, facts, true)).toBe('none');
    expect(viewScope({ kind: 'lawyer', id: 'head-b', bureauId: 'bureau-b', isHead: true }, facts, false)).toBe('none');
    expect(viewScope({ kind: 'applicant', id: 'acc-2' }, facts, false)).toBe('none');
    expect(viewScope({ kind: 'operator', id: 'ops' }, facts, false)).toBe('none');
  });

  it('the outline keeps identifiers, status and dates, and drops every person, price, assignment and detail, even fields it does not know', () => {
    const view = {
      contractId: 'c1',
      contractNumber: 'EVK-2026-000001',
      status: 'active',
      lawyerId: 'lawyer-a',
      bureauId: 'bureau-a',
      revision: 7,
      currentVersion: 1,
      paidQepik: 100_000,
      balanceDueQepik: 0,
      applicantAccountId: 'acc-1',
      terms: { applicant: { fin: '5ABCDEF', firstName: 'Gülnarə', phone: '+994501234567' }, price: { totalQepik: 100_000 }, assignment: 'Müdafiə' },
      draft: { applicant: { fin: '5ABCDEF' } },
      termination: { reason: 'Gülnarə xanım imtina etdi' },
      issuedVersions: [{ version: 1, orderNumber: 'EVO-2026-000001', issuedAt: '2026-11-30T10:00:00Z' }],
      history: [
        { at: '2026-11-30T09:00:00Z', event: 'created', by: 'lawyer-a' },
        { at: '2026-11-30T09:30:00Z', event: 'payment_received', by: 'acc-1', detail: '100000' },
        { at: '2026-11-30T09:40:00Z', event: 'rejected', by: 'head-a', detail: 'Gülnarə xanımın ünvanı səhvdir' },
      ],
    };
    const outline = contractOutline(view);
    const text = JSON.stringify(outline);
    for (const secret of ['5ABCDEF', 'Gülnarə', '+994501234567', '100000', 'Müdafiə', 'acc-1', 'head-a']) expect(text).not.toContain(secret);
    expect(outline).toMatchObject({ contractNumber: 'EVK-2026-000001', status: 'active', lawyerId: 'lawyer-a', createdAt: '2026-11-30T09:00:00Z' });
    expect(outline.history.map((h) => h.event)).toEqual(['created', 'payment_received', 'rejected']);
    expect(BAR_OFFICE_LIST_FIELDS).not.toContain('applicant');
    expect(BAR_OFFICE_LIST_FIELDS).not.toContain('protectedParty');
    expect(BAR_OFFICE_LIST_FIELDS.some((f) => f.endsWith('Qepik'))).toBe(false);
  });

  it('a reason is required, 10 to 500 characters; the access lasts an hour', () => {
    expect(accessReasonProblem(undefined)?.code).toBe('access.reason_required');
    expect(accessReasonProblem('   ')?.code).toBe('access.reason_required');
    expect(accessReasonProblem('şikayət')?.code).toBe('access.reason_too_short');
    expect(accessReasonProblem('x'.repeat(501))?.code).toBe('access.reason_too_long');
    expect(accessReasonProblem('Vəkil haqqında 2026/114 saylı şikayətə baxılır')).toBeUndefined();
    expect(accessExpiry(new Date('2026-12-01T10:00:00Z')).toISOString()).toBe('2026-12-01T11:00:00.000Z');
  });
});
