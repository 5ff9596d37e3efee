/**
 * Seminars and conferences (SPEC R3.1, issue 11) through real HTTP and real PostgreSQL and Temporal:
 * the Bar office publishes (errors at the fields), lawyers register until it is full, the next wait,
 * a withdrawal moves the first waiting lawyer in with an e-mail, concurrent requests for the last
 * place give it to one lawyer, attendance makes hours per year, and the reminder is a durable timer
 * that re-plans when the event moves and ends when it is cancelled.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../domain/shared/actor';
import { SeminarGateway } from '../../api/seminars/gateway';
import {
  cancelRegistration,
  cancelSeminar,
  pendingSeminarRegistrations,
  publishSeminar,
  registerForSeminar,
  seminarHoursByYear,
  updateSeminar,
} from '../../api/seminars/service';
import { getSeminarReminderState, seminarReminderWorkflowId } from '../../workflows/seminars/messages';
import { expectStatus, loginDemoLawyers } from '../support/api';
import { loginNewAdmin } from '../support/bar-office';
import type { HttpClient } from '../support/http-client';
import { actors, eventually, startTestSystem, type TestSystem } from '../support/system';

let system: TestSystem;
let lawyer: HttpClient;
let colleague: HttpClient;
let head: HttpClient;
let individual: HttpClient;
let admin: HttpClient;
let adminActor: Actor;

beforeAll(async () => {
  system = await startTestSystem({ web: true });
  ({ lawyer, colleague, head, individual } = await loginDemoLawyers(system));
  const office = await loginNewAdmin(system);
  admin = office.browser;
  adminActor = { kind: 'admin', id: office.id };
});
afterAll(async () => {
  await system?.close();
});

const at = (msFromNow: number) => new Date(Date.now() + msFromNow).toISOString();
const DAY = 86_400_000;
const event = (overrides: Record<string, unknown> = {}) => ({
  title: 'Cinayət prosesində müdafiə',
  description: 'Peşəkar inkişaf seminarı',
  startsAt: at(10 * DAY),
  endsAt: at(10 * DAY + 3 * 3_600_000),
  place: 'Bakı, Vəkillər Kollegiyası',
  capacity: 2,
  hours: '1,5',
  ...overrides,
});
const publish = async (overrides: Record<string, unknown> = {}) =>
  expectStatus(await admin.post('/api/seminars', event(overrides)), 201, 'publish').body.seminar as { id: string; status: string; hours: number };
const mine = async (browser: HttpClient, id: string) => expectStatus(await browser.get(`/api/seminars/${id}`), 200, 'read').body.seminar.mine;
const outboxKeys = async (pattern: string) => (await system.db('outbox').where('dedupe_key', 'like', pattern).pluck('dedupe_key')) as string[];

describe('seminars over the API (R3.1)', () => {
  it('publish with field errors; register until full; the waiting list; a withdrawal moves the first waiting lawyer in; edit and cancel', async () => {
    // R3.1: the Bar office's form is checked field by field; applicants' and lawyers' roles cannot publish.
    const refused = expectStatus(
      await admin.post('/api/seminars', { title: ' ', startsAt: 'sabah', capacity: 0, hours: 'x', onlineUrl: 'ftp://x' }),
      400,
      'bad',
    );
    const fields = (refused.body.error.fields as { field: string; code: string }[]).map((f) => `${f.field}:${f.code}`);
    expect(fields).toEqual([
      'title:seminar.title_required',
      'description:seminar.description_required',
      'startsAt:seminar.starts_at_invalid',
      'endsAt:seminar.ends_at_required',
      'onlineUrl:seminar.online_url_invalid',
      'capacity:seminar.capacity_invalid',
      'hours:seminar.hours_invalid',
    ]);
    expect(expectStatus(await admin.post('/api/seminars', event({ startsAt: at(-DAY) })), 400, 'past').body.error.reason).toBe('seminar.starts_in_past');
    expectStatus(await lawyer.post('/api/seminars', event()), 403, 'a lawyer does not publish');

    const seminar = await publish();
    expect(seminar).toMatchObject({ status: 'published', hours: 1.5 });
    const pendingBefore = await pendingSeminarRegistrations(system.db);

    // Two places: two lawyers get them, the next two wait in the order they asked.
    expect(expectStatus(await lawyer.post(`/api/seminars/${seminar.id}/registration`), 201, 'lawyer').body.seminar.mine).toEqual({ status: 'registered' });
    expectStatus(await colleague.post(`/api/seminars/${seminar.id}/registration`), 201, 'colleague');
    expect(expectStatus(await head.post(`/api/seminars/${seminar.id}/registration`), 201, 'head').body.seminar.mine).toEqual({
      status: 'waiting',
      position: 1,
    });
    expect(expectStatus(await individual.post(`/api/seminars/${seminar.id}/registration`), 201, 'individual').body.seminar.mine).toEqual({
      status: 'waiting',
      position: 2,
    });
    expect(expectStatus(await lawyer.post(`/api/seminars/${seminar.id}/registration`), 409, 'twice').body.error.reason).toBe('seminar.already_registered');
    expect(await pendingSeminarRegistrations(system.db)).toBe(pendingBefore + 4);
    const listed = expectStatus(await head.get('/api/seminars'), 200, 'list').body;
    expect(listed.upcoming.find((s: { id: string }) => s.id === seminar.id)).toMatchObject({ registered: 2, waiting: 2, mine: { status: 'waiting' } });

    // The lawyer withdraws: the head (first waiting) has the place at once and is told by e-mail.
    expect(expectStatus(await lawyer.delete(`/api/seminars/${seminar.id}/registration`), 200, 'withdraw').body.seminar.mine).toEqual({ status: 'cancelled' });
    expect(await mine(head, seminar.id)).toEqual({ status: 'registered' });
    expect(await mine(individual, seminar.id)).toEqual({ status: 'waiting', position: 1 });
    expect(await outboxKeys(`seminar:${seminar.id}:moved_in:%`)).toEqual([expect.stringContaining(`:${actors.head.id}:email`)]);
    const office = expectStatus(await admin.get(`/api/seminars/${seminar.id}`), 200, 'office reads').body;
    expect(office.registrants.map((r: { lawyerId: string; status: string }) => `${r.lawyerId}:${r.status}`)).toEqual([
      `${actors.otherLawyer.id}:registered`,
      `${actors.head.id}:registered`,
      `${actors.individual.id}:waiting`,
    ]);
    expect((await lawyer.get(`/api/seminars/${seminar.id}`)).body.registrants).toBeUndefined();

    // One more place: the waiting lawyer moves in. The reminder workflow runs, under the event's ID only.
    const edited = expectStatus(await admin.patch(`/api/seminars/${seminar.id}`, event({ capacity: 3 })), 200, 'edit').body.seminar;
    expect(edited).toMatchObject({ capacity: 3, registered: 3, waiting: 0 });
    const reminder = system.client.workflow.getHandle(seminarReminderWorkflowId(seminar.id));
    expect((await reminder.describe()).status.name).toBe('RUNNING');

    // Cancelled: everyone still on the list is told, the reminder ends, nobody can register any more.
    expect(expectStatus(await admin.post(`/api/seminars/${seminar.id}/cancel`), 200, 'cancel').body.seminar.status).toBe('cancelled');
    expect((await outboxKeys(`seminar:${seminar.id}:cancelled:%`)).length).toBe(3);
    expect((await reminder.result()).cancelled).toBe(true);
    expect(expectStatus(await lawyer.post(`/api/seminars/${seminar.id}/registration`), 409, 'cancelled').body.error.reason).toBe('seminar.cancelled');
    expect(expectStatus(await admin.post(`/api/seminars/${seminar.id}/cancel`), 409, 'twice').body.error.reason).toBe('seminar.cancelled');
  });

  it('concurrent registrations for the last place give it to exactly one lawyer; the freed place goes to the first in the queue', async () => {
    const seminar = await publish({ capacity: 1 });
    const tag = Date.now().toString(36);
    const people: Actor[] = Array.from({ length: 6 }, (_, i) => ({ kind: 'lawyer', id: `sem-${tag}-${i}`, bureauId: 'baki-1' }));
    await system.db('lawyers').insert(
      people.map((p, i) => ({
        id: p.id,
        fin: `S${tag.slice(-4).toUpperCase()}${i}`.slice(0, 7).padEnd(7, 'X'),
        mobile_signature_user_id: `u-${p.id}`,
        first_name: 'Test',
        last_name: `Vəkil ${i}`,
        license_number: `L-${p.id}`,
        bureau_id: 'baki-1',
        email: `${p.id}@example.az`,
      })),
    );
    const outcomes = await Promise.all(people.map((p) => registerForSeminar({ db: system.db }, p, seminar.id)));
    expect(outcomes.filter((o) => o === 'registered')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'waiting')).toHaveLength(5);
    const rows = (await system.db('seminar_registrations').where({ seminar_id: seminar.id }).orderBy('queued_at')) as { lawyer_id: string; status: string }[];
    expect(rows.filter((r) => r.status === 'registered')).toHaveLength(1);

    // The place holder withdraws while two of the waiting withdraw too: still one place taken, by the first still waiting.
    const holder = people[outcomes.indexOf('registered')];
    const waiting = rows.filter((r) => r.status === 'waiting').map((r) => r.lawyer_id);
    await Promise.all(
      [holder, ...people.filter((p) => waiting.slice(0, 2).includes(p.id))].map((p) =>
        cancelRegistration({ db: system.db, publicUrl: 'http://x' }, p, seminar.id),
      ),
    );
    const after = (await system.db('seminar_registrations').where({ seminar_id: seminar.id, status: 'registered' }).pluck('lawyer_id')) as string[];
    expect(after).toEqual([waiting[2]]);
  });

  it("attendance, marked once the event has begun, makes each lawyer's hours per year", async () => {
    const seminar = await publish({ capacity: 5, hours: 2.5 });
    for (const browser of [lawyer, colleague]) expectStatus(await browser.post(`/api/seminars/${seminar.id}/registration`), 201, 'register');
    expect(expectStatus(await admin.post(`/api/seminars/${seminar.id}/attendance`, { attended: [] }), 409, 'too early').body.error.reason).toBe(
      'seminar.not_started',
    );
    // The event took place last March.
    const year = new Date().getFullYear() - 1;
    await system
      .db('seminars')
      .where({ id: seminar.id })
      .update({ starts_at: `${year}-03-10T10:00:00+04:00`, ends_at: `${year}-03-10T13:00:00+04:00` });
    const hoursOf = async (browser: HttpClient) =>
      ((await browser.get('/api/seminars/my-hours')).body.hoursByYear as { year: number; hours: number }[]).find((h) => h.year === year)?.hours ?? 0;
    const [lawyerBefore, colleagueBefore] = [await hoursOf(lawyer), await hoursOf(colleague)];

    expect(
      expectStatus(await admin.post(`/api/seminars/${seminar.id}/attendance`, { attended: [actors.individual.id] }), 400, 'not registered').body.error.fields[0]
        .code,
    ).toBe('seminar.attendance_not_registered');
    const marked = expectStatus(await admin.post(`/api/seminars/${seminar.id}/attendance`, { attended: [actors.lawyer.id] }), 200, 'attendance').body;
    expect(marked.seminar.attendanceMarked).toBe(true);
    expect(marked.registrants.map((r: { lawyerId: string; attended: boolean }) => [r.lawyerId, r.attended])).toEqual([
      [actors.lawyer.id, true],
      [actors.otherLawyer.id, false],
    ]);
    expect(await hoursOf(lawyer)).toBeCloseTo(lawyerBefore + 2.5, 5);
    expect(await hoursOf(colleague)).toBe(colleagueBefore);
    expect((await seminarHoursByYear(system.db, actors.lawyer.id)).find((h) => h.year === year)?.hours).toBeCloseTo(lawyerBefore + 2.5, 5);
    expect((await lawyer.get(`/api/seminars/${seminar.id}`)).body.seminar.mine).toEqual({ status: 'registered', attended: true });
    expectStatus(await lawyer.delete(`/api/seminars/${seminar.id}/registration`), 409, 'past');
  });

  it('the reminder is a durable timer: it re-plans when the start moves, e-mails the registered once, and ends on cancel', async () => {
    // The lead time is the workflow's input: 1.5 s here instead of 24 h.
    const deps = {
      db: system.db,
      publicUrl: system.config.publicUrl,
      seminars: new SeminarGateway({ client: system.client, taskQueue: system.taskQueue, reminderLeadMs: 1500 }),
    };
    const id = await publishSeminar(deps, adminActor, event({ startsAt: at(4000), endsAt: at(DAY), capacity: 5 }));
    await registerForSeminar(deps, actors.lawyer, id);
    const moved = at(5000);
    await updateSeminar(deps, adminActor, id, event({ startsAt: moved, endsAt: at(DAY), capacity: 5 }));
    expect(await outboxKeys(`seminar:${id}:rescheduled:%`)).toEqual([`seminar:${id}:rescheduled:${moved}:${actors.lawyer.id}:email`]);

    const handle = system.client.workflow.getHandle(seminarReminderWorkflowId(id));
    const reminded = await eventually(async () => (await outboxKeys(`seminar:${id}:reminder:%`)).length > 0 && outboxKeys(`seminar:${id}:reminder:%`), {
      what: 'the reminder',
      timeoutMs: 15_000,
    });
    expect(reminded).toEqual([`seminar:${id}:reminder:${moved}:${actors.lawyer.id}:email`]);
    expect((await handle.query(getSeminarReminderState)).remindedFor).toEqual([moved]);
    const mail = (await system.db('outbox').where({ dedupe_key: reminded[0] }).first()) as { subject: string; body: string };
    expect(mail.subject).toContain('Xatırlatma');
    expect(mail.body).toContain(`/info/seminars/${id}`);

    await cancelSeminar(deps, adminActor, id);
    expect((await handle.result()).cancelled).toBe(true);
  });
});
