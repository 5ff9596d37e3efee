import { describe, expect, it } from 'vitest';
import {
  displayName,
  foldForSearch,
  formatAzn,
  isValidFin,
  isValidPhone,
  isValidVoen,
  normalizePhone,
  orderVerdict,
  parseAznToQepik,
  refusal,
  shortName,
} from '../../domain/contract';

describe('identifiers (R4.1.2, R4.1.3)', () => {
  it('R4.1.2 a FIN is 7 Latin capitals and digits, typed in any case', () => {
    expect(isValidFin('5abcd12')).toBe(true);
    expect(isValidFin('5ABCD1')).toBe(false);
    expect(isValidFin('5ABCD1Ə')).toBe(false);
  });
  it('R4.1.3 a VÖEN is 10 digits whose 9th is the check digit and whose 10th is 1 or 2', () => {
    // weights 4,1,8,6,2,7,5,3 over 12345678: 4+2+24+24+10+42+35+24 = 165, 165 mod 11 = 0
    expect(isValidVoen('1234567801')).toBe(true);
    expect(isValidVoen('1234567811')).toBe(false);
    expect(isValidVoen('1234567803')).toBe(false);
    expect(isValidVoen('123456780')).toBe(false);
  });
  it('R4.1.2 phones are kept with the country code', () => {
    expect(normalizePhone('050-123-45-67')).toBe('+994501234567');
    expect(isValidPhone('+994 50 123 45 67')).toBe(true);
    expect(isValidPhone('12')).toBe(false);
  });
});

describe('money in qəpik (R4.1.6)', () => {
  it('R4.1.6 amounts are typed with a point or a comma and shown with two decimals', () => {
    expect(parseAznToQepik('12,5')).toBe(1250);
    expect(parseAznToQepik('1000.50')).toBe(100_050);
    expect(parseAznToQepik('1000 AZN')).toBeUndefined();
    expect(formatAzn(2050)).toBe('20.50');
    expect(formatAzn(-5)).toBe('-0.05');
  });
});

describe('names and search (R4.8)', () => {
  it('R4.8 a search matches names with or without Azerbaijani letters', () => {
    expect(foldForSearch('  Əliyev   İlqar Şükür oğlu ')).toBe(foldForSearch('eliyev ilqar sukur oglu'));
  });
  it('names read surname first on lists, first name first when addressing a person', () => {
    const p = { firstName: 'Aysel', lastName: 'Məmmədova', patronymic: 'Vüqar qızı' };
    expect(displayName(p)).toBe('Məmmədova Aysel Vüqar qızı');
    expect(shortName(p)).toBe('Aysel Məmmədova');
  });
});

describe('the public order check (R4.2.1)', () => {
  it('R4.2.1 an order is current, superseded by a newer version, unknown, or not in force once the contract is archived', () => {
    expect(orderVerdict(undefined)).toEqual({ valid: false, status: 'unknown' });
    expect(orderVerdict({ supersededAt: '2026-01-01', contractStatus: 'active' })).toEqual({ valid: false, status: 'superseded' });
    expect(orderVerdict({ supersededAt: null, contractStatus: 'terminated' })).toEqual({ valid: false, status: 'terminated' });
    expect(orderVerdict({ supersededAt: null, contractStatus: 'active' })).toEqual({ valid: true, status: 'current' });
  });
});

describe('more permissions (R4.2.2, R4.4, R4.7)', () => {
  const head = { kind: 'lawyer' as const, id: 'H1', bureauId: 'B1', isHead: true };
  const applicant = { kind: 'applicant' as const, id: 'A1' };
  const facts = { lawyerId: 'L1', bureauId: 'B1', applicantAccountId: 'A1', balanceDueQepik: 0 };
  it('R4.3 the applicant pays while a payment is due, not once paid in full', () => {
    expect(refusal('pay', applicant, { ...facts, status: 'awaiting_payment' })).toBeUndefined();
    expect(refusal('pay', applicant, { ...facts, status: 'active', balanceDueQepik: 500 })).toBeUndefined();
    expect(refusal('pay', applicant, { ...facts, status: 'active' })).toEqual({ code: 'contract.paid_in_full' });
  });
  it('R4.4 one amendment at a time, on an active contract', () => {
    expect(refusal('proposeAmendment', head, { ...facts, status: 'active', amendmentStatus: 'awaiting_consent' })).toEqual({
      code: 'contract.amendment_pending',
    });
    expect(refusal('proposeAmendment', head, { ...facts, status: 'finished' })).toEqual({ code: 'contract.amend_not_active', params: { status: 'finished' } });
  });
  it('R4.7 only a terminated contract is restarted; the applicant terminates nothing', () => {
    expect(refusal('restart', head, { ...facts, status: 'active' })).toEqual({ code: 'contract.restart_not_terminated' });
    expect(refusal('terminate', applicant, { ...facts, status: 'active' })).toEqual({ code: 'contract.terminate_lawyer_or_head' });
  });
});
