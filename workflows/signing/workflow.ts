/**
 * An order's electronic signing (issue 13), one workflow per contract and version
 * (`order-signing-<contract>-v<version>`), separate from the contract's workflow so that the
 * contract's recorded commands do not change and a signing waiting for a phone never holds up the
 * contract:
 *
 * idle ─requestSignature─▶ pending ─(phone confirms)─▶ signed
 *                                  └─(refuses, times out)─▶ refused | expired
 *
 * The update answers the code the phone shows; the main loop then waits for the phone in one
 * heartbeating activity and stores the signed copy. A run ends after one attempt; asking again
 * starts a new run with the same ID. Nothing is asked within `idleMs`: the run ends.
 */
import { ActivityFailure, ApplicationFailure, allHandlersFinished, condition, proxyActivities, setHandler } from '@temporalio/workflow';
import type { Actor } from '../../domain/shared/actor';
import { failure } from '../shared/failures';
import { getOrderSigningState, type OrderSigningActivities, type OrderSigningAnswer, type OrderSigningInput, requestSignature } from './messages';

// Asked while the lawyer waits for the page: a few quick tries, then the page says "try again".
const asking = proxyActivities<OrderSigningActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '500 milliseconds', maximumAttempts: 3 },
});
// The phone may take minutes; the heartbeat notices a killed worker, and a retry polls again.
const waiting = proxyActivities<OrderSigningActivities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '20 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});

const IDLE_MS = 10 * 60_000;

/** An activity's refusal as the API's kinds: the holder unknown is "not allowed", anything else "unavailable". */
function refusalOf(error: unknown): ApplicationFailure {
  const cause = error instanceof ActivityFailure ? error.cause : error;
  if (cause instanceof ApplicationFailure && cause.type === 'SigningNotAllowed') return failure('NotAllowed', cause.message);
  return failure('Unavailable', 'signing.unavailable');
}

export async function orderSigningWorkflow(input: OrderSigningInput): Promise<OrderSigningAnswer> {
  let answer: OrderSigningAnswer = { status: 'idle' };
  let transactionId: string | undefined;
  let asked = false;

  setHandler(getOrderSigningState, () => answer);
  setHandler(
    requestSignature,
    async () => {
      if (asked) await condition(() => answer.status !== 'idle' || !asked);
      if (answer.status !== 'idle') return answer;
      asked = true;
      try {
        const started = await asking.requestOrderSignature(input);
        transactionId = started.transactionId;
        answer = { status: started.status, ...(started.verificationCode ? { verificationCode: started.verificationCode, expiresAt: started.expiresAt } : {}) };
        return answer;
      } catch (error) {
        throw refusalOf(error);
      } finally {
        asked = false;
      }
    },
    {
      validator: (actor: Actor) => {
        if (actor.kind !== 'lawyer' || actor.id !== input.lawyerId) throw failure('NotYours', 'signing.not_yours');
      },
    },
  );

  const requested = await condition(() => answer.status !== 'idle', IDLE_MS);
  if (requested && answer.status === 'pending' && transactionId) {
    const done = await waiting.completeOrderSignature({ contractId: input.contractId, version: input.version, transactionId });
    answer = { status: done.status };
  }
  await condition(allHandlersFinished);
  return answer;
}
