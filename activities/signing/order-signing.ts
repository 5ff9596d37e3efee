/**
 * The order signed electronically (issue 13). The signed copy is a NEW file next to the order
 * (`contracts/<id>/v<n>/order.signed.pdf`), rendered from the same version with lines saying it is
 * signed electronically, by whom and when; the provider signs the hash of its CMS signed
 * attributes (documents/signing.ts), so the document never leaves the cabinet. Idempotent: a
 * version signed once is answered `signed` and never signed again.
 */
import { ApplicationFailure } from '@temporalio/activity';
import type { Knex } from 'knex';
import { type DocumentRenderer, orderDocumentData } from '../contract/documents';
import type { OrderDocumentData } from '../../documents/types';
import { type MobileSignatureProvider, UnknownSignatureHolderError } from '../../integrations/mobile-signature/adapter';
import type { FileStorage } from '../../platform/file-storage';
import type { ContractVersionsTable, LawyersTable } from '../../platform/tables';
import type { OrderSigningActivities, OrderSigningInput, SignatureRequested } from '../../workflows/signing/messages';
import { whileHeartbeating } from '../shared/heartbeat';

export interface SigningActivityDeps {
  db: Knex;
  storage: FileStorage;
  documents: DocumentRenderer;
  mobileSignature: MobileSignatureProvider;
  publicUrl: string;
  /** How often the provider is asked while the phone has not answered; 1 s by default. */
  pollIntervalMs?: number;
}

export interface OrderSignatureRow {
  contract_id: string;
  version: number;
  status: 'pending' | 'signed' | 'refused' | 'expired';
  requested_by: string;
  requested_at: Date;
  transaction_id: string | null;
  signing_time: Date | null;
  prepared_file: string | null;
  signed_attributes: string | null;
  signed_at: Date | null;
  signer_name: string | null;
  certificate_issuer: string | null;
  certificate_serial: string | null;
  signed_file: string | null;
}

export const signedOrderKey = (contractId: string, version: number) => `contracts/${contractId}/v${version}/order.signed.pdf`;
const preparedKey = (contractId: string, version: number) => `contracts/${contractId}/v${version}/order.signing.pdf`;

const notAllowed = (code: string) => ApplicationFailure.create({ type: 'SigningNotAllowed', message: code, nonRetryable: true });
const fullName = (r: { first_name: string; last_name: string; patronymic: string | null }) =>
  [r.last_name, r.first_name, r.patronymic].filter(Boolean).join(' ');

/** The order of one version as issueDocuments rendered it, read back from the version's row. */
async function orderDataOf(deps: SigningActivityDeps, contractId: string, version: number): Promise<{ data: OrderDocumentData; lawyer: LawyersTable }> {
  const { db } = deps;
  const row = await db<ContractVersionsTable>('contract_versions').where({ contract_id: contractId, version }).first();
  const contract = await db('contracts').where({ id: contractId }).first<{ number: string; lawyer_id: string; bureau_id: string } | undefined>();
  if (!row?.order_file || !row.verification_code || !contract) throw notAllowed('signing.order_not_issued');
  const lawyer = await db<LawyersTable>('lawyers').where({ id: contract.lawyer_id }).first();
  if (!lawyer) throw notAllowed('signing.order_not_issued');
  const data = await orderDocumentData(db, deps.publicUrl, {
    contractId,
    contractNumber: contract.number,
    lawyerId: contract.lawyer_id,
    bureauId: contract.bureau_id,
    row: { ...row, verification_code: row.verification_code },
  });
  return { lawyer, data };
}

