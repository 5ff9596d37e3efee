/**
 * The calendar (SPEC R8.4, issue 12) through real HTTP, PostgreSQL and Temporal: meetings with
 * errors at the fields and an overlap warning; who sees what (R2.5: own, the head the bureau's);
 * the personal iCalendar feed parsed by an independent parser (ical.js), every field checked, and
 * regenerated (the old URL 404); reminders as durable timers that move with an edit, end with a
 * cancellation, and — across a worker restart — go out once, marked late, unless the meeting is
 * over; and the hearings of a case joined through "İşi göndər" (R4.6) arriving by themselves and
 * moving with a reschedule in e-court.
 */
/* eslint-disable @typescript-eslint/no-unnecessary-type-assertion -- knex's rows are typed by assertion here, as in the other areas */
import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FEED_HISTORY_DAYS, renderFeedWhole } from '../../api/calendar/feed';
import { MEETING_COLUMNS, type MeetingRow } from '../../api/calendar/service';
import { formatDate } from '../../domain/shared/dates';
import { createLogger } from '../../platform/logger';
import { startWorker } from '../../platform/worker';
import { DEMO_COURT_CASES, DEMO_PEOPLE } from '../../simulators/demo-data';
import { getMeetingRemindersState, meetingRemindersWorkflowId } from '../../workflows/calendar/messages';
import { expectStatus, loginDemoLawyers } from '../support/api';
import type { HttpClient } from '../support/http-client';
import { actors, completeDraft, eventually, startTestSystem, type TestSystem, uniquePerson, testTemporalAddress } from '../support/system';

let system: TestSystem;
let lawyer: HttpClient;
let colleague: HttpClient;
let head: HttpClient;
const previousLate = process.env.EVK_CALENDAR_LATE_AFTER_MS;

beforeAll(async () => {
  // Timings are inputs: a reminder more than 1.5 s behind its time is late; the hearing sync turns every second.
  process.env.EVK_CALENDAR_LATE_AFTER_MS = '1500';
  system = await startTestSystem({ web: true, courtHearingSync: { intervalMs: 1000 } });
  ({ lawyer, colleague, head } = await loginDemoLawyers(system));
});
afterAll(async () => {
  await system?.close();
  if (previousLate === undefined) delete process.env.EVK_CALENDAR_LATE_AFTER_MS;
  else process.env.EVK_CALENDAR_LATE_AFTER_MS = previousLate;
});

const DAY = 86_400_000;
const at = (ms: number) => new Date(Date.now() + ms).toISOString();
interface Saved {
  meeting: { id: string; version: number; startsAt: string; endsAt: string; title: string };
  warnings: { code: string; meetings: { id: string }[] }[];
}
const create = async (body: Record<string, unknown>) => expectStatus(await lawyer.post<Saved>('/api/calendar/meetings', body), 201, 'create').body;
const fieldsOf = (body: { error: { fields: { field: string; code: string }[] } }) => body.error.fields.map((f) => `${f.field}:${f.code}`);
const outbox = async (meetingId: string) =>
  (await system
    .db('outbox')
    .where('dedupe_key', 'like', `calendar:${meetingId}:%`)
    .orderBy('dedupe_key')
    .select('dedupe_key', 'channel', 'subject', 'body')) as {
    dedupe_key: string;
    channel: string;
    subject: string | null;
    body: string;
  }[];

