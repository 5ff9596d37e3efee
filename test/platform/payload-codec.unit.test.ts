/**
 * Issue 9 item 4: the payload codec (AES-256-GCM, key IDs, rotation) as Temporal calls it, without
 * a server. What an attacker with the raw history, or an operator rotating keys, would notice.
 */
import { createCipheriv, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defaultPayloadConverter, METADATA_ENCODING_KEY, type Payload } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import {
  AesGcmPayloadCodec,
  devPayloadKeys,
  ENCRYPTED_ENCODING,
  formatPayloadKeys,
  generatePayloadKey,
  METADATA_KEY_ID,
  parsePayloadKeys,
  payloadKeyId,
  payloadKeysFrom,
  type PayloadKey,
} from '../../platform/payload-codec';
import { temporal } from '@temporalio/proto';

const person = { fin: '5ZX7K2P', firstName: 'Gülnarə', phone: '+994501234567', email: 'gulnare@example.az', priceQepik: 123_456 };
const plain = (value: unknown): Payload => defaultPayloadConverter.toPayload(value);
const text = (b?: Uint8Array | null) => Buffer.from(b ?? new Uint8Array()).toString('utf8');
const key = (id: string) => ({ ...generatePayloadKey(), id });

/** A payload as issue 9's codec wrote it (the histories recorded until issue 14). */
function firstFormat({ id, key: secret }: PayloadKey, payload: Payload): Payload {
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', secret, nonce);
  cipher.setAAD(Buffer.from(id));
  const sealed = Buffer.concat([nonce, cipher.update(temporal.api.common.v1.Payload.encode(payload).finish()), cipher.final(), cipher.getAuthTag()]);
  return { metadata: { [METADATA_ENCODING_KEY]: Buffer.from(ENCRYPTED_ENCODING), [METADATA_KEY_ID]: Buffer.from(id) }, data: sealed };
}

