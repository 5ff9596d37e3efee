/**
 * The public check of an order (R4.2.1, issue 9 item 9, issue 13): with the order's verification
 * code, its status, the institution, the version and the order that replaces it (or that it
 * replaces), the electronic signature's check (valid / not signed / invalid; who signed, when) and
 * the bureau head's confirmation of the bureau's copy. Without the code, no more than whether the
 * number exists (api/payment/service.ts verifyOrder keeps that rule).
 */
import type { Knex } from 'knex';
import { orderVerificationPath } from '../../domain/contract/verification';
import type { SignatureCheck } from '../../documents/signing';
import type { FileStorage } from '../../platform/file-storage';
import { type PublicOrderCheck, verifyOrder } from '../payment/service';
import { signatureForVerification } from '../signing/service';

export interface OrderRelation {
  orderNumber: string;
  /** The other order's own check (its code: whoever holds one version may follow the contract's others). */
  verifyUrl: string;
}

export type OrderVerification = PublicOrderCheck &
  (
    | { verified?: false }
    | {
        verified: true;
        institution: string;
        version: number;
        replacedBy?: OrderRelation;
        replaces?: OrderRelation;
        signature: SignatureCheck & { signedAt?: string };
        bureauCopy?: { confirmedBy: string; confirmedAt: string };
      }
  );

interface VersionRow {
  contract_id: string;
  version: number;
  order_number: string;
  verification_code: string | null;
  institution: string | null;
}

export async function verifyOrderInFull(
  deps: { db: Knex; storage: FileStorage },
  orderNumber: string,
  code?: string,
): Promise<{ found: boolean; body: OrderVerification }> {
  const { found, ...check } = await verifyOrder(deps.db, orderNumber, code);
  if (!check.exists || !check.verified) return { found, body: check };
  const row = await deps
    .db('contract_versions')
    .where({ order_number: orderNumber })
    .first<VersionRow>('contract_id', 'version', 'order_number', 'verification_code', deps.db.raw(`terms -> 'institution' ->> 'name' AS institution`));
  const neighbours = await deps
    .db('contract_versions')
    .where({ contract_id: row.contract_id })
    .whereIn('version', [row.version - 1, row.version + 1])
    .select<VersionRow[]>('version', 'order_number', 'verification_code');
  const relation = (v: VersionRow | undefined): OrderRelation | undefined =>
    v
      ? {
          orderNumber: v.order_number,
          verifyUrl: v.verification_code ? orderVerificationPath(v.order_number, v.verification_code) : `/verify/${encodeURIComponent(v.order_number)}`,
        }
      : undefined;
  const replacedBy = relation(neighbours.find((v) => v.version === row.version + 1));
  const replaces = relation(neighbours.find((v) => v.version === row.version - 1));
  const signing = await signatureForVerification(deps, row.contract_id, row.version);
  return {
    found,
    body: {
      ...check,
      institution: (row.institution ?? '').trim(),
      version: row.version,
      ...(replacedBy ? { replacedBy } : {}),
      ...(replaces ? { replaces } : {}),
      ...signing,
    },
  };
}
