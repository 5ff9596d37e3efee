import path from 'node:path';
import { Worker } from '@temporalio/worker';
import { inject } from 'vitest';
import { dataConverterWith } from '../../platform/data-converter';
import { AesGcmPayloadCodec, parsePayloadKeys } from '../../platform/payload-codec';
import { workflowBundle } from '../../platform/worker';

/**
 * A recorded history of a contract's full path (draft → reject → resubmit → approve → pay →
 * amendment with consent → terminate → restart → finish). Recorded by the workflow test with
 * RECORD_REPLAY_FIXTURE=1; replayed by test/workflows/replay.test.ts against the current code.
 * Re-record it only on purpose, when an old history no longer matters (see docs/versioning.md).
 */
export const REPLAY_FIXTURE = path.resolve(__dirname, '..', 'fixtures', 'contract-full-path.history.json');
/**
 * Issue 14: the same full path recorded with the contract prepared at approval and the small result
 * (patches contract-prepared-at-approval, contract-small-result); it and the first stay as they were
 * recorded, for the contracts that started before.
 */
export const REPLAY_FIXTURE_ISSUE_14 = path.resolve(__dirname, '..', 'fixtures', 'contract-full-path.issue14.history.json');
/**
 * Issue 14, later: the same path with a step's notifications queued by its read-model write when
 * nothing else waits (patch notices-with-read-model).
 */
export const REPLAY_FIXTURE_NOTICES = path.resolve(__dirname, '..', 'fixtures', 'contract-full-path.notices.history.json');
/**
 * Issue 14, later still: the same path with the payment that issues the order written to the read
 * model with the order (patch payment-written-with-order).
 */
export const REPLAY_FIXTURE_PAYMENT_WITH_ORDER = path.resolve(__dirname, '..', 'fixtures', 'contract-full-path.payment-with-order.history.json');
/**
 * Issue 14, session 25: the same path with the contacts claimed by a local activity
 * (patch contacts-claimed-locally).
 */
export const REPLAY_FIXTURE_CONTACTS_LOCAL = path.resolve(__dirname, '..', 'fixtures', 'contract-full-path.contacts-claimed-locally.history.json');
/**
 * Issue 14, session 25, later: the same path with the contract prepared by the approval's read-model
 * write, not by an activity (patch contract-prepared-with-read-model). RECORD_REPLAY_FIXTURE=1 writes this one now.
 */
export const REPLAY_FIXTURE_PREPARED_WITH_READ_MODEL = path.resolve(__dirname, '..', 'fixtures', 'contract-full-path.prepared-with-read-model.history.json');
/** Every recorded history the replay test replays, oldest first; the last is the one RECORD_REPLAY_FIXTURE=1 writes. */
export const REPLAY_FIXTURES = [
  REPLAY_FIXTURE,
  REPLAY_FIXTURE_ISSUE_14,
  REPLAY_FIXTURE_NOTICES,
  REPLAY_FIXTURE_PAYMENT_WITH_ORDER,
  REPLAY_FIXTURE_CONTACTS_LOCAL,
  REPLAY_FIXTURE_PREPARED_WITH_READ_MODEL,
];

/** The suite's data converter (its key set from test/global-setup.ts), as every test client and worker has it. */
export const testDataConverter = () => dataConverterWith(parsePayloadKeys(inject('payloadKeys')));

/** Replays a history as a production worker would: the real bundle, the real data converter (issue 9 item 4). */
export async function replayHistory(history: Parameters<typeof Worker.runReplayHistory>[1], workflowId: string): Promise<void> {
  await Worker.runReplayHistory(
    { workflowBundle: await workflowBundle(process.env.EVK_WORKFLOW_BUNDLE), dataConverter: testDataConverter() },
    history,
    workflowId,
  );
}

interface JsonPayload {
  metadata?: Record<string, string>;
  data?: string;
}

/**
 * Issue 14: a history as the CLI prints it, with this suite's encrypted payloads decrypted, so that a
 * fixture replays with any later run's keys (the replay worker's codec lets plain payloads through).
 */
export async function decryptedHistory(json: string): Promise<string> {
  const codec = new AesGcmPayloadCodec(parsePayloadKeys(inject('payloadKeys')));
  const found: JsonPayload[] = [];
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === 'object') {
      const o = v as JsonPayload & Record<string, unknown>;
      if (o.metadata && typeof o.metadata.encoding === 'string' && Buffer.from(o.metadata.encoding, 'base64').toString() === 'binary/encrypted') found.push(o);
      else Object.values(o).forEach(visit);
    }
  };
  const history: unknown = JSON.parse(json);
  visit(history);
  const toBytes = (o: JsonPayload) => ({
    metadata: Object.fromEntries(Object.entries(o.metadata ?? {}).map(([k, b]) => [k, new Uint8Array(Buffer.from(b, 'base64'))])),
    data: new Uint8Array(Buffer.from(o.data ?? '', 'base64')),
  });
  const plain = await codec.decode(found.map(toBytes));
  plain.forEach((p, i) => {
    found[i].metadata = Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, b]) => [k, Buffer.from(b).toString('base64')]));
    if (p.data && p.data.length > 0) found[i].data = Buffer.from(p.data).toString('base64');
    else delete found[i].data;
  });
  return `${JSON.stringify(history, null, 2)}\n`;
}
