/**
 * Azerbaijani formatting for the legal documents: dates, money, amounts in words, names.
 * Pure functions; dates are shown in Baku time (UTC+4, no daylight saving since 2016) whatever the
 * server's time zone, so the same data always prints the same date.
 */
import type { LegalEntity, NaturalPerson } from '../domain/contract/terms';
import { formatDocumentDate, formatTime } from '../domain/shared/dates';
import { formatAzn } from '../domain/shared/money';
import { displayName } from '../domain/shared/names';

/** "2026-11-28T10:00:00Z" → "28 noyabr 2026". A bare "YYYY-MM-DD" is taken as that calendar day. */
export function azDate(value: string | Date): string {
  return formatDocumentDate(value);
}

/** "28 noyabr 2026, 14:05" (Baku time). */
export function azDateTime(value: string | Date): string {
  return `${formatDocumentDate(value)}, ${formatTime(value)}`;
}

/** 100000 qəpik → "1000.00 AZN". */
export function aznAmount(qepik: number): string {
  return `${formatAzn(qepik)} AZN`;
}

const ONES = ['', 'bir', 'iki', 'üç', 'dörd', 'beş', 'altı', 'yeddi', 'səkkiz', 'doqquz'];
const TENS = ['', 'on', 'iyirmi', 'otuz', 'qırx', 'əlli', 'altmış', 'yetmiş', 'səksən', 'doxsan'];

function below1000(n: number): string[] {
  const words: string[] = [];
  const hundreds = Math.floor(n / 100);
  if (hundreds === 1) words.push('yüz');
  else if (hundreds > 1) words.push(ONES[hundreds], 'yüz');
  const tens = Math.floor((n % 100) / 10);
  if (tens > 0) words.push(TENS[tens]);
  const ones = n % 10;
  if (ones > 0) words.push(ONES[ones]);
  return words;
}

/** 1000 → "min", 1300 → "min üç yüz", 2_000_000 → "iki milyon". Non-negative integers below 10^12. */
export function numberInWordsAz(n: number): string {
  if (!Number.isInteger(n) || n < 0 || n >= 1e12) throw new Error(`Cannot write ${n} in words`);
  if (n === 0) return 'sıfır';
  const words: string[] = [];
  const billions = Math.floor(n / 1e9);
  const millions = Math.floor((n % 1e9) / 1e6);
  const thousands = Math.floor((n % 1e6) / 1e3);
  const rest = n % 1000;
  if (billions > 0) words.push(...below1000(billions), 'milyard');
  if (millions > 0) words.push(...below1000(millions), 'milyon');
  if (thousands === 1) words.push('min');
  else if (thousands > 1) words.push(...below1000(thousands), 'min');
  words.push(...below1000(rest));
  return words.join(' ');
}

/** 100000 qəpik → "min manat 00 qəpik". */
export function aznInWords(qepik: number): string {
  if (!Number.isInteger(qepik) || qepik < 0) throw new Error(`Not an amount: ${qepik}`);
  return `${numberInWordsAz(Math.floor(qepik / 100))} manat ${String(qepik % 100).padStart(2, '0')} qəpik`;
}

/** "Əliyev Rəşad Kamal oğlu": surname, name, patronymic, as the registry and the cabinet list them. */
export function personName(person: Partial<NaturalPerson> | undefined): string {
  return displayName(person);
}

export function entityName(entity: Partial<LegalEntity> | undefined): string {
  return entity?.name?.trim() ?? '';
}
