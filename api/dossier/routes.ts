/** The dossier's JSON API (R4.5): thin routes over api/dossier/service.ts. */
import { type NextFunction, type Request, type Response, Router } from 'express';
import { currentActor, requireActor } from '../auth/actor';
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

/**
 * `Content-Disposition` with an ASCII fallback and the exact name in RFC 6266/5987 form. Not
 * Express's `res.attachment`: its fallback keeps a name's `"` as `\"`, which some user agents
 * read wrongly, and the dossier keeps names with quotes (test/api/dossier.test.ts).
 */
export function contentDisposition(kind: 'inline' | 'attachment', name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${kind}; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

export function sendDossierFile(res: Response, file: { name: string; contentType: string; data: Buffer }) {
  res.setHeader('Content-Disposition', contentDisposition('attachment', file.name));
  res.type(file.contentType);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Cache-Control', 'private, no-store');
  res.send(file.data);
}

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
