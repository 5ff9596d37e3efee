/**
 * Issue 10 item 2: long activities (rendering the order, sending the outbox) heartbeat every
 * interval, so a short heartbeat timeout notices a killed worker within seconds. Issue 14: not at
 * once (Temporal counts the timeout from the attempt's start), so a short one sends none.
 */
import { MockActivityEnvironment } from '@temporalio/testing';
import { describe, expect, it } from 'vitest';
import { whileHeartbeating } from '../../activities/shared/heartbeat';

describe('issue 10 item 2: heartbeats of long activities', () => {
  it('beats every interval while the work runs, and stops when it is done', async () => {
    const env = new MockActivityEnvironment();
    let beats = 0;
    env.on('heartbeat', () => beats++);
    let renewals = 0;
    const result = await env.run(() =>
      whileHeartbeating(() => new Promise<string>((resolve) => setTimeout(() => resolve('rendered'), 230)), { everyMs: 50, onBeat: () => renewals++ }),
    );
    expect(result).toBe('rendered');
    // At least twice while the work ran (loose on purpose: a busy machine delays timers).
    expect(beats).toBeGreaterThanOrEqual(2);
    expect(renewals).toBeGreaterThanOrEqual(1);
    const after = beats;
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(beats).toBe(after);
  });

  it('issue 14: work done within the interval sends no heartbeat', async () => {
    const env = new MockActivityEnvironment();
    let beats = 0;
    env.on('heartbeat', () => beats++);
    expect(await env.run(() => whileHeartbeating(() => new Promise<string>((resolve) => setTimeout(() => resolve('rendered'), 20)), { everyMs: 500 }))).toBe(
      'rendered',
    );
    expect(beats).toBe(0);
  });

  it('outside an activity (a unit test of the activity body) it just runs the work; a failure stays the work’s', async () => {
    expect(await whileHeartbeating(() => Promise.resolve(42), { everyMs: 10 })).toBe(42);
    await expect(whileHeartbeating(() => Promise.reject(new Error('Chromium crashed')), { everyMs: 10 })).rejects.toThrow('Chromium crashed');
  });
});
