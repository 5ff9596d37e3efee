/**
 * The suite's forks (test/support/forks.ts): two system files side by side must never share a
 * database or a Temporal server (their mails and counts would mix), so each fork process claims a
 * slot of its own, and a slot left by a dead process is free again.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const TSX = path.resolve(__dirname, '..', '..', 'node_modules', '.bin', 'tsx');
const FORKS = path.resolve(__dirname, 'forks.ts');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'evk-fork-slots-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A process that claims a slot, says which, and holds it for `holdMs`. */
async function claimIn(holdMs: number): Promise<number> {
  const code = `const { claimForkSlot } = require(${JSON.stringify(FORKS)}); console.log(claimForkSlot(2, ${JSON.stringify(dir)})); setTimeout(() => {}, ${holdMs});`;
  const { stdout } = await run(TSX, ['-e', code], { timeout: 60_000 });
  return Number(stdout.trim());
}

describe('fork slots of the system layer', () => {
  it('two forks at once get different slots; a third, once one has exited, gets the freed one', { timeout: 60_000 }, async () => {
    const slots = await Promise.all([claimIn(2_000), claimIn(2_000)]);
    expect(slots.sort()).toEqual([0, 1]);
    expect(fs.readdirSync(dir)).toEqual([]);
    expect(await claimIn(0)).toBe(0);
  });

  it('a slot whose process died without its exit handler is taken over', { timeout: 60_000 }, async () => {
    fs.writeFileSync(path.join(dir, 'fork-0'), '999999999');
    fs.writeFileSync(path.join(dir, 'fork-1'), String(process.pid));
    expect(await claimIn(0)).toBe(0);
    fs.rmSync(path.join(dir, 'fork-1'));
  });
});
