/**
 * The dossier of a contract (R4.5, "Sənədlər"): scanned files the lawyer adds and the generated
 * contract and order versions, in one list. What the dossier's JSON routes and pages call.
 *
 * Who may: anyone who may see the contract in full (the lawyer, the bureau head, the applicant)
 * lists and downloads; the Bar office only while it has a reasoned access open (otherwise 403
 * `access.reason_required`, issue 9 item 6: api/contract/service.ts loadVisibleContract); only the
 * contract's lawyer and the bureau head add and remove (domain/dossier). Everyone else gets 404, as
 * for the contract itself. The bytes live in the FileStorage adapter, never in a workflow payload.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { checkDossierFile, cleanFileName, DOSSIER_TYPES, dossierChangeRefusal, type DossierFileRefusal } from '../../domain/dossier';
import { nameOfType } from '../../domain/shared/file-content';
import type { Actor } from '../../domain/shared/actor';
import type { FileStorage } from '../../platform/file-storage';
import { type ContractRow, contractDetails, loadVisibleContract } from '../contract/service';
import { fieldRefusal, HttpError, notFound } from '../http/errors';

export interface DossierDeps {
  db: Knex;
  storage: FileStorage;
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
  /** The PDF's size, like an upload's (issue 13); absent while it is not in storage. */
  sizeBytes?: number;
}

/** A row of dossier_files (migrations/004_dossier); size_bytes is a bigint, which pg reads as a string. */
interface DossierFileRow {
  id: string;
  contract_id: string;
  storage_key: string;
  original_name: string;
  content_type: string;
  size_bytes: string | number;
  sha256: string;
  added_by_kind: string;
  added_by_id: string;
  added_at: Date | string;
  removed_at: Date | string | null;
}

/** A listed file with the name of the lawyer who added it (null when no lawyer did). */
type ListedFileRow = DossierFileRow & { first_name: string | null; last_name: string | null };

/** The contract whose dossier is asked for, when the actor may see it (404 otherwise). */
export type DossierContract = ContractRow;

const iso = (value: unknown) => (value instanceof Date ? value.toISOString() : String(value));

/** The 400 of a file that may not be added, at the field "file". */
export const fileRefused = (refusal: DossierFileRefusal) => fieldRefusal(refusal.field, refusal.short, refusal.code, refusal.params);

/** The contract, if this actor may see its files; else 404 (or 403 for the Bar office without a reason). */
export function visibleContract(deps: Pick<DossierDeps, 'db'>, actor: Actor, contractId: string): Promise<DossierContract> {
  return loadVisibleContract(deps.db, actor, contractId);
}

/** Why this actor may not add to or remove from this dossier now, as the HTTP answer, or undefined. */
export function changeRefusal(actor: Actor, row: DossierContract): HttpError | undefined {
  const refusal = dossierChangeRefusal(actor, row.status);
  if (!refusal) return undefined;
  return refusal.kind === 'forbidden' ? new HttpError(403, 'forbidden', refusal.code) : new HttpError(409, 'not_allowed_now', refusal.code);
}

/** Whether this actor may change this dossier (for the page's "+" and "Sil"). */
export const mayChangeDossier = (actor: Actor, row: DossierContract) => dossierChangeRefusal(actor, row.status) === undefined;

/** Issued PDFs never change (deterministic keys, one render per version): their sizes are read once per process. */
const knownSizes = new Map<string, number>();
const KNOWN_SIZES_MAX = 10_000;

/** The sizes of a contract's generated PDFs by "<kind>-<version>" (issue 13: shown like an upload's). */
async function documentSizes(db: Knex, storage: FileStorage, contractId: string): Promise<Map<string, number>> {
  const rows = await db('contract_versions')
    .where({ contract_id: contractId })
    .select<{ version: number; contract_file: string | null; order_file: string | null }[]>('version', 'contract_file', 'order_file');
  const sizes = new Map<string, number>();
  for (const r of rows) {
    for (const [kind, key] of [
      ['contract', r.contract_file],
      ['order', r.order_file],
    ] as const) {
      if (!key) continue;
      let size = knownSizes.get(key);
      if (size === undefined) {
        const data = await storage.get(key);
        if (!data) continue;
        size = data.length;
        if (knownSizes.size >= KNOWN_SIZES_MAX) knownSizes.clear();
        knownSizes.set(key, size);
      }
      sizes.set(`${kind}-${r.version}`, size);
    }
  }
  return sizes;
}