export function createSigningActivities(deps: SigningActivityDeps): OrderSigningActivities {
  const { db, storage } = deps;
  const pollMs = deps.pollIntervalMs ?? 1_000;
  const signatureOf = (contractId: string, version: number) => db<OrderSignatureRow>('order_signatures').where({ contract_id: contractId, version }).first();

  async function requestOrderSignature(input: OrderSigningInput): Promise<SignatureRequested> {
    const existing = await signatureOf(input.contractId, input.version);
    if (existing?.status === 'signed') return { status: 'signed' };
    const { data, lawyer } = await orderDataOf(deps, input.contractId, input.version);
    if (lawyer.id !== input.lawyerId) throw notAllowed('signing.not_yours');
    if (!lawyer.phone) throw notAllowed('signing.no_mobile_signature');
    // Whole seconds: the printed time and the signed attributes' UTCTime say the same.
    const signingTime = new Date(Math.floor(Date.now() / 1000) * 1000);
    const signerName = fullName(lawyer);
    // Loaded at first use (node-forge is large): a worker that signs nothing does not pay for it.
    const { prepareForSignature } = await import('../../documents/signing');
    const pdf = await whileHeartbeating(() =>
      deps.documents.renderOrder({ ...data, electronicSignature: { signerName, signedAt: signingTime.toISOString() } }),
    );
    const prepared = await prepareForSignature(pdf, {
      reason: `Elektron vəkil orderi № ${data.orderNumber}`,
      name: signerName,
      location: 'Azərbaycan Respublikası',
      contactInfo: data.verificationUrl,
      signingTime,
    });
    await storage.put(preparedKey(input.contractId, input.version), prepared.pdf);
    let started;
    try {
      started = await deps.mobileSignature.startSigning(lawyer.phone, lawyer.mobile_signature_user_id, {
        hash: prepared.hashToSign,
        description: `Elektron vəkil orderi № ${data.orderNumber}`,
      });
    } catch (error) {
      if (error instanceof UnknownSignatureHolderError) throw notAllowed('signing.no_mobile_signature');
      throw error;
    }
    const row = {
      contract_id: input.contractId,
      version: input.version,
      status: 'pending',
      requested_by: input.lawyerId,
      requested_at: new Date().toISOString(),
      transaction_id: started.transactionId,
      signing_time: signingTime.toISOString(),
      prepared_file: preparedKey(input.contractId, input.version),
      signed_attributes: prepared.signedAttributes.toString('base64'),
    };
    // Never over a signed row (a concurrent run that finished first).
    await db('order_signatures').insert(row).onConflict(['contract_id', 'version']).merge().whereRaw(`order_signatures.status <> 'signed'`);
    const after = await signatureOf(input.contractId, input.version);
    if (after?.status === 'signed') return { status: 'signed' };
    return { status: 'pending', transactionId: started.transactionId, verificationCode: started.verificationCode, expiresAt: started.expiresAt };
  }

  async function completeOrderSignature(input: {
    contractId: string;
    version: number;
    transactionId: string;
  }): Promise<{ status: 'signed' | 'refused' | 'expired' }> {
    return whileHeartbeating(async () => {
      for (;;) {
        const row = await signatureOf(input.contractId, input.version);
        if (row?.status === 'signed') return { status: 'signed' as const };
        if (!row || row.transaction_id !== input.transactionId) return { status: 'expired' as const };
        const answer = await deps.mobileSignature.getSigningStatus(input.transactionId);
        if (answer.status === 'pending') {
          await new Promise((resolve) => setTimeout(resolve, pollMs));
          continue;
        }
        if (answer.status !== 'confirmed' || !answer.signature) {
          const status = answer.status === 'refused' ? 'refused' : 'expired';
          await db('order_signatures')
            .where({ contract_id: input.contractId, version: input.version, transaction_id: input.transactionId, status: 'pending' })
            .update({ status });
          return { status };
        }
        const prepared = row.prepared_file ? await storage.get(row.prepared_file) : undefined;
        if (!prepared || !row.signed_attributes) throw new Error('completeOrderSignature: the prepared copy is not stored');
        const { assembleCms, checkEmbeddedSignature, embedSignature } = await import('../../documents/signing');
        const cms = assembleCms({
          signedAttributes: Buffer.from(row.signed_attributes, 'base64'),
          signature: answer.signature.value,
          certificates: answer.signature.certificateChain,
        });
        const signed = embedSignature(prepared, cms);
        // What we store must verify: a provider's wrong answer is not a signed order.
        const check = checkEmbeddedSignature(signed);
        if (check.status !== 'valid') {
          throw ApplicationFailure.create({
            type: 'SignatureInvalid',
            message: `signing.invalid_signature:${check.status === 'invalid' ? check.reason : ''}`,
            nonRetryable: true,
          });
        }
        const key = signedOrderKey(input.contractId, input.version);
        await storage.put(key, signed);
        await db('order_signatures').where({ contract_id: input.contractId, version: input.version, transaction_id: input.transactionId }).update({
          status: 'signed',
          signed_at: answer.signature.signedAt,
          signer_name: check.signerName,
          certificate_issuer: check.issuerName,
          certificate_serial: check.serialNumber,
          signed_file: key,
        });
        await storage.delete(row.prepared_file!);
        return { status: 'signed' as const };
      }
    });
  }

  return { requestOrderSignature, completeOrderSignature };
}
