/** Carrying out what the steps decided: the applicant's cabinet, messages, documents. */
import { issueDocuments, openApplicantCabinet, queueNotifications } from './activities';
import type { CourtLane } from './court-lane';
import type { ContractRun, Effect } from './run';

export async function carryOut(run: ContractRun, court: CourtLane, effect: Effect): Promise<void> {
  switch (effect.kind) {
    case 'openApplicantCabinet': {
      // R4.3.1: one account per person, its credentials sent once.
      const { accountId } = await openApplicantCabinet({ contractId: run.state.contractId, atRevision: effect.atRevision });
      run.state.applicantAccountId = accountId;
      await run.commit();
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
      });
      run.state.issuedVersions.push(issued);
      run.record('order_issued', undefined, issued.orderNumber);
      court.attachAgain(issued.orderNumber);
      await run.commit();
      return;
    }
  }
}
