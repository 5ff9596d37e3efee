/** Azerbaijani formatting on the legal documents: dates in Baku time, amounts in words (R4.1.6). */
import { describe, expect, it } from 'vitest';
import { aznInWords, azDate, numberInWordsAz } from '../../documents/format';

describe('Azerbaijani formatting helpers', () => {
  it('dates in Baku time', () => {
    expect(azDate('2026-11-28T10:15:00Z')).toBe('28 noyabr 2026');
    expect(azDate('2026-11-28T21:30:00Z')).toBe('29 noyabr 2026'); // 01:30 in Baku
    expect(azDate('1961-09-02')).toBe('2 sentyabr 1961');
  });

  it('amounts in words', () => {
    expect(numberInWordsAz(1000)).toBe('min');
    expect(numberInWordsAz(1300)).toBe('min üç yüz');
    expect(numberInWordsAz(2_045_117)).toBe('iki milyon qırx beş min yüz on yeddi');
    expect(aznInWords(30_000)).toBe('üç yüz manat 00 qəpik');
    expect(aznInWords(2050)).toBe('iyirmi manat 50 qəpik');
  });
});
