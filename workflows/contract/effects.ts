/** Carrying out what the steps decided: the applicant's cabinet, messages, documents. */
import { condition } from '@temporalio/workflow';
import { issueDocuments, openApplicantCabinet, queueNotifications } from './activities';
import type { CourtLane } from './court-lane';
import type { ContractRun, Effect } from './run';

export async function carryOut(run: ContractRun, court: CourtLane, effect: Effect): Promise<void> {
  switch (effect.kind) {
    case 'openApplicantCabinet': {
      // R4.3.1: one account per person, its credentials sent once.
      const { accountId } = await openApplicantCabinet({ contractId: run.state.contractId, atRevision: effect.atRevision });
      run.state.applicantAccountId = accountId;
      await run.commit(effect);
      return;
    }
    case 'notify':
      await queueNotifications({ contractId: run.state.contractId, event: effect.event, eventKey: effect.eventKey, atRevision: effect.atRevision });
      return;
    case 'issueDocuments': {
      const state = run.agreed();
      const issued = await issueDocuments({
        contractId: state.contractId,
        contractNumber: state.contractNumber,
        version: effect.version,
        terms: state.terms,
        lawyerId: state.lawyerId,
        bureauId: state.bureauId,
        issuedAt: effect.issuedAt,
        courtCaseNumbers: court.joinedCaseNumbers(),
      });
      run.state.issuedVersions.push(issued);
      run.record('order_issued', undefined, issued.orderNumber);
      court.attachAgain(issued.orderNumber);
      await run.commit(effect);
      return;
    }
  }
}

/** Marks the histories whose effects run in two lanes (issue 10 item 2); older ones replay in one queue. */
export const EFFECT_LANES_PATCH = 'effect-lanes';

/**
 * Carries out every effect decided so far, and those decided meanwhile, until none is left.
 *
 * Two lanes (issue 10 item 2, R4.2.1): the documents lane (the applicant's cabinet, the documents
 * and the order) and the notification lane, each in the order decided. An order never waits
 * behind a notification, e.g. a message stranded on a killed worker. A notification still waits
 * for the documents and cabinet decided before it: "order issued" goes out after the order exists,
 * "submitted" after the applicant's cabinet. An effect stays in `run.effects` until it is done, so
 * the steps that look there (the next version's number, the court lane) see it meanwhile.
 * Histories recorded before the lanes (no `effect-lanes` marker) replay in one queue, as then.
 */
export async function carryOutEffects(run: ContractRun, court: CourtLane): Promise<void> {
  const { effects } = run;
  if (effects.length === 0) return;
  if (!run.versions.has(EFFECT_LANES_PATCH)) {
    while (effects.length > 0) {
      await carryOut(run, court, effects[0]);
      effects.shift();
    }
    return;
  }
  let documentsBusy: Effect | undefined;
  let notificationBusy: Effect | undefined;
  let failed: { error: unknown } | undefined;
  const start = (effect: Effect, done: () => void) => {
    run.underway.add(effect);
    carryOut(run, court, effect).then(
      () => {
        run.underway.delete(effect);
        effects.splice(effects.indexOf(effect), 1);
        done();
      },
      (error: unknown) => {
        run.underway.delete(effect);
        failed ??= { error };
        done();
      },
    );
  };
  const nextNotification = () => (effects[0]?.kind === 'notify' ? effects[0] : undefined);
  const nextDocument = () => effects.find((e) => e.kind !== 'notify');
  const canStart = () => (!notificationBusy && nextNotification() !== undefined) || (!documentsBusy && nextDocument() !== undefined);
  while (effects.length > 0 || documentsBusy || notificationBusy) {
    if (failed) break;
    const notification = nextNotification();
    if (!notificationBusy && notification) {
      notificationBusy = notification;
      start(notification, () => (notificationBusy = undefined));
    }
    const document = nextDocument();
    if (!documentsBusy && document) {
      documentsBusy = document;
      start(document, () => (documentsBusy = undefined));
    }
    await condition(() => failed !== undefined || canStart() || (effects.length === 0 && !documentsBusy && !notificationBusy));
  }
  if (failed) {
    // The other lane's activity finishes before the failure fails the workflow.
    await condition(() => !documentsBusy && !notificationBusy);
    // A payment left unwritten for its order is shown before the workflow fails (issue 14).
    await run.writeDeferredNow();
    throw failed.error;
  }
}
