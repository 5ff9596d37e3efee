/**
 * The case in court (R4.6). Court filings run in a lane of their own beside the main loop, so that
 * an e-court that is down for hours delays neither messages nor documents. The lane starts with the
 * first "Göndər" (or a carried pending filing), so contracts that never go to court run exactly as
 * before.
 */
import { ActivityFailure, ApplicationFailure, condition, setHandler } from '@temporalio/workflow';
import { COURT_REFUSALS, type CourtRefusal } from '../../activities/contract/types';
import { type Actor, displayName, type NaturalPerson } from '../../domain/contract';
import { isPlausibleCaseNumber, normalizeCaseNumber } from '../../domain/court/case-number';
import type { CodeParams } from '../../domain/shared/codes';
import { failure, fieldError, invalidFields } from '../shared/failures';
import { joinCourtCase } from './activities';
import { type CourtFiling, sendToCourt } from './messages';
import { type ContractRun, now } from './run';

/** Marks the histories that re-issue the order with the court case number after a join (issue 13). */
export const ORDER_CASE_NUMBER_PATCH = 'order-case-number';

export class CourtLane {
  /** Case numbers waiting for their order to be attached, in order; the one being attached now. */
  private readonly queue: string[] = [];
  private inFlight: string | undefined;
  private running = false;

  constructor(private readonly run: ContractRun) {}

  /** Issue 13, R4.6: the court cases the lawyer has been joined to, printed in the orders issued after. */
  joinedCaseNumbers(): string[] | undefined {
    const numbers = (this.run.state.courtFilings ?? []).filter((f) => f.joinedAt !== undefined).map((f) => f.caseNumber);
    return numbers.length > 0 ? numbers : undefined;
  }

  idle(): boolean {
    return this.queue.length === 0 && this.inFlight === undefined;
  }

  /** "Göndər": record the filing as pending at once; the lane calls e-court. */
  handleSendToCourt(): void {
    const { run } = this;
    setHandler(
      sendToCourt,
      async (actor, { caseNumber }) => {
        const number = normalizeCaseNumber(caseNumber);
        const filings = (run.state.courtFilings ??= []);
        const earlier = filings.find((f) => f.caseNumber === number);
        const filing: CourtFiling = {
          caseNumber: number,
          status: 'pending',
          orderNumber: this.latestIssue()?.orderNumber ?? '',
          attempts: 0,
          requestedAt: now(),
          requestedBy: actor.id,
          joinedAt: earlier?.joinedAt,
          courtName: earlier?.courtName,
          attachedOrders: earlier?.attachedOrders ?? [],
        };
        if (earlier)
          filings[filings.indexOf(earlier)] = filing; // a failed filing sent again
        else filings.push(filing);
        run.record('court_filing_requested', actor.id, number);
        this.queueFiling(number);
        return run.commit();
      },
      {
        validator: (actor: Actor, body: { caseNumber?: unknown } | undefined) => {
          run.guard('sendToCourt', actor);
          const raw = body?.caseNumber;
          if (typeof raw !== 'string' || raw.trim() === '') throw invalidFields([fieldError('caseNumber', 'court_filing.case_number_required')]);
          if (!isPlausibleCaseNumber(raw)) throw invalidFields([fieldError('caseNumber', 'court_filing.case_number_invalid')]);
          const earlier = run.state.courtFilings?.find((f) => f.caseNumber === normalizeCaseNumber(raw));
          if (earlier && earlier.status !== 'failed') throw failure('NotAllowed', 'court_filing.already_sent', { caseNumber: earlier.caseNumber });
        },
      },
    );
  }

  /** A run continued as new picks up the filings the last run had not finished. */
  resumePending(): void {
    for (const filing of this.run.state.courtFilings ?? []) if (filing.status === 'pending') this.queueFiling(filing.caseNumber);
  }

  /** R4.6: an amended order is attached again to every court case the lawyer joined. */
  attachAgain(orderNumber: string): void {
    for (const filing of this.run.state.courtFilings ?? []) {
      if (filing.status !== 'joined') continue;
      filing.status = 'pending';
      filing.orderNumber = orderNumber;
      this.queueFiling(filing.caseNumber);
    }
  }

