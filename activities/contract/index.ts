/**
 * The contract workflow's side effects. Each is idempotent: retried after a crash or a timeout it
 * finds its own earlier work (by contract, version, event key or person) and does not repeat it.
 */
import type { Knex } from 'knex';
import type { FileStorage } from '../../platform/file-storage';
import { openApplicantCabinet } from './applicant-cabinet';
import { claimContacts } from './contacts';
import { type DocumentRenderer, issueDocuments, prepareContract } from './documents';
import { queueNotifications } from './notifications-queue';
import { recordContract } from './read-model';
import type { ContractActivities } from './types';
import type { InstalmentReminderStarter } from '../instalments/reminders';

export { type DocumentRenderer, orderVerificationUrl } from './documents';

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
      if (input.event === 'order_issued' || input.event === 'amendment_applied') await deps.instalmentReminders?.afterOrderIssued(input.contractId);
    },
  };
}
