import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isExecutable, processIsAlive, processStartedAtMs } from './processes';

/** Flags for headless printing in containers and CI: no sandbox (we run as root), no background traffic. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-dev-shm-usage',
  '--disable-sync',
];

const KNOWN_PATHS = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

/**
 * Path of the Chromium that prints documents: CHROMIUM_PATH when set, else a system browser.
 * Production never installs one; in development `platform/dev/chromium-install.ts` does.
 */
export async function findChromium(configuredPath: string | undefined): Promise<string | undefined> {
  if (configuredPath) {
    if (await isExecutable(configuredPath)) return configuredPath;
    throw new Error(`CHROMIUM_PATH is set to ${configuredPath}, which is not an executable file`);
  }
  for (const candidate of KNOWN_PATHS) {
    if (await isExecutable(candidate)) return candidate;
  }
  return undefined;
}

/** The Chromium to use, or an error that says how to get one. */
export async function requireChromium(configuredPath: string | undefined): Promise<string> {
  const found = await findChromium(configuredPath);
  if (found) return found;
  throw new Error(
    `No Chromium found (looked at ${KNOWN_PATHS.join(', ')}). Install it (Debian/Ubuntu: sudo apt-get install chromium), ` +
      'or set CHROMIUM_PATH to a Chromium or Chrome executable.',
  );
}

/** Profile folders of the document Chromium: `evk-chromium-<pid of the Node process>-<random>` in the OS temp folder. */
export const CHROMIUM_PROFILE_PREFIX = 'evk-chromium-';

/** The prefix of this process's profile folders (for fs.mkdtemp), so a later start can tell whose they are. */
export function chromiumProfilePrefix(pid: number = process.pid): string {
  return `${CHROMIUM_PROFILE_PREFIX}${pid}-`;
}

/**
 * Issue 10 item 6: removes the Chromium profile folders that dead processes left in `tmpDir` (a
 * killed worker leaves ~2.3 MB each). Only ours, by name: `evk-chromium-<pid>-…` whose process is
 * no longer alive — or that carries this process's own PID but is older than it (a restarted
 * container reuses the PID). A folder of the older form `evk-chromium-<random>`
 * (no PID) is removed when Chromium's own lock (`SingletonLock` → `host-pid`) is absent or names a
 * dead process on this host. Returns the folders removed.
 */
export async function removeAbandonedChromiumProfiles(tmpDir: string = os.tmpdir()): Promise<string[]> {
  let names: string[];
  try {
    names = await fs.readdir(tmpDir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    if (!name.startsWith(CHROMIUM_PROFILE_PREFIX)) continue;
    const folder = path.join(tmpDir, name);
    const withPid = /^evk-chromium-(\d+)-/.exec(name);
    try {
      const stat = await fs.lstat(folder);
      if (!stat.isDirectory()) continue;
      const abandoned = withPid ? ownerIsGone(Number(withPid[1]), stat.mtimeMs) : await lockIsStale(folder);
      if (!abandoned) continue;
      await fs.rm(folder, { recursive: true, force: true, maxRetries: 3, retryDelay: 100 });
      removed.push(folder);
    } catch {
      // Gone already, or not ours to remove: leave it.
    }
  }
  return removed;
}

/** Our own PID counts as gone only for what was made before this process started (a previous process with the same PID). */
function ownerIsGone(pid: number, madeAtMs: number): boolean {
  if (pid === process.pid) return madeAtMs < processStartedAtMs();
  return !processIsAlive(pid);
}

/** Chromium's profile lock is a symlink to "<hostname>-<pid>"; a stale or missing one means no browser uses the folder. */
async function lockIsStale(folder: string): Promise<boolean> {
  let target: string;
  try {
    target = await fs.readlink(path.join(folder, 'SingletonLock'));
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT';
  }
  const match = /^(.*)-(\d+)$/.exec(target);
  if (!match) return false;
  if (match[1] !== os.hostname()) return false;
  return !processIsAlive(Number(match[2]));
}
