/**
 * Determinism guard: contracts already running in production must replay against the code of a
 * new release. A change that alters the commands of a recorded history fails here; make it with
 * `patched()` instead (docs/versioning.md).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPLAY_FIXTURE, REPLAY_FIXTURES, replayHistory } from '../support/replay';

describe('replay of recorded contract histories', () => {
  it.each(REPLAY_FIXTURES.filter((f) => existsSync(f)).map((f) => [path.basename(f), f]))(
    'R4.1–R4.7 the recorded full path %s replays without non-determinism against the current workflow code',
    async (_name, file) => {
      // The CLI's JSON form, which runReplayHistory reads as it is.
      const history = JSON.parse(readFileSync(file, 'utf8'));
      expect(history.events.length).toBeGreaterThan(50);
      // With the payload codec in the replay worker (issue 9 item 4): the fixture's plain json passes through it.
      await replayHistory(history, `contract-replay-${path.basename(file, '.history.json')}`);
    },
  );

  it('issue 14: the full path recorded after it prepares the contract at approval and ends with a small result', () => {
    const file = REPLAY_FIXTURES[REPLAY_FIXTURES.length - 1];
    const { events } = JSON.parse(readFileSync(file, 'utf8')) as { events: Record<string, { activityType?: { name?: string }; details?: unknown }>[] };
    const patches = events.filter((e) => e.markerRecordedEventAttributes && JSON.stringify(e.markerRecordedEventAttributes).includes('core_patch'));
    expect(patches.length).toBeGreaterThanOrEqual(2);
    expect(events.some((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'prepareContract')).toBe(true);
  });

  it('a history whose commands differ from the code is reported as non-deterministic (the guard can fail)', async () => {
    const json = JSON.parse(readFileSync(REPLAY_FIXTURE, 'utf8'));
    // Pretend the code once scheduled a different first activity than it does now.
    const scheduled = json.events.find((e: { activityTaskScheduledEventAttributes?: unknown }) => e.activityTaskScheduledEventAttributes);
    scheduled.activityTaskScheduledEventAttributes.activityType.name = 'someActivityThatNoLongerExists';
    await expect(replayHistory(json, 'contract-replay-tampered')).rejects.toThrow(/[Nn]ondeterminism|DeterminismViolation/);
  });
});
