/**
 * "Profil" (SPEC R8.1–R8.3, issue 11): the lawyer's own profile at /profile (indicators, personal
 * data with the change request and its state, education, specialisations), and the Bar office's
 * pages: the queue of change requests with approve / reject, a lawyer's profile, the list of
 * specialisations. Everything goes through api/profile/service.ts.
 */
import { type Request, type Response, Router } from 'express';
import { PHOTO_MAX_MB, type FieldError } from '../../domain/profile';
import { currentActor } from '../../api/auth/actor';
import { readPhoto, sendImage } from '../../api/profile/routes';
import {
  addEducation,
  addSpecialisation,
  approveChange,
  officeProfile,
  ownProfile,
  photoOf,
  type Profile,
  profileChangeQueue,
  rejectChange,
  removeEducation,
  renameSpecialisation,
  requestedPhotoOf,
  retireSpecialisation,
  setAchievements,
  setSpecialisations,
  specialisationList,
  submitProfileChange,
  withdrawChange,
} from '../../api/profile/service';
import { uploadOf } from '../../api/dossier/upload';
import { csrfProtection } from '../../api/http/security';
import { HttpError, localizedFields } from '../../api/http/errors';
import { describe } from '../../locales';
import type { WebDeps } from '../shared/deps';
import { asHttpError, redirectWithAlert, redirectWithFlash, takeAlert } from '../shared/feedback';
import { formBody, formText } from '../shared/form';
import { requirePageActor } from '../shared/guard';
import type { Locale } from '../shared/i18n';
import { renderPage, t } from '../shared/render';

const localeOf = (res: Response): Locale => (res.locals.locale as Locale | undefined) ?? 'az';
const asError = (err: unknown) => (err instanceof Error ? err : new Error(String(err)));

/** What the profile's views show of a change request: each asked value with its label, the state in words. */
function changeView(res: Response, change: Profile['changes'][number] | undefined, photoUrl: string) {
  if (!change) return undefined;
  const fields = (['email', 'phone', 'address'] as const)
    .filter((k) => change.requested[k] !== undefined)
    .map((k) => ({ label: t(res, `profile.field.${k}`), value: change.requested[k] }));
  return {
    ...change,
    fields,
    photoUrl: change.requested.photo ? photoUrl.replace(':id', change.id) : undefined,
    statusLabel: t(res, `profile.status.${change.status}`),
  };
}

/** The indicators table (R8.1), with the development-hours column only when that source is wired in. */
function indicatorsView(profile: Profile) {
  const hasHours = profile.indicators.total.developmentHours !== undefined;
  return { ...profile.indicators, hasHours };
}

/** The multipart form "Təsdiqə göndər" (it carries the photo): its token is in the body multer reads, so the route checks it itself. */
export function profileUploadPage(deps: WebDeps): Router {
  const router = Router();
  const upload = readPhoto();
  const parse = (req: Request, res: Response) =>
    new Promise<void>((resolve, reject) => upload(req, res, (err?: unknown) => (err ? reject(asError(err)) : resolve())));
  const checkToken = (req: Request, res: Response) =>
    new Promise<void>((resolve, reject) => csrfProtection(req, res, (err?: unknown) => (err ? reject(asError(err)) : resolve())));

  router.post('/profile/changes', requirePageActor('lawyer'), async (req, res) => {
    try {
      if (req.is('multipart/form-data')) await parse(req, res);
      await checkToken(req, res);
      const body = formBody(req);
      const values = { email: formText(body.email), phone: formText(body.phone), address: formText(body.address) };
      const photo = req.is('multipart/form-data') ? uploadOf(res).data : undefined;
      await submitProfileChange(deps, currentActor(req), values, photo);
    } catch (err) {
      if ((err as { code?: string } | undefined)?.code === 'EBADCSRFTOKEN') throw err;
      const http = asHttpError(err);
      if (!http) throw err;
      if (http.status === 400 && http.fields) {
        const body = formBody(req);
        const values = { email: formText(body.email), phone: formText(body.phone), address: formText(body.address) };
        return showProfile(deps, req, res, { values, errors: localizedFields(localeOf(res), http.fields) }, 400);
      }
      return redirectWithAlert(req, res, '/profile#personal-h', describe(localeOf(res), http.reason, http.params));
    }
    return redirectWithFlash(req, res, '/profile#personal-h', t(res, 'profile.done.submitted'));
  });
  return router;
}