describe('payload codec (issue 9 item 4)', () => {
  it('round trip: the encoded payload is binary/encrypted with the key ID and shows none of the person; decoding gives the original back', async () => {
    const codec = new AesGcmPayloadCodec([key('k1')]);
    const original = plain(person);
    const [encoded] = await codec.encode([original]);
    expect(text(encoded.metadata![METADATA_ENCODING_KEY])).toBe(ENCRYPTED_ENCODING);
    expect(payloadKeyId(encoded)).toBe('k1');
    const raw = JSON.stringify(encoded) + Buffer.from(encoded.data!).toString('latin1');
    for (const value of [person.fin, person.phone, person.email, 'Gülnarə', '123456', 'json/plain']) expect(raw).not.toContain(value);
    const [decoded] = await codec.decode([encoded]);
    expect(defaultPayloadConverter.fromPayload(decoded)).toEqual(person);
    expect(text(decoded.metadata![METADATA_ENCODING_KEY])).toBe('json/plain');
  });

  it('the same value encrypts differently each time (a fresh nonce): equal payloads cannot be matched in the history', async () => {
    const codec = new AesGcmPayloadCodec([key('k1')]);
    const [a, b] = await codec.encode([plain(person), plain(person)]);
    expect(Buffer.from(a.data!).equals(Buffer.from(b.data!))).toBe(false);
  });

  it('rotation: new payloads use the new (first) key, payloads under the old key still decode', async () => {
    const old = key('2025-a');
    const fresh = key('2026-a');
    const [underOld] = await new AesGcmPayloadCodec([old]).encode([plain(person)]);
    const rotated = new AesGcmPayloadCodec([fresh, old]);
    expect(defaultPayloadConverter.fromPayload((await rotated.decode([underOld]))[0])).toEqual(person);
    const [underNew] = await rotated.encode([plain(person)]);
    expect(payloadKeyId(underNew)).toBe('2026-a');
    expect(rotated.currentKeyId).toBe('2026-a');
  });

  it('a tampered payload is refused, not decoded to something else', async () => {
    const codec = new AesGcmPayloadCodec([key('k1')]);
    const [encoded] = await codec.encode([plain(person)]);
    const data = Buffer.from(encoded.data!);
    data[20] ^= 0x01;
    await expect(codec.decode([{ ...encoded, data }])).rejects.toThrow(/key "k1".*failed authentication/);
    // Relabelling a payload with another known key ID fails too (the ID is authenticated).
    const two = new AesGcmPayloadCodec([key('k1'), key('k2')]);
    const [mine] = await two.encode([plain(person)]);
    const relabelled = Buffer.from(mine.data!);
    relabelled.write('k2', 2, 'utf8');
    expect(payloadKeyId({ ...mine, data: relabelled })).toBe('k2');
    await expect(two.decode([{ ...mine, data: relabelled }])).rejects.toThrow(/failed authentication/);
  });

  it('issue 14: payloads of the first format (key ID in the metadata) still decode, and the compact one is about 50 bytes smaller', async () => {
    const k1 = key('k20261201-a1b2c3');
    const codec = new AesGcmPayloadCodec([k1]);
    const original = plain(person);
    const first = firstFormat(k1, original);
    expect(payloadKeyId(first)).toBe(k1.id);
    expect(defaultPayloadConverter.fromPayload((await codec.decode([first]))[0])).toEqual(person);
    const [compact] = await codec.encode([original]);
    expect(Object.keys(compact.metadata!)).toEqual([METADATA_ENCODING_KEY]);
    const size = (p: Payload) => temporal.api.common.v1.Payload.encode(p).finish().length;
    expect(size(first) - size(compact)).toBeGreaterThanOrEqual(45);
    // A relabelled first-format payload is refused as before.
    const two = new AesGcmPayloadCodec([k1, key('k2')]);
    await expect(two.decode([{ ...first, metadata: { ...first.metadata, [METADATA_KEY_ID]: Buffer.from('k2') } }])).rejects.toThrow(/failed authentication/);
  });

  it('a payload that is not bare JSON keeps all its metadata through the codec', async () => {
    const codec = new AesGcmPayloadCodec([key('k1')]);
    const original: Payload = {
      metadata: { [METADATA_ENCODING_KEY]: Buffer.from('json/protobuf'), messageType: Buffer.from('evk.Test') },
      data: Buffer.from('{"a":1}'),
    };
    const [decoded] = await codec.decode(await codec.encode([original]));
    expect(text(decoded.metadata![METADATA_ENCODING_KEY])).toBe('json/protobuf');
    expect(text(decoded.metadata!.messageType)).toBe('evk.Test');
    expect(text(decoded.data)).toBe('{"a":1}');
    const empty = plain(undefined);
    const [back] = await codec.decode(await codec.encode([empty]));
    expect(text(back.metadata![METADATA_ENCODING_KEY])).toBe(text(empty.metadata![METADATA_ENCODING_KEY]));
  });

  it('an unknown key ID is a clear error naming the ID (and the known ones), never the payload', async () => {
    const [encoded] = await new AesGcmPayloadCodec([key('gone-2024')]).encode([plain(person)]);
    const err = await new AesGcmPayloadCodec([key('k1')]).decode([encoded]).then(
      () => undefined,
      (e: Error) => e.message,
    );
    expect(err).toMatch(/payload encrypted with key "gone-2024", which this process does not know \(known: k1\)/);
    expect(err).not.toContain(person.fin);
  });

  it('a plain payload passes through unchanged (histories recorded before encryption still replay)', async () => {
    const codec = new AesGcmPayloadCodec([key('k1')]);
    const original = plain({ hello: 'world' });
    const [decoded] = await codec.decode([original]);
    expect(decoded).toBe(original);
  });

  it('keys from configuration: id:base64, first = current; wrong lengths, bad IDs and duplicates are refused by name', () => {
    const [a, b] = [key('a'), key('b')];
    const parsed = parsePayloadKeys(formatPayloadKeys([a, b]));
    expect(parsed.map((k) => k.id)).toEqual(['a', 'b']);
    expect(parsed[0].key.equals(a.key)).toBe(true);
    expect(() => parsePayloadKeys('short:' + Buffer.alloc(16).toString('base64'))).toThrow(/"short" must be 32 bytes/);
    expect(() => parsePayloadKeys(`a:${a.key.toString('base64')},a:${b.key.toString('base64')}`)).toThrow(/"a" is given twice/);
    expect(() => parsePayloadKeys('no-colon')).toThrow(/EVK_PAYLOAD_KEYS must be/);
    expect(() => parsePayloadKeys(`bad id:${a.key.toString('base64')}`)).toThrow(/key ID "bad id"/);
  });

  it('production refuses to start without EVK_PAYLOAD_KEYS; development generates a key once into the data folder (0600) and reuses it', () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'evk-keys-'));
    expect(() => payloadKeysFrom({ dataDir }, { NODE_ENV: 'production' })).toThrow(/EVK_PAYLOAD_KEYS is not set/);
    const configured = formatPayloadKeys([key('prod-1')]);
    expect(payloadKeysFrom({ dataDir, payloadKeys: configured }, { NODE_ENV: 'production' })[0].id).toBe('prod-1');
    const first = payloadKeysFrom({ dataDir }, {});
    const file = path.join(dataDir, 'payload-keys.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toContain(first[0].id);
    const again = devPayloadKeys(dataDir);
    expect(again[0].id).toBe(first[0].id);
    expect(again[0].key.equals(first[0].key)).toBe(true);
  });
});