describe('the calendar over the API (R8.4, issue 12)', () => {
  it('R8.4: field errors keep nothing; overlaps warn; own and bureau scopes; the iCalendar feed with every field, regenerated', async () => {
    // Bad input: each error at its field (end before start, a reminder after the start, a new meeting in the past).
    const tomorrow = formatDate(at(DAY));
    const bad = expectStatus(
      await lawyer.post('/api/calendar/meetings', {
        title: ' ',
        date: tomorrow,
        startTime: '11:00',
        endTime: '10:00',
        importance: 'urgent',
        reminders: [{ beforeSeconds: 0, email: true }, { kind: 'custom', amount: 'x', unit: 'minutes', email: true }, { kind: '2h' }],
      }),
      400,
      'bad',
    );
    expect(fieldsOf(bad.body)).toEqual([
      'title:calendar.title_required',
      'endTime:calendar.ends_before_start',
      'importance:calendar.importance_invalid',
      'reminders.0:calendar.reminder_after_meeting',
      'reminders.1:calendar.reminder_invalid',
      'reminders.2:calendar.reminder_channel_required',
    ]);
    const past = expectStatus(await lawyer.post('/api/calendar/meetings', { title: 'Keçmiş', startsAt: at(-DAY), endsAt: at(-DAY + 3_600_000) }), 400, 'past');
    expect(fieldsOf(past.body)).toEqual(['startTime:calendar.starts_in_past']);
    const notMine = expectStatus(
      await lawyer.post('/api/calendar/meetings', { title: 'X', startsAt: at(DAY), endsAt: at(DAY + 1000), link: 'contract:nobody' }),
      400,
      'link',
    );
    expect(fieldsOf(notMine.body)).toEqual(['link:calendar.link_not_yours']);

    // A meeting tomorrow 10:00–11:00 Baku time at an institution of the list, two reminders; a second one overlapping.
    const a = await create({
      title: 'Müştəri ilə görüş',
      date: tomorrow,
      startTime: '10:00',
      endTime: '11:00',
      institutionId: 'baku-serious-crimes-court',
      place: '12-ci otaq',
      importance: 'high',
      comment: 'Sənədləri gətirmək',
      reminders: [
        { kind: '1d', email: true },
        { kind: 'custom', amount: '30', unit: 'minutes', email: true, sms: true },
      ],
    });
    expect(a.warnings).toEqual([]);
    const b = await create({ title: 'Zəng', date: tomorrow, startTime: '10:30', endTime: '11:30', importance: 'low' });
    expect(b.warnings).toEqual([{ code: 'calendar.overlap', meetings: [expect.objectContaining({ id: a.meeting.id })] }]);
    expect(new Date(a.meeting.startsAt).toISOString()).toBe(new Date(`${a.meeting.startsAt.slice(0, 10)}T06:00:00Z`).toISOString());

    // R2.5: a colleague sees none of it; the head sees the bureau's, and one lawyer's with the filter.
    const range = `from=${encodeURIComponent(at(0))}&to=${encodeURIComponent(at(3 * DAY))}`;
    const mine = expectStatus(await lawyer.get(`/api/calendar?${range}`), 200, 'list').body.meetings as { id: string }[];
    expect(mine.map((m) => m.id)).toEqual(expect.arrayContaining([a.meeting.id, b.meeting.id]));
    expectStatus(await colleague.get(`/api/calendar/meetings/${a.meeting.id}`), 404, 'colleague');
    expect(
      (expectStatus(await colleague.get(`/api/calendar?${range}`), 200, 'colleague list').body.meetings as { id: string }[]).map((m) => m.id),
    ).not.toContain(a.meeting.id);
    expectStatus(await colleague.patch(`/api/calendar/meetings/${a.meeting.id}`, { title: 'x' }), 404, 'colleague edits');
    const bureau = expectStatus(await head.get(`/api/calendar?${range}&lawyerId=${actors.lawyer.id}`), 200, 'head').body.meetings as { id: string }[];
    expect(bureau.map((m) => m.id)).toContain(a.meeting.id);
    expectStatus(await head.get(`/api/calendar/meetings/${a.meeting.id}`), 200, 'head reads');
    expectStatus(await colleague.get(`/api/calendar?${range}&lawyerId=${actors.head.id}`), 404, 'not a head');

    // The personal feed: an unguessable URL, only its hash kept; parsed by ical.js, every field.
    const { url } = expectStatus(await lawyer.post<{ url: string }>('/api/calendar/feed'), 201, 'feed').body;
    const token = url.split('/').pop()!.replace('.ics', '');
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(JSON.stringify(await system.db('calendar_feeds').where({ lawyer_id: actors.lawyer.id }).select())).not.toContain(token);
    const feed = await fetch(url);
    expect(feed.status).toBe(200);
    expect(feed.headers.get('content-type')).toMatch(/^text\/calendar/);
    const vcalendar = new ICAL.Component(ICAL.parse(await feed.text()));
    expect(vcalendar.getFirstSubcomponent('vtimezone')?.getFirstPropertyValue('tzid')).toBe('Asia/Baku');
    const events = vcalendar.getAllSubcomponents('vevent');
    const event = events.find((e) => e.getFirstPropertyValue('uid') === `${a.meeting.id}@evk.calendar`)!;
    expect(event.getFirstPropertyValue('summary')).toBe('Müştəri ilə görüş');
    expect(event.getFirstPropertyValue('location')).toBe('Bakı Ağır Cinayətlər Məhkəməsi, 12-ci otaq');
    expect(event.getFirstPropertyValue('description')).toBe('Sənədləri gətirmək');
    expect(event.getFirstPropertyValue('priority')).toBe(1);
    expect(event.getFirstPropertyValue('sequence')).toBe(1);
    expect(String(event.getFirstPropertyValue('url'))).toContain('/calendar?view=day&day=');
    const start = event.getFirstProperty('dtstart')!;
    expect(start.getParameter('tzid')).toBe('Asia/Baku');
    expect((start.getFirstValue() as ICAL.Time).toString()).toBe(`${a.meeting.startsAt.slice(0, 10)}T10:00:00`);
    expect((event.getFirstProperty('dtend')!.getFirstValue() as ICAL.Time).toString()).toBe(`${a.meeting.startsAt.slice(0, 10)}T11:00:00`);
    const alarms = event.getAllSubcomponents('valarm');
    expect(alarms.map((al) => `${String(al.getFirstPropertyValue('action'))} ${String(al.getFirstPropertyValue('trigger'))}`)).toEqual([
      'DISPLAY -P1D',
      'DISPLAY -PT30M',
    ]);
    expect(events.find((e) => e.getFirstPropertyValue('uid') === `${b.meeting.id}@evk.calendar`)?.getFirstPropertyValue('priority')).toBe(9);
    expect((await fetch(url.replace(/.{4}\.ics$/, 'AAAA.ics'))).status).toBe(404);
    expect((await fetch(url, { headers: { cookie: '' } })).status).toBe(200);

    // An edit bumps SEQUENCE (phones update, not duplicate); a cancelled meeting leaves the feed and its reminders end.
    expectStatus(
      await lawyer.patch(`/api/calendar/meetings/${a.meeting.id}`, {
        title: 'Müştəri ilə görüş (yeni)',
        date: tomorrow,
        startTime: '10:00',
        endTime: '11:00',
        importance: 'high',
        reminders: [{ kind: '1d', email: true }],
      }),
      200,
      'edit',
    );
    expectStatus(await lawyer.post(`/api/calendar/meetings/${b.meeting.id}/cancel`), 200, 'cancel');
    const again = new ICAL.Component(ICAL.parse(await (await fetch(url)).text())).getAllSubcomponents('vevent');
    const edited = again.find((e) => e.getFirstPropertyValue('uid') === `${a.meeting.id}@evk.calendar`)!;
    expect([edited.getFirstPropertyValue('summary'), edited.getFirstPropertyValue('sequence')]).toEqual(['Müştəri ilə görüş (yeni)', 2]);
    expect(again.some((e) => e.getFirstPropertyValue('uid') === `${b.meeting.id}@evk.calendar`)).toBe(false);
    const planned = await system.client.workflow.getHandle(meetingRemindersWorkflowId(a.meeting.id)).query(getMeetingRemindersState);
    expect([planned.plan.version, planned.plan.reminders.map((r) => r.id)]).toEqual([2, ['r86400']]);

    // Kept and brought up to date from what changed (migration 028): the text served is what a whole build of
    // the rows writes, byte for byte; a phone that has it gets 304 for its tag; a meeting written or deleted by
    // hand (no API) is in, then out, of the next answer.
    const publicUrl = url.slice(0, url.indexOf('/api/calendar/'));
    const since = new Date(Date.now() - (FEED_HISTORY_DAYS + 1) * DAY);
    const wholeBuild = async () => {
      const rows = (await system
        .db('meetings')
        .where({ lawyer_id: actors.lawyer.id, status: 'active' })
        .where('starts_at', '>=', since)
        .select(MEETING_COLUMNS)) as MeetingRow[];
      rows.sort((x, y) => x.starts_at.getTime() - y.starts_at.getTime() || (x.id < y.id ? -1 : 1));
      return renderFeedWhole(publicUrl, rows);
    };
    const served = await fetch(url);
    // As a calendar app revalidates (fetch itself would add "Cache-Control: no-cache", which asks for the whole answer).
    const revalidate = { 'if-none-match': served.headers.get('etag')!, 'cache-control': 'max-age=0' };
    expect([served.headers.get('cache-control'), await served.text()]).toEqual(['private, no-cache', await wholeBuild()]);
    expect((await fetch(url, { headers: revalidate })).status).toBe(304);
    const byHand = '00000000-0000-4000-8000-00000000c4a1';
    const lawyerRow = (await system.db('lawyers').where({ id: actors.lawyer.id }).first('bureau_id')) as { bureau_id: string };
    await system.db('meetings').insert({
      id: byHand,
      lawyer_id: actors.lawyer.id,
      bureau_id: lawyerRow.bureau_id,
      title: 'Əl ilə yazılmış görüş',
      starts_at: at(3 * DAY),
      ends_at: at(3 * DAY + 3_600_000),
      importance: 'normal',
      reminders: '[]',
    });
    const withIt = await fetch(url, { headers: revalidate });
    expect(withIt.status).toBe(200);
    expect(await withIt.text()).toBe(await wholeBuild());
    expect(await wholeBuild()).toContain(`${byHand}@evk.calendar`);
    await system.db('meetings').where({ id: byHand }).del();
    const withoutIt = await (await fetch(url)).text();
    expect([withoutIt.includes(byHand), withoutIt === (await wholeBuild())]).toEqual([false, true]);

    // Regenerated: the old URL answers 404, the new one the feed.
    const { url: renewed } = expectStatus(await lawyer.post<{ url: string }>('/api/calendar/feed'), 201, 'regenerate').body;
    expect((await fetch(url)).status).toBe(404);
    expect((await fetch(renewed)).status).toBe(200);
  });

  it(
    'issue 12: across a worker restart a reminder goes out once, marked late; none for a meeting already over; an edit moves them, a cancellation ends them',
    { timeout: 60_000 },
    async () => {
      // Scheduled while the worker runs (each workflow has set its timer), then the worker is down from
      // before the first reminder's time until after it and after the short meeting's end.
      const t0 = Date.now();
      const when = (ms: number) => new Date(t0 + ms).toISOString();
      const late = await create({ title: 'Məhkəmə', startsAt: when(12_000), endsAt: when(60_000), reminders: [{ beforeSeconds: 2, email: true, sms: true }] });
      const over = await create({ title: 'Qısa', startsAt: when(9_000), endsAt: when(10_000), reminders: [{ beforeSeconds: 1, email: true }] });
      const moved = await create({ title: 'Köçürülən', startsAt: when(12_000), endsAt: when(50_000), reminders: [{ beforeSeconds: 2, email: true }] });
      const cancelled = await create({ title: 'Ləğv', startsAt: when(12_000), endsAt: when(50_000), reminders: [{ beforeSeconds: 2, email: true }] });
      for (const m of [late, over, moved, cancelled])
        await system.client.workflow.getHandle(meetingRemindersWorkflowId(m.meeting.id)).query(getMeetingRemindersState);
      await system.worker.close();
      expect(Date.now() - t0).toBeLessThan(8_000); // still before the first reminder's time
      // While it is down: one meeting moves an hour later (its reminder moves with it), another is cancelled (its reminder ends).
      expectStatus(
        await lawyer.patch(`/api/calendar/meetings/${moved.meeting.id}`, {
          title: 'Köçürülən',
          startsAt: at(3_600_000),
          endsAt: at(3_660_000),
          reminders: [{ beforeSeconds: 2, email: true }],
        }),
        200,
        'move',
      );
      expectStatus(await lawyer.post(`/api/calendar/meetings/${cancelled.meeting.id}/cancel`), 200, 'cancel');
      await new Promise((r) => setTimeout(r, Math.max(0, t0 + 13_500 - Date.now())));
      system.worker = await startWorker({
        config: system.config,
        db: system.db,
        temporalAddress: testTemporalAddress(),
        log: createLogger('evk-test', 'warn'),
        notificationDispatcher: false,
        paymentReconciler: false,
        courtHearingSync: { workflowId: `court-hearing-sync-${system.taskQueue}`, intervalMs: 1000 },
      });
      expect((await system.client.workflow.getHandle(meetingRemindersWorkflowId(cancelled.meeting.id)).result()).cancelled).toBe(true);

      const sent = await eventually(
        async () => {
          const rows = await outbox(late.meeting.id);
          return rows.length === 2 ? rows : undefined;
        },
        { what: 'the late reminder', timeoutMs: 20_000 },
      );
      expect(sent.map((r) => r.dedupe_key)).toEqual([`calendar:${late.meeting.id}:r2:v1:email`, `calendar:${late.meeting.id}:r2:v1:sms`]);
      expect(sent[0].subject).toMatch(/^\[Gecikmiş xatırlatma\] Xatırlatma: /);
      // The message says when and where, and links to the day; never the title (it may name a client).
      expect(sent[0].body).not.toContain('Məhkəmə');
      expect(sent[0].body).toContain('/calendar?view=day&day=');
      const details = expectStatus(await lawyer.get(`/api/calendar/meetings/${late.meeting.id}`), 200, 'details').body;
      expect(details.remindersSent).toEqual([expect.objectContaining({ reminderId: 'r2', version: 1, late: true })]);
      const state = await system.client.workflow.getHandle(meetingRemindersWorkflowId(late.meeting.id)).query(getMeetingRemindersState);
      expect([state.sent.length, state.late]).toEqual([1, 1]);
      // The meeting that ended while the worker was down: nothing sent, its workflow over.
      await system.client.workflow.getHandle(meetingRemindersWorkflowId(over.meeting.id)).result();
      expect(await outbox(over.meeting.id)).toEqual([]);
      // The moved meeting's reminder waits for its new time; the cancelled one sent nothing.
      const movedState = await system.client.workflow.getHandle(meetingRemindersWorkflowId(moved.meeting.id)).query(getMeetingRemindersState);
      expect([movedState.plan.version, movedState.sent]).toEqual([2, []]);
      expect([...(await outbox(moved.meeting.id)), ...(await outbox(cancelled.meeting.id))]).toEqual([]);
    },
  );

  it(
    "R4.6 + R8.4: a joined court case's hearing appears by itself; a reschedule in e-court moves the meeting and its reminders",
    { timeout: 120_000 },
    async () => {
      const gateway = system.web!.gateway;
      const p = DEMO_PEOPLE[0];
      const courtCase = DEMO_COURT_CASES.find((c) => c.parties.some((x) => x.fin === p.fin))!;
      const draft = completeDraft({
        protectedPerson: uniquePerson({
          fin: p.fin,
          firstName: p.firstName,
          lastName: p.lastName,
          patronymic: p.patronymic,
          phone: undefined,
          email: undefined,
        }),
      });
      const { contractId } = await gateway.create(actors.lawyer, draft);
      await gateway.submit(contractId, actors.lawyer);
      await eventually(async () => (await system.db('contracts').where({ id: contractId }).first('applicant_account_id'))?.applicant_account_id, {
        what: 'the cabinet',
      });
      await gateway.approve(contractId, actors.head);
      await gateway.paymentCompleted(contractId, { paymentId: `cal-${contractId}`, amountQepik: 100_000, method: 'card', paidAt: new Date().toISOString() });
      await eventually(async () => (await system.db('contracts').where({ id: contractId }).first('current_version'))?.current_version === 1, {
        what: 'the order',
        timeoutMs: 45_000,
      });
      await gateway.sendToCourt(contractId, actors.lawyer, courtCase.caseNumber);

      const hearing = await eventually(
        async () =>
          (await system.db('meetings').where({ source: 'court', contract_id: contractId }).first()) as
            { id: string; title: string; version: number; importance: string } | undefined,
        { what: 'the hearing in the calendar', timeoutMs: 45_000 },
      );
      expect(hearing).toMatchObject({ title: `Məhkəmə iclası: iş № ${courtCase.caseNumber}`, version: 1, importance: 'high' });
      const startsAt = at(10 * DAY);
      const r = await fetch(`${system.config.eCourtUrl}/simulator/api/cases/${encodeURIComponent(courtCase.caseNumber)}/hearings/h1`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ startsAt, endsAt: at(10 * DAY + 3_600_000), room: '7' }),
      });
      expect(r.status).toBe(200);
      const movedRow = await eventually(
        async () => {
          const row = (await system.db('meetings').where({ id: hearing.id }).first('version', 'starts_at', 'place')) as {
            version: number;
            starts_at: Date;
            place: string;
          };
          return row.version === 2 ? row : undefined;
        },
        { what: 'the hearing moved', timeoutMs: 20_000 },
      );
      expect([new Date(movedRow.starts_at).toISOString(), movedRow.place]).toEqual([startsAt, `${courtCase.courtName}, 7`]);
      const planned = await eventually(
        async () => {
          const s = await system.client.workflow.getHandle(meetingRemindersWorkflowId(hearing.id)).query(getMeetingRemindersState);
          return s.plan.version === 2 ? s : undefined;
        },
        { what: 'the reminders moved' },
      );
      expect([planned.plan.startsAt, planned.plan.reminders]).toEqual([startsAt, [{ id: 'r86400', beforeSeconds: 86_400 }]]);
      // The lawyer's calendar shows it through the API; the head sees it in the bureau's.
      const list = expectStatus(await head.get(`/api/calendar?from=${encodeURIComponent(at(9 * DAY))}&to=${encodeURIComponent(at(11 * DAY))}`), 200, 'bureau')
        .body.meetings as { id: string; source: string }[];
      expect(list).toContainEqual(expect.objectContaining({ id: hearing.id, source: 'court' }));
    },
  );
});
