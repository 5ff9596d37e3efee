import { promises as fs } from 'node:fs';
import type { Config } from './config';
import path from 'node:path';

/** Where documents and uploads live; never in workflow payloads. A cloud store implements the same. */
export interface FileStorage {
  put(key: string, data: Buffer): Promise<void>;
  get(key: string): Promise<Buffer | undefined>;
  exists(key: string): Promise<boolean>;
  /** Removes the file; a key that is not there is not an error. */
  delete(key: string): Promise<void>;
}

/** Files under a local folder; keys are relative paths such as "contracts/c1/v1/order.pdf". */
export class LocalFileStorage implements FileStorage {
  constructor(private readonly rootDir: string) {}

  private resolve(key: string): string {
    const full = path.resolve(this.rootDir, key);
    if (!full.startsWith(path.resolve(this.rootDir) + path.sep)) throw new Error(`Storage key escapes the storage folder: ${key}`);
    return full;
  }

  async put(key: string, data: Buffer): Promise<void> {
    const full = this.resolve(key);
    await fs.mkdir(path.dirname(full), { recursive: true });
    // Write then rename, so a crash never leaves half a document under its final name.
    const temporary = `${full}.${process.pid}.${Date.now()}.tmp`;
    await fs.writeFile(temporary, data);
    await fs.rename(temporary, full);
  }

  async get(key: string): Promise<Buffer | undefined> {
    try {
      return await fs.readFile(this.resolve(key));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  async exists(key: string): Promise<boolean> {
    return (await this.get(key)) !== undefined;
  }

  async delete(key: string): Promise<void> {
    // unlink is atomic: the file is either there whole or gone.
    await fs.rm(this.resolve(key), { force: true });
  }
}

export function fileStorageFor(config: Config) {
  return new LocalFileStorage(path.join(config.dataDir, 'files'));
}
