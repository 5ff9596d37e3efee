/** The rules of seminars and conferences (SPEC R3.1, issue 11): the form's checks, places and waiting list, hours per year. */
import { describe, expect, it } from 'vitest';
import { composeSeminarEmail } from '../../activities/seminars/notifications';
import {
  cancelRefusal,
  checkSeminar,
  formatHours,
  hoursPerYear,
  parseDateTime,
  placeFor,
  placesToFill,
  registrationRefusal,
  reminderDueAt,
  toLocalInput,
} from '../../domain/seminars';

const now = new Date('2026-12-01T10:00:00Z');
const valid = {
  title: ' Seminar ',
  description: 'Məlumat',
  startsAt: '2026-12-10T10:00',
  endsAt: '2026-12-10T13:30',
  place: 'Bakı',
  capacity: '30',
  hours: '1,5',
};

describe('seminar rules (R3.1)', () => {
  it("reads a form's local time as Baku time (UTC+4) and shows it back the same way", () => {
    expect(parseDateTime('2026-12-10T10:00')?.toISOString()).toBe('2026-12-10T06:00:00.000Z');
    expect(parseDateTime('2026-12-10T10:00:00Z')?.toISOString()).toBe('2026-12-10T10:00:00.000Z');
    expect(parseDateTime('10.12.2026')).toBeUndefined();
    expect(toLocalInput('2026-12-10T06:00:00.000Z')).toBe('2026-12-10T10:00');
  });

  it('checks every field, in form order, and gives the details when all is well', () => {
    const { details, errors } = checkSeminar(valid, now);
    expect(errors).toEqual([]);
    expect(details).toEqual({
      title: 'Seminar',
      description: 'Məlumat',
      startsAt: '2026-12-10T06:00:00.000Z',
      endsAt: '2026-12-10T09:30:00.000Z',
      place: 'Bakı',
      capacity: 30,
      hoursTenths: 15,
    });
    const bad = checkSeminar({ ...valid, title: '', startsAt: '2026-11-01T10:00', endsAt: '2026-10-01T10:00', place: '', capacity: '0', hours: '1.25' }, now);
    expect(bad.errors.map((e) => `${e.field}:${e.code}`)).toEqual([
      'title:seminar.title_required',
      'startsAt:seminar.starts_in_past',
      'endsAt:seminar.ends_before_start',
      'place:seminar.place_or_link_required',
      'capacity:seminar.capacity_invalid',
      'hours:seminar.hours_invalid',
    ]);
    // An edit that keeps a start already past is allowed (a running event can be corrected).
    expect(checkSeminar({ ...valid, startsAt: '2026-11-30T10:00' }, now, '2026-11-30T06:00:00.000Z').errors).toEqual([]);
    expect(checkSeminar({ ...valid, place: '', onlineUrl: 'javascript:alert(1)' }, now).errors.map((e) => e.code)).toEqual(['seminar.online_url_invalid']);
  });

  it('gives a place while there is one, then the waiting list; freed places go to as many waiting as fit', () => {
    expect(placeFor(29, 30)).toBe('registered');
    expect(placeFor(30, 30)).toBe('waiting');
    expect(placesToFill(29, 30, 5)).toBe(1);
    expect(placesToFill(30, 33, 2)).toBe(2);
    expect(placesToFill(35, 30, 4)).toBe(0);
  });

  it('registers and cancels only before the start of a published event', () => {
    const event = { status: 'published' as const, startsAt: '2026-12-10T06:00:00.000Z', endsAt: '2026-12-10T09:00:00.000Z' };
    expect(registrationRefusal(event, now)).toBeUndefined();
    expect(registrationRefusal(event, new Date('2026-12-10T06:00:00Z'))?.code).toBe('seminar.already_started');
    expect(registrationRefusal({ ...event, status: 'cancelled' }, now)?.code).toBe('seminar.cancelled');
    expect(cancelRefusal(event, new Date('2026-12-11T00:00:00Z'))?.code).toBe('seminar.already_started');
  });

  it('the reminder is due the lead time before the start', () => {
    expect(new Date(reminderDueAt('2026-12-10T06:00:00.000Z', 24 * 3_600_000)).toISOString()).toBe('2026-12-09T06:00:00.000Z');
  });

  it('adds attended hours per Baku calendar year exactly, newest year first', () => {
    expect(
      hoursPerYear([
        { startsAt: '2025-12-31T21:00:00Z', hoursTenths: 15 }, // 1 January 2026 in Baku
        { startsAt: '2026-03-01T06:00:00Z', hoursTenths: 1 },
        { startsAt: '2025-05-01T06:00:00Z', hoursTenths: 20 },
      ]),
    ).toEqual([
      { year: 2026, hours: 1.6 },
      { year: 2025, hours: 2 },
    ]);
    expect([formatHours(15), formatHours(30)]).toEqual(['1.5', '3']);
  });

  it('words each e-mail in the language asked, naming the event and linking to it, Baku time', () => {
    const context = { title: 'Etika', startsAt: '2026-12-10T06:00:00.000Z', url: 'https://evk.example/info/seminars/x' };
    const az = composeSeminarEmail('reminder', 'az', context);
    const en = composeSeminarEmail('moved_in', 'en', context);
    expect(az.subject).toBe('Xatırlatma: sabah "Etika"');
    expect(az.body).toContain('10:00');
    expect(az.body).toContain(context.url);
    expect(en.subject).toBe('A place is yours: Etika');
  });
});
