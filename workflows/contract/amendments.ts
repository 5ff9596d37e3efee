/**
 * Amendments of an active contract (R4.4): a price change needs the applicant's consent (R4.4.2),
 * every change the head's approval (R4.4.3) — the head's own change takes effect at once.
 */
import { setHandler, uuid4 } from '@temporalio/workflow';
import { type Actor, applyChanges, type ContractDraft, normalizeTerms, priceChanged, validateTerms } from '../../domain/contract';
import { failure, fieldError, invalidFields } from '../shared/failures';
import { claimContactsOf } from './contacts';
import { approveAmendment, proposeAmendment, rejectAmendment, respondToPriceChange } from './messages';
import { type ContractRun, now, requireReason, requireValid } from './run';

export function handleAmendments(run: ContractRun): void {
  setHandler(
    proposeAmendment,
    (actor, { changes, note }) =>
      run.exclusively('proposeAmendment', async () => {
        const amended = applyChanges(run.agreed().terms, changes);
        await claimContactsOf(run, amended);
        const state = run.agreed();
        const byHead = actor.isHead === true && actor.bureauId === state.bureauId;
        const changesPrice = priceChanged(state.terms.price, amended.price);
        state.amendmentCount += 1;
        state.amendment = {
          id: `${state.amendmentCount}-${uuid4().slice(0, 8)}`,
          proposedBy: actor.id,
          proposedByHead: byHead,
          changes,
          note: note?.trim() || undefined,
          priceChanged: changesPrice,
          status: changesPrice ? 'awaiting_consent' : 'awaiting_head_approval',
          proposedAt: now(),
        };
        run.record('amendment_proposed', actor.id, note);
        if (changesPrice) run.notify('amendment_needs_consent');
        else if (byHead)
          applyAmendment(run, actor.id); // R4.4.3: the head's own change takes effect at once
        else run.notify('amendment_needs_approval');
        return run.commit();
      }),
    {
      validator: (actor: Actor, body: { changes?: ContractDraft; note?: unknown } | undefined) => {
        run.guard('proposeAmendment', actor);
        if (!body?.changes || Object.keys(body.changes).length === 0) {
          throw invalidFields([fieldError('changes', 'contract.amendment_changes_nothing')]);
        }
        requireValid(validateTerms(applyChanges(run.agreed().terms, body.changes), 'complete'));
      },
    },
  );

  setHandler(
    respondToPriceChange,
    async (actor, { consent }) => {
      const amendment = run.state.amendment;
      if (!amendment) throw failure('NotAllowed', 'contract.no_price_change');
      if (!consent) {
        run.state.amendment = undefined;
        run.record('price_change_declined', actor.id);
        run.notify('amendment_rejected');
      } else if (amendment.proposedByHead) {
        run.record('price_change_consented', actor.id);
        applyAmendment(run, actor.id);
      } else {
        amendment.status = 'awaiting_head_approval';
        run.record('price_change_consented', actor.id);
        run.notify('amendment_needs_approval');
      }
      return run.commit();
    },
    {
      validator: (actor: Actor, body: { consent?: unknown } | undefined) => {
        run.guard('respondToPriceChange', actor);
        if (typeof body?.consent !== 'boolean') throw invalidFields([fieldError('consent', 'contract.consent_required')]);
      },
    },
  );

  setHandler(
    approveAmendment,
    async (actor) => {
      applyAmendment(run, actor.id);
      return run.commit();
    },
    { validator: (actor: Actor) => run.guard('approveAmendment', actor) },
  );

  setHandler(
    rejectAmendment,
    async (actor, { reason }) => {
      run.state.amendment = undefined;
      run.record('amendment_rejected', actor.id, reason.trim());
      run.notify('amendment_rejected');
      return run.commit();
    },
    {
      validator: (actor: Actor, body: { reason?: unknown } | undefined) => {
        run.guard('rejectAmendment', actor);
        requireReason(body?.reason);
      },
    },
  );
}

/** The amendment takes effect: new terms, and the documents of a new version (R4.4.3). */
function applyAmendment(run: ContractRun, by: Actor['id']): void {
  const state = run.agreed();
  const { amendment } = state;
  if (!amendment) throw failure('NotAllowed', 'contract.no_amendment_awaiting');
  state.terms = normalizeTerms(applyChanges(state.terms, amendment.changes));
  state.amendment = undefined;
  run.record('amendment_applied', by);
  run.issueNextVersion();
  run.notify('amendment_applied');
}
