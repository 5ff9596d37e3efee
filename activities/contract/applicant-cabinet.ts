/**
 * R4.3.1, issue 9 item 1: the applicant's cabinet. A cabinet belongs to a contact the person
 * proves they control — the e-mail written on the contract, else its phone — never to a FIN: a
 * lawyer who types someone's FIN with his own e-mail opens a cabinet for his own e-mail, holding
 * that one contract, and the person's real contact opens (or joins) the person's own cabinet. A
 * contract joins the cabinet of its contact; a new cabinet gets a one-time activation link (only
 * the token's hash is stored, it expires and works once), sent to that contact only, and the
 * person sets their own password on the activation page. The token waits in the outbox encrypted
 * until the message is sent (the `{password}` placeholder of the message).
 */
import { randomUUID } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/activity';
import type { Knex } from 'knex';
import { cabinetContact } from '../../domain/access/cabinet-contact';
import { displayName, type NaturalPerson, personKey } from '../../domain/contract';
import { hasLiveToken, issueAccountToken } from '../../platform/account-tokens';
import { encryptSecret } from '../../platform/secret-box';
import { composeMessage } from '../notifications/messages';
import { recipientLanguage } from '../notifications/recipient-language';
import { messageContext } from './notifications-queue';
import { loadView } from './read-model';

export interface ApplicantCabinetDeps {
  db: Knex;
  publicUrl: string;
  secretKey: string;
}

interface AccountRow {
  id: string;
  contact: string;
  password_hash: string | null;
}

export async function openApplicantCabinet(
  deps: ApplicantCabinetDeps,
  { contractId, atRevision }: { contractId: string; atRevision: number },
): Promise<{ accountId: string }> {
  const { db } = deps;
  const view = await loadView(db, contractId, atRevision);
  const applicant = (view.terms?.applicant ?? view.draft.applicant) as NaturalPerson;
  const contact = cabinetContact(applicant);
  if (!contact) throw ApplicationFailure.create({ type: 'InvalidContract', message: 'contract.applicant_without_key', nonRetryable: true });
  return db.transaction(async (trx) => {
    // Two contracts of one contact at once open one cabinet.
    await trx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', [`cabinet:${contact.key}`]);
    const existing = await trx<AccountRow>('applicant_accounts').where({ contact: contact.key }).first('id', 'password_hash');
    const accountId = existing?.id ?? randomUUID();
    if (!existing) {
      await trx('applicant_accounts').insert({
        id: accountId,
        person_key: personKey(applicant) ?? contact.key,
        contact: contact.key,
        // The person logs in with the contact they control (not a guessable first.last).
        login: contact.address,
        password_hash: null,
        must_change_password: false,
        full_name: displayName(applicant),
        phone: applicant.phone ?? null,
        email: applicant.email ?? null,
      });
    }
    // A cabinet not opened yet gets a (new) link, once per contract; an opened one needs none.
    const dedupeKey = `${contractId}:cabinet:${accountId}:applicant:${contact.channel}:${contact.address}`;
    const alreadyQueued: unknown = await trx('outbox').where({ dedupe_key: dedupeKey }).first('id');
    if (existing?.password_hash || alreadyQueued || (existing && (await hasLiveToken(trx, { kind: 'applicant', id: accountId })))) return { accountId };
    const token = await issueAccountToken(trx, { kind: 'applicant', id: accountId }, 'activate');
    const context = await messageContext(deps.publicUrl, trx, view);
    const language = await recipientLanguage(trx, { kind: 'cabinet', contact: contact.key });
    const message = composeMessage('cabinet_credentials', 'applicant', contact.channel === 'email' ? 'email' : 'sms', language, {
      ...context,
      login: contact.address,
      activationUrl: `${deps.publicUrl}/activate?token=`,
    });
    if (!message) throw new Error('openApplicantCabinet: no activation message text');
    await trx('outbox')
      .insert({
        dedupe_key: dedupeKey,
        contract_id: contractId,
        channel: contact.channel,
        recipient: contact.address,
        subject: contact.channel === 'email' ? message.subject : null,
        body: message.body,
        locale: language,
        secret_ciphertext: encryptSecret(deps.secretKey, token),
      })
      .onConflict('dedupe_key')
      .ignore();
    return { accountId };
  });
}
