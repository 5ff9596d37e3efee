/** The bureau head's decision on a contract sent for approval (R4.2). */
import { setHandler } from '@temporalio/workflow';
import type { Actor } from '../../domain/contract';
import { approve, approveAsAlreadyPaid, reject } from './messages';
import { type ContractRun, now, requireReason } from './run';

export function handleTheBureauHead(run: ContractRun): void {
  setHandler(
    approve,
    async (actor) => {
      const state = run.agreed();
      state.status = 'awaiting_payment';
      state.awaitingPaymentSince = now();
      state.paymentRemindersSent = 0;
      run.record('approved', actor.id);
      run.notify('approved');
      return run.commitApproval();
    },
    { validator: (actor: Actor) => run.guard('approve', actor) },
  );

  // R4.2.2: the price was settled outside the system; the head pays the Bar fee.
  setHandler(
    approveAsAlreadyPaid,
    async (actor) => {
      const state = run.agreed();
      state.status = 'awaiting_fee';
      state.approvedAsAlreadyPaid = true;
      run.record('approved_as_already_paid', actor.id);
      return run.commitApproval();
    },
    { validator: (actor: Actor) => run.guard('approveAsAlreadyPaid', actor) },
  );

  // R4.2.3: back to the lawyer as a draft, with the reason.
  setHandler(
    reject,
    async (actor, { reason }) => {
      const state = run.agreed();
      run.state = { ...state, status: 'draft', draft: { ...state.terms }, terms: undefined, rejection: { reason: reason.trim(), at: now(), by: actor.id } };
      run.record('rejected', actor.id, reason.trim());
      run.notify('rejected');
      return run.commit();
    },
    {
      validator: (actor: Actor, body: { reason?: unknown } | undefined) => {
        run.guard('reject', actor);
        requireReason(body?.reason);
      },
    },
  );
}
