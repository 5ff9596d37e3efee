/**
 * One legal-aid contract, from the lawyer's draft to the archive (SPEC "Lifecycle of a contract").
 *
 * draft ─submit─▶ awaiting_approval ─approve─▶ awaiting_payment ─payment─▶ active (order issued)
 *                  │ └─approve as already paid─▶ awaiting_fee ─fee paid─┘
 *                  └─reject─▶ draft
 * active ─amend─▶ (consent) ─▶ (head approval) ─▶ active, documents v+1
 * active ─finish─▶ finished            … ─terminate─▶ terminated ─restart─▶ back where it was
 *
 * Humans decide through updates whose synchronous validators ask the rules module (domain/contract)
 * and reject without a trace; the payment agent reports through signals. The steps are registered
 * in the manual's order; the main loop below carries out what they decided.
 */
import { allHandlersFinished, condition, continueAsNew, setHandler } from '@temporalio/workflow';
import { recordContract } from './activities';
import { handleAmendments } from './amendments';
import { handleTheArchive } from './archive';
import { handleTheBureauHead } from './bureau-head';
import { CourtLane } from './court-lane';
import { handleTheDraft } from './drafting';
import { carryOutEffects } from './effects';
import { type ContractView, type ContractWorkflowInput, getContractState } from './messages';
import { handleMoneyFromOutside } from './money';
import { ContractRun } from './run';

/** Marks the histories that end with a small outcome instead of the whole view (issue 14). */
export const SMALL_RESULT_PATCH = 'contract-small-result';

/**
 * Marks the histories where a long history waits for the step in progress before it wakes the main
 * loop. Before, a history that grew long while a step awaited an activity (the contacts claimed at
 * submit, a save) woke the loop at once, and the loop, finding nothing it could do, woke again at
 * once: a spin of microtasks that never ended the workflow task. After the isolate's 5 s timeout
 * the worker thread's async hook stack was corrupt and Node aborted the whole worker process
 * ("async hook stack has become corrupted"), again at every replay of the task. The marker is asked
 * for only in that state, so other histories record nothing; a task that spun and never completed
 * runs the new code when it is retried.
 */
export const LONG_HISTORY_WAITS_PATCH = 'long-history-waits-for-step';

/** Whether a long history may wake the main loop to continue as new: not while a step awaits an activity. */
function longHistoryCanEnd(run: ContractRun): boolean {
  return run.historyIsLong() && (!run.stepInProgress || !run.versions.has(LONG_HISTORY_WAITS_PATCH));
}

/**
 * What a finished contract workflow returns (issue 14): the outcome, not the whole view with its
 * history (4 KB in every closed history); the read model and the query keep the rest.
 */
export type ContractOutcome = Pick<ContractView, 'contractId' | 'status' | 'revision' | 'paidQepik' | 'balanceDueQepik' | 'currentVersion' | 'issuedVersions'>;

export async function contractWorkflow(input: ContractWorkflowInput): Promise<ContractView | ContractOutcome> {
  const run = new ContractRun(input);
  setHandler(getContractState, () => run.view());

  handleTheDraft(run); // R4.1
  handleTheBureauHead(run); // R4.2
  handleMoneyFromOutside(run); // R4.2.2, R4.3
  handleAmendments(run); // R4.4
  handleTheArchive(run); // R4.7
  const court = new CourtLane(run); // R4.6
  court.handleSendToCourt();
  court.resumePending();

  // A first save that came with the start (update-with-start) has committed by now, and wrote the contract.
  if (!input.carriedState && !(run.firstCommitWrites && run.state.revision > 0)) await run.commit();
  return mainLoop(run, court);
}

/** Waits for work, carries out the effects in order, reminds of payment, and ends or continues as new. */
async function mainLoop(run: ContractRun, court: CourtLane): Promise<ContractView | ContractOutcome> {
  const { effects } = run;
  for (;;) {
    const reminderDue = run.msUntilPaymentReminder();
    const wakeUp = () => effects.length > 0 || run.readModelStale || run.isFinal() || longHistoryCanEnd(run);
    const woken = reminderDue === undefined ? (await condition(wakeUp), true) : await condition(wakeUp, reminderDue);
    if (!woken) {
      await remindOfPayment(run);
      continue;
    }
    // The read model first: effects below read it and wait until it has their revision.
    if (run.readModelStale) {
      run.readModelStale = false;
      await recordContract(run.view());
    }
    // The documents and the notifications in two lanes (issue 10 item 2).
    await carryOutEffects(run, court);
    if (run.isFinal() && effects.length === 0) {
      await condition(allHandlersFinished);
      // A finished contract still completes the court filings it started (R4.6).
      if (!court.idle()) await condition(() => court.idle() || effects.length > 0);
      if (effects.length === 0 && court.idle()) return outcome(run);
    }
    if (run.historyIsLong() && effects.length === 0 && !run.stepInProgress) {
      await condition(allHandlersFinished);
      if (effects.length === 0) {
        await continueAsNew<typeof contractWorkflow>({ ...run.input, draft: {}, carriedState: run.state });
      }
    }
  }
}

/** The workflow's result: the whole view in histories before issue 14, its outcome after. */
function outcome(run: ContractRun): ContractView | ContractOutcome {
  const view = run.view();
  if (!run.versions.has(SMALL_RESULT_PATCH)) return view;
  const { contractId, status, revision, paidQepik, balanceDueQepik, currentVersion, issuedVersions } = view;
  return { contractId, status, revision, paidQepik, balanceDueQepik, currentVersion, issuedVersions };
}

/** R4.3: the applicant has not paid within the waiting time. */
async function remindOfPayment(run: ContractRun): Promise<void> {
  run.state.paymentRemindersSent += 1;
  run.record('payment_reminder_sent');
  run.notify('payment_reminder');
  await run.commit();
}
