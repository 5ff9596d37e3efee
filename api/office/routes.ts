/** `/api/office/…`: the Bar office's register and dashboard (issue 11; R2.1, R2.2). Admin only; thin JSON over the services. */
import { type Request, Router } from 'express';
import { currentActor, requireActor } from '../auth/actor';
import { parseBody } from '../http/schemas';
import { bureauDetails, createBureau, listBureaus, updateBureau } from './bureaus';
import { officeDashboard } from './dashboard';
import { commitImport, previewImport } from './import';
import { createLawyer, lawyerDetails, type OfficeDeps, searchLawyers, setLawyerActive, updateLawyer } from './lawyers';
import { bureauEntrySchema, importUploadSchema, lawyerEntrySchema } from './schemas';
import { lawyerSearchOf } from './search';

export function officeRouter(deps: OfficeDeps): Router {
  const router = Router();
  const id = (req: Request) => String(req.params.id);
  router.use(requireActor('admin'));

  router.get('/lawyers', async (req, res) => {
    const search = lawyerSearchOf(req.query);
    res.json({ page: search.page, pageSize: search.pageSize, ...(await searchLawyers(deps.db, search)) });
  });
  router.post('/lawyers', async (req, res) => {
    const lawyer = await createLawyer(deps, currentActor(req), parseBody(lawyerEntrySchema, req.body), 'api');
    res.status(201).json({ lawyer });
  });
  router.post('/lawyers/import', async (req, res) => {
    const { data } = parseBody(importUploadSchema, req.body);
    res.status(201).json(await previewImport(deps, currentActor(req), Buffer.from(data, 'base64')));
  });
  router.post('/lawyers/import/:token/commit', async (req, res) => {
    res.json(await commitImport(deps, currentActor(req), String(req.params.token)));
  });
  router.get('/lawyers/:id', async (req, res) => {
    res.json(await lawyerDetails(deps.db, id(req)));
  });
  router.patch('/lawyers/:id', async (req, res) => {
    res.json({ lawyer: await updateLawyer(deps, currentActor(req), id(req), parseBody(lawyerEntrySchema, req.body), 'api') });
  });
  router.post('/lawyers/:id/deactivate', async (req, res) => {
    res.json(await setLawyerActive(deps, currentActor(req), id(req), false, 'api', req.ip));
  });
  router.post('/lawyers/:id/reactivate', async (req, res) => {
    res.json(await setLawyerActive(deps, currentActor(req), id(req), true, 'api', req.ip));
  });

  router.get('/bureaus', async (_req, res) => {
    res.json({ bureaus: await listBureaus(deps.db) });
  });
  router.post('/bureaus', async (req, res) => {
    const { headId: _ignored, ...entry } = parseBody(bureauEntrySchema, req.body);
    const created = await deps.db.transaction((trx) => createBureau(trx, currentActor(req), entry, { source: 'api' }));
    res.status(201).json({ bureau: await bureauDetails(deps.db, created) });
  });
  router.get('/bureaus/:id', async (req, res) => {
    res.json({ bureau: await bureauDetails(deps.db, id(req)) });
  });
  router.patch('/bureaus/:id', async (req, res) => {
    const { headId, ...entry } = parseBody(bureauEntrySchema, req.body);
    await updateBureau(deps.db, currentActor(req), id(req), entry, headId, 'api');
    res.json({ bureau: await bureauDetails(deps.db, id(req)) });
  });

  router.get('/dashboard', async (_req, res) => {
    res.json({ items: await officeDashboard(deps.db) });
  });
  return router;
}
