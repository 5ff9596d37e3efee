/**
 * "Təqvim" (SPEC R8.4, issue 12): month, week and day views; a click on a day opens the meeting
 * form for that day, "+" adds another meeting on the same day; edit and cancel; overlaps are shown
 * as a warning after saving. The bureau head sees the bureau's calendar, filterable by lawyer. Dates
 * and times are text inputs (dd.mm.yyyy, HH:MM) parsed by domain/shared/dates. Everything goes
 * through api/calendar.
 */
import { type Request, type Response, Router } from 'express';
import { CALENDAR_VIEWS, type CalendarView, daysBetween, isDay, neighbours, rangeInstants, viewRange, weekday } from '../../domain/calendar/grid';
import { bakuDay, dateInputValue, formatDate, formatTime } from '../../domain/shared/dates';
import { currentActor } from '../../api/auth/actor';
import { HttpError, localizedFields } from '../../api/http/errors';
import { feedStatus, regenerateFeed } from '../../api/calendar/feed';
import {
  bureauLawyers,
  cancelMeeting,
  createMeeting,
  institutionList,
  linkOptions,
  listCalendar,
  meetingDetails,
  type MeetingView,
  remindersSent,
  type SavedMeeting,
  updateMeeting,
} from '../../api/calendar/service';
import type { MeetingInput } from '../../domain/calendar';
import type { WebDeps } from '../shared/deps';
import { asHttpError, redirectWithFlash, takeAlert } from '../shared/feedback';
import { formBody, formText } from '../shared/form';
import { requirePageActor } from '../shared/guard';
import type { Locale } from '../shared/i18n';
import { renderPage, t } from '../shared/render';

const REMINDER_ROWS = 3;
const FIELDS = ['title', 'date', 'startTime', 'endTime', 'institutionId', 'place', 'link', 'importance', 'comment'] as const;
type FormValues = Record<(typeof FIELDS)[number], string> & { reminders: { kind: string; amount: string; unit: string; email: boolean; sms: boolean }[] };

const localeOf = (res: Response): Locale => (res.locals.locale === 'en' ? 'en' : 'az');
const todayInBaku = () => bakuDay(new Date());

function valuesOf(req: Request): FormValues {
  const body = formBody(req);
  const values = Object.fromEntries(FIELDS.map((k) => [k, formText(body[k])])) as unknown as FormValues;
  values.reminders = Array.from({ length: REMINDER_ROWS }, (_, i) => ({
    kind: formText(body[`reminder${i}Kind`]),
    amount: formText(body[`reminder${i}Amount`]),
    unit: formText(body[`reminder${i}Unit`]) || 'minutes',
    email: body[`reminder${i}Email`] !== undefined,
    sms: body[`reminder${i}Sms`] !== undefined,
  }));
  return values;
}

/** The form's rows as the API takes them; an empty row is no reminder. */
function inputOf(values: FormValues): MeetingInput {
  const { reminders, ...rest } = values;
  return {
    ...rest,
    reminders: reminders.filter((r) => r.kind !== '').map((r) => ({ kind: r.kind, amount: r.amount, unit: r.unit, email: r.email, sms: r.sms })),
  };
}

/** A saved meeting back in the form's shape (each reminder as a preset or a custom interval). */
function valuesOfMeeting(m: MeetingView): FormValues {
  const rows: FormValues['reminders'] = m.reminders.map((r) => {
    const kind = r.beforeSeconds === 86_400 ? '1d' : r.beforeSeconds === 7_200 ? '2h' : 'custom';
    const [amount, unit] =
      r.beforeSeconds % 86_400 === 0
        ? [r.beforeSeconds / 86_400, 'days']
        : r.beforeSeconds % 3_600 === 0
          ? [r.beforeSeconds / 3_600, 'hours']
          : [r.beforeSeconds / 60, 'minutes'];
    return { kind, amount: kind === 'custom' ? String(amount) : '', unit, email: r.email, sms: r.sms };
  });
  while (rows.length < REMINDER_ROWS) rows.push({ kind: '', amount: '', unit: 'minutes', email: true, sms: false });
  return {
    title: m.title,
    date: formatDate(m.startsAt),
    startTime: formatTime(m.startsAt),
    endTime: formatTime(m.endsAt),
    institutionId: m.institutionId ?? '',
    place: m.institutionId ? '' : (m.place ?? ''),
    link: m.contractId ? `contract:${m.contractId}` : m.assignmentId ? `assignment:${m.assignmentId}` : '',
    importance: m.importance,
    comment: m.comment ?? '',
    reminders: rows.slice(0, Math.max(REMINDER_ROWS, rows.length)),
  };
}