async function showProfile(
  deps: WebDeps,
  req: Request,
  res: Response,
  form: { values?: Record<string, string>; errors?: FieldError[]; section?: string } = {},
  status = 200,
) {
  const profile = await ownProfile(deps, currentActor(req));
  const list = await specialisationList(deps);
  const held = new Set(profile.specialisations.map((s) => s.id));
  const choices = [...list, ...profile.specialisations.filter((s) => s.retired)].map((s) => ({ ...s, checked: held.has(s.id) }));
  const decided = profile.changes.find((c) => c.status !== 'pending');
  renderPage(
    req,
    res,
    'profile/show',
    {
      title: t(res, 'nav.profile'),
      section: 'profile',
      profile,
      fullName: [profile.name.lastName, profile.name.firstName, profile.name.patronymic].filter(Boolean).join(' '),
      indicators: indicatorsView(profile),
      pending: changeView(res, profile.pendingChange, '/profile/changes/:id/photo'),
      decided: changeView(res, decided, '/profile/changes/:id/photo'),
      values: form.values ?? {},
      errors: form.errors,
      achievementsText: profile.achievements.join('\n'),
      choices,
      photoMb: PHOTO_MAX_MB,
      thisYear: new Date().getFullYear(),
      alert: takeAlert(req),
    },
    status,
  );
}

