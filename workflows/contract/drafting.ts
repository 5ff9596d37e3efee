/** The lawyer's draft (R4.1): saved step by step, discarded, or sent to the bureau head. */
import { setHandler } from '@temporalio/workflow';
import { type Actor, type ContractDraft, mergeDraft, normalizeTerms, validateTerms } from '../../domain/contract';
import { claimContactsOf } from './contacts';
import { discardDraft, saveDraft, submitForApproval } from './messages';
import { type ContractRun, requireValid } from './run';

export function handleTheDraft(run: ContractRun): void {
  setHandler(
    saveDraft,
    async (actor, step) => {
      run.state.draft = mergeDraft(run.state.draft, step);
      run.record('draft_saved', actor.id);
      return run.commit();
    },
    {
      validator: (actor: Actor, step: ContractDraft | undefined) => {
        run.guard('saveDraft', actor);
        requireValid(validateTerms(mergeDraft(run.state.draft, step ?? {}), 'partial'));
      },
    },
  );

  setHandler(
    discardDraft,
    async (actor) => {
      run.drafting().status = 'discarded';
      run.record('draft_discarded', actor.id);
      return run.commit();
    },
    { validator: (actor: Actor) => run.guard('discardDraft', actor) },
  );

  setHandler(
    submitForApproval,
    (actor) =>
      run.exclusively('submitForApproval', async () => {
        await claimContactsOf(run, run.state.draft);
        const draft = run.drafting();
        run.state = { ...draft, terms: normalizeTerms(draft.draft), status: 'awaiting_approval', rejection: undefined };
        run.record('submitted', actor.id);
        run.effects.push({ kind: 'openApplicantCabinet', atRevision: run.state.revision + 1 });
        run.notify('submitted');
        return run.commit();
      }),
    {
      validator: (actor: Actor) => {
        run.guard('submitForApproval', actor);
        requireValid(validateTerms(run.state.draft, 'complete'));
      },
    },
  );
}
