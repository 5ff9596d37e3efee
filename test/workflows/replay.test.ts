/**
 * Determinism guard: contracts already running in production must replay against the code of a
 * new release. A change that alters the commands of a recorded history fails here; make it with
 * `patched()` instead (docs/versioning.md).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { REPLAY_FIXTURE, replayHistory } from '../support/replay';

describe('replay of recorded contract histories', () => {
  it('R4.1–R4.7 the recorded full path replays without non-determinism against the current workflow code', async () => {
    // The CLI's JSON form, which runReplayHistory reads as it is.
    const history = JSON.parse(readFileSync(REPLAY_FIXTURE, 'utf8'));
    expect(history.events.length).toBeGreaterThan(50);
    // With the payload codec in the replay worker (issue 9 item 4): the fixture's plain json passes through it.
    await replayHistory(history, 'contract-replay-fixture');
  });

  it('a history whose commands differ from the code is reported as non-deterministic (the guard can fail)', async () => {
    const json = JSON.parse(readFileSync(REPLAY_FIXTURE, 'utf8'));
    // Pretend the code once scheduled a different first activity than it does now.
    const scheduled = json.events.find((e: { activityTaskScheduledEventAttributes?: unknown }) => e.activityTaskScheduledEventAttributes);
    scheduled.activityTaskScheduledEventAttributes.activityType.name = 'someActivityThatNoLongerExists';
    await expect(replayHistory(json, 'contract-replay-tampered')).rejects.toThrow(/[Nn]ondeterminism|DeterminismViolation/);
  });
});
