/**
 * The dossier of a contract (R4.5, "Sənədlər"): scanned files the lawyer adds ("+", "Yadda saxla")
 * and the generated contract and order versions, in one list.
 *
 * Who may: anyone who may see the contract (`loadVisibleContract`: the lawyer, the bureau head, the
 * applicant, the Bar office) lists and downloads; only the contract's lawyer and the bureau head add
 * and remove. Everyone else gets 404, as for the contract itself. The bytes live in the FileStorage
 * adapter, never in a workflow payload; the type is found from the content, never from the name.
 *
 * The upload is the file's bytes as the request body (no multipart parser is installed), with its
 * name URI-encoded in the `X-File-Name` header.
 */
import { createHash, randomUUID } from 'node:crypto';
import express, { type NextFunction, type Request, type Response, Router } from 'express';
import type { Knex } from 'knex';
import type { Actor } from '../../domain/contract';
import type { FileStorage } from '../../platform/file-storage';
import { currentActor, requireActor } from '../auth/routes';
import { type ContractRow, contractDetails, loadVisibleContract } from '../contract/routes';
import { badRequest, conflict, HttpError, notFound } from '../http/errors';

/** e-court's limit for one attached document. */
export const DOSSIER_MAX_BYTES = 10 * 1024 * 1024;

export const DOSSIER_TYPES = {
  'application/pdf': { ext: 'pdf', magic: [Buffer.from('%PDF-', 'latin1')] },
  'image/jpeg': { ext: 'jpg', magic: [Buffer.from([0xff, 0xd8, 0xff])] },
  'image/png': { ext: 'png', magic: [Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])] },
} as const;
export type DossierContentType = keyof typeof DOSSIER_TYPES;

/** The real type of the bytes (PDF, JPEG or PNG), or undefined for anything else. */
export function sniffContentType(data: Buffer): DossierContentType | undefined {
  for (const [type, { magic }] of Object.entries(DOSSIER_TYPES)) {
    if (magic.some((m) => data.length >= m.length && data.subarray(0, m.length).equals(m))) return type as DossierContentType;
  }
  return undefined;
}

/** A name fit to show and to send back: no folders, no control characters, not too long. */
export function cleanFileName(raw: string | undefined, type: DossierContentType): string {
  let name = raw ?? '';
  try {
    name = decodeURIComponent(name);
  } catch {
    // not URI-encoded: taken as it is
  }
  name = name.split(/[\\/]/).pop() ?? '';
  name = name
    .replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, '')
    .trim()
    .replace(/^\.+/, '');
  if (name.length > 200) {
    const dot = name.lastIndexOf('.');
    const ext = dot > 0 && name.length - dot <= 10 ? name.slice(dot) : '';
    name = name.slice(0, 200 - ext.length) + ext;
  }
  return name || `document.${DOSSIER_TYPES[type].ext}`;
}

