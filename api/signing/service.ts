/**
 * The order's electronic signature and the bureau head's confirmation of the bureau's copy
 * (issue 13, SPEC "The order, as we build it"), as the pages and routes call them. Who may: the
 * contract's lawyer signs its order; the head of its bureau confirms the bureau's copy; whoever
 * sees the contract sees both and downloads the signed copy (R2.5).
 */
import type { Knex } from 'knex';
import type { Actor } from '../../domain/shared/actor';
import { nameOfRow, shortName } from '../../domain/shared/names';
import type { SignatureCheck } from '../../documents/signing';
import type { FileStorage } from '../../platform/file-storage';
import type { OrderSigningAnswer } from '../../workflows/signing/messages';
import type { ContractRow } from '../contract/service';
import { loadVisibleContract } from '../contract/service';
import { conflict, fromWorkflowError, HttpError, notFound, unavailable } from '../http/errors';
import type { SigningGateway } from './gateway';

interface SignatureRow {
  contract_id: string;
  version: number;
  status: 'pending' | 'signed' | 'refused' | 'expired';
  signed_at: Date | null;
  signing_time: Date | null;
  signer_name: string | null;
  certificate_issuer: string | null;
  signed_file: string | null;
}

interface ConfirmationRow {
  contract_id: string;
  version: number;
  confirmed_by: string;
  confirmed_at: Date;
  first_name?: string;
  last_name?: string;
}

export interface OrderSignatureInfo {
  version: number;
  status: 'unsigned' | 'pending' | 'signed' | 'refused' | 'expired';
  signerName?: string;
  signedAt?: string;
  certificateIssuer?: string;
  /** The signed copy's download, once signed. */
  signedOrderUrl?: string;
  headConfirmation?: { by: string; name: string; at: string };
}

const iso = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString() : undefined);
export const signingPath = (contractId: string, version: number) => `/api/signing/contracts/${encodeURIComponent(contractId)}/versions/${version}`;

function infoOf(version: number, contractId: string, s: SignatureRow | undefined, c: ConfirmationRow | undefined): OrderSignatureInfo {
  return {
    version,
    status: s?.status ?? 'unsigned',
    ...(s?.status === 'signed'
      ? {
          signerName: s.signer_name ?? undefined,
          signedAt: iso(s.signed_at),
          certificateIssuer: s.certificate_issuer ?? undefined,
          signedOrderUrl: `${signingPath(contractId, version)}/order.pdf`,
        }
      : {}),
    ...(c ? { headConfirmation: { by: c.confirmed_by, name: shortName(nameOfRow(c)), at: new Date(c.confirmed_at).toISOString() } } : {}),
  };
}

/** Every issued version's signature and confirmation, for the contract page and its JSON. */
export async function orderSignaturesOf(db: Knex, contractId: string): Promise<Map<number, OrderSignatureInfo>> {
  const [signatures, confirmations, versions] = await Promise.all([
    db<SignatureRow>('order_signatures').where({ contract_id: contractId }),
    db('order_copy_confirmations as c')
      .leftJoin('lawyers as l', 'l.id', 'c.confirmed_by')
      .where('c.contract_id', contractId)
      .select<ConfirmationRow[]>('c.*', 'l.first_name', 'l.last_name'),
    db('contract_versions').where({ contract_id: contractId }).pluck<number[]>('version'),
  ]);
  return new Map(
    versions.map((v) => [
      v,
      infoOf(
        v,
        contractId,
        signatures.find((s) => s.version === v),
        confirmations.find((c) => c.version === v),
      ),
    ]),
  );
}

async function issuedVersion(db: Knex, row: ContractRow, version: number) {
  const issued = Number.isInteger(version) && version >= 1 && version <= (row.view.currentVersion ?? 0);
  const found = issued
    ? await db('contract_versions')
        .where({ contract_id: row.id, version })
        .first<{ version: number; order_file: string | null; superseded_at: Date | null } | undefined>('version', 'order_file', 'superseded_at')
    : undefined;
  if (!found?.order_file) throw notFound('signing.order_not_issued');
  return found;
}

