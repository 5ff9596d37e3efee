/** The contract workflow's doors to its activities, with the retry policy each side effect needs. */
import { type LocalActivityOptions, proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { ContractActivities, CourtActivities } from '../../activities/contract/types';
import { COURT_REFUSALS } from '../../activities/contract/types';

/*
 * Timeouts sized to the work (issue 10 item 2): after a worker is killed, Temporal retries an
 * attempt once its timeout passes, so a short timeout is what gets a paid contract its order within
 * seconds. Quick database work gets 10 s; rendering heartbeats every second and is given up on after
 * 5 s without one, so a dead worker's render is retried within seconds too.
 */
const CLAIM_OPTIONS = {
  startToCloseTimeout: '10 seconds',
  retry: { maximumAttempts: 5, nonRetryableErrorTypes: ['ContactTaken'] },
} satisfies LocalActivityOptions;
export const { claimContacts } = proxyActivities<ContractActivities>(CLAIM_OPTIONS);
/**
 * Issue 14: the contacts claimed by a local activity, with the same retries (histories with the
 * `contacts-claimed-locally` marker): the submit's step runs it in its own workflow task, with no
 * activity task to schedule, match and complete and no workflow task of its own to resume the step.
 * Measured: 2–5 % less CPU per contract, the submit 5–15 % sooner. The applicant's cabinet stays an
 * activity: as a local one it held the submit's workflow task, and so its answer, about a second longer.
 */
export const CONTACTS_CLAIMED_LOCALLY_PATCH = 'contacts-claimed-locally';
export const { claimContacts: claimContactsLocally } = proxyLocalActivities<ContractActivities>(CLAIM_OPTIONS);
// Documents and messages must get out in the end, so they retry without limit.
export const { openApplicantCabinet, queueNotifications, recordContract } = proxyActivities<ContractActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});
// R4.2.1: the order. Rendering may wait for a Chromium page behind other documents: a minute in all,
// but never 5 s without a heartbeat; retries back off to 10 s at most, so an order is never long late.
export const { issueDocuments } = proxyActivities<ContractActivities>({
  startToCloseTimeout: '1 minute',
  heartbeatTimeout: '5 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '10 seconds' },
});
// Issue 14: the contract of the coming version rendered at approval, ahead of the payment. Only a head
// start (the order's activity renders it when the copy is missing or prints otherwise), so it gives up soon.
export const { prepareContract } = proxyActivities<ContractActivities>({
  startToCloseTimeout: '1 minute',
  heartbeatTimeout: '5 seconds',
  retry: { initialInterval: '500 ms', maximumInterval: '5 seconds', maximumAttempts: 3 },
});
// R4.6: e-court may be slow or down for long; unavailability retries without limit (backoff up to a
// minute), the portal's refusals do not retry and mark the filing failed with the reason.
export const { joinCourtCase } = proxyActivities<CourtActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', nonRetryableErrorTypes: [...COURT_REFUSALS] },
});
/** The read model the lists show, written after each change; the main loop retries it if this fails. */
export const readModel = proxyLocalActivities<ContractActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { maximumAttempts: 3 },
});
