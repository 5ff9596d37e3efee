/**
 * The contract workflow's side effects. Each is idempotent: retried after a crash or a timeout it
 * finds its own earlier work (by contract, version, event key or person) and does not repeat it.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/activity';
import bcrypt from 'bcryptjs';
import type { Knex } from 'knex';
import { displayName, foldForSearch, formatAzn, type NaturalPerson, personKey, protectedPartyName } from '../domain/contract';
import type { ContractDocumentData, DocumentBureau, DocumentLawyer, OrderDocumentData } from '../documents/types';
import type { FileStorage } from '../platform/file-storage';
import { encryptSecret } from '../platform/secret-box';
import type { ContractView, IssuedVersion } from '../workflows/contract/messages';
import type { ContactClaim, ContractActivities, IssueDocumentsInput, NotificationEvent } from './contract-activity-types';
import { type Audience, audiencesOf, composeMessage, type MessageContext, usesSms } from './notifications/messages';

/** Renders the two legal documents; the worker gives it a warm Chromium. */
export interface DocumentRenderer {
  renderContract(data: ContractDocumentData): Promise<Buffer>;
  renderOrder(data: OrderDocumentData): Promise<Buffer>;
}

export interface ContractActivityDeps {
  db: Knex;
  storage: FileStorage;
  documents: DocumentRenderer;
  publicUrl: string;
  secretKey: string;
}

export function orderVerificationUrl(publicUrl: string, orderNumber: string): string {
  return `${publicUrl}/verify/${encodeURIComponent(orderNumber)}`;
}