const blankValues = (day: string): FormValues => ({
  title: '',
  date: dateInputValue(day),
  startTime: '',
  endTime: '',
  institutionId: '',
  place: '',
  link: '',
  importance: 'normal',
  comment: '',
  reminders: Array.from({ length: REMINDER_ROWS }, (_, i) => ({ kind: i === 0 ? '1d' : '', amount: '', unit: 'minutes', email: true, sms: false })),
});

/** A meeting as a chip in the views: time, title, importance by colour and by text. */
function chip(res: Response, m: MeetingView) {
  return {
    ...m,
    time: `${formatTime(m.startsAt)}–${formatTime(m.endsAt)}`,
    importanceText: t(res, `calendar.importance.${m.importance}`),
    href: `/calendar/meetings/${m.id}`,
    hearing: m.source === 'court',
  };
}

function overlapText(res: Response, saved: SavedMeeting): string {
  const hits = saved.warnings.flatMap((w) => w.meetings);
  if (hits.length === 0) return t(res, 'calendar.page.saved');
  return [
    t(res, 'calendar.page.saved'),
    t(res, 'calendar.overlap'),
    ...hits.map((h) => t(res, 'calendar.page.overlapWith', { title: h.title, start: formatTime(h.startsAt), end: formatTime(h.endsAt) })),
  ].join(' ');
}