/** `Content-Disposition` with an ASCII fallback and the exact name in RFC 6266/5987 form. */
export function contentDisposition(kind: 'inline' | 'attachment', name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${kind}; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

export interface DossierFile {
  id: string;
  name: string;
  contentType: string;
  sizeBytes: number;
  sha256: string;
  addedBy: { kind: string; id: string; name: string };
  addedAt: string;
  url: string;
}

export interface DossierDocument {
  kind: 'contract' | 'order';
  version: number;
  name: string;
  orderNumber: string;
  issuedAt: string;
  superseded: boolean;
  url: string;
}

const iso = (value: unknown) => (value instanceof Date ? value.toISOString() : String(value));

/** The dossier as anyone who may see the contract sees it: added files (newest first) and the generated versions. */
export async function dossierOf(db: Knex, actor: Actor, row: ContractRow): Promise<{ files: DossierFile[]; documents: DossierDocument[] }> {
  const rows = await db('dossier_files as f')
    .leftJoin('lawyers as l', function () {
      this.on('l.id', '=', 'f.added_by_id').andOn('f.added_by_kind', '=', db.raw('?', ['lawyer']));
    })
    .where({ 'f.contract_id': row.id })
    .whereNull('f.removed_at')
    .orderBy('f.added_at', 'desc')
    .select('f.*', 'l.first_name', 'l.last_name');
  const files = rows.map((f) => ({
    id: f.id as string,
    name: f.original_name as string,
    contentType: f.content_type as string,
    sizeBytes: Number(f.size_bytes),
    sha256: f.sha256 as string,
    addedBy: { kind: f.added_by_kind as string, id: f.added_by_id as string, name: f.first_name ? `${f.first_name} ${f.last_name}` : (f.added_by_id as string) },
    addedAt: iso(f.added_at),
    url: `/api/contracts/${row.id}/dossier/${f.id}`,
  }));
  const { documents: versions } = await contractDetails(db, actor, row);
  const documents: DossierDocument[] = versions.flatMap((v) => [
    { kind: 'contract' as const, version: v.version, name: `${row.number}-v${v.version}.pdf`, orderNumber: v.orderNumber, issuedAt: iso(v.issuedAt), superseded: v.superseded, url: v.contractUrl },
    { kind: 'order' as const, version: v.version, name: `${v.orderNumber}.pdf`, orderNumber: v.orderNumber, issuedAt: iso(v.issuedAt), superseded: v.superseded, url: v.orderUrl },
  ]);
  return { files, documents };
}

/** Why a lawyer may not add to or remove from this dossier now, or undefined. */
function changeRefusal(actor: Actor, row: ContractRow): HttpError | undefined {
  // Seeing is not enough: the applicant and the Bar office only read the dossier.
  if (actor.kind !== 'lawyer') return new HttpError(403, 'forbidden', "Only the contract's lawyer and the bureau head change the dossier.");
  if (row.status === 'discarded') return conflict('The draft was deleted; its dossier can no longer be changed.');
  return undefined;
}

/** Checks and stores one file; the refusals are 400s at the field "file". */
export async function addDossierFile(deps: { db: Knex; storage: FileStorage }, actor: Actor, row: ContractRow, data: Buffer, rawName: string | undefined): Promise<DossierFile> {
  const refusal = changeRefusal(actor, row);
  if (refusal) throw refusal;
  const refuse = (code: string, message: string) => badRequest(message, [{ field: 'file', code, message }]);
  if (data.length === 0) throw refuse('required', 'Choose a file: the upload is empty.');
  if (data.length > DOSSIER_MAX_BYTES) throw refuse('too_large', `The file is larger than ${DOSSIER_MAX_BYTES / 1024 / 1024} MB.`);
  const type = sniffContentType(data);
  if (!type) throw refuse('wrong_type', 'Only PDF, JPEG and PNG files can be added; this file is none of them.');
  const id = randomUUID();
  const name = cleanFileName(rawName, type);
  const sha256 = createHash('sha256').update(data).digest('hex');
  const key = `contracts/${row.id}/dossier/${id}.${DOSSIER_TYPES[type].ext}`;
  await deps.storage.put(key, data);
  try {
    await deps.db.transaction(async (trx) => {
      await trx('dossier_files').insert({
        id,
        contract_id: row.id,
        storage_key: key,
        original_name: name,
        content_type: type,
        size_bytes: data.length,
        sha256,
        added_by_kind: actor.kind,
        added_by_id: actor.id,
      });
      await trx('dossier_audit').insert({ contract_id: row.id, file_id: id, action: 'added', actor_kind: actor.kind, actor_id: actor.id, detail: { name, contentType: type, sizeBytes: data.length, sha256 } });
    });
  } catch (err) {
    await deps.storage.delete(key).catch(() => undefined);
    throw err;
  }
  const added = (await dossierOf(deps.db, actor, row)).files.find((f) => f.id === id);
  if (!added) throw new Error('the added file is not in the dossier');
  return added;
}

/** Marks the file removed and records who removed it; the bytes then leave the storage. */
export async function removeDossierFile(deps: { db: Knex; storage: FileStorage }, actor: Actor, row: ContractRow, fileId: string): Promise<void> {
  const refusal = changeRefusal(actor, row);
  if (refusal) throw refusal;
  const key = await deps.db.transaction(async (trx) => {
    const file = await trx('dossier_files').where({ id: fileId, contract_id: row.id }).whereNull('removed_at').forUpdate().first();
    if (!file) throw notFound('No such file in this dossier.');
    await trx('dossier_files').where({ id: fileId }).update({ removed_at: trx.fn.now(), removed_by_kind: actor.kind, removed_by_id: actor.id });
    await trx('dossier_audit').insert({
      contract_id: row.id,
      file_id: fileId,
      action: 'removed',
      actor_kind: actor.kind,
      actor_id: actor.id,
      detail: { name: file.original_name, contentType: file.content_type, sizeBytes: Number(file.size_bytes), sha256: file.sha256, storageKey: file.storage_key },
    });
    return file.storage_key as string;
  });
  // After the commit: a failure here leaves an orphan file, never a listed file without bytes.
  await deps.storage.delete(key).catch(() => undefined);
}

/** One live file of a visible contract with its bytes, or 404. */
export async function readDossierFile(deps: { db: Knex; storage: FileStorage }, row: ContractRow, fileId: string) {
  const file = await deps.db('dossier_files').where({ id: fileId, contract_id: row.id }).whereNull('removed_at').first();
  const data = file ? await deps.storage.get(file.storage_key) : undefined;
  if (!file || !data) throw notFound('No such file in this dossier.');
  return { name: file.original_name as string, contentType: file.content_type as string, data };
}

export function sendDossierFile(res: Response, file: { name: string; contentType: string; data: Buffer }) {
  res.setHeader('Content-Type', file.contentType);
  res.setHeader('Content-Disposition', contentDisposition('attachment', file.name));
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Cache-Control', 'private, no-store');
  res.send(file.data);
}

/**
 * Reads the raw body up to the limit; too large answers 400 at the field, like a wrong type.
 * Used only after the caller is known to may change this dossier, so nobody else makes us read 10 MB.
 */
export function readUpload() {
  const parse = express.raw({ type: () => true, limit: DOSSIER_MAX_BYTES });
  return (req: Request, res: Response, next: NextFunction) => {
    parse(req, res, (err?: unknown) => {
      if ((err as { type?: string } | undefined)?.type === 'entity.too.large') {
        const message = `The file is larger than ${DOSSIER_MAX_BYTES / 1024 / 1024} MB.`;
        next(badRequest(message, [{ field: 'file', code: 'too_large', message }]));
        return;
      }
      next(err);
    });
  };
}

export function uploadedBytes(req: Request): Buffer {
  return Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
}

export function dossierRouter(deps: { db: Knex; storage: FileStorage }): Router {
  const { db } = deps;
  const router = Router();
  const id = (req: Request) => String(req.params.id);

  router.get('/:id/dossier', requireActor(), async (req, res) => {
    const actor = currentActor(req);
    res.json(await dossierOf(db, actor, await loadVisibleContract(db, actor, id(req))));
  });

  /** Checks who asks before the body is read. */
  const mayChange = async (req: Request, res: Response, next: NextFunction) => {
    const actor = currentActor(req);
    const row = await loadVisibleContract(db, actor, id(req));
    const refusal = changeRefusal(actor, row);
    if (refusal) throw refusal;
    res.locals.dossierContract = row;
    next();
  };

  router.post('/:id/dossier', requireActor('lawyer'), mayChange, readUpload(), async (req, res) => {
    const file = await addDossierFile(deps, currentActor(req), res.locals.dossierContract as ContractRow, uploadedBytes(req), req.get('x-file-name'));
    res.status(201).json({ file });
  });

  router.get('/:id/dossier/:fileId', requireActor(), async (req, res) => {
    const row = await loadVisibleContract(db, currentActor(req), id(req));
    sendDossierFile(res, await readDossierFile(deps, row, String(req.params.fileId)));
  });

  router.delete('/:id/dossier/:fileId', requireActor('lawyer'), async (req, res) => {
    const actor = currentActor(req);
    const row = await loadVisibleContract(db, actor, id(req));
    await removeDossierFile(deps, actor, row, String(req.params.fileId));
    res.status(204).end();
  });

  return router;
}
