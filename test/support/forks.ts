import fs from 'node:fs';
import path from 'node:path';
import { processIsAlive } from '../../platform/processes';

/**
 * How many forks run the system layer side by side (vitest.config.mts maxWorkers). Each fork has a
 * PostgreSQL database and a Temporal dev server of its own (test/global-setup.ts), so its files see
 * what they saw when all files ran one after another: contract numbers (and so workflow IDs) from
 * their own sequence, their own outbox, sessions and counts. With an outside Temporal
 * (TEMPORAL_ADDRESS) there is one server to share, so the files run one at a time again.
 * EVK_TEST_SYSTEM_FORKS=1 does the same on purpose.
 */
export function systemForks(env: NodeJS.ProcessEnv = process.env): number {
  if (env.TEMPORAL_ADDRESS) return 1;
  const asked = Number(env.EVK_TEST_SYSTEM_FORKS ?? 2);
  return Number.isInteger(asked) && asked >= 1 ? asked : 2;
}

/**
 * This process's place among the forks, 0 to count - 1, claimed once per process and held until it
 * exits. Not VITEST_POOL_ID: with the unit and system projects, vitest 4 gives every system fork the
 * same pool ID (1), so two files side by side shared a database and a Temporal server, and each
 * one's dispatcher sent the other's mails to its own sink. A slot is a file created exclusively
 * (`wx`) in `dir` (one per run), naming the pid; a slot whose process is gone is taken over.
 */
export function claimForkSlot(count: number, dir: string): number {
  if (claimed) return claimed.slot;
  fs.mkdirSync(dir, { recursive: true });
  const take = (file: string): boolean => {
    try {
      fs.writeFileSync(file, String(process.pid), { flag: 'wx' });
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      return false;
    }
  };
  // First a slot nobody holds; then one whose holder was killed without its exit handler (a dead pid).
  for (const takeOverDead of [false, true]) {
    for (let slot = 0; slot < count; slot++) {
      const file = path.join(dir, `fork-${slot}`);
      let mine = take(file);
      if (!mine && takeOverDead && !processIsAlive(Number(fs.readFileSync(file, 'utf8')))) {
        fs.rmSync(file, { force: true });
        mine = take(file);
      }
      if (!mine) continue;
      claimed = { slot, file };
      process.once('exit', () => fs.rmSync(file, { force: true }));
      return slot;
    }
  }
  throw new Error(`no fork slot free among ${count} in ${dir}: more system forks than databases and Temporal servers prepared`);
}

let claimed: { slot: number; file: string } | undefined;
