/**
 * Issue 10 item 6: a killed worker leaves its Chromium profile folder and sometimes a half-written
 * `*.pdf.<pid>.<ts>.tmp`; the next worker removes them at start — only ours, only of dead processes.
 */
import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chromiumProfilePrefix, removeAbandonedChromiumProfiles } from '../../platform/chromium';
import { LocalFileStorage, removeAbandonedTemporaryFiles } from '../../platform/file-storage';

/** The ID of a process that has ended. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '0']);
  return child.pid;
}

const exists = (p: string) =>
  fs.access(p).then(
    () => true,
    () => false,
  );
const old = new Date(Date.now() - 60_000);

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'evk-leftovers-test-'));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('issue 10 item 6: Chromium profile folders left by killed workers', () => {
  it('removes the folder of a dead process and keeps those of live ones and what is not ours', async () => {
    const dead = path.join(dir, `${chromiumProfilePrefix(deadPid())}abc123`);
    const live = path.join(dir, `${chromiumProfilePrefix(process.ppid)}def456`);
    const mine = path.join(dir, `${chromiumProfilePrefix(process.pid)}ghi789`);
    const notOurs = path.join(dir, 'puppeteer_dev_chrome_profile-XYZ');
    for (const folder of [dead, live, mine, notOurs]) {
      await fs.mkdir(path.join(folder, 'Default'), { recursive: true });
      await fs.writeFile(path.join(folder, 'Default', 'Preferences'), '{}');
    }
    const removed = await removeAbandonedChromiumProfiles(dir);
    expect(removed).toEqual([dead]);
    expect(await exists(dead)).toBe(false);
    // A live process's folder, this process's own (made after it started) and a stranger's stay.
    for (const folder of [live, mine, notOurs]) expect(await exists(folder)).toBe(true);
  });

  it("removes a folder with this process's own PID made before it started (a restarted container reuses the PID)", async () => {
    const reused = path.join(dir, `${chromiumProfilePrefix(process.pid)}old`);
    await fs.mkdir(reused);
    await fs.utimes(reused, new Date(0), new Date(0));
    expect(await removeAbandonedChromiumProfiles(dir)).toEqual([reused]);
  });

  it("an older folder without a PID goes when Chromium's lock names a dead process, stays while it names a live one", async () => {
    const stale = path.join(dir, 'evk-chromium-aaaaaa');
    const held = path.join(dir, 'evk-chromium-bbbbbb');
    await fs.mkdir(stale);
    await fs.mkdir(held);
    await fs.symlink(`${os.hostname()}-${deadPid()}`, path.join(stale, 'SingletonLock'));
    await fs.symlink(`${os.hostname()}-${process.pid}`, path.join(held, 'SingletonLock'));
    expect(await removeAbandonedChromiumProfiles(dir)).toEqual([stale]);
    expect(await exists(held)).toBe(true);
  });
});

describe('issue 10 item 6: half-written documents (*.tmp) left by killed processes', () => {
  it('removes the temporary files of dead processes anywhere under the storage folder, and nothing else', async () => {
    const storage = new LocalFileStorage(dir);
    await storage.put('contracts/c1/v1/order.pdf', Buffer.from('%PDF-1.7 order'));
    const folder = path.join(dir, 'contracts', 'c1', 'v1');
    const abandoned = path.join(folder, `contract.pdf.${deadPid()}.${Date.now() - 60_000}.tmp`);
    const live = path.join(folder, `contract.pdf.${process.ppid}.${Date.now()}.tmp`);
    const fresh = path.join(folder, `order.pdf.${process.pid}.${Date.now()}.tmp`);
    const reused = path.join(folder, `order.pdf.${process.pid}.${Date.now() - process.uptime() * 1000 - 60_000}.tmp`);
    const unrelated = path.join(folder, 'notes.tmp');
    for (const file of [abandoned, live, fresh, reused, unrelated]) {
      await fs.writeFile(file, 'half');
      await fs.utimes(file, old, old);
    }
    const removed = await removeAbandonedTemporaryFiles(dir);
    expect(removed.sort()).toEqual([path.relative(dir, abandoned), path.relative(dir, reused)].sort());
    for (const file of [live, fresh, unrelated]) expect(await exists(file)).toBe(true);
    // The stored document is untouched.
    expect((await storage.get('contracts/c1/v1/order.pdf'))?.toString()).toBe('%PDF-1.7 order');
  });

  it('leaves a temporary file written in the last moments alone (a write in flight in another PID namespace)', async () => {
    const file = path.join(dir, `upload.pdf.${deadPid()}.${Date.now()}.tmp`);
    await fs.writeFile(file, 'half');
    expect(await removeAbandonedTemporaryFiles(dir)).toEqual([]);
    expect(await exists(file)).toBe(true);
  });

  it('a storage folder that does not exist yet is not an error', async () => {
    expect(await removeAbandonedTemporaryFiles(path.join(dir, 'missing'))).toEqual([]);
    expect(await removeAbandonedChromiumProfiles(path.join(dir, 'missing'))).toEqual([]);
  });
});
