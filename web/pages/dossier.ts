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
import { saveSession } from '../../api/auth';
import { addDossierFile, dossierOf, readUpload, removeDossierFile, uploadedBytes, DOSSIER_MAX_BYTES } from '../../api/dossier';
import { type ContractRow, loadVisibleContract } from '../../api/contracts';
import { HttpError, notFound } from '../../api/errors';
import { addTranslations } from '../i18n';
import { t } from '../render';
import { requirePageActor, type WebDeps } from '../router';
import { localizeReason, redirectWithAlert, redirectWithNotice } from './contract';

addTranslations({
  'dossier.title': { az: 'Sənədlər', en: 'Documents' },
  'dossier.none': { az: 'Dosyedə hələ sənəd yoxdur.', en: 'The dossier has no documents yet.' },
  'dossier.name': { az: 'Sənəd', en: 'Document' },
  'dossier.size': { az: 'Həcmi', en: 'Size' },
  'dossier.addedBy': { az: 'Əlavə edən', en: 'Added by' },
  'dossier.addedAt': { az: 'Tarix', en: 'Date' },
  'dossier.generated': { az: 'Sistem (yaradılıb)', en: 'System (generated)' },
  'dossier.generatedContract': { az: 'Müqavilə, versiya {version}', en: 'Contract, version {version}' },
  'dossier.generatedOrder': { az: 'Order № {number}, versiya {version}', en: 'Order No {number}, version {version}' },
  'dossier.add': { az: '+ Sənəd əlavə et', en: '+ Add a document' },
  'dossier.file': { az: 'Skan edilmiş sənəd (PDF, JPEG və ya PNG, ən çox {mb} MB)', en: 'Scanned document (PDF, JPEG or PNG, at most {mb} MB)' },
  'dossier.save': { az: 'Yadda saxla', en: 'Save' },
  'dossier.saving': { az: 'Yüklənir…', en: 'Uploading…' },
  'dossier.noScript': { az: 'Sənəd əlavə etmək üçün brauzerdə JavaScript açıq olmalıdır.', en: 'Adding a document needs JavaScript in the browser.' },
  'dossier.download': { az: 'Yüklə', en: 'Download' },
  'dossier.remove': { az: 'Sil', en: 'Remove' },
  'dossier.removeConfirm': { az: '“{name}” dosyedən silinsin? Silinmə qeydə alınır.', en: 'Remove “{name}” from the dossier? The removal is recorded.' },
  'dossier.removeButton': { az: 'Bəli, sil', en: 'Yes, remove' },
  'dossier.added': { az: '“{name}” dosyeyə əlavə edildi.', en: '“{name}” was added to the dossier.' },
  'dossier.removed': { az: 'Sənəd dosyedən silindi.', en: 'The document was removed from the dossier.' },
  'dossier.error.required': { az: 'Faylı seçin.', en: 'Choose a file.' },
  'dossier.error.wrong_type': { az: 'Yalnız PDF, JPEG və PNG faylları əlavə etmək olar; bu fayl onlardan deyil.', en: 'Only PDF, JPEG and PNG files can be added; this file is none of them.' },
  'dossier.error.too_large': { az: 'Fayl {mb} MB-dan böyükdür.', en: 'The file is larger than {mb} MB.' },
  'dossier.error.generic': { az: 'Sənəd yadda saxlanmadı; yenidən cəhd edin.', en: 'The document was not saved; try again.' },
});

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
  return localizeReason(res, err.message);
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
