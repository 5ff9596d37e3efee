import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * The project's folder (where package.json is): the same whether the code runs from its TypeScript
 * sources (tsx) or compiled into dist/ (`npm run build`, issue 14), where `__dirname/..` is dist.
 */
export function projectRoot(from: string = __dirname): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) return path.resolve(from, '..');
  }
}

export const PROJECT_ROOT = projectRoot();
