/**
 * One date format everywhere (issue 13): dates dd.mm.yyyy, times HH:MM, always in Baku time
 * (UTC+4, no daylight saving since 2016) whatever the server's or the browser's time zone.
 * Pure functions, used by pages, e-mails, documents and the calendar. Date inputs are typed
 * dd.mm.yyyy (so they follow the page's language, not the browser's) and parsed here.
 */

export const BAKU_TIME_ZONE = 'Asia/Baku';
/** Baku is UTC+4 all year. */
export const BAKU_OFFSET_MINUTES = 4 * 60;

export const AZ_MONTHS = ['yanvar', 'fevral', 'mart', 'aprel', 'may', 'iyun', 'iyul', 'avqust', 'sentyabr', 'oktyabr', 'noyabr', 'dekabr'] as const;

const pad = (n: number) => String(n).padStart(2, '0');

/** A calendar day and a clock time in Baku. */
export interface BakuParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

function toDate(value: string | Date): Date | null {
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const [year, month, day] = value.split('-').map(Number);
    return validDay(year, month, day) ? new Date(`${value}T00:00:00+04:00`) : null;
  }
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** The Baku day and time of an instant ("YYYY-MM-DD" is taken as that calendar day). */
export function bakuParts(value: string | Date): BakuParts | null {
  const date = toDate(value);
  if (!date) return null;
  const shifted = new Date(date.getTime() + BAKU_OFFSET_MINUTES * 60_000);
  return {
    year: shifted.getUTCFullYear(),
    month: shifted.getUTCMonth() + 1,
    day: shifted.getUTCDate(),
    hour: shifted.getUTCHours(),
    minute: shifted.getUTCMinutes(),
  };
}

/** "01.12.2026" ('' for nothing or a non-date). */
export function formatDate(value: string | Date | null | undefined): string {
  const p = value ? bakuParts(value) : null;
  return p ? `${pad(p.day)}.${pad(p.month)}.${p.year}` : '';
}

/** "12:20". */
export function formatTime(value: string | Date | null | undefined): string {
  const p = value ? bakuParts(value) : null;
  return p ? `${pad(p.hour)}:${pad(p.minute)}` : '';
}

/** "01.12.2026 12:20". */
export function formatDateTime(value: string | Date | null | undefined): string {
  const p = value ? bakuParts(value) : null;
  return p ? `${pad(p.day)}.${pad(p.month)}.${p.year} ${pad(p.hour)}:${pad(p.minute)}` : '';
}

/** The day in a legal document: "1 dekabr 2026". */
export function formatDocumentDate(value: string | Date): string {
  const p = bakuParts(value);
  if (!p) throw new Error(`Not a date: ${String(value)}`);
  return `${p.day} ${AZ_MONTHS[p.month - 1]} ${p.year}`;
}

/** "YYYY-MM-DD" of the Baku day of an instant. */
export function bakuDay(value: string | Date): string {
  const p = bakuParts(value);
  if (!p) throw new Error(`Not a date: ${String(value)}`);
  return `${p.year}-${pad(p.month)}-${pad(p.day)}`;
}

function validDay(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * What a person typed in a date field → "YYYY-MM-DD", or null when it is not a date.
 * Accepts dd.mm.yyyy (also with "/" or "-") and, for API clients and old links, YYYY-MM-DD.
 */
export function parseDateInput(text: string | null | undefined): string | null {
  const s = (text ?? '').trim();
  let m = /^(\d{1,2})[./-](\d{1,2})[./-](\d{4})$/.exec(s);
  if (m) {
    const [day, month, year] = [Number(m[1]), Number(m[2]), Number(m[3])];
    return validDay(year, month, day) ? `${year}-${pad(month)}-${pad(day)}` : null;
  }
  m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (m) {
    const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
    return validDay(year, month, day) ? s : null;
  }
  return null;
}

/** What a person typed in a time field ("9:05", "09:05") → "09:05", or null. */
export function parseTimeInput(text: string | null | undefined): string | null {
  const m = /^(\d{1,2})[:.](\d{2})$/.exec((text ?? '').trim());
  if (!m) return null;
  const [hour, minute] = [Number(m[1]), Number(m[2])];
  return hour < 24 && minute < 60 ? `${pad(hour)}:${pad(minute)}` : null;
}

/** A Baku day ("YYYY-MM-DD") and time ("HH:MM") → the instant, as an ISO string in UTC. */
export function bakuInstant(day: string, time = '00:00'): string {
  return new Date(`${day}T${time}:00+04:00`).toISOString();
}

/** "YYYY-MM-DD" → "dd.mm.yyyy", for putting a stored day back into a date field. */
export function dateInputValue(day: string | null | undefined): string {
  if (!day) return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(day);
  return m ? `${m[3]}.${m[2]}.${m[1]}` : formatDate(day);
}
