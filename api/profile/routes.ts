/** The profile's JSON API (SPEC R8.1–R8.3, issue 11): thin routes over api/profile/service.ts. */
import { type Request, type Response, Router } from 'express';
import { PHOTO_MAX_BYTES, PHOTO_MAX_MB } from '../../domain/profile';
import { currentActor, requireActor } from '../auth/actor';
import { uploadOf } from '../dossier/upload';
import { uploadReader } from '../http/upload';
import { fieldRefusal } from '../http/errors';
import { parseBody, reasonSchema } from '../http/schemas';
import {
  achievementsSchema,
  addEducation,
  addSpecialisation,
  approveChange,
  educationSchema,
  officeProfile,
  ownProfile,
  photoOf,
  profileChangeQueue,
  profileChangeSchema,
  type ProfileDeps,
  rejectChange,
  removeEducation,
  renameSpecialisation,
  requestedPhotoOf,
  retireSpecialisation,
  setAchievements,
  setSpecialisations,
  specialisationList,
  specialisationNameSchema,
  specialisationsSchema,
  submitProfileChange,
  withdrawChange,
} from './service';

const id = (req: Request) => String(req.params.id);

/** An image of the profile (a photo): its own type, never sniffed again by the browser, never cached. */
export function sendImage(res: Response, image: { data: Buffer; type: string }) {
  res.type(image.type);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Cache-Control', 'private, no-store');
  res.send(image.data);
}

/** The photo's upload: its bytes as the body (image/jpeg or image/png), or a multipart form with the file in "photo"; at most 2 MB. */
export const readPhoto = () =>
  uploadReader({
    field: 'photo',
    maxBytes: PHOTO_MAX_BYTES,
    maxFiles: 1,
    rawBody: true,
    tooLarge: () => fieldRefusal('photo', 'too_large', 'profile.photo_too_large', { mb: PHOTO_MAX_MB }),
  });

/** Mounted at /api/profile: the lawyer's own profile only. */
export function profileRouter(deps: ProfileDeps): Router {
  const router = Router();
  const lawyer = requireActor('lawyer');

  router.get('/', lawyer, async (req, res) => {
    res.json({ profile: await ownProfile(deps, currentActor(req)) });
  });
  router.post('/changes', lawyer, async (req, res) => {
    const body = parseBody(profileChangeSchema, req.body);
    res.status(201).json({ change: await submitProfileChange(deps, currentActor(req), body) });
  });
  router.post('/photo', lawyer, readPhoto(), async (req, res) => {
    res.status(201).json({ change: await submitProfileChange(deps, currentActor(req), {}, uploadOf(res).data) });
  });
  router.get('/photo', lawyer, async (req, res) => {
    sendImage(res, await photoOf(deps, currentActor(req)));
  });
  router.get('/changes/:id/photo', lawyer, async (req, res) => {
    sendImage(res, await requestedPhotoOf(deps, currentActor(req), id(req)));
  });
  router.post('/changes/:id/withdraw', lawyer, async (req, res) => {
    res.json({ change: await withdrawChange(deps, currentActor(req), id(req)) });
  });
  router.post('/achievements', lawyer, async (req, res) => {
    const { items } = parseBody(achievementsSchema, req.body);
    res.json({ achievements: await setAchievements(deps, currentActor(req), items) });
  });
  router.post('/education', lawyer, async (req, res) => {
    const body = parseBody(educationSchema, req.body);
    res
      .status(201)
      .json({ education: await addEducation(deps, currentActor(req), { ...body, year: body.year === undefined ? undefined : String(body.year) }) });
  });
  router.delete('/education/:id', lawyer, async (req, res) => {
    await removeEducation(deps, currentActor(req), id(req));
    res.status(204).end();
  });
  router.post('/specialisations', lawyer, async (req, res) => {
    const { ids } = parseBody(specialisationsSchema, req.body);
    res.json({ specialisations: await setSpecialisations(deps, currentActor(req), ids) });
  });
  router.get('/specialisation-list', requireActor('lawyer', 'admin'), async (req, res) => {
    res.json({ specialisations: await specialisationList(deps, currentActor(req).kind === 'admin') });
  });
  return router;
}

/** Mounted at /api/office: the Bar office verifies changes, reads profiles, keeps the specialisation list. */
export function officeProfileRouter(deps: ProfileDeps): Router {
  const router = Router();
  const office = requireActor('admin');

  router.get('/profile-changes', office, async (req, res) => {
    const status = req.query.status === 'decided' ? 'decided' : 'pending';
    res.json({ status, changes: await profileChangeQueue(deps, currentActor(req), status) });
  });
  router.post('/profile-changes/:id/approve', office, async (req, res) => {
    res.json({ change: await approveChange(deps, currentActor(req), id(req)) });
  });
  router.post('/profile-changes/:id/reject', office, async (req, res) => {
    const { reason } = parseBody(reasonSchema, req.body);
    res.json({ change: await rejectChange(deps, currentActor(req), id(req), reason) });
  });
  router.get('/profile-changes/:id/photo', office, async (req, res) => {
    sendImage(res, await requestedPhotoOf(deps, currentActor(req), id(req)));
  });
  router.get('/profiles/:id', office, async (req, res) => {
    res.json({ profile: await officeProfile(deps, currentActor(req), id(req)) });
  });
  router.get('/profiles/:id/photo', office, async (req, res) => {
    sendImage(res, await photoOf(deps, currentActor(req), id(req)));
  });
  router.post('/specialisations', office, async (req, res) => {
    const { name } = parseBody(specialisationNameSchema, req.body);
    res.status(201).json({ specialisation: await addSpecialisation(deps, currentActor(req), name) });
  });
  router.patch('/specialisations/:id', office, async (req, res) => {
    const { name } = parseBody(specialisationNameSchema, req.body);
    await renameSpecialisation(deps, currentActor(req), id(req), name);
    res.json({ ok: true });
  });
  router.post('/specialisations/:id/retire', office, async (req, res) => {
    await retireSpecialisation(deps, currentActor(req), id(req));
    res.json({ ok: true });
  });
  return router;
}
