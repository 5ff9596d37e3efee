import path from 'node:path';
import { Worker } from '@temporalio/worker';
import { inject } from 'vitest';
import { dataConverterWith } from '../../platform/data-converter';
import { AesGcmPayloadCodec, parsePayloadKeys } from '../../platform/payload-codec';
import { workflowBundle } from '../../platform/worker';

const fixture = (variant: string) => path.resolve(__dirname, '..', 'fixtures', `contract-full-path${variant}.history.json`);

/**
 * The recorded histories of a contract's full path (draft → reject → resubmit → approve → pay →
 * amendment with consent → terminate → restart → finish), oldest first, each by what its code changed
 * (docs/versioning.md). Recorded by the workflow test with RECORD_REPLAY_FIXTURE=1, which writes the
 * last; replayed by test/workflows/replay.test.ts against the current code. The older ones stay as
 * they were recorded, for the contracts that started before; re-record one only on purpose.
 */
export const RECORDED = {
  /** The first. */
  original: fixture(''),
  /** Issue 14: the contract prepared at approval and the small result (contract-prepared-at-approval, contract-small-result). */
  issue14: fixture('.issue14'),
  /** A step's notifications queued by its read-model write when nothing else waits (notices-with-read-model). */
  notices: fixture('.notices'),
  /** The payment that issues the order written to the read model with the order (payment-written-with-order). */
  paymentWithOrder: fixture('.payment-with-order'),
  /** Session 25: the contacts claimed by a local activity (contacts-claimed-locally). */
  contactsClaimedLocally: fixture('.contacts-claimed-locally'),
  /** Session 25: the contract prepared by the approval's read-model write, not an activity (contract-prepared-with-read-model). */
  preparedWithReadModel: fixture('.prepared-with-read-model'),
  /**
   * Session 28: started with its first save and written once by it; one marker for every change
   * above (contract-path-2026-12, workflows/contract/versions.ts) instead of one marker and one
   * TemporalChangeVersion upsert per change.
   */
  contractPath202612: fixture('.contract-path-2026-12'),
} as const;
/** Every recorded history the replay test replays, oldest first; the last is the one RECORD_REPLAY_FIXTURE=1 writes. */
export const REPLAY_FIXTURES: readonly string[] = Object.values(RECORDED);

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