/** "İmzala": the contract's lawyer asks the phone to sign the current order of this version. */
export async function requestOrderSignature(
  deps: { db: Knex; signing?: SigningGateway },
  actor: Actor,
  contractId: string,
  version: number,
): Promise<OrderSigningAnswer> {
  const row = await loadVisibleContract(deps.db, actor, contractId);
  if (actor.kind !== 'lawyer' || actor.id !== row.lawyer_id) throw conflict('signing.not_yours');
  const issued = await issuedVersion(deps.db, row, version);
  if (issued.superseded_at || row.view.status === 'finished' || row.view.status === 'terminated') throw conflict('signing.order_not_current');
  const existing = await deps.db<SignatureRow>('order_signatures').where({ contract_id: row.id, version }).first('status');
  if (existing?.status === 'signed') throw conflict('signing.already_signed');
  if (!deps.signing) throw unavailable('signing.unavailable');
  try {
    return await deps.signing.request(row.id, version, actor);
  } catch (err) {
    const http = err instanceof HttpError ? err : fromWorkflowError(err);
    if (http) throw http.status === 503 ? unavailable('signing.unavailable') : http;
    throw err;
  }
}

/** The signature of one version as its viewer sees it; the pending code only for the lawyer who asked. */
export async function orderSignatureState(
  deps: { db: Knex; signing?: SigningGateway },
  actor: Actor,
  contractId: string,
  version: number,
): Promise<OrderSignatureInfo & { verificationCode?: string; expiresAt?: string }> {
  const row = await loadVisibleContract(deps.db, actor, contractId);
  await issuedVersion(deps.db, row, version);
  const info = (await orderSignaturesOf(deps.db, row.id)).get(version)!;
  if (info.status !== 'pending' || actor.id !== row.lawyer_id || !deps.signing) return info;
  const live = await deps.signing.state(row.id, version);
  return live?.status === 'pending' ? { ...info, verificationCode: live.verificationCode, expiresAt: live.expiresAt } : info;
}

/** The signed copy's bytes, for whoever sees the contract. */
export async function signedOrderFile(
  deps: { db: Knex; storage: FileStorage },
  actor: Actor,
  contractId: string,
  version: number,
): Promise<{ name: string; data: Buffer }> {
  const row = await loadVisibleContract(deps.db, actor, contractId);
  await issuedVersion(deps.db, row, version);
  const signature = await deps.db<SignatureRow>('order_signatures').where({ contract_id: row.id, version, status: 'signed' }).first();
  const data = signature?.signed_file ? await deps.storage.get(signature.signed_file) : undefined;
  const number = await deps.db('contract_versions').where({ contract_id: row.id, version }).first<{ order_number: string }>('order_number');
  if (!data) throw notFound('signing.not_signed');
  return { name: `${number.order_number}-imzali.pdf`, data };
}

/** The bureau head confirms the bureau's copy of the order (recorded once: who, when). */
export async function confirmBureauCopy(db: Knex, actor: Actor, contractId: string, version: number): Promise<OrderSignatureInfo> {
  const row = await loadVisibleContract(db, actor, contractId);
  if (!(actor.kind === 'lawyer' && actor.isHead === true && actor.bureauId === row.bureau_id)) throw conflict('signing.not_head');
  await issuedVersion(db, row, version);
  await db('order_copy_confirmations')
    .insert({ contract_id: row.id, version, confirmed_by: actor.id, confirmed_at: new Date().toISOString() })
    .onConflict(['contract_id', 'version'])
    .ignore();
  return (await orderSignaturesOf(db, row.id)).get(version)!;
}

/** What /verify says of a version's signature and the bureau's copy (no personal data but the signers' names). */
export async function signatureForVerification(
  deps: { db: Knex; storage: FileStorage },
  contractId: string,
  version: number,
): Promise<{ signature: SignatureCheck & { signedAt?: string }; bureauCopy?: { confirmedBy: string; confirmedAt: string } }> {
  const info = (await orderSignaturesOf(deps.db, contractId)).get(version);
  const bureauCopy = info?.headConfirmation ? { confirmedBy: info.headConfirmation.name, confirmedAt: info.headConfirmation.at } : undefined;
  const row = await deps.db<SignatureRow>('order_signatures').where({ contract_id: contractId, version, status: 'signed' }).first();
  const file = row?.signed_file ? await deps.storage.get(row.signed_file) : undefined;
  if (!file) return { signature: { status: 'not_signed' }, ...(bureauCopy ? { bureauCopy } : {}) };
  // Loaded at first use: node-forge is large, and most processes never check a signature.
  const { checkEmbeddedSignature } = await import('../../documents/signing');
  const check = checkEmbeddedSignature(file);
  return { signature: check.status === 'valid' ? { ...check, signedAt: iso(row?.signed_at) } : check, ...(bureauCopy ? { bureauCopy } : {}) };
}
