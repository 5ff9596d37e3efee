import { describe, expect, it } from 'vitest';
import {
  bakuDay,
  bakuInstant,
  dateInputValue,
  formatDate,
  formatDateTime,
  formatDocumentDate,
  formatTime,
  parseDateInput,
  parseTimeInput,
} from '../../domain/shared/dates';

describe('one date format everywhere (issue 13), in Baku time', () => {
  it('formats dd.mm.yyyy and HH:MM in Baku time whatever the instant’s zone', () => {
    expect(formatDate('2026-11-30T21:30:00Z')).toBe('01.12.2026');
    expect(formatTime('2026-11-30T21:30:00Z')).toBe('01:30');
    expect(formatDateTime('2026-12-01T08:20:00Z')).toBe('01.12.2026 12:20');
    expect(formatDate('1990-04-12')).toBe('12.04.1990');
    expect(formatDate('')).toBe('');
    expect(formatDate('not a date')).toBe('');
  });

  it('prints Azerbaijani month names in documents', () => {
    expect(formatDocumentDate('2026-12-01T08:20:00Z')).toBe('1 dekabr 2026');
    expect(formatDocumentDate('2026-08-15')).toBe('15 avqust 2026');
    expect(() => formatDocumentDate('2026-13-01')).toThrow();
  });

  it('reads what a person types: dd.mm.yyyy (or ISO from API clients), refusing impossible days', () => {
    expect(parseDateInput('12.04.1990')).toBe('1990-04-12');
    expect(parseDateInput(' 1/2/2027 ')).toBe('2027-02-01');
    expect(parseDateInput('2027-02-01')).toBe('2027-02-01');
    expect(parseDateInput('29.02.2027')).toBeNull();
    expect(parseDateInput('29.02.2028')).toBe('2028-02-29');
    expect(parseDateInput('31.04.2027')).toBeNull();
    expect(parseDateInput('12.04.90')).toBeNull();
    expect(parseTimeInput('9:05')).toBe('09:05');
    expect(parseTimeInput('24:00')).toBeNull();
    expect(dateInputValue('1990-04-12')).toBe('12.04.1990');
  });

  it('turns a Baku day and time into the instant and back', () => {
    expect(bakuInstant('2026-12-01', '10:00')).toBe('2026-12-01T06:00:00.000Z');
    expect(bakuDay('2026-11-30T20:00:00Z')).toBe('2026-12-01');
  });
});
