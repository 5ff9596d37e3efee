/**
 * The one data converter of the cabinet (DESIGN principle 4, issue 9 item 4): every Client and
 * Worker — web, worker, the codec server, the tests, the benchmark — and the workflow bundle use it.
 *
 * - payloads: AES-256-GCM by platform/payload-codec.ts (outside the workflow sandbox);
 * - failures: messages and stack traces encoded as payloads (platform/failure-converter.cjs), so
 *   the codec covers them; the workflow sandbox gets the same converter through the bundle.
 *
 * What a codec does not cover: workflow and activity IDs and types, search attributes, task
 * queues, timer and update IDs. Those carry identifiers and status only.
 */
import path from 'node:path';
import type { DataConverter } from '@temporalio/common';
import { AesGcmPayloadCodec, payloadKeysFrom, type PayloadKey } from './payload-codec';

/** For bundleWorkflowCode({ failureConverterPath }) and every DataConverter. */
export const FAILURE_CONVERTER_PATH = path.resolve(__dirname, 'failure-converter.cjs');

export function dataConverterWith(keys: readonly PayloadKey[]): DataConverter {
  return { payloadCodecs: [new AesGcmPayloadCodec(keys)], failureConverterPath: FAILURE_CONVERTER_PATH };
}

const byKeys = new Map<string, DataConverter>();
/** The data converter for this configuration's keys (one instance per key set and process). */
export function dataConverterFor(config: { payloadKeys?: string; dataDir: string }): DataConverter {
  const keys = payloadKeysFrom(config);
  const id = keys.map((k) => `${k.id}:${k.key.toString('base64')}`).join(',');
  let converter = byKeys.get(id);
  if (!converter) byKeys.set(id, (converter = dataConverterWith(keys)));
  return converter;
}
