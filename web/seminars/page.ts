/**
 * "Məlumatlar" (SPEC §3, R3.1) for lawyers: "Seminarlar və konfranslar" — upcoming and past events,
 * register, join the waiting list, withdraw — the lawyer's hours per year, and the link to
 * "Statistik məlumatlar"; and the Bar office's pages to publish, edit and cancel events and to mark
 * attendance. Everything goes through api/seminars/service.ts.
 */
import { formatDate, formatDateTime, formatTime, parseDateInput, parseTimeInput } from '../../domain/shared/dates';
import { type Request, type Response, Router } from 'express';
import { formatHours, type SeminarInput } from '../../domain/seminars';
import { currentActor } from '../../api/auth/actor';
import { HttpError, localizedFields } from '../../api/http/errors';
import {
  cancelRegistration,
  cancelSeminar,
  listSeminars,
  markAttendance,
  publishSeminar,
  registerForSeminar,
  type SeminarSummary,
  seminarDetails,
  seminarHoursByYear,
  seminarInputOf,
  updateSeminar,
} from '../../api/seminars/service';
import type { WebDeps } from '../shared/deps';
import { asHttpError, localizeReason, redirectWithAlert, redirectWithFlash, takeAlert } from '../shared/feedback';
import { formBody, formText } from '../shared/form';
import { requirePageActor } from '../shared/guard';
import type { Locale } from '../shared/i18n';
import { renderPage, t } from '../shared/render';

const FORM_FIELDS = ['title', 'description', 'startsAt', 'startsAtTime', 'endsAt', 'endsAtTime', 'place', 'onlineUrl', 'capacity', 'hours'] as const;
type FormValues = Record<(typeof FORM_FIELDS)[number], string>;

const localeOf = (res: Response): Locale => (res.locals.locale === 'en' ? 'en' : 'az');
/** "12.12.2026 10:00 – 12:00", or both days when it spans more than one (issue 13: one format). */
const formatWhen = (startsAt: string, endsAt: string) =>
  `${formatDateTime(startsAt)} – ${formatDate(startsAt) === formatDate(endsAt) ? formatTime(endsAt) : formatDateTime(endsAt)}`;

/** An event as the pages show it: the texts of its state in the page's language. */
function present(res: Response, s: SeminarSummary) {
  const full = s.registered >= s.capacity;
  return {
    ...s,
    when: formatWhen(s.startsAt, s.endsAt),
    hoursText: t(res, 'seminars.hoursValue', { hours: formatHours(Math.round(s.hours * 10)) }),
    placesText: t(res, 'seminars.placesValue', { registered: s.registered, capacity: s.capacity }),
    cancelled: s.status === 'cancelled',
    full,
    isRegistered: s.mine?.status === 'registered',
    isWaiting: s.mine?.status === 'waiting',
    mineText:
      s.mine?.status === 'registered'
        ? s.mine.attended === true
          ? t(res, 'seminars.mine.attended')
          : s.mine.attended === false
            ? t(res, 'seminars.mine.absent')
            : t(res, 'seminars.mine.registered')
        : s.mine?.status === 'waiting'
          ? t(res, 'seminars.mine.waiting', { position: s.mine.position ?? '' })
          : undefined,
    canRegister: s.allowedActions.includes('register'),
    canWithdraw: s.allowedActions.includes('cancel_registration'),
    canEdit: s.allowedActions.includes('edit'),
    canCancel: s.allowedActions.includes('cancel'),
    canMarkAttendance: s.allowedActions.includes('mark_attendance'),
  };
}

/**
 * A day typed dd.mm.yyyy and a time HH:MM (issue 13) as the rules read a moment, Baku's local time;
 * what is not a day and a time goes on as typed, so the rules refuse it at the day's field.
 */
function typedMoment(day: string, time: string): string {
  if (!day.trim() && !time.trim()) return '';
  const [typedDay, typedTime] = [parseDateInput(day), parseTimeInput(time)];
  return typedDay && typedTime ? `${typedDay}T${typedTime}` : `${day} ${time}`.trim();
}

