/**
 * The personal iCalendar feed (RFC 5545; R8.4 "readable by machines", issue 12). Its URL carries an
 * unguessable token (32 random bytes); only its SHA-256 is stored, so the URL is shown once, when it
 * is made, and "regenerate" makes the old one answer 404. The feed holds the lawyer's own active
 * meetings from a year back on: title, time (TZID Asia/Baku), place, comment, importance as
 * PRIORITY, reminders as alarms, and stable UIDs with the version as SEQUENCE, so phones update
 * events rather than duplicate them. Nothing else of the contract or its people is in it.
 */
/* eslint-disable @typescript-eslint/no-unnecessary-type-assertion -- knex's rows are typed by assertion here, as in the other areas */
import { createHash, randomBytes } from 'node:crypto';
import ical, { foldLines, ICalAlarmType } from 'ical-generator';
import type { Knex } from 'knex';
import { bakuParts } from '../../domain/shared/dates';
import type { Actor } from '../../domain/calendar';
import { calendarDayUrl } from '../../activities/calendar/notifications';
import { notFound } from '../http/errors';
import { type CalendarDeps, MEETING_COLUMNS, type MeetingRow, mustBeLawyer } from './service';

/** Baku has been UTC+4 all year since 2016: one STANDARD component describes it. */
const BAKU_VTIMEZONE = [
  'BEGIN:VTIMEZONE',
  'TZID:Asia/Baku',
  'BEGIN:STANDARD',
  'DTSTART:19700101T000000',
  'TZOFFSETFROM:+0400',
  'TZOFFSETTO:+0400',
  'TZNAME:+04',
  'END:STANDARD',
  'END:VTIMEZONE',
].join('\r\n');
/** iCalendar PRIORITY: 1 highest, 5 normal, 9 lowest. */
export const PRIORITY = { high: 1, normal: 5, low: 9 } as const;
export const FEED_HISTORY_DAYS = 365;
export const meetingUid = (meetingId: string) => `${meetingId}@evk.calendar`;

const pad = (n: number) => String(n).padStart(2, '0');
/** The Baku wall-clock time of an instant, as ical-generator writes it after TZID=Asia/Baku. */
function bakuLocal(value: Date | string): string {
  const p = bakuParts(value)!;
  return `${p.year}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}:00`;
}

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');
const TOKEN = /^[A-Za-z0-9_-]{43}$/;
export const feedUrl = (publicUrl: string, token: string) => `${publicUrl}/api/calendar/feed/${token}.ics`;

/** A new feed URL for the lawyer; the previous one answers 404 from now on. */
export async function regenerateFeed(deps: CalendarDeps, actor: Actor): Promise<{ url: string }> {
  mustBeLawyer(actor);
  const token = randomBytes(32).toString('base64url');
  await deps
    .db('calendar_feeds')
    .insert({ lawyer_id: actor.id, token_hash: hashToken(token), created_at: deps.db.fn.now() })
    .onConflict('lawyer_id')
    .merge(['token_hash', 'created_at']);
  return { url: feedUrl(deps.publicUrl, token) };
}

/** Whether the lawyer has a feed, and since when (the URL itself cannot be shown again). */
export async function feedStatus(db: Knex, actor: Actor): Promise<{ createdAt: string } | undefined> {
  const row = (await db('calendar_feeds').where({ lawyer_id: actor.id }).first('created_at')) as { created_at: Date } | undefined;
  return row ? { createdAt: new Date(row.created_at).toISOString() } : undefined;
}

/** The feed of the token's lawyer; an unknown or replaced token is 404. */
export async function feedOf(deps: CalendarDeps, file: string): Promise<string> {
  const token = file.endsWith('.ics') ? file.slice(0, -4) : file;
  if (!TOKEN.test(token)) throw notFound('common.not_found');
  const feed = (await deps
    .db('calendar_feeds')
    .where({ token_hash: hashToken(token) })
    .first('lawyer_id')) as { lawyer_id: string } | undefined;
  if (!feed) throw notFound('common.not_found');
  const since = new Date(Date.now() - FEED_HISTORY_DAYS * 86_400_000).toISOString();
  const rows = (await deps
    .db('meetings')
    .where({ lawyer_id: feed.lawyer_id, status: 'active' })
    .where('starts_at', '>=', since)
    .orderBy('starts_at')
    .select(MEETING_COLUMNS)) as MeetingRow[];
  return renderFeed(deps.publicUrl, rows);
}

function feedCalendar() {
  return ical({
    name: 'EVK — Təqvim',
    prodId: { company: 'evk', product: 'calendar', language: 'AZ' },
    timezone: { name: 'Asia/Baku', generator: () => BAKU_VTIMEZONE },
  });
}

/**
 * Each meeting's VEVENT text, by meeting, version and change time: ical-generator writes one event
 * in about 50 µs, but folding a whole calendar of 3,000 events took it over 2 s (bench/calendar.ts),
 * so the feed is its (unchanging) frame around the events' texts, each written once per version.
 */
const EVENT_TEXTS = new Map<string, string>();
const EVENT_TEXTS_KEPT = 100_000;

function eventText(publicUrl: string, row: MeetingRow): string {
  const key = `${row.id}\u0000${row.version}\u0000${new Date(row.updated_at).getTime()}\u0000${publicUrl}`;
  const kept = EVENT_TEXTS.get(key);
  if (kept !== undefined) return kept;
  const text = foldLines(addEvent(feedCalendar(), publicUrl, row).toString());
  if (EVENT_TEXTS.size >= EVENT_TEXTS_KEPT) EVENT_TEXTS.delete(EVENT_TEXTS.keys().next().value as string);
  EVENT_TEXTS.set(key, text);
  return text;
}

export function renderFeed(publicUrl: string, rows: MeetingRow[]): string {
  const frame = feedCalendar().toString();
  const end = frame.lastIndexOf('END:VCALENDAR');
  return frame.slice(0, end) + rows.map((row) => eventText(publicUrl, row)).join('') + frame.slice(end);
}

/** The same feed written by ical-generator in one piece (what renderFeed must equal; test/calendar). */
export function renderFeedWhole(publicUrl: string, rows: MeetingRow[]): string {
  const calendar = feedCalendar();
  for (const row of rows) addEvent(calendar, publicUrl, row);
  return calendar.toString();
}

function addEvent(calendar: ReturnType<typeof ical>, publicUrl: string, row: MeetingRow) {
  const event = calendar.createEvent({
    id: meetingUid(row.id),
    sequence: row.version,
    timezone: 'Asia/Baku',
    start: bakuLocal(row.starts_at),
    end: bakuLocal(row.ends_at),
    stamp: new Date(row.updated_at),
    lastModified: new Date(row.updated_at),
    summary: row.title,
    location: row.place ?? undefined,
    description: row.comment ?? undefined,
    priority: PRIORITY[row.importance],
    url: calendarDayUrl(publicUrl, new Date(row.starts_at).toISOString()),
  });
  for (const reminder of row.reminders) event.createAlarm({ type: ICalAlarmType.display, trigger: reminder.beforeSeconds, description: row.title });
  return event;
}
