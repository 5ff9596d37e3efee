/** The order's electronic signature as JSON (issue 13): thin routes over api/signing/service.ts. */
import { type Request, Router } from 'express';
import type { Knex } from 'knex';
import type { FileStorage } from '../../platform/file-storage';
import { currentActor, requireActor } from '../auth/actor';
import { contentDisposition } from '../http/download';
import type { SigningGateway } from './gateway';
import { confirmBureauCopy, orderSignatureState, requestOrderSignature, signedOrderFile } from './service';

/** Mounted at /api/signing. */
export function signingRouter(deps: { db: Knex; storage: FileStorage; signing?: SigningGateway }): Router {
  const router = Router();
  const at = (req: Request) => ({ id: String(req.params.id), version: Number(req.params.version) });
  const base = '/contracts/:id/versions/:version';

  router.get(base, requireActor('lawyer', 'applicant', 'admin'), async (req, res) => {
    const { id, version } = at(req);
    res.json(await orderSignatureState(deps, currentActor(req), id, version));
  });

  // "İmzala": 202 while the phone is asked; the answer carries the code the phone shows.
  router.post(`${base}/signature`, requireActor('lawyer'), async (req, res) => {
    const { id, version } = at(req);
    const answer = await requestOrderSignature(deps, currentActor(req), id, version);
    res.status(answer.status === 'pending' ? 202 : 200).json(answer);
  });

  router.post(`${base}/bureau-copy-confirmation`, requireActor('lawyer'), async (req, res) => {
    const { id, version } = at(req);
    res.json(await confirmBureauCopy(deps.db, currentActor(req), id, version));
  });

  router.get(`${base}/order.pdf`, requireActor('lawyer', 'applicant', 'admin'), async (req, res) => {
    const { id, version } = at(req);
    const file = await signedOrderFile(deps, currentActor(req), id, version);
    res.setHeader('Content-Type', 'application/pdf');
    res.setHeader('Content-Disposition', contentDisposition('inline', file.name));
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.send(file.data);
  });

  return router;
}