  private queueFiling(caseNumber: string): void {
    if (!this.queue.includes(caseNumber)) this.queue.push(caseNumber);
    if (this.running) return;
    this.running = true;
    void this.lane();
  }

  private async lane(): Promise<never> {
    const { run } = this;
    for (;;) {
      // The order must exist: wait for documents decided but not yet issued (a new contract, an amendment).
      await condition(() => this.queue.length > 0 && run.state.issuedVersions.length > 0 && !run.effects.some((e) => e.kind === 'issueDocuments'));
      const caseNumber = this.queue.shift();
      if (caseNumber === undefined) continue;
      this.inFlight = caseNumber;
      try {
        await this.attachOrder(caseNumber);
      } finally {
        this.inFlight = undefined;
      }
    }
  }

  private latestIssue() {
    const issued = this.run.state.issuedVersions;
    return issued.length === 0 ? undefined : issued[issued.length - 1];
  }

  private protectedParty(): { fin?: string; voen?: string; name: string } {
    const { terms } = this.run.agreed();
    if (terms.protectedPartyKind === 'legal') return { voen: terms.protectedEntity?.voen || undefined, name: terms.protectedEntity?.name ?? '' };
    const person = (terms.applicantIsProtectedParty === false ? terms.protectedPerson : terms.applicant) as NaturalPerson;
    return { fin: person.fin || undefined, name: displayName(person) };
  }

  private async attachOrder(caseNumber: string): Promise<void> {
    const { run } = this;
    const filing = run.state.courtFilings?.find((f) => f.caseNumber === caseNumber);
    const issue = this.latestIssue();
    if (!filing || filing.status === 'failed' || !issue) return;
    filing.status = 'pending';
    filing.orderNumber = issue.orderNumber;
    try {
      const joined = await joinCourtCase({
        contractId: run.state.contractId,
        caseNumber,
        version: issue.version,
        orderNumber: issue.orderNumber,
        lawyerId: run.state.lawyerId,
        protectedParty: this.protectedParty(),
      });
      filing.attempts = joined.attempt;
      const firstJoin = filing.joinedAt === undefined;
      filing.joinedAt ??= joined.joinedAt;
      filing.courtName = joined.courtName;
      if (!filing.attachedOrders.includes(issue.orderNumber)) filing.attachedOrders.push(issue.orderNumber);
      filing.status = 'joined';
      run.record('court_joined', undefined, `${caseNumber} · ${issue.orderNumber}`);
      // An amendment issued a newer order while this one was on its way: attach that one too.
      const latest = this.latestIssue();
      if (latest && latest.orderNumber !== issue.orderNumber) {
        filing.status = 'pending';
        filing.orderNumber = latest.orderNumber;
        this.queueFiling(caseNumber);
      } else if (firstJoin && !run.isFinal() && run.versions.has(ORDER_CASE_NUMBER_PATCH)) {
        // Issue 13: the order is issued again with the case number printed in it; issuing it
        // attaches the new version to the case (attachAgain). A case is joined for the first time
        // once, so this happens once per case.
        run.issueNextVersion();
      }
    } catch (err) {
      const cause = err instanceof ActivityFailure ? err.cause : undefined;
      const refusedAs = cause instanceof ApplicationFailure ? courtRefusal(cause.type) : undefined;
      const { attempt, ...params } =
        (cause instanceof ApplicationFailure ? (cause.details?.[0] as (CodeParams & { attempt?: number }) | undefined) : undefined) ?? {};
      filing.status = 'failed';
      filing.reasonCode = refusedAs ?? 'ECourtUnavailable';
      if (cause instanceof ApplicationFailure) {
        filing.reason = cause.message;
        filing.reasonParams = params;
      } else {
        filing.reason = 'court_filing.unavailable';
        filing.reasonParams = { detail: cause instanceof Error ? cause.message : '' };
      }
      filing.attempts = typeof attempt === 'number' ? attempt : filing.attempts;
      run.record('court_filing_failed', undefined, caseNumber);
    }
    await run.commit();
  }
}

function courtRefusal(type: string | undefined | null): CourtRefusal | undefined {
  return COURT_REFUSALS.find((t) => t === type);
}
