/**
 * Files in an S3-compatible bucket (issue 14, "Scale out on real parts"): every web and worker
 * process on every host reads and writes the same objects. S3 itself gives what the local folder's
 * write-then-rename gives: an object is visible only once its upload completed, whole, and racing
 * writers of one key leave one of their objects. The adapter adds the rest of FileStorage's promises:
 * - the same bytes under the same key are not uploaded again (the stored ETag is the MD5 of a
 *   single-part upload, checked against ours before writing);
 * - every upload carries its Content-MD5, so the server refuses bytes damaged on the way.
 * Keys are used as they are (no prefix): one bucket per installation.
 */
import { createHash } from 'node:crypto';
import type { S3Client } from '@aws-sdk/client-s3';
import type { S3Settings } from '../config';
import { assertStorageKey, type FileStorage } from './file-storage';

type Sdk = typeof import('@aws-sdk/client-s3');
let sdk: Promise<Sdk> | undefined;
/** The SDK is loaded by the first process that uses S3: a local-folder deployment never pays its start-up. */
const loadSdk = (): Promise<Sdk> => (sdk ??= import('@aws-sdk/client-s3'));

/** One client per bucket and process: it keeps its HTTP connections. */
export async function s3ClientFor(settings: S3Settings): Promise<S3Client> {
  const { S3Client } = await loadSdk();
  return new S3Client({
    region: settings.region,
    ...(settings.endpoint ? { endpoint: settings.endpoint, forcePathStyle: true } : {}),
    ...(settings.credentials ? { credentials: settings.credentials } : {}),
    // The MD5 is ours (Content-MD5); the SDK's extra CRC checksums are asked for only where S3 requires them.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: 4,
  });
}

function isNotFound(err: unknown): boolean {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } } | undefined;
  return e?.$metadata?.httpStatusCode === 404 || e?.name === 'NoSuchKey' || e?.name === 'NotFound' || e?.name === 'NoSuchBucket';
}

export class S3FileStorage implements FileStorage {
  private readonly bucket: string;
  private client?: Promise<S3Client>;

  constructor(
    private readonly settings: S3Settings,
    client?: S3Client,
  ) {
    this.bucket = settings.bucket;
    if (client) this.client = Promise.resolve(client);
  }

  private async ready(): Promise<{ client: S3Client; s3: Sdk }> {
    return { client: await (this.client ??= s3ClientFor(this.settings)), s3: await loadSdk() };
  }

  async put(key: string, data: Buffer): Promise<void> {
    assertStorageKey(key);
    const md5 = createHash('md5').update(data).digest();
    const stored = await this.head(key);
    if (stored && stored.etag === `"${md5.toString('hex')}"` && stored.size === data.length) return;
    const { client, s3 } = await this.ready();
    await client.send(new s3.PutObjectCommand({ Bucket: this.bucket, Key: key, Body: data, ContentLength: data.length, ContentMD5: md5.toString('base64') }));
  }

  async get(key: string): Promise<Buffer | undefined> {
    assertStorageKey(key);
    const { client, s3 } = await this.ready();
    try {
      const object = await client.send(new s3.GetObjectCommand({ Bucket: this.bucket, Key: key }));
      if (!object.Body) return Buffer.alloc(0);
      const bytes = await object.Body.transformToByteArray();
      return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  async exists(key: string): Promise<boolean> {
    assertStorageKey(key);
    return (await this.head(key)) !== undefined;
  }

  async delete(key: string): Promise<void> {
    assertStorageKey(key);
    // S3 answers a delete of a missing key with success, as FileStorage wants.
    const { client, s3 } = await this.ready();
    await client.send(new s3.DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  private async head(key: string): Promise<{ etag?: string; size?: number } | undefined> {
    const { client, s3 } = await this.ready();
    try {
      const head = await client.send(new s3.HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return { etag: head.ETag, size: head.ContentLength };
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }
}

/** `evk migrate` with EVK_STORAGE=s3 (and the tests): the bucket, created when it is not there yet. */
export async function ensureBucket(settings: S3Settings, given?: S3Client): Promise<'created' | 'exists'> {
  const { CreateBucketCommand, HeadBucketCommand } = await loadSdk();
  const client = given ?? (await s3ClientFor(settings));
  try {
    await client.send(new HeadBucketCommand({ Bucket: settings.bucket }));
    return 'exists';
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
  await client.send(new CreateBucketCommand({ Bucket: settings.bucket }));
  return 'created';
}