export function createContractActivities(deps: ContractActivityDeps): ContractActivities {
  const { db } = deps;

  async function recordContract(view: ContractView): Promise<void> {
    const terms = view.terms ?? view.draft;
    const people = [terms.applicant, terms.protectedPerson].filter(Boolean) as Partial<NaturalPerson>[];
    const names = [...people.map((p) => displayName(p)), terms.protectedEntity?.name ?? ''].join(' ');
    const row = {
      id: view.contractId,
      number: view.contractNumber,
      lawyer_id: view.lawyerId,
      bureau_id: view.bureauId,
      status: view.status,
      revision: view.revision,
      applicant_account_id: view.applicantAccountId ?? null,
      case_type: terms.caseType ?? null,
      institution_id: terms.institution?.id ?? null,
      institution_name: terms.institution?.name ?? null,
      protected_party_name: protectedPartyName(terms) || null,
      applicant_name: displayName(terms.applicant as Partial<NaturalPerson>) || null,
      names_folded: foldForSearch(names),
      total_qepik: terms.price?.totalQepik ?? null,
      paid_qepik: view.paidQepik,
      balance_due_qepik: view.balanceDueQepik,
      current_version: view.currentVersion,
      amendment_status: view.amendment?.status ?? null,
      view: JSON.stringify(view),
      updated_at: db.fn.now(),
    };
    await db.transaction(async (trx) => {
      // An older revision arriving late (a retried write) must never overwrite a newer one.
      // merge() sets only the columns of `row`: the lawyer's own `stage` (R6, migration 006) is never overwritten.
      await trx('contracts')
        .insert(row)
        .onConflict('id')
        .merge()
        .where('contracts.revision', '<', view.revision);
      for (const p of view.payments) {
        await trx('payments')
          .insert({ agent_payment_id: p.paymentId, contract_id: view.contractId, kind: p.kind, method: p.method, amount_qepik: p.amountQepik, flag: p.flag ?? null, paid_at: p.paidAt })
          .onConflict('agent_payment_id')
          .ignore();
      }
    });
  }

  async function claimContacts({ contractId, claims }: { contractId: string; claims: ContactClaim[] }): Promise<void> {
    await db.transaction(async (trx) => {
      for (const claim of claims) {
        for (const [kind, value] of [['phone', claim.phone], ['email', claim.email]] as const) {
          if (!value) continue;
          const contact = `${kind}:${value}`;
          await trx('contact_owners').insert({ contact, person_key: claim.personKey, first_contract_id: contractId }).onConflict('contact').ignore();
          const owner = await trx('contact_owners').where({ contact }).first();
          if (owner.person_key !== claim.personKey) {
            const message =
              kind === 'phone'
                ? 'This phone number is already registered for another person; it can only be changed through an amendment of that person\'s contract.'
                : 'This e-mail is already registered for another person; it can only be changed through an amendment of that person\'s contract.';
            throw ApplicationFailure.create({
              type: 'ContactTaken',
              message,
              nonRetryable: true,
              details: [{ field: `${claim.path}.${kind}`, code: 'contact_taken', message }],
            });
          }
        }
      }
    });
  }

  async function loadView(contractId: string, atRevision: number): Promise<ContractView> {
    const row = await db('contracts').where({ id: contractId }).first('view', 'revision');
    if (!row || row.revision < atRevision) {
      throw ApplicationFailure.create({ type: 'ReadModelBehind', message: `The read model of contract ${contractId} has not reached revision ${atRevision} yet.` });
    }
    return row.view as ContractView;
  }

  async function openApplicantCabinet({ contractId, atRevision }: { contractId: string; atRevision: number }): Promise<{ accountId: string }> {
    const view = await loadView(contractId, atRevision);
    const applicant = (view.terms?.applicant ?? view.draft.applicant) as NaturalPerson;
    const key = personKey(applicant);
    if (!key) throw ApplicationFailure.create({ type: 'InvalidContract', message: 'The applicant has no FIN or document number.', nonRetryable: true });
    return db.transaction(async (trx) => {
      const existing = await trx('applicant_accounts').where({ person_key: key }).first('id');
      if (existing) return { accountId: existing.id as string };
      const accountId = randomUUID();
      const login = await uniqueLogin(trx, applicant);
      const password = randomBytes(9).toString('base64url');
      await trx('applicant_accounts').insert({
        id: accountId,
        person_key: key,
        login,
        password_hash: await bcrypt.hash(password, 10),
        full_name: displayName(applicant),
        phone: applicant.phone ?? null,
        email: applicant.email ?? null,
      });
      const context = await messageContext(trx, view);
      await enqueue(trx, view, 'cabinet_credentials', `cabinet:${accountId}`, ['applicant'], { ...context, login }, encryptSecret(deps.secretKey, password));
      return { accountId };
    });
  }

  async function uniqueLogin(trx: Knex.Transaction, person: NaturalPerson): Promise<string> {
    const base = foldForSearch(`${person.firstName}.${person.lastName}`).replace(/[^a-z0-9.]/g, '') || 'applicant';
    for (let attempt = 0; ; attempt++) {
      const login = attempt === 0 ? base : `${base}${attempt + 1}`;
      if (!(await trx('applicant_accounts').where({ login }).first('id'))) return login;
    }
  }

  async function lawyerAndBureau(lawyerId: string, bureauId: string): Promise<{ lawyer: DocumentLawyer; bureau: DocumentBureau }> {
    const lawyerRow = await db('lawyers').where({ id: lawyerId }).first();
    const bureauRow = await db('bureaus').where({ id: bureauId }).first();
    const headRow = await db('lawyers').where({ bureau_id: bureauId, is_head: true }).first();
    const fullName = (r: { first_name: string; last_name: string; patronymic: string | null }) => [r.last_name, r.first_name, r.patronymic].filter(Boolean).join(' ');
    return {
      lawyer: { fullName: fullName(lawyerRow), licenseNumber: lawyerRow.license_number, phone: lawyerRow.phone ?? undefined, email: lawyerRow.email ?? undefined },
      bureau: { name: bureauRow.name, address: bureauRow.address, headName: headRow ? fullName(headRow) : fullName(lawyerRow), bankAccount: bureauRow.bank_account ?? undefined },
    };
  }

  async function issueDocuments(input: IssueDocumentsInput): Promise<IssuedVersion> {
    const { contractId, version } = input;
    // The number is given once, inside a transaction with the version row: a retry reuses it.
    const versionRow = await db.transaction(async (trx) => {
      const existing = await trx('contract_versions').where({ contract_id: contractId, version }).first();
      if (existing) return existing;
      const [{ seq }] = (await trx.raw("SELECT nextval('order_number_seq') AS seq")).rows;
      const orderNumber = `EVO-${input.issuedAt.slice(0, 4)}-${String(seq).padStart(6, '0')}`;
      const [created] = await trx('contract_versions')
        .insert({ contract_id: contractId, version, order_number: orderNumber, terms: JSON.stringify(input.terms), issued_at: input.issuedAt })
        .returning('*');
      return created;
    });
    const orderNumber = versionRow.order_number as string;
    const contractFile = `contracts/${contractId}/v${version}/contract.pdf`;
    const orderFile = `contracts/${contractId}/v${version}/order.pdf`;
    if (!(versionRow.contract_file && versionRow.order_file && (await deps.storage.exists(orderFile)))) {
      const { lawyer, bureau } = await lawyerAndBureau(input.lawyerId, input.bureauId);
      const first = version > 1 ? await db('contract_versions').where({ contract_id: contractId, version: 1 }).first('issued_at') : undefined;
      const common = { contractNumber: input.contractNumber, version, issuedAt: input.issuedAt, terms: input.terms, lawyer, bureau, supersedesVersion: version > 1 ? version - 1 : undefined };
      await deps.storage.put(contractFile, await deps.documents.renderContract(common));
      await deps.storage.put(
        orderFile,
        await deps.documents.renderOrder({
          ...common,
          orderNumber,
          verificationUrl: orderVerificationUrl(deps.publicUrl, orderNumber),
          contractDate: first ? new Date(first.issued_at).toISOString() : input.issuedAt,
        }),
      );
      await db('contract_versions').where({ contract_id: contractId, version }).update({ contract_file: contractFile, order_file: orderFile });
    }
    await db('contract_versions').where({ contract_id: contractId }).andWhere('version', '<', version).whereNull('superseded_at').update({ superseded_at: input.issuedAt });
    return { version, orderNumber, issuedAt: input.issuedAt };
  }

  async function messageContext(trx: Knex | Knex.Transaction, view: ContractView): Promise<MessageContext> {
    const lawyer = await trx('lawyers').where({ id: view.lawyerId }).first();
    const bureau = await trx('bureaus').where({ id: view.bureauId }).first();
    const terms = view.terms ?? view.draft;
    const lastEntry = [...view.history].reverse().find((h) => h.detail);
    return {
      contractNumber: view.contractNumber,
      lawyerName: `${lawyer.first_name} ${lawyer.last_name}`,
      bureauName: bureau.name,
      protectedPartyName: protectedPartyName(terms),
      amountDue: formatAzn(view.status === 'awaiting_payment' && view.terms ? dueNow(view) : view.balanceDueQepik),
      cabinetUrl: `${deps.publicUrl}/applicant`,
      contractUrl: `${deps.publicUrl}/contracts/${view.contractId}`,
      reason: view.rejection?.reason ?? view.termination?.reason ?? lastEntry?.detail,
    };
  }

  function dueNow(view: ContractView): number {
    const price = view.terms!.price;
    const firstDue = price.plan === 'two_instalments' ? (price.firstInstalmentQepik ?? price.totalQepik) : price.totalQepik;
    return Math.max(0, firstDue - view.paidQepik);
  }

  async function recipientsOf(trx: Knex | Knex.Transaction, view: ContractView, audience: Audience): Promise<{ phone?: string; email?: string }[]> {
    if (audience === 'applicant') {
      const applicant = (view.terms?.applicant ?? view.draft.applicant) as NaturalPerson | undefined;
      return applicant ? [{ phone: applicant.phone, email: applicant.email }] : [];
    }
    const query = audience === 'lawyer' ? trx('lawyers').where({ id: view.lawyerId }) : trx('lawyers').where({ bureau_id: view.bureauId, is_head: true });
    return (await query.select('phone', 'email')).map((r) => ({ phone: r.phone ?? undefined, email: r.email ?? undefined }));
  }

  async function enqueue(
    trx: Knex | Knex.Transaction,
    view: ContractView,
    event: NotificationEvent | 'cabinet_credentials',
    eventKey: string,
    audiences: Audience[],
    context: MessageContext,
    secretCiphertext?: string,
  ) {
    for (const audience of audiences) {
      for (const recipient of await recipientsOf(trx, view, audience)) {
        for (const channel of ['email', 'sms'] as const) {
          const address = channel === 'email' ? recipient.email : recipient.phone;
          if (!address || (channel === 'sms' && !usesSms(event, audience))) continue;
          const message = composeMessage(event, audience, channel, 'az', context);
          if (!message) continue;
          await trx('outbox')
            .insert({
              dedupe_key: `${view.contractId}:${eventKey}:${audience}:${channel}:${address}`,
              contract_id: view.contractId,
              channel,
              recipient: address,
              subject: channel === 'email' ? message.subject : null,
              body: message.body,
              locale: 'az',
              secret_ciphertext: secretCiphertext ?? null,
            })
            .onConflict('dedupe_key')
            .ignore();
        }
      }
    }
  }

  async function queueNotifications(input: { contractId: string; event: NotificationEvent; eventKey: string; atRevision: number }): Promise<void> {
    const { contractId, event, eventKey } = input;
    const view = await loadView(contractId, input.atRevision);
    const context = await messageContext(db, view);
    await enqueue(db, view, event, eventKey, audiencesOf(event), context);
  }

  return { recordContract, claimContacts, openApplicantCabinet, issueDocuments, queueNotifications };
}
