/**
 * The contract workflow's side effects. Each is idempotent: retried after a crash or a timeout it
 * finds its own earlier work (by contract, version, event key or person) and does not repeat it.
 */
import { log } from '@temporalio/activity';
import type { Knex } from 'knex';
import type { FileStorage } from '../../platform/file-storage';
import { openApplicantCabinet } from './applicant-cabinet';
import { claimContacts } from './contacts';
import { ContractPreparations, type DocumentRenderer, issueDocuments, preparationId, prepareContractOf } from './documents';
import { queueNotifications, queueNotificationsOf } from './notifications-queue';
import { loadView, recordContract } from './read-model';
import type { AfterWrite, ContractActivities, StepNotice } from './types';
import type { ContractView } from '../../workflows/contract/messages';
import type { InstalmentReminderStarter } from '../instalments/reminders';

export { contractPdfCounts, type DocumentRenderer, orderVerificationUrl } from './documents';

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
  // Issue 14: the contracts prepared at approval, one at a time behind the documents somebody waits
  // for (ContractPreparations). Never in the worker's activity slots, where they would hold up the
  // outbox's messages behind them.
  const preparations = new ContractPreparations((id, err) => {
    // Only the error's name (a database error may quote personal data). The activity's logger: the queue runs in the context of the activity that added to it.
    log.warn('contract not prepared at approval; its order renders it at payment', { preparation: id, error: err instanceof Error ? err.name : typeof err });
  });
  const documentDeps = { ...deps, preparations };
  /** Issue 14: what a read-model write starts once the view is written, not waited for (AfterWrite). */
  const startAfterWrite = (view: ContractView, after: AfterWrite | undefined) => {
    const prepare = after?.prepareContract;
    if (!prepare) return;
    // Outside the local activity, which has answered by then: nothing to heartbeat, nobody waiting.
    preparations.add(preparationId(view.contractId, prepare.version), (hurry) =>
      prepareContractOf(documentDeps, view, prepare.version, prepare.preparedAt, hurry),
    );
  };
  const afterQueued = async (contractId: string, notices: readonly StepNotice[]) => {
    if (notices.some((n) => n.event === 'order_issued' || n.event === 'amendment_applied')) await deps.instalmentReminders?.afterOrderIssued(contractId);
  };
  return {
    recordContract: async (view, after) => {
      await recordContract(db, view);
      startAfterWrite(view, after);
    },
    claimContacts: (input) => claimContacts(db, input),
    openApplicantCabinet: (input) => openApplicantCabinet(deps, input),
    issueDocuments: (input) => issueDocuments(documentDeps, input),
    // Histories before contract-prepared-with-read-model: the activity queues the preparation, from the
    // read model at the approval's revision, and answers.
    prepareContract: (input) => {
      preparations.add(preparationId(input.contractId, input.version), async (hurry) =>
        prepareContractOf(documentDeps, await loadView(db, input.contractId, input.atRevision), input.version, input.preparedAt, hurry),
      );
      return Promise.resolve();
    },
    queueNotifications: async (input) => {
      await queueNotifications(db, publicUrl, input);
      await afterQueued(input.contractId, [input]);
    },
    recordContractAndNotify: async (view, notices, after) => {
      await recordContract(db, view);
      startAfterWrite(view, after);
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
