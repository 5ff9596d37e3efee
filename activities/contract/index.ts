/**
 * The contract workflow's side effects. Each is idempotent: retried after a crash or a timeout it
 * finds its own earlier work (by contract, version, event key or person) and does not repeat it.
 */
import type { Knex } from 'knex';
import type { ContractDocumentData, OrderDocumentData } from '../../documents/types';
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
  // Issue 14: contracts prepared at approval render one at a time, so the renderer (two pages at once)
  // always has a page for an order, which a paid applicant waits for.
  const preparing = oneAtATime();
  const documents = deps.documents;
  const preparingDeps = {
    ...deps,
    documents: {
      renderContract: (data: ContractDocumentData) => preparing(() => documents.renderContract(data)),
      renderOrder: (data: OrderDocumentData) => documents.renderOrder(data),
    },
  };
  return {
    recordContract: (view) => recordContract(db, view),
    claimContacts: (input) => claimContacts(db, input),
    openApplicantCabinet: (input) => openApplicantCabinet(deps, input),
    issueDocuments: (input) => issueDocuments(deps, input),
    prepareContract: (input) => prepareContract(preparingDeps, input),
    queueNotifications: async (input) => {
      await queueNotifications(db, publicUrl, input);
      if (input.event === 'order_issued' || input.event === 'amendment_applied') await deps.instalmentReminders?.afterOrderIssued(input.contractId);
    },
  };
}

/** Runs the calls it is given one after the other, in the order given. */
function oneAtATime(): <T>(body: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return (body) => {
    const run = tail.then(body, body);
    tail = run.catch(() => undefined);
    return run;
  };
}
