/**
 * "Sənədlər" on the contract page (R4.5): the dossier's list, "+" (choose a file) and "Yadda saxla"
 * (store it), and removal with a confirmation. The applicant's page shows the same list read-only.
 *
 * No multipart parser is installed, so "Yadda saxla" needs the page's script (web/static/app.js):
 * it sends the chosen file's bytes to POST /contracts/:id/dossier with the name in X-File-Name and
 * the form token in X-CSRF-Token, and shows a refusal next to the field. Without the script the
 * page says so. Everything else (the list, downloads, removal) works without it.
 */
import type { Request, Response } from 'express';
import { Router } from 'express';
import type { Knex } from 'knex';
import type { Actor } from '../../domain/contract';
import { saveSession } from '../../api/auth/routes';
import { addDossierFile, dossierOf, readUpload, removeDossierFile, uploadedBytes, DOSSIER_MAX_BYTES } from '../../api/dossier/routes';
import { type ContractRow, loadVisibleContract } from '../../api/contract/routes';
import { HttpError, notFound } from '../../api/http/errors';
import { t } from '../shared/render';
import { requirePageActor, type WebDeps } from '../router';
import { localizeReason, redirectWithAlert, redirectWithNotice } from '../shared/feedback';


const MB = DOSSIER_MAX_BYTES / 1024 / 1024;

function sizeText(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

const when = (value: string) => new Date(value).toLocaleString('az-AZ', { timeZone: 'Asia/Baku', dateStyle: 'short', timeStyle: 'short' });

/** What the "Sənədlər" section shows; `canChange` for the lawyer and the head, not the applicant. */
export async function dossierForPage(db: Knex, actor: Actor, row: ContractRow, res: Response) {
  const { files, documents } = await dossierOf(db, actor, row);
  const canChange = actor.kind === 'lawyer' && row.status !== 'discarded';
  return {
    contractId: row.id,
    canChange,
    maxMb: MB,
    entries: [
      ...files.map((f) => ({ ...f, kind: 'file', size: sizeText(f.sizeBytes), who: f.addedBy.name, at: f.addedAt, when: when(f.addedAt), canRemove: canChange })),
      ...documents.map((d) => ({
        id: `${d.kind}-${d.version}`,
        kind: d.kind,
        name: d.kind === 'order' ? t(res, 'dossier.generatedOrder', { number: d.orderNumber, version: d.version }) : t(res, 'dossier.generatedContract', { version: d.version }),
        size: '',
        who: t(res, 'dossier.generated'),
        at: d.issuedAt,
        when: when(d.issuedAt),
        url: d.url,
        superseded: d.superseded,
        canRemove: false,
      })),
    ],
  };
}

/** A refusal as the person reads it, in the page's language. */
function refusalText(res: Response, err: HttpError): string {
  const code = err.fields?.[0]?.code;
  if (code && ['required', 'wrong_type', 'too_large'].includes(code)) return t(res, `dossier.error.${code}`, { mb: MB });
  return localizeReason(res, err.message, err.params);
}

export function dossierPages(deps: WebDeps): Router {
  const { db } = deps;
  const router = Router();
  const actorOf = (req: Request): Actor => {
    const a = req.session.actor!;
    return { kind: a.kind, id: a.id, bureauId: a.bureauId, isHead: a.isHead };
  };
  const upload = readUpload();

  async function visible(req: Request): Promise<ContractRow> {
    const row = await loadVisibleContract(db, actorOf(req), String(req.params.id));
    if (row.status === 'discarded') throw notFound();
    return row;
  }

  // "Yadda saxla" (by the page's script): answers JSON, a refusal with the message for the field.
  router.post('/contracts/:id/dossier', requirePageActor('lawyer'), async (req, res) => {
    const row = await visible(req);
    try {
      await new Promise<void>((resolve, reject) => upload(req, res, (err?: unknown) => (err ? reject(err) : resolve())));
      const file = await addDossierFile(deps, actorOf(req), row, uploadedBytes(req), req.get('x-file-name'));
      req.session.flash = t(res, 'dossier.added', { name: file.name });
      await saveSession(req);
      res.status(201).json({ file, redirect: `/contracts/${row.id}#dossier-h` });
    } catch (err) {
      if (!(err instanceof HttpError)) {
        req.log?.error({ err }, 'dossier upload failed');
        res.status(500).json({ error: { code: 'internal', message: t(res, 'dossier.error.generic') } });
        return;
      }
      res.status(err.status).json({ error: { code: err.fields?.[0]?.code ?? err.code, message: refusalText(res, err) } });
    }
  });

  // "Sil" → "Bəli, sil": a plain form, so it works without the script.
  router.post('/contracts/:id/dossier/:fileId/remove', requirePageActor('lawyer'), async (req, res) => {
    const row = await visible(req);
    try {
      await removeDossierFile(deps, actorOf(req), row, String(req.params.fileId));
    } catch (err) {
      if (!(err instanceof HttpError)) throw err;
      return redirectWithAlert(req, res, `/contracts/${row.id}#dossier-h`, refusalText(res, err));
    }
    return redirectWithNotice(req, res, `/contracts/${row.id}#dossier-h`, t(res, 'dossier.removed'));
  });

  return router;
}
