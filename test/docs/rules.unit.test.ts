/** docs/rules.md stays true to the code (issue 8): every rule has a test that cites it, and every file it names exists. */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../..');
const rows = readFileSync(path.join(ROOT, 'docs/rules.md'), 'utf8')
  .split('\n')
  .filter((line) => /^\| R\d/.test(line))
  .map((line) => {
    const [id, , where, proof] = line
      .split('|')
      .slice(1, -1)
      .map((cell) => cell.trim());
    const files = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]);
    return { id, where: files(where), proof: files(proof) };
  });

describe('docs/rules.md', () => {
  it('lists the rules of the contract path, access, assignments and projects', () => {
    expect(rows.map((r) => r.id)).toEqual(expect.arrayContaining(['R2.1', 'R2.5', 'R4.1.2', 'R4.2.2', 'R4.3.3', 'R4.4.3', 'R4.5', 'R4.6', 'R4.8', 'R5', 'R6']));
  });

  it('names only files that exist', () => {
    const missing = rows.flatMap((r) => [...r.where, ...r.proof].filter((file) => !existsSync(path.join(ROOT, file))).map((file) => `${r.id}: ${file}`));
    expect(missing).toEqual([]);
  });

  it('proves every rule with at least one test file that cites the rule', () => {
    const unproved = rows.filter(
      (r) =>
        r.proof.length === 0 ||
        !r.proof.some((file) => new RegExp(`(?<![\\w.])${r.id.replace(/\./g, '\\.')}(?![\\d.]*\\d)`).test(readFileSync(path.join(ROOT, file), 'utf8'))),
    );
    expect(unproved.map((r) => r.id)).toEqual([]);
  });
});