function valuesOf(req: Request): FormValues {
  const body = formBody(req);
  return Object.fromEntries(FORM_FIELDS.map((k) => [k, formText(body[k])])) as FormValues;
}

/**
 * A button's step: back to the page with the success as the flash, or a refusal (409, or a field's
 * problem) as the alert; an unknown event is the "not found" page.
 */
async function step(req: Request, res: Response, back: string, run: () => Promise<string>) {
  let done: string;
  try {
    done = await run();
  } catch (err) {
    const http = asHttpError(err);
    if (!http || http.status === 404 || http.status >= 500) throw err;
    return redirectWithAlert(req, res, back, localizeReason(res, http.fields?.[0]?.code ?? http.reason, http.fields?.[0]?.params ?? http.params));
  }
  return redirectWithFlash(req, res, back, done);
}

export function seminarPages(deps: WebDeps): Router {
  const router = Router();

  // ---------------------------------------------------------------- the lawyer: "Məlumatlar"

  router.get('/info', requirePageActor('lawyer'), async (req, res) => {
    const actor = currentActor(req);
    const { upcoming, past } = await listSeminars(deps, actor);
    const hours = await seminarHoursByYear(deps.db, actor.id);
    renderPage(req, res, 'seminars/info', {
      title: t(res, 'info.title'),
      section: 'info',
      upcoming: upcoming.map((s) => present(res, s)),
      past: past.map((s) => present(res, s)),
      hours: hours.map((h) => t(res, 'info.hoursYear', { year: h.year, hours: formatHours(Math.round(h.hours * 10)) })),
      alert: takeAlert(req),
    });
  });

  router.get('/info/seminars/:id', requirePageActor('lawyer'), async (req, res) => {
    const { seminar } = await seminarDetails(deps, currentActor(req), String(req.params.id));
    renderPage(req, res, 'seminars/seminar', { title: seminar.title, section: 'info', seminar: present(res, seminar), alert: takeAlert(req) });
  });

  const lawyerStep = (req: Request, res: Response, run: () => Promise<string>) =>
    step(req, res, `/info/seminars/${encodeURIComponent(String(req.params.id))}`, async () => t(res, await run()));

  router.post('/info/seminars/:id/register', requirePageActor('lawyer'), (req, res) =>
    lawyerStep(req, res, async () =>
      (await registerForSeminar(deps, currentActor(req), String(req.params.id))) === 'registered' ? 'seminars.done.registered' : 'seminars.done.waiting',
    ),
  );
  router.post('/info/seminars/:id/cancel', requirePageActor('lawyer'), (req, res) =>
    lawyerStep(req, res, async () => {
      await cancelRegistration(deps, currentActor(req), String(req.params.id));
      return 'seminars.done.cancelledRegistration';
    }),
  );

  // ---------------------------------------------------------------- the Bar office

  router.get('/admin/seminars', requirePageActor('admin'), async (req, res) => {
    const { upcoming, past } = await listSeminars(deps, currentActor(req));
    renderPage(req, res, 'seminars/office-list', {
      title: t(res, 'office.seminars.title'),
      section: 'office-seminars',
      upcoming: upcoming.map((s) => present(res, s)),
      past: past.map((s) => present(res, s)),
      alert: takeAlert(req),
    });
  });

  function showForm(req: Request, res: Response, form: { id?: string; values: Partial<FormValues>; errors?: HttpError }, status = 200) {
    const errors = form.errors ? localizedFields(localeOf(res), form.errors.fields ?? []) : undefined;
    renderPage(
      req,
      res,
      'seminars/office-form',
      {
        title: t(res, form.id ? 'office.seminars.editTitle' : 'office.seminars.publishTitle'),
        section: 'office-seminars',
        action: form.id ? `/admin/seminars/${form.id}/edit` : '/admin/seminars',
        submit: t(res, form.id ? 'office.seminars.save' : 'office.seminars.publish'),
        seminarId: form.id,
        values: form.values,
        errors,
        alert: form.errors && !form.errors.fields ? localizeReason(res, form.errors.reason, form.errors.params) : undefined,
      },
      status,
    );
  }

  /** A refused form: 400 with every error at its field and what was typed; a 409 as an alert over the same form. */
  async function submitForm(req: Request, res: Response, id: string | undefined, run: (input: SeminarInput) => Promise<string>, done: string) {
    const values = valuesOf(req);
    try {
      const target = await run(
        seminarInputOf({ ...values, startsAt: typedMoment(values.startsAt, values.startsAtTime), endsAt: typedMoment(values.endsAt, values.endsAtTime) }),
      );
      await redirectWithFlash(req, res, `/admin/seminars/${target}`, t(res, done));
    } catch (err) {
      const http = asHttpError(err);
      if (!http || !(http.status === 400 || http.status === 409)) throw err;
      showForm(req, res, { id, values, errors: http }, http.status);
    }
  }

  router.get('/admin/seminars/new', requirePageActor('admin'), (req, res) => showForm(req, res, { values: { capacity: '50', hours: '2' } }));
  router.post('/admin/seminars', requirePageActor('admin'), (req, res) =>
    submitForm(req, res, undefined, (input) => publishSeminar(deps, currentActor(req), input), 'office.seminars.published'),
  );

  router.get('/admin/seminars/:id', requirePageActor('admin'), async (req, res) => {
    const { seminar, registrants = [] } = await seminarDetails(deps, currentActor(req), String(req.params.id));
    renderPage(req, res, 'seminars/office-seminar', {
      title: seminar.title,
      section: 'office-seminars',
      seminar: present(res, seminar),
      registered: registrants.filter((r) => r.status === 'registered'),
      waiting: registrants.filter((r) => r.status === 'waiting'),
      alert: takeAlert(req),
    });
  });

  router.get('/admin/seminars/:id/edit', requirePageActor('admin'), async (req, res) => {
    const { seminar } = await seminarDetails(deps, currentActor(req), String(req.params.id));
    showForm(req, res, {
      id: seminar.id,
      values: {
        title: seminar.title,
        description: seminar.description,
        startsAt: formatDate(seminar.startsAt),
        startsAtTime: formatTime(seminar.startsAt),
        endsAt: formatDate(seminar.endsAt),
        endsAtTime: formatTime(seminar.endsAt),
        place: seminar.place ?? '',
        onlineUrl: seminar.onlineUrl ?? '',
        capacity: String(seminar.capacity),
        hours: formatHours(Math.round(seminar.hours * 10)),
      },
    });
  });
  router.post('/admin/seminars/:id/edit', requirePageActor('admin'), (req, res) => {
    const id = String(req.params.id);
    return submitForm(
      req,
      res,
      id,
      async (input) => {
        await updateSeminar(deps, currentActor(req), id, input);
        return id;
      },
      'office.seminars.saved',
    );
  });

  const officeStep = (req: Request, res: Response, run: () => Promise<string>) =>
    step(req, res, `/admin/seminars/${encodeURIComponent(String(req.params.id))}`, run);

  router.post('/admin/seminars/:id/cancel', requirePageActor('admin'), (req, res) =>
    officeStep(req, res, async () => {
      await cancelSeminar(deps, currentActor(req), String(req.params.id));
      return t(res, 'office.seminars.cancelledDone');
    }),
  );
  router.post('/admin/seminars/:id/attendance', requirePageActor('admin'), (req, res) =>
    officeStep(req, res, async () => {
      const raw = formBody(req).attended;
      const attended = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).map(formText).filter(Boolean);
      const count = await markAttendance(deps, currentActor(req), String(req.params.id), attended);
      return t(res, 'office.seminars.attendanceSaved', { count });
    }),
  );

  return router;
}
