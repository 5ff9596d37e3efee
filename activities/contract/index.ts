/**
 * The contract workflow's side effects. Each is idempotent: retried after a crash or a timeout it
 * finds its own earlier work (by contract, version, event key or person) and does not repeat it.
 */
import type { Knex } from 'knex';
import type { FileStorage } from '../../platform/file-storage';
import { openApplicantCabinet } from './applicant-cabinet';
import { claimContacts } from './contacts';
import { type DocumentRenderer, issueDocuments } from './documents';
import { queueNotifications } from './notifications-queue';
import { recordContract } from './read-model';
import type { ContractActivities } from './types';

export { type DocumentRenderer, orderVerificationUrl } from './documents';

export interface ContractActivityDeps {
  db: Knex;
  storage: FileStorage;
  documents: DocumentRenderer;
  publicUrl: string;
  secretKey: string;
}

export function createContractActivities(deps: ContractActivityDeps): ContractActivities {
  const { db, publicUrl } = deps;
  return {
    recordContract: (view) => recordContract(db, view),
    claimContacts: (input) => claimContacts(db, input),
    openApplicantCabinet: (input) => openApplicantCabinet(deps, input),
    issueDocuments: (input) => issueDocuments(deps, input),
    queueNotifications: (input) => queueNotifications(db, publicUrl, input),
  };
}
