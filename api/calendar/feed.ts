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
import { bakuDay, bakuInstant, bakuParts } from '../../domain/shared/dates';
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

/** A feed's text (UTF-8) and its entity tag: the same tag means the same text. */
export interface FeedAnswer {
  body: Buffer;
  etag: string;
}

/** A kept feed: its events by meeting, in order, and the text they make. */
interface KeptFeed {
  /** The lawyer's generation (migration 028) the events are at least as new as. */
  generation: number;
  day: string;
  publicUrl: string;
  /** In the feed's order: by start, then by meeting. */
  events: KeptEvent[];
  answer: FeedAnswer;
}
interface KeptEvent extends EventText {
  startsAt: number;
  id: string;
}
/** One VEVENT as written, and its SHA-256 (the feed's tag is made of these, not of the whole text). */
interface EventText {
  bytes: Buffer;
  digest: Buffer;
}
const inFeedOrder = (a: KeptEvent, b: KeptEvent) => a.startsAt - b.startsAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * Each lawyer's last feed. Phones ask for it every few minutes and it rarely changes: when the
 * lawyer's generation has not moved, the kept text is the answer; when it has, only the meetings
 * stamped since are read (migration 028). A new Baku day (the year back starts at that day), a
 * deleted meeting or a first request reads them all. Each process keeps its own, up to a size.
 */
const FEEDS = new Map<string, KeptFeed>();
const FEEDS_BYTES_KEPT = 64 * 2 ** 20;
let feedsBytes = 0;

/** The feed of the token's lawyer; an unknown or replaced token is 404. */
export async function feedOf(deps: CalendarDeps, file: string): Promise<FeedAnswer> {
  const token = file.endsWith('.ics') ? file.slice(0, -4) : file;
  if (!TOKEN.test(token)) throw notFound('common.not_found');
  const feed = (await deps
    .db('calendar_feeds')
    .where({ token_hash: hashToken(token) })
    .first('lawyer_id', 'generation', 'rebuild_from')) as { lawyer_id: string; generation: string | number; rebuild_from: string | number } | undefined;
  if (!feed) throw notFound('common.not_found');
  // The generation is read before any meeting: a change from now on moves it past what is kept.
  const generation = Number(feed.generation);
  const day = bakuDay(new Date());
  const { publicUrl } = deps;
  const kept = FEEDS.get(feed.lawyer_id);
  const current = kept && kept.day === day && kept.publicUrl === publicUrl ? kept : undefined;
  if (current && current.generation >= generation) return current.answer;
  const since = new Date(new Date(bakuInstant(day)).getTime() - FEED_HISTORY_DAYS * 86_400_000);
  const events =
    current && Number(feed.rebuild_from) <= current.generation
      ? await changedEvents(deps, feed.lawyer_id, current, since)
      : await allEvents(deps, feed.lawyer_id, since);
  const answer = feedAnswer(publicUrl, events);
  keep(feed.lawyer_id, { generation, day, publicUrl, events, answer });
  return answer;
}

function keep(lawyerId: string, feed: KeptFeed): void {
  const size = (f: KeptFeed) => 2 * f.answer.body.length; // the text, and its events' texts
  const previous = FEEDS.get(lawyerId);
  if (previous) {
    feedsBytes -= size(previous);
    FEEDS.delete(lawyerId);
  }
  for (const [id, oldest] of FEEDS) {
    if (feedsBytes + size(feed) <= FEEDS_BYTES_KEPT) break;
    feedsBytes -= size(oldest);
    FEEDS.delete(id);
  }
  FEEDS.set(lawyerId, feed);
  feedsBytes += size(feed);
}

/** The kept events, with the meetings stamped since brought in (edited, moved, cancelled, new). */
async function changedEvents(deps: CalendarDeps, lawyerId: string, kept: KeptFeed, since: Date): Promise<KeptEvent[]> {
  const rows = (await deps
    .db('meetings')
    .where({ lawyer_id: lawyerId })
    .where('feed_generation', '>', kept.generation)
    .select(MEETING_COLUMNS)) as MeetingRow[];
  const changed = new Set(rows.map((row) => row.id));
  const events = kept.events.filter((e) => !changed.has(e.id));
  for (const row of rows) {
    if (row.status !== 'active' || new Date(row.starts_at) < since) continue;
    const event = { startsAt: new Date(row.starts_at).getTime(), id: row.id, ...eventText(deps.publicUrl, row) };
    // Into its place (the list is in order): a binary search, not a sort of the whole list.
    let [low, high] = [0, events.length];
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (inFeedOrder(events[middle], event) < 0) low = middle + 1;
      else high = middle;
    }
    events.splice(low, 0, event);
  }
  return events;
}