/** The dossier as anyone who may see the contract sees it: added files (newest first) and the generated versions. */
export async function dossierOf(
  deps: Pick<DossierDeps, 'db'> & Partial<Pick<DossierDeps, 'storage'>>,
  actor: Actor,
  row: DossierContract,
): Promise<{ files: DossierFile[]; documents: DossierDocument[] }> {
  const { db } = deps;
  const rows = await db('dossier_files as f')
    .leftJoin('lawyers as l', function () {
      this.on('l.id', '=', 'f.added_by_id').andOn('f.added_by_kind', '=', db.raw('?', ['lawyer']));
    })
    .where({ 'f.contract_id': row.id })
    .whereNull('f.removed_at')
    .orderBy('f.added_at', 'desc')
    .select<ListedFileRow[]>('f.*', 'l.first_name', 'l.last_name');
  const files = rows.map((f) => ({
    id: f.id,
    name: f.original_name,
    contentType: f.content_type,
    sizeBytes: Number(f.size_bytes),
    sha256: f.sha256,
    addedBy: { kind: f.added_by_kind, id: f.added_by_id, name: f.first_name ? `${f.first_name} ${f.last_name ?? ''}` : f.added_by_id },
    addedAt: iso(f.added_at),
    url: `/api/contracts/${row.id}/dossier/${f.id}`,
  }));
  const { documents: versions } = await contractDetails(db, actor, row);
  const sizes = deps.storage ? await documentSizes(db, deps.storage, row.id) : new Map<string, number>();
  const documents: DossierDocument[] = versions.flatMap((v) => [
    {
      kind: 'contract' as const,
      version: v.version,
      name: `${row.number}-v${v.version}.pdf`,
      orderNumber: v.orderNumber,
      issuedAt: iso(v.issuedAt),
      superseded: v.superseded,
      url: v.contractUrl,
      sizeBytes: sizes.get(`contract-${v.version}`),
    },
    {
      kind: 'order' as const,
      version: v.version,
      name: `${v.orderNumber}.pdf`,
      orderNumber: v.orderNumber,
      issuedAt: iso(v.issuedAt),
      superseded: v.superseded,
      url: v.orderUrl,
      sizeBytes: sizes.get(`order-${v.version}`),
    },
  ]);
  return { files, documents };
}

export { nameOfType };

/** Checks and stores one file; the refusals are 400s at the field "file". */
export async function addDossierFile(deps: DossierDeps, actor: Actor, row: DossierContract, data: Buffer, rawName: string | undefined): Promise<DossierFile> {
  const refusal = changeRefusal(actor, row);
  if (refusal) throw refusal;
  const checked = checkDossierFile(data);
  if ('refusal' in checked) throw fileRefused(checked.refusal);
  const { type } = checked;
  const id = randomUUID();
  const name = nameOfType(cleanFileName(rawName, type), type);
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
      await trx('dossier_audit').insert({
        contract_id: row.id,
        file_id: id,
        action: 'added',
        actor_kind: actor.kind,
        actor_id: actor.id,
        detail: { name, contentType: type, sizeBytes: data.length, sha256 },
      });
    });
  } catch (err) {
    await deps.storage.delete(key).catch(() => undefined);
    throw err;
  }
  const added = (await dossierOf(deps, actor, row)).files.find((f) => f.id === id);
  if (!added) throw new Error('the added file is not in the dossier');
  return added;
}

/** Marks the file removed and records who removed it; the bytes then leave the storage. */
export async function removeDossierFile(deps: DossierDeps, actor: Actor, row: DossierContract, fileId: string): Promise<void> {
  const refusal = changeRefusal(actor, row);
  if (refusal) throw refusal;
  const key = await deps.db.transaction(async (trx) => {
    const file = await trx<DossierFileRow>('dossier_files').where({ id: fileId, contract_id: row.id }).whereNull('removed_at').forUpdate().first();
    if (!file) throw notFound('dossier.no_such_file');
    await trx('dossier_files').where({ id: fileId }).update({ removed_at: trx.fn.now(), removed_by_kind: actor.kind, removed_by_id: actor.id });
    await trx('dossier_audit').insert({
      contract_id: row.id,
      file_id: fileId,
      action: 'removed',
      actor_kind: actor.kind,
      actor_id: actor.id,
      detail: {
        name: file.original_name,
        contentType: file.content_type,
        sizeBytes: Number(file.size_bytes),
        sha256: file.sha256,
        storageKey: file.storage_key,
      },
    });
    return file.storage_key;
  });
  // After the commit: a failure here leaves an orphan file, never a listed file without bytes.
  await deps.storage.delete(key).catch(() => undefined);
}

/** One live file of a visible contract with its bytes, or 404. */
export async function readDossierFile(deps: DossierDeps, row: DossierContract, fileId: string) {
  const file = await deps.db<DossierFileRow>('dossier_files').where({ id: fileId, contract_id: row.id }).whereNull('removed_at').first();
  const data = file ? await deps.storage.get(file.storage_key) : undefined;
  if (!file || !data) throw notFound('dossier.no_such_file');
  return { name: file.original_name, contentType: file.content_type, data };
}