export function profilePages(deps: WebDeps): Router {
  const router = Router();
  const lawyer = requirePageActor('lawyer');
  const office = requirePageActor('admin');

  /** A step of the lawyer's own profile: back to the section with the flash, or the page again with the errors at their fields. */
  async function lawyerStep(req: Request, res: Response, anchor: string, done: string, step: () => Promise<unknown>, values: Record<string, string> = {}) {
    try {
      await step();
    } catch (err) {
      const http = asHttpError(err);
      if (!http) throw err;
      if (http.status === 400 && http.fields) return showProfile(deps, req, res, { values, errors: localizedFields(localeOf(res), http.fields) }, 400);
      return redirectWithAlert(req, res, `/profile#${anchor}`, describe(localeOf(res), http.reason, http.params));
    }
    return redirectWithFlash(req, res, `/profile#${anchor}`, t(res, done));
  }

  router.get('/profile', lawyer, (req, res) => showProfile(deps, req, res));
  router.get('/profile/photo', lawyer, async (req, res) => {
    try {
      sendImage(res, await photoOf(deps, currentActor(req)));
    } catch (err) {
      // No verified photo yet: the placeholder.
      if (err instanceof HttpError && err.status === 404) return res.redirect(303, '/static/profile-no-photo.svg');
      throw err;
    }
  });
  router.get('/profile/changes/:id/photo', lawyer, async (req, res) => sendImage(res, await requestedPhotoOf(deps, currentActor(req), String(req.params.id))));
  router.post('/profile/changes/:id/withdraw', lawyer, (req, res) =>
    lawyerStep(req, res, 'personal-h', 'profile.done.withdrawn', () => withdrawChange(deps, currentActor(req), String(req.params.id))),
  );
  router.post('/profile/achievements', lawyer, (req, res) => {
    const raw = formText(formBody(req).achievements);
    return lawyerStep(req, res, 'indicators-h', 'profile.done.saved', () => setAchievements(deps, currentActor(req), raw), { achievements: raw });
  });
  router.post('/profile/education', lawyer, (req, res) => {
    const body = formBody(req);
    const values = { institution: formText(body.institution), degree: formText(body.degree), year: formText(body.year) };
    return lawyerStep(req, res, 'education-h', 'profile.done.educationAdded', () => addEducation(deps, currentActor(req), values), values);
  });
  router.post('/profile/education/:id/remove', lawyer, (req, res) =>
    lawyerStep(req, res, 'education-h', 'profile.done.educationRemoved', () => removeEducation(deps, currentActor(req), String(req.params.id))),
  );
  router.post('/profile/specialisations', lawyer, (req, res) => {
    const raw = formBody(req).specialisation;
    const ids = Array.isArray(raw) ? raw.map(formText) : raw === undefined ? [] : [formText(raw)];
    return lawyerStep(req, res, 'specialisations-h', 'profile.done.saved', () => setSpecialisations(deps, currentActor(req), ids));
  });

  // ---------------------------------------------------------------- the Bar office

  async function showQueue(req: Request, res: Response, form: { rejecting?: string; reason?: string; errors?: FieldError[] } = {}, status = 200) {
    const actor = currentActor(req);
    const decorate = (rows: Awaited<ReturnType<typeof profileChangeQueue>>) =>
      rows.map((c) => ({
        ...c,
        ...changeView(res, c, '/admin/profile-changes/:id/photo'),
        rejecting: form.rejecting === c.id,
        reason: form.rejecting === c.id ? form.reason : '',
        reasonError: form.rejecting === c.id ? form.errors?.[0]?.message : undefined,
      }));
    renderPage(
      req,
      res,
      'profile/office-queue',
      {
        title: t(res, 'profile.office.title'),
        section: 'office-profile-changes',
        pending: decorate(await profileChangeQueue(deps, actor, 'pending')),
        decided: decorate(await profileChangeQueue(deps, actor, 'decided', 30)),
        alert: takeAlert(req),
      },
      status,
    );
  }

  router.get('/admin/profile-changes', office, (req, res) => showQueue(req, res));
  router.get('/admin/profile-changes/:id/photo', office, async (req, res) =>
    sendImage(res, await requestedPhotoOf(deps, currentActor(req), String(req.params.id))),
  );

  async function officeStep(req: Request, res: Response, done: string, step: () => Promise<unknown>, reason?: string) {
    try {
      await step();
    } catch (err) {
      const http = asHttpError(err);
      if (!http) throw err;
      if (http.status === 400 && http.fields)
        return showQueue(req, res, { rejecting: String(req.params.id), reason, errors: localizedFields(localeOf(res), http.fields) }, 400);
      if (http.status === 404 && !(err instanceof HttpError && err.reason === 'profile.change_not_found')) throw err;
      return redirectWithAlert(req, res, '/admin/profile-changes', describe(localeOf(res), http.reason, http.params));
    }
    return redirectWithFlash(req, res, '/admin/profile-changes', t(res, done));
  }

  router.post('/admin/profile-changes/:id/approve', office, (req, res) =>
    officeStep(req, res, 'profile.done.approved', () => approveChange(deps, currentActor(req), String(req.params.id))),
  );
  router.post('/admin/profile-changes/:id/reject', office, (req, res) => {
    const reason = formText(formBody(req).reason);
    return officeStep(req, res, 'profile.done.rejected', () => rejectChange(deps, currentActor(req), String(req.params.id), reason), reason);
  });

  router.get('/admin/profiles/:id', office, async (req, res) => {
    const profile = await officeProfile(deps, currentActor(req), String(req.params.id));
    renderPage(req, res, 'profile/office-profile', {
      title: t(res, 'profile.office.profileTitle'),
      section: 'office-profile-changes',
      profile,
      fullName: [profile.name.lastName, profile.name.firstName, profile.name.patronymic].filter(Boolean).join(' '),
      indicators: indicatorsView(profile),
      pending: changeView(res, profile.pendingChange, '/admin/profile-changes/:id/photo'),
    });
  });
  router.get('/admin/profiles/:id/photo', office, async (req, res) => sendImage(res, await photoOf(deps, currentActor(req), String(req.params.id))));

  async function showSpecialisations(
    req: Request,
    res: Response,
    form: { values?: Record<string, string>; errors?: FieldError[]; editing?: string } = {},
    status = 200,
  ) {
    const entries = (await specialisationList(deps, true)).map((s) => ({
      ...s,
      editing: form.editing === s.id,
      error: form.editing === s.id ? form.errors?.[0]?.message : undefined,
    }));
    renderPage(
      req,
      res,
      'profile/office-specialisations',
      {
        title: t(res, 'profile.office.specialisationsTitle'),
        section: 'office-specialisations',
        entries,
        values: form.editing ? {} : (form.values ?? {}),
        errors: form.editing ? undefined : form.errors,
        alert: takeAlert(req),
      },
      status,
    );
  }

  async function listStep(
    req: Request,
    res: Response,
    done: string,
    step: () => Promise<unknown>,
    form: { values?: Record<string, string>; editing?: string },
  ) {
    try {
      await step();
    } catch (err) {
      const http = asHttpError(err);
      if (!http) throw err;
      if (http.status === 400 && http.fields) return showSpecialisations(req, res, { ...form, errors: localizedFields(localeOf(res), http.fields) }, 400);
      return redirectWithAlert(req, res, '/admin/specialisations', describe(localeOf(res), http.reason, http.params));
    }
    return redirectWithFlash(req, res, '/admin/specialisations', t(res, done));
  }

  router.get('/admin/specialisations', office, (req, res) => showSpecialisations(req, res));
  router.post('/admin/specialisations', office, (req, res) => {
    const name = formText(formBody(req).name);
    return listStep(req, res, 'profile.done.specialisationAdded', () => addSpecialisation(deps, currentActor(req), name), { values: { name } });
  });
  router.post('/admin/specialisations/:id/rename', office, (req, res) => {
    const name = formText(formBody(req).name);
    const id = String(req.params.id);
    return listStep(req, res, 'profile.done.saved', () => renameSpecialisation(deps, currentActor(req), id, name), { editing: id });
  });
  router.post('/admin/specialisations/:id/retire', office, (req, res) =>
    listStep(req, res, 'profile.done.specialisationRetired', () => retireSpecialisation(deps, currentActor(req), String(req.params.id)), {}),
  );

  return router;
}
