/**
 * Issue 14, "Scale out on real parts": the two FileStorage adapters keep the same promises, the S3
 * one against a real S3-compatible server (Versity's gateway over a folder, started here), not a
 * fake. A write is complete or absent, the same bytes again change nothing, racing writers of one
 * key leave one whole file, and nothing half-written is left behind.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HeadObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../platform/config';
import { resolveVersitygw, startVersitygw, type RunningVersitygw } from '../../platform/dev/versitygw';
import { fileStorageFor, LocalFileStorage, type FileStorage } from '../../platform/file-storage';
import { freePort } from '../../platform/free-ports';
import { ensureBucket, s3ClientFor, S3FileStorage } from '../../platform/storage/s3';

const BUCKET = 'evk-storage-test';
const KEYS = { accessKeyId: 'evk-test-access', secretAccessKey: randomBytes(18).toString('base64url') };

let root: string;
let gateway: RunningVersitygw;
let endpoint: string;

beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'evk-storage-test-'));
  gateway = await startVersitygw({
    binPath: await resolveVersitygw(() => undefined),
    rootDir: path.join(root, 's3'),
    port: await freePort(),
    ...KEYS,
    log: () => undefined,
  });
  endpoint = gateway.endpoint;
}, 180_000);

afterAll(async () => {
  await gateway?.stop();
  await fs.rm(root, { recursive: true, force: true });
});

/** Every file under a folder, relative to it. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name)));
}

const settings = () => ({ endpoint, bucket: BUCKET, region: 'us-east-1', credentials: KEYS });

const adapters: {
  name: string;
  make: () => Promise<{ storage: FileStorage; clockMs: number; modifiedAt: (key: string) => Promise<number>; leftovers: () => Promise<string[]> }>;
}[] = [
  {
    name: 'local folder',
    make: () => {
      const dir = path.join(root, 'local');
      return Promise.resolve({
        storage: new LocalFileStorage(dir),
        clockMs: 20,
        modifiedAt: async (key) => (await fs.stat(path.join(dir, key))).mtimeMs,
        leftovers: async () => (await filesUnder(dir)).filter((f) => f.endsWith('.tmp')),
      });
    },
  },
  {
    name: 'S3 (versitygw)',
    make: async () => {
      const client = await s3ClientFor(settings());
      expect(await ensureBucket(settings(), client)).toBe('created');
      expect(await ensureBucket(settings(), client)).toBe('exists');
      return {
        storage: new S3FileStorage(settings(), client),
        // S3 times are to the second.
        clockMs: 1100,
        modifiedAt: async (key) => (await client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }))).LastModified!.getTime(),
        // What a client could list: only whole objects (the gateway keeps uploads in progress elsewhere).
        leftovers: async () => {
          const listed = await client.send(new ListObjectsV2Command({ Bucket: BUCKET }));
          return (listed.Contents ?? []).map((o) => o.Key!).filter((k) => !k.startsWith('contracts/') && !k.startsWith('big/'));
        },
      };
    },
  },
];

describe.each(adapters)('FileStorage: $name (issue 14)', ({ make }) => {
  let a: Awaited<ReturnType<(typeof adapters)[number]['make']>>;
  beforeAll(async () => {
    a = await make();
  });

  it('puts, gets, tells whether a key exists, deletes; a missing key is undefined and deleting it is no error', async () => {
    const key = 'contracts/c1/v1/order.pdf';
    const pdf = Buffer.from('%PDF-1.7 an order\n');
    expect(await a.storage.get(key)).toBeUndefined();
    expect(await a.storage.exists(key)).toBe(false);
    await a.storage.put(key, pdf);
    expect(await a.storage.exists(key)).toBe(true);
    expect((await a.storage.get(key))?.equals(pdf)).toBe(true);

    // The same bytes again: nothing is written (an activity's retry); other bytes replace the file whole.
    const before = await a.modifiedAt(key);
    await new Promise((r) => setTimeout(r, a.clockMs));
    await a.storage.put(key, Buffer.from(pdf));
    expect(await a.modifiedAt(key)).toBe(before);
    const amended = Buffer.from('%PDF-1.7 the amended order\n');
    await a.storage.put(key, amended);
    expect((await a.storage.get(key))?.equals(amended)).toBe(true);

    await a.storage.delete(key);
    expect(await a.storage.exists(key)).toBe(false);
    await a.storage.delete(key);
    await a.storage.delete('contracts/never/there.pdf');
  });

  it('refuses keys that leave their place (.., empty segments, backslashes)', async () => {
    for (const bad of ['../escape.pdf', 'contracts/../../x', '/absolute', 'a//b', 'a\\b', 'a/./b']) {
      await expect(a.storage.put(bad, Buffer.from('x')), bad).rejects.toThrow(/storage key/i);
      await expect(a.storage.get(bad), bad).rejects.toThrow(/storage key/i);
    }
  });

  it('keeps a big file byte for byte (24 MB)', async () => {
    const big = randomBytes(24 * 1024 * 1024);
    await a.storage.put('big/scan.pdf', big);
    const back = await a.storage.get('big/scan.pdf');
    expect(back?.length).toBe(big.length);
    expect(back?.equals(big)).toBe(true);
    await a.storage.delete('big/scan.pdf');
  });

  it('racing writers of one key leave one of their files, whole, and nothing half-written', async () => {
    const key = 'contracts/c2/dossier/race.pdf';
    const versions = Array.from({ length: 12 }, (_, i) => Buffer.concat([Buffer.from(`%PDF writer ${i}\n`), randomBytes(256 * 1024)]));
    // The same bytes from several writers too: an activity retried on two workers at once.
    await Promise.all([...versions, versions[0], versions[0]].map((v) => a.storage.put(key, v)));
    const final = await a.storage.get(key);
    expect(versions.some((v) => v.equals(final!))).toBe(true);
    expect(await a.leftovers()).toEqual([]);
  });
});

describe('EVK_STORAGE chooses the adapter (issue 14)', () => {
  it('local by default (npm start), S3 with EVK_STORAGE=s3, which needs a bucket and both keys', async () => {
    expect(fileStorageFor(loadConfig({ EVK_DATA_DIR: root }))).toBeInstanceOf(LocalFileStorage);
    const config = loadConfig({
      EVK_DATA_DIR: root,
      EVK_STORAGE: 's3',
      EVK_S3_ENDPOINT: endpoint,
      EVK_S3_BUCKET: BUCKET,
      EVK_S3_ACCESS_KEY_ID: KEYS.accessKeyId,
      EVK_S3_SECRET_ACCESS_KEY: KEYS.secretAccessKey,
    });
    const storage = fileStorageFor(config);
    expect(storage).toBeInstanceOf(S3FileStorage);
    expect(fileStorageFor(config)).toBe(storage);
    await storage.put('contracts/c3/v1/contract.pdf', Buffer.from('%PDF chosen by configuration'));
    // The gateway keeps objects as plain files: the bytes really went to the server's folder.
    expect(await fs.readFile(path.join(root, 's3', BUCKET, 'contracts/c3/v1/contract.pdf'), 'utf8')).toBe('%PDF chosen by configuration');

    expect(() => loadConfig({ EVK_STORAGE: 's3' })).toThrow(/EVK_S3_BUCKET/);
    expect(() => loadConfig({ EVK_STORAGE: 's3', EVK_S3_BUCKET: 'b', EVK_S3_ACCESS_KEY_ID: 'only-one' })).toThrow(/EVK_S3_SECRET_ACCESS_KEY/);
    expect(() => loadConfig({ EVK_STORAGE: 'ftp' })).toThrow(/EVK_STORAGE/);
    // A wrong secret is refused by the server, and the error does not carry the secret.
    const wrong = new S3FileStorage({ ...settings(), credentials: { ...KEYS, secretAccessKey: 'wrong-secret-value-1234' } });
    const refused = await wrong.get('contracts/c3/v1/contract.pdf').catch((e: Error) => e);
    expect(refused).toBeInstanceOf(Error);
    expect(JSON.stringify({ message: (refused as Error).message, ...(refused as object) })).not.toContain('wrong-secret-value-1234');
  });
});
