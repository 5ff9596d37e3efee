import path from 'node:path';

/**
 * A recorded history of a contract's full path (draft → reject → resubmit → approve → pay →
 * amendment with consent → terminate → restart → finish). Recorded by the workflow test with
 * RECORD_REPLAY_FIXTURE=1; replayed by test/workflows/replay.test.ts against the current code.
 * Re-record it only on purpose, when an old history no longer matters (see docs/versioning.md).
 */
export const REPLAY_FIXTURE = path.resolve(__dirname, '..', 'fixtures', 'contract-full-path.history.json');
