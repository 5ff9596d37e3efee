/** Archive (R4.7): finished, or terminated with a reason and restarted where it was. */
import { setHandler } from '@temporalio/workflow';
import type { Actor } from '../../domain/contract';
import { failure } from '../shared/failures';
import { finish, restart, terminate } from './messages';
import { type ContractRun, now, requireReason } from './run';

export function handleTheArchive(run: ContractRun): void {
  setHandler(
    finish,
    async (actor) => {
      run.agreed().status = 'finished';
      run.record('finished', actor.id);
      run.notify('finished');
      return run.commit();
    },
    { validator: (actor: Actor) => run.guard('finish', actor) },
  );

  setHandler(
    terminate,
    async (actor, { reason }) => {
      const state = run.agreed();
      state.termination = { reason: reason.trim(), at: now(), by: actor.id, statusBefore: state.status };
      state.status = 'terminated';
      state.amendment = undefined;
      run.record('terminated', actor.id, reason.trim());
      run.notify('terminated');
      return run.commit();
    },
    {
      validator: (actor: Actor, body: { reason?: unknown } | undefined) => {
        run.guard('terminate', actor);
        requireReason(body?.reason);
      },
    },
  );

  setHandler(
    restart,
    async (actor) => {
      const state = run.agreed();
      const { termination } = state;
      if (!termination) throw failure('NotAllowed', 'contract.restart_not_terminated');
      state.status = termination.statusBefore;
      if (state.status === 'awaiting_payment') state.awaitingPaymentSince = now();
      state.termination = undefined;
      run.record('restarted', actor.id);
      run.notify('restarted');
      return run.commit();
    },
    { validator: (actor: Actor) => run.guard('restart', actor) },
  );
}
