/**
 * "Sənədlər" on the contract page (R4.5): the dossier's list, "+" (choose a file) and "Yadda saxla"
 * (store it), and removal with a confirmation. The applicant's page shows the same list read-only.
 *
 * "Yadda saxla" is a plain multipart form: it works without JavaScript (the answer is the contract
 * page again, with the notice or the refusal). The page's script (web/static/app.js) sends the same
 * form with fetch and shows a refusal next to the field without leaving the page.
 */
import { formatDateTime } from '../../domain/shared/dates';
import type { Request, Response } from 'express';
import { Router } from 'express';
import {
  type DossierContract,
  type DossierDeps,
  addDossierFile,
  dossierOf,
  mayChangeDossier,
  removeDossierFile,
  visibleContract,
} from '../../api/dossier/service';
import { readUpload, uploadOf } from '../../api/dossier/upload';
import { HttpError, notFound } from '../../api/http/errors';
import { saveSession } from '../../api/http/sessions';
import { DOSSIER_MAX_MB } from '../../domain/dossier';
import type { Actor } from '../../domain/shared/actor';
import { describe } from '../../locales';
import type { WebDeps } from '../shared/deps';
import { checkFormToken, runMiddleware } from '../shared/multipart';
import { localizeReason, redirectWithAlert, redirectWithNotice } from '../shared/feedback';
import { requirePageActor } from '../shared/guard';
import type { Locale } from '../shared/i18n';
import { t } from '../shared/render';

function sizeText(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

const when = (value: string) => formatDateTime(value);

/** What the "Sənədlər" section shows; `canChange` for the lawyer and the head, not the applicant. */
export async function dossierForPage(deps: Pick<DossierDeps, 'db' | 'storage'>, actor: Actor, row: DossierContract, res: Response) {
  const { files, documents } = await dossierOf(deps, actor, row);
  const canChange = mayChangeDossier(actor, row);
  return {
    contractId: row.id,
    canChange,
    maxMb: DOSSIER_MAX_MB,
    entries: [
      ...files.map((f) => ({
        ...f,
        kind: 'file',
        size: sizeText(f.sizeBytes),
        who: f.addedBy.name,
        at: f.addedAt,
        when: when(f.addedAt),
        canRemove: canChange,
      })),
      ...documents.map((d) => ({
        id: `${d.kind}-${d.version}`,
        kind: d.kind,
        name:
          d.kind === 'order'
            ? t(res, 'dossier.generatedOrder', { number: d.orderNumber, version: d.version })
            : t(res, 'dossier.generatedContract', { version: d.version }),
        size: d.sizeBytes === undefined ? '' : sizeText(d.sizeBytes),
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
  const field = err.fields?.[0];
  const locale = (res.locals.locale as Locale | undefined) ?? 'az';
  if (field?.reason) return describe(locale, field.reason, field.params);
  return localizeReason(res, err.reason, err.params);
}

const actorOf = (req: Request): Actor => {
  const a = req.session.actor;
  if (!a) throw new HttpError(401, 'not_logged_in', 'auth.not_logged_in');
  return { kind: a.kind, id: a.id, bureauId: a.bureauId, isHead: a.isHead };
};

async function visible(deps: DossierDeps, req: Request): Promise<DossierContract> {
  const row = await visibleContract(deps, actorOf(req), String(req.params.id));
  if (row.status === 'discarded') throw notFound();
  return row;
}

/**
 * "Yadda saxla": mounted before the pages' form-token check, because a multipart form's token is
 * in the body: who asks is checked first, then the upload is read, then its token.
 */
export function dossierUploadPage(deps: WebDeps): Router {
  const router = Router();
  const upload = readUpload();
  const parse = (req: Request, res: Response) => runMiddleware(upload, req, res);
  const checkToken = checkFormToken;

  router.post('/contracts/:id/dossier', requirePageActor('lawyer'), async (req, res) => {
    const row = await visible(deps, req);
    const back = `/contracts/${row.id}#dossier-h`;
    // The script asks for JSON and stays on the page; the plain form is answered with the page.
    const script = req.accepts(['html', 'json']) === 'json';
    try {
      await parse(req, res);
      await checkToken(req, res);
      const { data, name } = uploadOf(res);
      const file = await addDossierFile(deps, actorOf(req), row, data, name);
      if (!script) return redirectWithNotice(req, res, back, t(res, 'dossier.added', { name: file.name }));
      req.session.flash = t(res, 'dossier.added', { name: file.name });
      await saveSession(req);
      res.status(201).json({ file, redirect: back });
    } catch (err) {
      if ((err as { code?: string } | undefined)?.code === 'EBADCSRFTOKEN') throw err;
      if (!(err instanceof HttpError)) {
        req.log?.error({ err }, 'dossier upload failed');
        if (!script) return redirectWithAlert(req, res, back, t(res, 'dossier.error.generic'));
        res.status(500).json({ error: { code: 'internal', message: t(res, 'dossier.error.generic') } });
        return;
      }
      if (!script) return redirectWithAlert(req, res, back, refusalText(res, err));
      res.status(err.status).json({ error: { code: err.fields?.[0]?.code ?? err.code, message: refusalText(res, err) } });
    }
  });

  return router;
}

export function dossierPages(deps: WebDeps): Router {
  const router = Router();

  // "Sil" → "Bəli, sil": a plain form.
  router.post('/contracts/:id/dossier/:fileId/remove', requirePageActor('lawyer'), async (req, res) => {
    const row = await visible(deps, req);
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
