/**
 * Determinism guard: contracts already running in production must replay against the code of a
 * new release. A change that alters the commands of a recorded history fails here; make it with
 * `patched()` instead (docs/versioning.md).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RECORDED, REPLAY_FIXTURES, replayHistory } from '../support/replay';

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

  type Events = Record<string, { activityType?: { name?: string }; details?: unknown }>[];
  const eventsOf = (file: string) => (JSON.parse(readFileSync(file, 'utf8')) as { events: Events }).events;
  const patchesOf = (events: Events) =>
    events.filter((e) => e.markerRecordedEventAttributes && JSON.stringify(e.markerRecordedEventAttributes).includes('core_patch'));
  const patchIds = (events: Events) =>
    patchesOf(events).map((e) => {
      const { details } = e.markerRecordedEventAttributes as { details: Record<string, { payloads: { data: string }[] }> };
      return (JSON.parse(Buffer.from(details['patch-data'].payloads[0].data, 'base64').toString('utf8')) as { id: string }).id;
    });
  const scheduled = (events: Events, activity: string) => events.filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === activity).length;

  it('issue 14: the full path recorded after it prepares the contract at approval and ends with a small result', () => {
    const events = eventsOf(RECORDED.issue14);
    expect(patchesOf(events).length).toBeGreaterThanOrEqual(2);
    expect(scheduled(events, 'prepareContract')).toBe(1);
  });

  it('issue 14: in the path recorded last, the eleven notifications go with the read-model writes, none by an activity of its own', () => {
    const before = eventsOf(RECORDED.issue14);
    const after = eventsOf(RECORDED.notices);
    expect(scheduled(before, 'queueNotifications')).toBe(11);
    expect(scheduled(after, 'queueNotifications')).toBe(0);
    expect(patchIds(after)).toContain('notices-with-read-model');
    expect(patchIds(before)).not.toContain('notices-with-read-model');
    expect(after.length).toBeLessThan(before.length - 40);
  });

  it('issue 14: in the path recorded last, the first payment is written with its order: no read-model write between the payment and the order’s activity', () => {
    const writesBeforeOrder = (events: Events) => {
      const paid = events.findIndex((e) => e.workflowExecutionSignaledEventAttributes);
      const order = events.findIndex((e, i) => i > paid && e.activityTaskScheduledEventAttributes?.activityType?.name === 'issueDocuments');
      return events
        .slice(paid, order)
        .filter((e) => (e.markerRecordedEventAttributes as { markerName?: string } | undefined)?.markerName === 'core_local_activity').length;
    };
    const before = eventsOf(RECORDED.notices);
    const after = eventsOf(RECORDED.paymentWithOrder);
    expect(patchIds(after)).toContain('payment-written-with-order');
    expect(patchIds(before)).not.toContain('payment-written-with-order');
    expect(writesBeforeOrder(after)).toBe(0);
    expect(after.length).toBeLessThan(before.length);
  });

  it('issue 14: in the path recorded last, the contacts are claimed by local activities, with fewer workflow tasks', () => {
    const before = eventsOf(RECORDED.paymentWithOrder);
    const after = eventsOf(RECORDED.contactsClaimedLocally);
    const workflowTasks = (events: Events) => events.filter((e) => e.workflowTaskCompletedEventAttributes).length;
    expect(patchIds(after)).toContain('contacts-claimed-locally');
    expect(patchIds(before)).not.toContain('contacts-claimed-locally');
    // The full path claims contacts three times (submit, resubmit, the amendment).
    expect(scheduled(before, 'claimContacts')).toBe(3);
    expect(scheduled(after, 'claimContacts')).toBe(0);
    // Every other activity is still scheduled as before.
    for (const activity of ['openApplicantCabinet', 'issueDocuments', 'prepareContract']) expect(scheduled(after, activity)).toBe(scheduled(before, activity));
    expect(workflowTasks(after)).toBeLessThan(workflowTasks(before));
    expect(after.length).toBeLessThan(before.length - 10);
  });

  it('issue 14: in the path recorded last, the approval’s read-model write prepares the contract: no prepareContract activity', () => {
    const before = eventsOf(RECORDED.contactsClaimedLocally);
    const after = eventsOf(RECORDED.preparedWithReadModel);
    expect(patchIds(after)).toContain('contract-prepared-with-read-model');
    expect(patchIds(before)).not.toContain('contract-prepared-with-read-model');
    // The full path is approved once (its amendment is approved by the applicant's consent).
    expect(scheduled(before, 'prepareContract')).toBe(1);
    expect(scheduled(after, 'prepareContract')).toBe(0);
    for (const activity of ['openApplicantCabinet', 'issueDocuments']) expect(scheduled(after, activity)).toBe(scheduled(before, activity));
    expect(after.length).toBeLessThan(before.length);
  });

  it('issue 14: in the path recorded last, one marker stands for every earlier change, and the contract is written once at its start', () => {
    const before = eventsOf(RECORDED.preparedWithReadModel);
    const after = eventsOf(RECORDED.contractPath202612);
    const upserts = (events: Events) => events.filter((e) => e.upsertWorkflowSearchAttributesEventAttributes).length;
    const writesBeforeFirstUpdate = (events: Events) =>
      events
        .slice(
          0,
          events.findIndex((e) => e.workflowExecutionUpdateCompletedEventAttributes),
        )
        .filter((e) => (e.markerRecordedEventAttributes as { markerName?: string } | undefined)?.markerName === 'core_local_activity').length;
    expect(patchIds(before).length).toBeGreaterThanOrEqual(6);
    expect(patchIds(after)).toEqual(['contract-path-2026-12']);
    // Each patch’s first use had the SDK upsert TemporalChangeVersion (now one); the start’s "draft" is not upserted again.
    expect(upserts(after)).toBe(upserts(before) - patchIds(before).length + 1 - 1);
    expect(writesBeforeFirstUpdate(before)).toBe(2);
    expect(writesBeforeFirstUpdate(after)).toBe(1);
    for (const activity of ['openApplicantCabinet', 'issueDocuments']) expect(scheduled(after, activity)).toBe(scheduled(before, activity));
    expect(after.length).toBeLessThan(before.length - 10);
  });

  it('a history whose commands differ from the code is reported as non-deterministic (the guard can fail)', async () => {
    const json = JSON.parse(readFileSync(RECORDED.original, 'utf8'));
    // Pretend the code once scheduled a different first activity than it does now.
    const scheduled = json.events.find((e: { activityTaskScheduledEventAttributes?: unknown }) => e.activityTaskScheduledEventAttributes);
    scheduled.activityTaskScheduledEventAttributes.activityType.name = 'someActivityThatNoLongerExists';
    await expect(replayHistory(json, 'contract-replay-tampered')).rejects.toThrow(/[Nn]ondeterminism|DeterminismViolation/);
  });
});
