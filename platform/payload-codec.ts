/**
 * Every payload the cabinet hands Temporal (workflow inputs, updates, signals, queries, results,
 * activity arguments, failures' encoded messages and details) is encrypted here, outside the
 * workflow sandbox (issue 9 item 4): AES-256-GCM, a fresh 96-bit nonce per payload, the whole
 * original payload as the plaintext, and the key ID bound in as associated data.
 *
 * Several keys make rotation possible: the first key encrypts, every known key decrypts. A payload
 * that is not `binary/encrypted` passes through unchanged, so histories recorded before encryption
 * (the replay fixture) still replay.
 *
 * Two wire formats, both `encoding: binary/encrypted`; every key decrypts both:
 * - the first (issue 9), told by its `encryption-key-id` metadata: `data` = nonce (12 bytes) ‖
 *   ciphertext of the whole Payload protobuf ‖ GCM tag (16 bytes);
 * - the compact one (issue 14), written since: no other metadata, `data` = format byte (2) ‖ key ID
 *   length (1 byte) ‖ key ID ‖ nonce (12) ‖ ciphertext ‖ tag (16); the plaintext is a kind byte
 *   and then either the bare JSON of a `json/plain` payload (nearly all of them) or the whole Payload
 *   protobuf. About 50 bytes less per payload: a contract's whole history is a fifth smaller.
 *   Nothing is compressed: compressed length would tell an observer of the history something
 *   about the content; the plaintext's length is all it shows, as before.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { METADATA_ENCODING_KEY, type Payload, type PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';

export const ENCRYPTED_ENCODING = 'binary/encrypted';
/** Metadata of the first format only; the compact format carries the key ID in `data`. */
export const METADATA_KEY_ID = 'encryption-key-id';
const COMPACT_FORMAT = 2;
const KIND_PAYLOAD = 0;
const KIND_JSON = 1;
const JSON_PLAIN = 'json/plain';
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;
const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;

export interface PayloadKey {
  id: string;
  /** 32 bytes. */
  key: Buffer;
}

/** A payload the codec cannot open: names the key ID, never a byte of the payload. */
export class PayloadKeyError extends Error {
  override name = 'PayloadKeyError';
}

const utf8 = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array | null | undefined) => (b ? Buffer.from(b).toString('utf8') : undefined);

export class AesGcmPayloadCodec implements PayloadCodec {
  private readonly byId: Map<string, Buffer>;
  private readonly current: PayloadKey;

  /** `keys[0]` encrypts; all of them decrypt. */
  constructor(keys: readonly PayloadKey[]) {
    if (keys.length === 0) throw new PayloadKeyError('the payload codec needs at least one key');
    this.byId = new Map();
    for (const { id, key } of keys) {
      if (!KEY_ID.test(id)) throw new PayloadKeyError(`payload key ID "${id}" must be 1–64 letters, digits, ".", "_" or "-"`);
      if (key.length !== KEY_BYTES) throw new PayloadKeyError(`payload key "${id}" must be ${KEY_BYTES} bytes (AES-256), got ${key.length}`);
      if (this.byId.has(id)) throw new PayloadKeyError(`payload key ID "${id}" is given twice`);
      this.byId.set(id, key);
    }
    this.current = keys[0];
  }

  /** The key new payloads are encrypted with. */
  get currentKeyId(): string {
    return this.current.id;
  }

  // A failure rejects the promise (never throws synchronously), as the SDK expects of a codec.
  encode(payloads: Payload[]): Promise<Payload[]> {
    return new Promise((resolve) => resolve(payloads.map((p) => this.encrypt(p))));
  }

  decode(payloads: Payload[]): Promise<Payload[]> {
    return new Promise((resolve) => resolve(payloads.map((p) => this.decrypt(p))));
  }

  private encrypt(payload: Payload): Payload {
    const { id, key } = this.current;
    const idBytes = Buffer.from(id, 'utf8');
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, nonce);
    cipher.setAAD(idBytes);
    const [kind, body] = isBareJson(payload)
      ? [KIND_JSON, payload.data ?? new Uint8Array()]
      : [KIND_PAYLOAD, temporal.api.common.v1.Payload.encode(payload).finish()];
    const data = Buffer.concat([
      Buffer.from([COMPACT_FORMAT, idBytes.length]),
      idBytes,
      nonce,
      cipher.update(Buffer.from([kind])),
      cipher.update(body),
      cipher.final(),
      cipher.getAuthTag(),
    ]);
    return { metadata: { [METADATA_ENCODING_KEY]: utf8(ENCRYPTED_ENCODING) }, data };
  }

  private decrypt(payload: Payload): Payload {
    if (text(payload.metadata?.[METADATA_ENCODING_KEY]) !== ENCRYPTED_ENCODING) return payload;
    const data = Buffer.from(payload.data ?? new Uint8Array());
    const firstFormatId = text(payload.metadata?.[METADATA_KEY_ID]);
    if (firstFormatId) return temporal.api.common.v1.Payload.decode(this.open(firstFormatId, data));
    if (data.length < 2 || data[0] !== COMPACT_FORMAT) throw new PayloadKeyError('an encrypted payload carries no encryption-key-id');
    const idEnd = 2 + data[1];
    const id = data.length < idEnd ? '' : data.subarray(2, idEnd).toString('utf8');
    if (!KEY_ID.test(id)) throw new PayloadKeyError('an encrypted payload carries no valid key ID');
    const plain = this.open(id, data.subarray(idEnd));
    const body = plain.subarray(1);
    if (plain[0] === KIND_JSON) return { metadata: { [METADATA_ENCODING_KEY]: utf8(JSON_PLAIN) }, data: new Uint8Array(body) };
    if (plain[0] === KIND_PAYLOAD) return temporal.api.common.v1.Payload.decode(body);
    throw new PayloadKeyError(`encrypted payload (key "${id}") is of an unknown kind`);
  }

  /** nonce ‖ ciphertext ‖ tag under key `id` (bound in as associated data) → the plaintext. */
  private open(id: string, sealed: Buffer): Buffer {
    const key = this.byId.get(id);
    if (!key) throw new PayloadKeyError(`payload encrypted with key "${id}", which this process does not know (known: ${[...this.byId.keys()].join(', ')})`);
    if (sealed.length < NONCE_BYTES + TAG_BYTES) throw new PayloadKeyError(`encrypted payload (key "${id}") is too short`);
    const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, NONCE_BYTES));
    decipher.setAAD(utf8(id));
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    try {
      return Buffer.concat([decipher.update(sealed.subarray(NONCE_BYTES, sealed.length - TAG_BYTES)), decipher.final()]);
    } catch {
      throw new PayloadKeyError(`encrypted payload (key "${id}") failed authentication: altered, or encrypted with another key of that ID`);
    }
  }
}

