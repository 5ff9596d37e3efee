/** The dossier's JSON API (R4.5): thin routes over api/dossier/service.ts. */
import { type NextFunction, type Request, type Response, Router } from 'express';
import { currentActor, requireActor } from '../auth/actor';
import { contentDisposition, sendStoredFile } from '../http/download';
import {
  addDossierFile,
  changeRefusal,
  type DossierContract,
  type DossierDeps,
  dossierOf,
  readDossierFile,
  removeDossierFile,
  visibleContract,
} from './service';
import { readUpload, uploadOf } from './upload';

export { contentDisposition };
export const sendDossierFile = sendStoredFile;

export function dossierRouter(deps: DossierDeps): Router {
  const router = Router();
  const id = (req: Request) => String(req.params.id);

  router.get('/:id/dossier', requireActor(), async (req, res) => {
    const actor = currentActor(req);
    res.json(await dossierOf(deps, actor, await visibleContract(deps, actor, id(req))));
  });

  /** Checks who asks before the body is read. */
  const mayChange = async (req: Request, res: Response, next: NextFunction) => {
    const actor = currentActor(req);
    const row = await visibleContract(deps, actor, id(req));
    const refusal = changeRefusal(actor, row);
    if (refusal) throw refusal;
    res.locals.dossierContract = row;
    next();
  };

  router.post('/:id/dossier', requireActor('lawyer'), mayChange, readUpload(), async (req, res) => {
    const upload = uploadOf(res);
    const file = await addDossierFile(deps, currentActor(req), res.locals.dossierContract as DossierContract, upload.data, upload.name);
    res.status(201).json({ file });
  });

  router.get('/:id/dossier/:fileId', requireActor(), async (req, res) => {
    const row = await visibleContract(deps, currentActor(req), id(req));
    sendDossierFile(res, await readDossierFile(deps, row, String(req.params.fileId)));
  });

  router.delete('/:id/dossier/:fileId', requireActor('lawyer'), async (req, res) => {
    const actor = currentActor(req);
    const row = await visibleContract(deps, actor, id(req));
    await removeDossierFile(deps, actor, row, String(req.params.fileId));
    res.status(204).end();
  });

  return router;
}
