/** The contract workflow's doors to its activities, with the retry policy each side effect needs. */
import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { ContractActivities, CourtActivities } from '../../activities/contract/types';
import { COURT_REFUSALS } from '../../activities/contract/types';

export const { claimContacts } = proxyActivities<ContractActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumAttempts: 5, nonRetryableErrorTypes: ['ContactTaken'] },
});
// Documents and messages must get out in the end, so they retry without limit.
export const { issueDocuments, openApplicantCabinet, queueNotifications, recordContract } = proxyActivities<ContractActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
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
