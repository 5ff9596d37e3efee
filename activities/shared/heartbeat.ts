/**
 * Heartbeats for activities that can take a while (issue 10 item 2). With a short heartbeat
 * timeout, Temporal notices within seconds that the worker running an attempt is gone (SIGKILL,
 * a lost machine) and retries it on another, instead of waiting out the start-to-close timeout.
 */
import { Context } from '@temporalio/activity';

/** How often a long activity reports that it is alive; well under the heartbeat timeouts (5 s). */
export const HEARTBEAT_EVERY_MS = 1_000;

/** The running activity's heartbeat, or undefined when called outside an activity (a unit test). */
function currentHeartbeat(): ((details?: unknown) => void) | undefined {
  try {
    const context = Context.current();
    return (details) => context.heartbeat(details);
  } catch {
    return undefined;
  }
}

/**
 * Runs `body`, heartbeating every `everyMs` until it settles. `onBeat` runs at each beat too (e.g.
 * to renew a lease); its failures are the caller's to log, never the body's. No beat at the start
 * (issue 14): Temporal counts the heartbeat timeout from the attempt's start, so a worker killed
 * before its first beat is noticed as soon, and an activity done within `everyMs` (an order, most
 * outbox batches) costs no heartbeat call at all.
 */
export async function whileHeartbeating<T>(body: () => Promise<T>, options: { everyMs?: number; onBeat?: () => void } = {}): Promise<T> {
  const heartbeat = currentHeartbeat();
  const beat = () => {
    heartbeat?.();
    options.onBeat?.();
  };
  const timer = setInterval(beat, options.everyMs ?? HEARTBEAT_EVERY_MS);
  try {
    return await body();
  } finally {
    clearInterval(timer);
  }
}
