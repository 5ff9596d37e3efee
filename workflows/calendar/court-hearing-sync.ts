/**
 * The hearings of the court cases lawyers joined through "İşi göndər" (R4.6, issue 12): one
 * long-running workflow per namespace (`court-hearing-sync`), started by the worker like the payment
 * reconciler. Every `intervalMs` it asks e-court for the hearings of every joined case; new hearings
 * become meetings, a rescheduled one moves its meeting and its reminders, a withdrawn one is cancelled.
 * A periodic pull rather than e-court calling us: it heals itself after any outage (ours or the
 * portal's), needs no callback secret, and the portal's exchange has no push of its own.
 */
import { continueAsNew, proxyActivities, sleep, workflowInfo } from '@temporalio/workflow';
import type { CourtHearingActivities, CourtHearingSyncInput } from './messages';

const { syncCourtHearings } = proxyActivities<CourtHearingActivities>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

export const COURT_HEARING_SYNC_DEFAULTS = { intervalMs: 300_000, continueAsNewEvery: 200 } as const;

export async function courtHearingSyncWorkflow(input: CourtHearingSyncInput = {}): Promise<void> {
  const { intervalMs = COURT_HEARING_SYNC_DEFAULTS.intervalMs, continueAsNewEvery = COURT_HEARING_SYNC_DEFAULTS.continueAsNewEvery } = input;
  for (let turn = 0; turn < continueAsNewEvery; turn++) {
    await syncCourtHearings();
    await sleep(intervalMs);
    if (workflowInfo().continueAsNewSuggested) break;
  }
  await continueAsNew<typeof courtHearingSyncWorkflow>(input);
}