/** A `json/plain` payload with no other metadata: its data alone says all of it. */
function isBareJson(payload: Payload): boolean {
  const keys = Object.keys(payload.metadata ?? {});
  return keys.length === 1 && keys[0] === METADATA_ENCODING_KEY && text(payload.metadata?.[METADATA_ENCODING_KEY]) === JSON_PLAIN;
}

/** The ID of the key a payload is encrypted with (either format); undefined for a plain one. */
export function payloadKeyId(payload: Payload): string | undefined {
  if (text(payload.metadata?.[METADATA_ENCODING_KEY]) !== ENCRYPTED_ENCODING) return undefined;
  const first = text(payload.metadata?.[METADATA_KEY_ID]);
  if (first) return first;
  const data = Buffer.from(payload.data ?? new Uint8Array());
  return data[0] === COMPACT_FORMAT ? data.subarray(2, 2 + data[1]).toString('utf8') : undefined;
}

/** `id1:base64key,id2:base64key`, first = current (EVK_PAYLOAD_KEYS). */
export function parsePayloadKeys(raw: string): PayloadKey[] {
  const keys = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((entry) => {
      const at = entry.indexOf(':');
      if (at <= 0) throw new PayloadKeyError('EVK_PAYLOAD_KEYS must be "id:base64key[,id:base64key…]" (first = current)');
      const id = entry.slice(0, at);
      const b64 = entry.slice(at + 1);
      if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) throw new PayloadKeyError(`EVK_PAYLOAD_KEYS: the key of "${id}" is not base64`);
      return { id, key: Buffer.from(b64, 'base64') };
    });
  if (keys.length === 0) throw new PayloadKeyError('EVK_PAYLOAD_KEYS names no key');
  // Validates lengths, IDs and duplicates.
  new AesGcmPayloadCodec(keys);
  return keys;
}

export const formatPayloadKeys = (keys: readonly PayloadKey[]) => keys.map((k) => `${k.id}:${k.key.toString('base64')}`).join(',');

/** A new random key, named by the day it was made and a random suffix. */
export function generatePayloadKey(now = new Date()): PayloadKey {
  return { id: `k${now.toISOString().slice(0, 10).replace(/-/g, '')}-${randomBytes(3).toString('hex')}`, key: randomBytes(KEY_BYTES) };
}

/** The development key file: `<dataDir>/payload-keys.json`, created once (mode 0600), reused ever after. */
export function devPayloadKeys(dataDir: string): PayloadKey[] {
  const file = path.join(dataDir, 'payload-keys.json');
  if (existsSync(file)) {
    const stored = JSON.parse(readFileSync(file, 'utf8')) as { keys?: unknown };
    if (typeof stored.keys !== 'string') throw new PayloadKeyError(`${file} has no "keys" string`);
    return parsePayloadKeys(stored.keys);
  }
  mkdirSync(dataDir, { recursive: true });
  const keys = [generatePayloadKey()];
  // wx: never overwrite a file another process created meanwhile (that one's key wins).
  try {
    writeFileSync(
      file,
      `${JSON.stringify({ keys: formatPayloadKeys(keys), note: 'development only; payloads in this data folder need this key' }, null, 2)}\n`,
      {
        mode: 0o600,
        flag: 'wx',
      },
    );
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return devPayloadKeys(dataDir);
    throw err;
  }
  chmodSync(file, 0o600);
  return keys;
}

/**
 * The payload keys of this process: EVK_PAYLOAD_KEYS when set; refused in production without it;
 * otherwise (development) the key file in the data folder, generated on the first start.
 */
export function payloadKeysFrom(config: { payloadKeys?: string; dataDir: string }, env: NodeJS.ProcessEnv = process.env): PayloadKey[] {
  if (config.payloadKeys) return parsePayloadKeys(config.payloadKeys);
  if (env.NODE_ENV === 'production')
    throw new PayloadKeyError(
      'EVK_PAYLOAD_KEYS is not set: in production the Temporal payload keys must come from configuration ("id:base64key", 32 random bytes; see docs/operations.md)',
    );
  return devPayloadKeys(config.dataDir);
}
