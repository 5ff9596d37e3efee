/**
 * The contract and the order of one version (R4.2.1, R4.4.3): numbered once, without gaps, inside a
 * transaction with the version row (a retry reuses the number; see order-numbers.ts), rendered, and stored at deterministic keys.
 */
import type { BureausTable, ContractVersionsTable, LawyersTable } from '../../platform/tables';
import { createHash, randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import type { ContractTerms } from '../../domain/contract';
import { orderVerificationPath, VERIFICATION_CODE_BYTES } from '../../domain/contract/verification';
import { contractFooterLabel, renderContractHtml } from '../../documents/contract-documents';
import { type RenderLane, setPdfDates } from '../../documents/pdf-renderer';
import type { ContractDocumentData, DocumentBureau, DocumentLawyer, OrderDocumentData } from '../../documents/types';
import type { FileStorage } from '../../platform/file-storage';
import type { ContractView, IssuedVersion } from '../../workflows/contract/messages';
import { allocateOrderNumber } from './order-numbers';
import type { IssueDocumentsInput } from './types';
import { whileHeartbeating } from '../shared/heartbeat';

/** Renders the two legal documents; the worker gives it a warm Chromium. */
export interface DocumentRenderer {
  /**
   * `ahead`: nobody waits for it yet (issue 14), so it yields to the documents somebody does wait for;
   * `hurry` resolves when somebody starts waiting for it after all (see RenderPdfOptions).
   */
  renderContract(data: ContractDocumentData, lane?: RenderLane, hurry?: Promise<void>): Promise<Buffer>;
  renderOrder(data: OrderDocumentData): Promise<Buffer>;
}

export interface DocumentDeps {
  db: Knex;
  storage: FileStorage;
  documents: DocumentRenderer;
  publicUrl: string;
  /** Issue 14: this worker's contracts being prepared at approval, which an order settles before it looks for the copy. */
  preparations?: Pick<ContractPreparations, 'settle'>;
}

/** The order's QR code and printed link: the number and its unguessable code (issue 9 item 9). */
export function orderVerificationUrl(publicUrl: string, orderNumber: string, verificationCode: string): string {
  return `${publicUrl}${orderVerificationPath(orderNumber, verificationCode)}`;
}

/** A new version's verification code: 120 random bits, base64url (20 characters). */
export function newVerificationCode(): string {
  return randomBytes(VERIFICATION_CODE_BYTES).toString('base64url');
}

export async function lawyerAndBureau(db: Knex, lawyerId: string, bureauId: string): Promise<{ lawyer: DocumentLawyer; bureau: DocumentBureau }> {
  // Side by side (issue 14): on the order's path, three round trips in the time of one.
  const [lawyerRow, bureauRow, headRow] = await Promise.all([
    db<LawyersTable>('lawyers').where({ id: lawyerId }).first(),
    db<BureausTable>('bureaus').where({ id: bureauId }).first(),
    db<LawyersTable>('lawyers').where({ bureau_id: bureauId, is_head: true }).first(),
  ]);
  if (!lawyerRow) throw new Error(`issueDocuments: no lawyer ${lawyerId}`);
  if (!bureauRow) throw new Error(`issueDocuments: no bureau ${bureauId}`);
  const fullName = (r: { first_name: string; last_name: string; patronymic: string | null }) =>
    [r.last_name, r.first_name, r.patronymic].filter(Boolean).join(' ');
  return {
    lawyer: {
      fullName: fullName(lawyerRow),
      licenseNumber: lawyerRow.license_number,
      phone: lawyerRow.phone ?? undefined,
      email: lawyerRow.email ?? undefined,
    },
    bureau: {
      name: bureauRow.name,
      address: bureauRow.address,
      headName: headRow ? fullName(headRow) : fullName(lawyerRow),
      bankAccount: bureauRow.bank_account ?? undefined,
    },
  };
}

/**
 * What the order of one version prints, from its stored version row: the same for the issued copy
 * and for the copy signed electronically later (activities/signing), so both say the same.
 */
export async function orderDocumentData(
  db: Knex,
  publicUrl: string,
  input: {
    contractId: string;
    contractNumber: string;
    lawyerId: string;
    bureauId: string;
    row: Pick<ContractVersionsTable, 'version' | 'order_number' | 'terms' | 'issued_at' | 'court_case_numbers'> & { verification_code: string };
  },
): Promise<OrderDocumentData> {
  const { row } = input;
  const { version } = row;
  const { lawyer, bureau } = await lawyerAndBureau(db, input.lawyerId, input.bureauId);
  const versions = db<ContractVersionsTable>('contract_versions').where({ contract_id: input.contractId });
  const first = version > 1 ? await versions.clone().where({ version: 1 }).first('issued_at') : undefined;
  // Issue 13: version 2 names the order it replaces.
  const previous =
    version > 1
      ? await versions
          .clone()
          .where({ version: version - 1 })
          .first('order_number')
      : undefined;
  const issuedAt = new Date(row.issued_at).toISOString();
  const parse = <T>(v: unknown): T => (typeof v === 'string' ? (JSON.parse(v) as T) : (v as T));
  const courtCaseNumbers = row.court_case_numbers ? parse<string[]>(row.court_case_numbers) : [];
  return {
    contractNumber: input.contractNumber,
    version,
    issuedAt,
    terms: parse<ContractVersionsTable['terms']>(row.terms),
    lawyer,
    bureau,
    supersedesVersion: version > 1 ? version - 1 : undefined,
    orderNumber: row.order_number,
    verificationUrl: orderVerificationUrl(publicUrl, row.order_number, row.verification_code),
    contractDate: first ? new Date(first.issued_at).toISOString() : issuedAt,
    supersedesOrderNumber: previous?.order_number,
    ...(courtCaseNumbers.length ? { courtCaseNumbers } : {}),
  };
}

/**
 * Heartbeats while it works (issue 10 item 2): rendering waits for a Chromium page and can take
 * seconds, so a worker killed mid-render is noticed by the heartbeat timeout, not start-to-close.
 */
export async function issueDocuments(deps: DocumentDeps, input: IssueDocumentsInput): Promise<IssuedVersion> {
  return whileHeartbeating(() => issueDocumentsNow(deps, input));
}

/** The versions before this one stop being current when it is issued (their orders are superseded). */
function supersedeOlderVersions(db: Knex, contractId: string, version: number, issuedAt: string) {
  return db('contract_versions')
    .where({ contract_id: contractId })
    .andWhere('version', '<', version)
    .whereNull('superseded_at')
    .update({ superseded_at: issuedAt });
}

async function issueDocumentsNow(deps: DocumentDeps, input: IssueDocumentsInput): Promise<IssuedVersion> {
  const { db } = deps;
  const { contractId, version } = input;
  // The number is given once, inside a transaction with the version row: a retry reuses it.
  const versionRow = await db.transaction(async (trx) => {
    const existing = await trx<ContractVersionsTable>('contract_versions').where({ contract_id: contractId, version }).first();
    if (existing) return existing;
    // Gap-free (issue 10 item 4): the counter row stays locked until this insert commits or rolls back.
    const orderNumber = await allocateOrderNumber(trx, input.issuedAt);
    const [created] = await trx('contract_versions')
      .insert({
        contract_id: contractId,
        version,
        order_number: orderNumber,
        terms: JSON.stringify(input.terms),
        issued_at: input.issuedAt,
        verification_code: newVerificationCode(),
        // Issue 13, R4.6: the court cases the order is for, printed in it (a version re-issued after a join).
        court_case_numbers: input.courtCaseNumbers?.length ? JSON.stringify(input.courtCaseNumbers) : null,
      })
      .returning<ContractVersionsTable[]>('*');
    return created;
  });
  const orderNumber = versionRow.order_number;
  let verificationCode = versionRow.verification_code;
  if (!verificationCode) {
    // A version row from before migration 010 that the migration did not reach (cannot happen after it ran): given one now.
    verificationCode = newVerificationCode();
    await db('contract_versions').where({ contract_id: contractId, version }).whereNull('verification_code').update({ verification_code: verificationCode });
    verificationCode =
      (await db<ContractVersionsTable>('contract_versions').where({ contract_id: contractId, version }).first())?.verification_code ?? verificationCode;
  }
  const contractFile = `contracts/${contractId}/v${version}/contract.pdf`;
  const orderFile = `contracts/${contractId}/v${version}/order.pdf`;
  if (!(versionRow.contract_file && versionRow.order_file && (await deps.storage.exists(orderFile)))) {
    const order = await orderDocumentData(db, deps.publicUrl, {
      contractId,
      contractNumber: input.contractNumber,
      lawyerId: input.lawyerId,
      bureauId: input.bureauId,
      row: { ...versionRow, verification_code: verificationCode },
    });
    const { orderNumber: _n, verificationUrl: _u, contractDate: _d, supersedesOrderNumber: _s, courtCaseNumbers: _c, ...common } = order;
    // Issue 14: the contract prepared at approval when it prints exactly the same, else rendered beside the order.
    const [contractPdf, orderPdf] = await Promise.all([contractPdfFor(deps, contractId, common), deps.documents.renderOrder(order)]);
    // Issue 14: the two files side by side, and the version row's files with the older versions'
    // supersession, so that the payment path waits for one round of each, not two. The row names its
    // files only once both are stored; the older versions are superseded (idempotent) whatever the
    // order, and the read model shows the new version only when this activity has completed.
    await Promise.all([deps.storage.put(contractFile, contractPdf.pdf), deps.storage.put(orderFile, orderPdf)]);
    await Promise.all([
      db('contract_versions').where({ contract_id: contractId, version }).update({ contract_file: contractFile, order_file: orderFile }),
      supersedeOlderVersions(db, contractId, version, input.issuedAt),
    ]);
    if (contractPdf.prepared) await deps.storage.delete(contractPdf.prepared);
  } else {
    await supersedeOlderVersions(db, contractId, version, input.issuedAt);
  }
  return { version, orderNumber, issuedAt: input.issuedAt };
}

// ------------------------------------------------------------------------------------------------
// Issue 14: the contract rendered when its terms are fixed (R4.2), so that only the order is rendered on the payment path.

/**
 * What a contract PDF depends on but its /CreationDate and /ModDate: its HTML (every printed word,
 * the document date as the Baku day included) and its footer label, hashed. Two renders with the
 * same key give the same PDF once their dates are set alike (the renderer's determinism).
 */
export async function contractPrintKey(data: ContractDocumentData): Promise<string> {
  const html = await renderContractHtml(data);
  return createHash('sha256').update(html).update('\0').update(contractFooterLabel(data)).digest('hex').slice(0, 32);
}

/** Where a contract prepared at approval waits, under what it prints: a different print is a different key. */
export const preparedContractKey = (contractId: string, version: number, printKey: string) => `contracts/${contractId}/v${version}/prepared-${printKey}.pdf`;

/**
 * The contract PDF of a version at payment: the copy prepared at approval when it prints exactly
 * what this one prints (same HTML: same terms, lawyer, bureau and document day), with its dates set
 * to the issue's; otherwise rendered now (the lawyer's details changed, or the day turned meanwhile).
 */
async function contractPdfFor(deps: DocumentDeps, contractId: string, data: ContractDocumentData): Promise<{ pdf: Buffer; prepared?: string }> {
  // Beside the order's own render: a preparation of this contract still waiting is withdrawn, one under way waited for.
  await deps.preparations?.settle(preparationId(contractId, data.version));
  const prepared = preparedContractKey(contractId, data.version, await contractPrintKey(data));
  const copy = await deps.storage.get(prepared);
  if (copy) {
    contractPdfSources.prepared += 1;
    return { pdf: setPdfDates(copy, data.issuedAt), prepared };
  }
  contractPdfSources.rendered += 1;
  return { pdf: await deps.documents.renderContract(data) };
}

/** The contract part of a version's documents, as issueDocuments gives it to the renderer (no order number, no link). */
export async function contractDocumentData(
  db: Knex,
  input: { contractNumber: string; version: number; issuedAt: string; terms: ContractTerms; lawyerId: string; bureauId: string },
): Promise<ContractDocumentData> {
  const { lawyer, bureau } = await lawyerAndBureau(db, input.lawyerId, input.bureauId);
  return {
    contractNumber: input.contractNumber,
    version: input.version,
    issuedAt: new Date(input.issuedAt).toISOString(),
    terms: input.terms,
    lawyer,
    bureau,
    supersedesVersion: input.version > 1 ? input.version - 1 : undefined,
  };
}

/** Issue 14: where the contract PDFs of issued versions came from, since this process started (the bench reports it). */
const contractPdfSources = { prepared: 0, rendered: 0 };
export const contractPdfCounts = (): Readonly<typeof contractPdfSources> => ({ ...contractPdfSources });

/** A preparation: renders and stores one contract; `hurry` resolves when its order waits for it. */
export type Preparation = (hurry: Promise<void>) => Promise<void>;

/** A preparation's name in ContractPreparations: the contract and its coming version. */
export const preparationId = (contractId: string, version: number) => `${contractId}/v${version}`;

/**
 * Issue 14: the contracts this worker prepares at approval, one at a time, in the approvals' order,
 * with at most `maxWaiting` waiting (an approval beyond them is not prepared: its order renders the
 * contract). A render started holds the renderer's `ahead` lane, so it never delays an order.
 * The order of a contract settles its preparation first: one still waiting is withdrawn (the order
 * renders the contract beside itself, sooner), one under way is waited for, so that the same
 * contract is not rendered twice. Only a head start: a worker that stops loses its queue.
 */
export class ContractPreparations {
  private readonly waiting: { id: string; run: Preparation }[] = [];
  private current: { id: string; done: Promise<void>; hurry: () => void } | undefined;

  constructor(
    private readonly onError: (id: string, error: unknown) => void,
    private readonly maxWaiting = 8,
  ) {}

  /** Queues a preparation unless the same one is queued or under way, or the queue is full. */
  add(id: string, run: Preparation): void {
    if (this.current?.id === id || this.waiting.some((w) => w.id === id) || this.waiting.length >= this.maxWaiting) return;
    this.waiting.push({ id, run });
    this.startNext();
  }

  /**
   * Before an order looks for its prepared contract: a waiting preparation is withdrawn; one under way
   * is hurried (its render, if still without a page, goes as one somebody waits for) and waited for.
   */
  async settle(id: string): Promise<void> {
    const index = this.waiting.findIndex((w) => w.id === id);
    if (index >= 0) this.waiting.splice(index, 1);
    const current = this.current;
    if (current?.id !== id) return;
    current.hurry();
    await current.done;
  }

  /** Preparations waiting, and whether one is under way. */
  get size(): { waiting: number; running: boolean } {
    return { waiting: this.waiting.length, running: this.current !== undefined };
  }

  private startNext(): void {
    if (this.current) return;
    const next = this.waiting.shift();
    if (!next) return;
    let hurry!: () => void;
    const hurried = new Promise<void>((resolve) => (hurry = resolve));
    const done = next
      .run(hurried)
      .catch((error: unknown) => this.onError(next.id, error))
      .finally(() => {
        this.current = undefined;
        this.startNext();
      });
    this.current = { id: next.id, done, hurry };
  }
}

/**
 * Renders the contract of the coming version from the view the head's approval wrote (issue 14),
 * and stores it under its print key. Only a head start: a copy that no longer prints the same (see
 * contractPdfFor) is never used, and a failure costs nothing.
 */
export async function prepareContractOf(deps: DocumentDeps, view: ContractView, version: number, preparedAt: string, hurry?: Promise<void>): Promise<void> {
  if (!view.terms || view.currentVersion >= version) return;
  const data = await contractDocumentData(deps.db, { ...view, terms: view.terms, version, issuedAt: preparedAt });
  const key = preparedContractKey(view.contractId, version, await contractPrintKey(data));
  if (await deps.storage.exists(key)) return;
  await deps.storage.put(key, await deps.documents.renderContract(data, 'ahead', hurry));
}