/** The lawyer's active meetings from `since` on; whole rows only for those whose text is not yet written. */
async function allEvents(deps: CalendarDeps, lawyerId: string, since: Date): Promise<KeptEvent[]> {
  const heads = (await deps
    .db('meetings')
    .where({ lawyer_id: lawyerId, status: 'active' })
    .where('starts_at', '>=', since)
    .select('id', 'version', 'starts_at', deps.db.raw('floor(extract(epoch from updated_at) * 1000)::bigint::text AS changed'))) as (EventHead & {
    starts_at: Date;
  })[];
  const texts = new Map<string, EventText>();
  const missing = heads.filter((head) => !EVENT_TEXTS.has(eventKey(deps.publicUrl, head)));
  if (missing.length > 0) {
    const rows = (await deps
      .db('meetings')
      .whereIn(
        'id',
        missing.map((head) => head.id),
      )
      .select(MEETING_COLUMNS)) as MeetingRow[];
    for (const row of rows) texts.set(row.id, eventText(deps.publicUrl, row));
  }
  const events: KeptEvent[] = [];
  for (const head of heads) {
    const text = EVENT_TEXTS.get(eventKey(deps.publicUrl, head)) ?? texts.get(head.id);
    if (text !== undefined) events.push({ startsAt: new Date(head.starts_at).getTime(), id: head.id, ...text });
  }
  return events.sort(inFeedOrder);
}

/** What an event's text depends on besides its row: the meeting, its version and its change time (ms, as pg's Date has it). */
interface EventHead {
  id: string;
  version: number;
  changed: string;
}

const eventKey = (publicUrl: string, head: EventHead) => `${head.id}\u0000${head.version}\u0000${head.changed}\u0000${publicUrl}`;

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
const EVENT_TEXTS = new Map<string, EventText>();
const EVENT_TEXTS_KEPT = 100_000;
const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest();

function eventText(publicUrl: string, row: MeetingRow): EventText {
  const key = eventKey(publicUrl, { id: row.id, version: row.version, changed: String(new Date(row.updated_at).getTime()) });
  const kept = EVENT_TEXTS.get(key);
  if (kept !== undefined) return kept;
  const bytes = Buffer.from(foldLines(addEvent(feedCalendar(), publicUrl, row).toString()), 'utf8');
  const text = { bytes, digest: sha256(bytes) };
  if (EVENT_TEXTS.size >= EVENT_TEXTS_KEPT) EVENT_TEXTS.delete(EVENT_TEXTS.keys().next().value as string);
  EVENT_TEXTS.set(key, text);
  return text;
}

/** The calendar's frame (the same for every feed), split where the events go. */
let frame: { head: Buffer; tail: Buffer; digest: Buffer } | undefined;
function feedFrame(): { head: Buffer; tail: Buffer; digest: Buffer } {
  if (!frame) {
    const text = feedCalendar().toString();
    const end = text.lastIndexOf('END:VCALENDAR');
    frame = { head: Buffer.from(text.slice(0, end), 'utf8'), tail: Buffer.from(text.slice(end), 'utf8'), digest: sha256(text) };
  }
  return frame;
}

/**
 * The feed of these events: the frame around their texts, copied as bytes; its tag is the SHA-256 of
 * the frame's and the events' digests, so the same text has the same tag in every process.
 */
function feedAnswer(publicUrl: string, events: EventText[]): FeedAnswer {
  const { head, tail, digest } = feedFrame();
  const tag = createHash('sha256').update(digest).update(publicUrl);
  for (const e of events) tag.update(e.digest);
  return { body: Buffer.concat([head, ...events.map((e) => e.bytes), tail]), etag: `"${tag.digest('base64url').slice(0, 27)}"` };
}

export function renderFeed(publicUrl: string, rows: MeetingRow[]): string {
  return feedAnswer(
    publicUrl,
    rows.map((row) => eventText(publicUrl, row)),
  ).body.toString('utf8');
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