export function calendarPages(deps: WebDeps): Router {
  const router = Router();

  async function showCalendar(req: Request, res: Response, extra: Record<string, unknown> = {}) {
    const actor = currentActor(req);
    const view: CalendarView = CALENDAR_VIEWS.includes(req.query.view as CalendarView) ? (req.query.view as CalendarView) : 'month';
    const day = isDay(req.query.day) ? req.query.day : todayInBaku();
    const lawyerId = actor.isHead && typeof req.query.lawyer === 'string' && req.query.lawyer !== '' ? req.query.lawyer : undefined;
    const { first, last } = viewRange(view, day);
    const { from, to } = rangeInstants(first, last);
    const meetings = await listCalendar(deps, actor, { from, to, lawyerId });
    const byDay = new Map<string, ReturnType<typeof chip>[]>();
    for (const m of meetings) {
      for (const d of daysBetween(bakuDay(m.startsAt), bakuDay(new Date(Date.parse(m.endsAt) - 1)))) byDay.set(d, [...(byDay.get(d) ?? []), chip(res, m)]);
    }
    const today = todayInBaku();
    const weekdays = t(res, 'calendar.page.weekdays').split(',');
    const cell = (d: string) => ({
      day: d,
      number: Number(d.slice(8)),
      label: formatDate(d),
      weekday: weekdays[weekday(d)],
      inMonth: d.slice(0, 7) === day.slice(0, 7),
      today: d === today,
      meetings: byDay.get(d) ?? [],
      addLabel: t(res, 'calendar.page.addLabel', { date: formatDate(d) }),
    });
    const days = daysBetween(first, last).map(cell);
    const weeks: (typeof days)[] = [];
    for (let i = 0; i < days.length; i += 7) weeks.push(days.slice(i, i + 7));
    const { previous, next } = neighbours(view, day);
    const q = (v: CalendarView, d: string) => `/calendar?view=${v}&day=${d}${lawyerId ? `&lawyer=${encodeURIComponent(lawyerId)}` : ''}`;
    const feed = await feedStatus(deps.db, actor);
    renderPage(req, res, 'calendar/calendar', {
      title: t(res, 'calendar.page.title'),
      section: 'calendar',
      view,
      isMonth: view === 'month',
      isDay: view === 'day',
      heading:
        view === 'month'
          ? new Date(`${day}T12:00:00Z`).toLocaleDateString(localeOf(res) === 'en' ? 'en-GB' : 'az-AZ', { month: 'long', year: 'numeric', timeZone: 'UTC' })
          : view === 'week'
            ? `${formatDate(first)} – ${formatDate(last)}`
            : formatDate(day),
      weekdays,
      weeks,
      days,
      dayCell: cell(day),
      links: { month: q('month', day), week: q('week', day), day: q('day', day), previous: q(view, previous), next: q(view, next), today: q(view, today) },
      head: actor.isHead ? { lawyers: await bureauLawyers(deps.db, actor.bureauId ?? ''), selected: lawyerId ?? '', view, day } : undefined,
      feed: feed ? { since: formatDate(feed.createdAt) } : undefined,
      alert: takeAlert(req),
      ...extra,
    });
  }

  router.get('/calendar', requirePageActor('lawyer'), (req, res) => showCalendar(req, res));

  async function showForm(req: Request, res: Response, form: { meeting?: MeetingView; values: FormValues; errors?: HttpError }, status = 200) {
    const actor = currentActor(req);
    const errors = form.errors ? localizedFields(localeOf(res), form.errors.fields ?? []) : undefined;
    const sent = form.meeting ? await remindersSent(deps.db, form.meeting.id) : [];
    const day = form.meeting ? bakuDay(form.meeting.startsAt) : undefined;
    renderPage(
      req,
      res,
      'calendar/form',
      {
        title: t(res, form.meeting ? 'calendar.page.editTitle' : 'calendar.page.newTitle'),
        section: 'calendar',
        action: form.meeting ? `/calendar/meetings/${form.meeting.id}` : '/calendar/meetings',
        meeting: form.meeting,
        mine: !form.meeting || form.meeting.mine,
        hearing: form.meeting?.source === 'court',
        values: form.values,
        reminderRows: form.values.reminders.map((r, i) => ({ ...r, i, n: i + 1, field: `reminders.${i}` })),
        institutions: await institutionList(deps.db),
        links: await linkOptions(deps.db, actor.id),
        importances: (['high', 'normal', 'low'] as const).map((value) => ({
          value,
          text: t(res, `calendar.importance.${value}`),
          checked: form.values.importance === value,
        })),
        sent: sent.map((s) => ({
          ...s,
          text: `${formatDate(s.dueAt)} ${formatTime(s.dueAt)} — ${t(res, s.late ? 'calendar.page.sentLate' : 'calendar.page.sent')}`,
        })),
        back: `/calendar?view=day&day=${day ?? (isDay(req.query.day) ? req.query.day : todayInBaku())}`,
        addHref: day ? `/calendar/new?day=${day}` : undefined,
        errors,
        alert: form.errors && !form.errors.fields ? t(res, form.errors.reason, form.errors.params) : undefined,
      },
      status,
    );
  }

  router.get('/calendar/new', requirePageActor('lawyer'), (req, res) =>
    showForm(req, res, { values: blankValues(isDay(req.query.day) ? req.query.day : todayInBaku()) }),
  );

  /** A refused form: 400 with every error at its field and what was typed kept; a 409 as an alert over the same form. */
  async function submit(req: Request, res: Response, meeting: MeetingView | undefined, run: (input: MeetingInput) => Promise<SavedMeeting>) {
    const values = valuesOf(req);
    try {
      const saved = await run(inputOf(values));
      await redirectWithFlash(req, res, `/calendar?view=day&day=${bakuDay(saved.meeting.startsAt)}`, overlapText(res, saved));
    } catch (err) {
      const http = asHttpError(err);
      if (!http || !(http.status === 400 || http.status === 409)) throw err;
      await showForm(req, res, { meeting, values, errors: http }, http.status);
    }
  }

  router.post('/calendar/meetings', requirePageActor('lawyer'), (req, res) =>
    submit(req, res, undefined, (input) => createMeeting(deps, currentActor(req), input)),
  );
  router.get('/calendar/meetings/:id', requirePageActor('lawyer'), async (req, res) => {
    const meeting = await meetingDetails(deps, currentActor(req), String(req.params.id));
    await showForm(req, res, { meeting, values: valuesOfMeeting(meeting) });
  });
  router.post('/calendar/meetings/:id', requirePageActor('lawyer'), async (req, res) => {
    const meeting = await meetingDetails(deps, currentActor(req), String(req.params.id));
    await submit(req, res, meeting, (input) => updateMeeting(deps, currentActor(req), meeting.id, input));
  });
  router.post('/calendar/meetings/:id/cancel', requirePageActor('lawyer'), async (req, res) => {
    const meeting = await cancelMeeting(deps, currentActor(req), String(req.params.id));
    await redirectWithFlash(req, res, `/calendar?view=day&day=${bakuDay(meeting.startsAt)}`, t(res, 'calendar.page.cancelled'));
  });
  // The new feed URL is shown on this answer only (only its hash is kept), never put in the session.
  router.post('/calendar/feed', requirePageActor('lawyer'), async (req, res) => {
    const { url } = await regenerateFeed(deps, currentActor(req));
    await showCalendar(req, res, { feedUrl: url });
  });

  return router;
}
