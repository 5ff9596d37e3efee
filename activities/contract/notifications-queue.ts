/**
 * The contract's e-mails and SMS (R4.2, R4.3.1) go to the outbox, once per event key, audience,
 * channel and address; the notification dispatcher sends them.
 */
import type { Knex } from 'knex';
import { formatAzn, type NaturalPerson, protectedPartyName } from '../../domain/contract';
import { contractLinkPath } from '../../domain/contract/numbering';
import { amountDueNowQepik } from '../../domain/contract/payments';
import type { ContractView } from '../../workflows/contract/messages';
import { cabinetContact } from '../../domain/access/cabinet-contact';
import { type Audience, audiencesOf, composeMessage, type Locale, type MessageContext, usesSms } from '../notifications/messages';
import { accountLanguage, recipientLanguage } from '../notifications/recipient-language';
import { loadView } from './read-model';
import type { NotificationEvent, StepNotice } from './types';

export async function messageContext(publicUrl: string, trx: Knex | Knex.Transaction, view: ContractView): Promise<MessageContext> {
  // One round trip for both names (issue 14); the bureau is the contract's, not necessarily the lawyer's current one.
  const names = await trx
    .from('lawyers')
    .innerJoin('bureaus', 'bureaus.id', trx.raw('?', [view.bureauId]))
    .where('lawyers.id', view.lawyerId)
    .first<{ first_name: string; last_name: string; bureau_name: string } | undefined>(
      'lawyers.first_name',
      'lawyers.last_name',
      'bureaus.name as bureau_name',
    );
  if (!names) {
    const lawyerExists = await trx<{ id: string }>('lawyers').where({ id: view.lawyerId }).first('id');
    throw new Error(lawyerExists ? `messageContext: no bureau ${view.bureauId}` : `messageContext: no lawyer ${view.lawyerId}`);
  }
  const terms = view.terms ?? view.draft;
  const lastEntry = [...view.history].reverse().find((h) => h.detail);
  return {
    contractNumber: view.contractNumber,
    lawyerName: `${names.first_name} ${names.last_name}`,
    bureauName: names.bureau_name,
    protectedPartyName: protectedPartyName(terms),
    amountDue: formatAzn(
      amountDueNowQepik({ status: view.status, price: view.terms?.price, paidQepik: view.paidQepik, approvedAsAlreadyPaid: view.approvedAsAlreadyPaid }),
    ),
    cabinetUrl: `${publicUrl}/applicant`,
    contractUrl: `${publicUrl}${contractLinkPath(view.contractId)}`,
    reason: view.rejection?.reason ?? view.termination?.reason ?? lastEntry?.detail,
  };
}

interface RecipientRow {
  id: string;
  bureau_id: string;
  is_head: boolean;
  phone: string | null;
  email: string | null;
  language: string | null;
}

/** Who hears of an event, with the language of each (issue 11: the applicant's cabinet's, the lawyer's or head's own). */
async function recipientsOf(
  trx: Knex | Knex.Transaction,
  view: ContractView,
  audience: Audience,
): Promise<{ phone?: string; email?: string; language: Locale }[]> {
  if (audience === 'applicant') {
    const applicant = (view.terms?.applicant ?? view.draft.applicant) as NaturalPerson | undefined;
    if (!applicant) return [];
    const language = await recipientLanguage(trx, { kind: 'cabinet', contact: cabinetContact(applicant)?.key });
    return [{ phone: applicant.phone, email: applicant.email, language }];
  }
  const lawyers = () => trx<RecipientRow>('lawyers');
  const query = audience === 'lawyer' ? lawyers().where({ id: view.lawyerId }) : lawyers().where({ bureau_id: view.bureauId, is_head: true });
  // The lawyer's own language (issue 11) read with the address, not by a query of its own (issue 14).
  const rows = await query.select('id', 'phone', 'email', 'language');
  return rows.map((r) => ({ phone: r.phone ?? undefined, email: r.email ?? undefined, language: accountLanguage(r) }));
}

/** A message's key in the outbox: once per contract, event key (`<event>:<revision>`), audience, channel and address. */
const outboxDedupeKey = (contractId: string, eventKey: string, audience: Audience, channel: string, address: string) =>
  `${contractId}:${eventKey}:${audience}:${channel}:${address}`;

/** The event (`submitted`, `order_issued`, …) of a contract message's outbox key. */
export const eventOfDedupeKey = (dedupeKey: string): string => dedupeKey.split(':')[1];

async function enqueue(
  trx: Knex | Knex.Transaction,
  view: ContractView,
  event: NotificationEvent | 'cabinet_credentials',
  eventKey: string,
  audiences: Audience[],
  context: MessageContext,
  insertTimeoutMs?: number,
) {
  const rows: Record<string, string | null>[] = [];
  for (const audience of audiences) {
    for (const recipient of await recipientsOf(trx, view, audience)) {
      for (const channel of ['email', 'sms'] as const) {
        const address = channel === 'email' ? recipient.email : recipient.phone;
        if (!address || (channel === 'sms' && !usesSms(event, audience))) continue;
        const message = composeMessage(event, audience, channel, recipient.language, context);
        if (!message) continue;
        rows.push({
          dedupe_key: outboxDedupeKey(view.contractId, eventKey, audience, channel, address),
          contract_id: view.contractId,
          channel,
          recipient: address,
          subject: channel === 'email' ? message.subject : null,
          body: message.body,
          locale: recipient.language,
        });
      }
    }
  }
  // Issue 14: one statement for all of an event's messages (a retry inserts none twice: the dedupe key).
  if (rows.length === 0) return;
  const insert = trx('outbox').insert(rows).onConflict('dedupe_key').ignore();
  await (insertTimeoutMs === undefined ? insert : insert.timeout(insertTimeoutMs, { cancel: true }));
}

export async function queueNotifications(
  db: Knex,
  publicUrl: string,
  input: { contractId: string; event: NotificationEvent; eventKey: string; atRevision: number },
): Promise<void> {
  const view = await loadView(db, input.contractId, input.atRevision);
  await queueNotificationsOf(db, publicUrl, view, [input]);
}

/**
 * The messages of a contract's events at this view, into the outbox; a retry queues none twice (the
 * event key). With `insertTimeoutMs`, an insert that waits longer (a locked outbox) is cancelled and fails.
 */
export async function queueNotificationsOf(
  db: Knex,
  publicUrl: string,
  view: ContractView,
  notices: readonly StepNotice[],
  insertTimeoutMs?: number,
): Promise<void> {
  const context = await messageContext(publicUrl, db, view);
  for (const { event, eventKey } of notices) await enqueue(db, view, event, eventKey, audiencesOf(event), context, insertTimeoutMs);
}
