/**
 * issue 12: the applicant's reminder of the second instalment, and the start of its workflow.
 *
 * `queueInstalmentReminder` checks the read model when the timer fires, not when it was set: paid
 * (or the contract closed) means nothing is queued and the workflow ends. The message goes through
 * the outbox, in the applicant cabinet's language, once per contract, due day and channel.
 * `startInstalmentReminder` runs in the contract's activity after an order is issued (the first
 * instalment paid, or an amendment): signal-with-start by the contract's ID, so repeating it is harmless.
 */
import type { Client } from '@temporalio/client';
import type { Knex } from 'knex';
import { cabinetContact } from '../../domain/access/cabinet-contact';
import { formatAzn, instalmentDueAt, remainderStillOwed } from '../../domain/contract';
import { formatDate } from '../../domain/shared/dates';
import { translate } from '../../locales';
import type { ContractView } from '../../workflows/contract/messages';
import {
  type InstalmentDue,
  instalmentDueSet,
  type InstalmentReminderActivities,
  type InstalmentReminderInput,
  instalmentReminderWorkflowId,
} from '../../workflows/instalments/messages';
import type { instalmentReminderWorkflow } from '../../workflows/instalments/reminder';
import { recipientLanguage } from '../notifications/recipient-language';

/** The facts of the read model the reminder needs. */
async function contractOf(db: Knex, contractId: string): Promise<ContractView | undefined> {
  const row = await db<{ id: string; view: ContractView }>('contracts').where('id', contractId).first();
  return row?.view;
}

function owed(view: ContractView): boolean {
  return remainderStillOwed({ status: view.status, price: view.terms?.price, paidQepik: view.paidQepik, approvedAsAlreadyPaid: view.approvedAsAlreadyPaid });
}

export function createInstalmentActivities({ db, publicUrl }: { db: Knex; publicUrl: string }): InstalmentReminderActivities {
  return {
    async queueInstalmentReminder({ contractId, dueOn }) {
      const view = await contractOf(db, contractId);
      if (!view || !owed(view)) return { owed: false, queued: 0 };
      const applicant = view.terms?.applicant;
      if (!applicant) return { owed: true, queued: 0 };
      const language = await recipientLanguage(db, { kind: 'cabinet', contact: cabinetContact(applicant)?.key });
      const params = {
        number: view.contractNumber,
        amount: formatAzn(Math.max(0, (view.terms?.price.totalQepik ?? 0) - view.paidQepik)),
        dueOn: formatDate(dueOn),
        url: `${publicUrl}/applicant`,
      };
      let queued = 0;
      for (const [channel, address] of [
        ['email', applicant.email],
        ['sms', applicant.phone],
      ] as const) {
        if (!address) continue;
        const inserted = await db('outbox')
          .insert({
            dedupe_key: `${contractId}:instalment_reminder:${dueOn}:applicant:${channel}:${address}`,
            contract_id: contractId,
            channel,
            recipient: address,
            subject: channel === 'email' ? translate(language, 'instalment.reminder.subject', params) : null,
            body: translate(language, `instalment.reminder.${channel}`, params),
            locale: language,
          })
          .onConflict('dedupe_key')
          .ignore()
          .returning('id');
        queued += inserted.length;
      }
      return { owed: true, queued };
    },
  };
}

export interface InstalmentReminderStarter {
  /** After an order is issued: plans the reminder when the terms set a due day and the remainder is owed. */
  afterOrderIssued(contractId: string): Promise<void>;
}

export function instalmentReminderStarter(deps: { db: Knex; client: Client; taskQueue: string; leadMs: number }): InstalmentReminderStarter {
  return {
    async afterOrderIssued(contractId) {
      const view = await contractOf(deps.db, contractId);
      const dueOn = view?.terms?.price.secondInstalmentDueOn;
      if (!view || !dueOn || !owed(view)) return;
      const due: InstalmentDue = { dueOn, dueAt: instalmentDueAt(dueOn) };
      await startInstalmentReminder(deps.client, deps.taskQueue, { contractId, leadMs: deps.leadMs }, due);
    },
  };
}

/** Signal-with-start by the contract's ID: one workflow per contract; a repeated start only re-sends the day. */
export async function startInstalmentReminder(client: Client, taskQueue: string, input: InstalmentReminderInput, due: InstalmentDue): Promise<void> {
  await client.workflow.signalWithStart<typeof instalmentReminderWorkflow, [InstalmentDue]>('instalmentReminderWorkflow', {
    workflowId: instalmentReminderWorkflowId(input.contractId),
    taskQueue,
    args: [input],
    signal: instalmentDueSet,
    signalArgs: [due],
  });
}
