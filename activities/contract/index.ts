/**
 * The contract workflow's side effects. Each is idempotent: retried after a crash or a timeout it
 * finds its own earlier work (by contract, version, event key or person) and does not repeat it.
 */
import { log } from '@temporalio/activity';
import type { Knex } from 'knex';
import type { FileStorage } from '../../platform/file-storage';
import { openApplicantCabinet } from './applicant-cabinet';
import { claimContacts } from './contacts';
import { type DocumentRenderer, issueDocuments, prepareContract } from './documents';
import { queueNotifications, queueNotificationsOf } from './notifications-queue';
import { recordContract } from './read-model';
import type { ContractActivities, StepNotice } from './types';
import type { InstalmentReminderStarter } from '../instalments/reminders';

export { type DocumentRenderer, orderVerificationUrl } from './documents';

/** How long each outbox insert of the read model's write may wait (then cancelled) before it leaves the messages to queueNotifications. */
const NOTICES_WITH_READ_MODEL_BUDGET_MS = 1000;

export interface ContractActivityDeps {
  db: Knex;
  storage: FileStorage;
  documents: DocumentRenderer;
  publicUrl: string;
  secretKey: string;
  /** issue 12: plans the second instalment's reminder once an order is issued; none in tests that do not need it. */
  instalmentReminders?: InstalmentReminderStarter;
}

export function createContractActivities(deps: ContractActivityDeps): ContractActivities {
  const { db, publicUrl } = deps;
  // Issue 14: one contract prepared at approval at a time, and an approval that comes while one is
  // being prepared is not (its order's activity renders its contract at payment). Preparations never
  // wait in the worker's activity slots, where they would hold up the outbox's messages behind them,
  // and in the renderer they take the `ahead` lane, so an order never waits behind one.
  let preparingOne = false;
  const afterQueued = async (contractId: string, notices: readonly StepNotice[]) => {
    if (notices.some((n) => n.event === 'order_issued' || n.event === 'amendment_applied')) await deps.instalmentReminders?.afterOrderIssued(contractId);
  };
  return {
    recordContract: (view) => recordContract(db, view),
    claimContacts: (input) => claimContacts(db, input),
    openApplicantCabinet: (input) => openApplicantCabinet(deps, input),
    issueDocuments: (input) => issueDocuments(deps, input),
    prepareContract: async (input) => {
      if (preparingOne) return;
      preparingOne = true;
      try {
        await prepareContract(deps, input);
      } finally {
        preparingOne = false;
      }
    },
    queueNotifications: async (input) => {
      await queueNotifications(db, publicUrl, input);
      await afterQueued(input.contractId, [input]);
    },
    recordContractAndNotify: async (view, notices) => {
      await recordContract(db, view);
      try {
        // This runs while the workflow task waits (a local activity): a locked or slow outbox gives up
        // within a second and leaves the messages to their own activity, so no step, and no order,
        // waits behind a message (issue 10 item 2).
        await queueNotificationsOf(db, publicUrl, view, notices, NOTICES_WITH_READ_MODEL_BUDGET_MS);
        await afterQueued(view.contractId, notices);
      } catch (err) {
        // The read model is written; queueNotifications retries the messages without limit.
        // Only the error's name: a database error may quote an address.
        log.warn('notifications not queued with the read model; queued by their own activity', {
          contractId: view.contractId,
          error: err instanceof Error ? err.name : typeof err,
        });
        return 'notices_left';
      }
      return undefined;
    },
  };
}
