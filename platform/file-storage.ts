/**
 * The one door to file storage for every process (documents, dossier files, message attachments,
 * profile photos): EVK_STORAGE picks the local folder (the default) or an S3-compatible bucket.
 */
import path from 'node:path';
import type { Config } from './config';
import type { FileStorage } from './storage/file-storage';
import { LocalFileStorage } from './storage/local';
import { S3FileStorage } from './storage/s3';

export { assertStorageKey, type FileStorage } from './storage/file-storage';
export { LocalFileStorage, removeAbandonedTemporaryFiles } from './storage/local';

/** The local folder of a configuration (its abandoned `*.tmp` files are swept by the worker). */
export function localStorageDir(config: Pick<Config, 'dataDir'>): string {
  return path.join(config.dataDir, 'files');
}

const stores = new WeakMap<Config, FileStorage>();
/** The storage EVK_STORAGE names: the local folder (the default) or an S3-compatible bucket; one per configuration. */
export function fileStorageFor(config: Config): FileStorage {
  let store = stores.get(config);
  if (!store) {
    store = config.storage.kind === 's3' ? new S3FileStorage(config.storage.s3) : new LocalFileStorage(localStorageDir(config));
    stores.set(config, store);
  }
  return store;
}
