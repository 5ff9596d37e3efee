import { randomUUID } from 'node:crypto';
import { mkdirSync, promises as fs, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { processIsAlive, processStartedAtMs } from '../processes';
import { assertStorageKey, type FileStorage } from './file-storage';

/**
 * Up to this size a file is read and written synchronously (issue 14): a document into the page
 * cache takes well under a millisecond, while each step of an asynchronous write (look, mkdir, open,
 * write, close, rename) waits for a turn of the event loop, some 25 ms apiece on a busy worker, and
 * the order's activity waited 155 ms (p50) for its two files. Bigger files (scans, attachments up to
 * 10 MB) stay asynchronous, so a large upload never holds the loop. Hosts that share files use S3, not
 * a folder mounted over the network, where a synchronous call could wait on it (docs/operations.md).
 */
export const SYNCHRONOUS_FILE_BYTES = 1024 * 1024;

/** Runs `work` at once; what it returns or throws, as a promise (a bad key rejects, as everywhere else). */
const atOnce = <T>(work: () => T): Promise<T> => new Promise((resolve) => resolve(work()));

/** Files under a local folder (one host, or a volume the containers of one host share). */
export class LocalFileStorage implements FileStorage {
  constructor(private readonly rootDir: string) {}

  private resolve(key: string): string {
    assertStorageKey(key);
    const full = path.resolve(this.rootDir, key);
    if (!full.startsWith(path.resolve(this.rootDir) + path.sep)) throw new Error(`Storage key escapes the storage folder: ${key}`);
    return full;
  }

  async put(key: string, data: Buffer): Promise<void> {
    const full = this.resolve(key);
    const existing = await this.get(key);
    if (existing?.equals(data)) return;
    // Write then rename, so a crash never leaves half a document under its final name. The name is
    // unique per write (two writes of one key in the same millisecond each have their own).
    const temporary = `${full}.${randomUUID().slice(0, 8)}.${process.pid}.${Date.now()}.tmp`;
    const small = data.length <= SYNCHRONOUS_FILE_BYTES;
    try {
      if (small) {
        mkdirSync(path.dirname(full), { recursive: true });
        writeFileSync(temporary, data);
        renameSync(temporary, full);
      } else {
        await fs.mkdir(path.dirname(full), { recursive: true });
        await fs.writeFile(temporary, data);
        await fs.rename(temporary, full);
      }
    } catch (err) {
      await fs.rm(temporary, { force: true });
      throw err;
    }
  }

  async get(key: string): Promise<Buffer | undefined> {
    const full = this.resolve(key);
    try {
      const stat = statSync(full, { throwIfNoEntry: false });
      if (!stat) return undefined;
      return stat.size <= SYNCHRONOUS_FILE_BYTES ? readFileSync(full) : await fs.readFile(full);
    } catch (err) {
      // Removed between the look and the read.
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  exists(key: string): Promise<boolean> {
    return atOnce(() => statSync(this.resolve(key), { throwIfNoEntry: false })?.isFile() ?? false);
  }

  delete(key: string): Promise<void> {
    // unlink is atomic: the file is either there whole or gone; a change of metadata, made at once.
    return atOnce(() => rmSync(this.resolve(key), { force: true }));
  }
}

/** A file being written: `<final name>.<pid>.<ms since epoch>.tmp` (LocalFileStorage.put). */
const TEMPORARY_FILE = /\.(\d+)\.(\d+)\.tmp$/;
/** A temporary file younger than this is left alone whatever its PID: a write takes milliseconds, and the web process may run in another PID namespace (compose) sharing the folder. */
const TEMPORARY_FILE_GRACE_MS = 2_000;

/**
 * Issue 10 item 6: removes the `*.<pid>.<ts>.tmp` files that processes killed mid-write left under
 * the storage folder. Only ours by name, and only when their process is gone: the PID is not alive,
 * or it is this process's own PID but the file is older than this process (a reused PID). Returns
 * the files removed (relative to the root).
 */
export async function removeAbandonedTemporaryFiles(rootDir: string, nowMs: number = Date.now()): Promise<string[]> {
  const removed: string[] = [];
  const startedAt = processStartedAtMs();
  const walk = async (dir: string): Promise<void> => {
    let entries: import('node:fs').Dirent[];
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        await walk(full);
        continue;
      }
      const match = entry.isFile() ? TEMPORARY_FILE.exec(entry.name) : null;
      if (!match) continue;
      const pid = Number(match[1]);
      const writtenAt = Number(match[2]);
      const gone = pid === process.pid ? writtenAt < startedAt : !processIsAlive(pid);
      if (!gone) continue;
      try {
        const stat = await fs.stat(full);
        if (nowMs - stat.mtimeMs < TEMPORARY_FILE_GRACE_MS) continue;
        await fs.rm(full, { force: true });
        removed.push(path.relative(rootDir, full));
      } catch {
        // Renamed or removed meanwhile: nothing to do.
      }
    }
  };
  await walk(rootDir);
  return removed;
}
