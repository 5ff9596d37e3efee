/** The rules of "Profil" (SPEC R8.1–R8.3, issue 11), without I/O. */
import { describe, expect, it } from 'vitest';
import {
  changedContacts,
  checkPhoto,
  parseAchievements,
  profileChangeRefusal,
  servicesByYear,
  validateEducation,
  validateProfileChange,
} from '../../domain/profile';

const PNG_HEAD = Buffer.from('89504e470d0a1a0a0000', 'hex');

describe('R8.2 change requests', () => {
  it('a request needs something that differs from the verified values; bad e-mail and phone are refused at their fields', () => {
    const current = { email: 'a@example.az', phone: '+994501112233' };
    expect(validateProfileChange({ email: 'A@Example.az', phone: '050 111 22 33' }, false, current)).toEqual([
      { field: 'email', code: 'profile.nothing_changed' },
    ]);
    expect(validateProfileChange({}, true, current)).toEqual([]);
    expect(validateProfileChange({ email: 'x', phone: '12' }, false).map((e) => e.field)).toEqual(['email', 'phone']);
    expect(changedContacts({ email: ' New@Example.az ', phone: '050 999 88 77', address: '' }, current)).toEqual({
      email: 'new@example.az',
      phone: '+994509998877',
    });
  });

  it('only the Bar office decides, only the lawyer withdraws, and only while pending', () => {
    const facts = { status: 'pending' as const, lawyerId: 'l1' };
    expect(profileChangeRefusal('approve', { kind: 'admin', id: 'a' }, facts)).toBeUndefined();
    expect(profileChangeRefusal('approve', { kind: 'lawyer', id: 'l1', isHead: true }, facts)?.code).toBe('profile.bar_office_only');
    expect(profileChangeRefusal('withdraw', { kind: 'lawyer', id: 'l2' }, facts)?.code).toBe('profile.own_only');
    expect(profileChangeRefusal('reject', { kind: 'admin', id: 'a' }, { ...facts, status: 'approved' })).toEqual({
      code: 'profile.change_closed',
      params: { status: 'approved' },
    });
  });

  it('the photo is told by its content: PNG yes, a PDF named .png no, over 2 MB no', () => {
    expect(checkPhoto(PNG_HEAD)).toEqual({ type: 'image/png' });
    expect(checkPhoto(Buffer.from('%PDF-1.4'))).toMatchObject({ refusal: 'wrong_type', code: 'profile.photo_wrong_type' });
    expect(checkPhoto(Buffer.concat([PNG_HEAD, Buffer.alloc(2 * 1024 * 1024)]))).toMatchObject({ refusal: 'too_large' });
    expect(checkPhoto(Buffer.alloc(0))).toMatchObject({ refusal: 'required' });
  });
});

describe('R8.1, R8.3', () => {
  it('services per year, newest first, with totals; the hours column only when its source is given', () => {
    const { years, total } = servicesByYear({ contracts: { 2025: 3, 2026: 1 }, orders: { 2026: 2 }, assignments: { 2024: 1 } });
    expect(years.map((y) => y.year)).toEqual([2026, 2025, 2024]);
    expect(years[0]).toEqual({ year: 2026, contracts: 1, orders: 2, assignments: 0 });
    expect(total).toEqual({ contracts: 4, orders: 2, assignments: 1 });
    expect(servicesByYear({ contracts: {}, orders: {}, assignments: {}, hours: { 2026: 12 } }).total.developmentHours).toBe(12);
  });

  it('education needs an institution, a degree and a plausible year; achievements are one per line', () => {
    expect(validateEducation({ institution: 'BDU', degree: 'Magistr', year: '2010' }, 2026)).toEqual([]);
    expect(validateEducation({ year: '2030' }, 2026).map((e) => e.field)).toEqual(['institution', 'degree', 'year']);
    expect(parseAchievements('Birinci\n\n  İkinci  \n')).toEqual({ items: ['Birinci', 'İkinci'], errors: [] });
    expect(parseAchievements(['x'.repeat(301)]).errors[0].code).toBe('profile.achievement_too_long');
  });
});
