/**
 * `npm run build`, after tsc: the files the compiled processes read beside their code (views,
 * locales, document templates, static files, the failure converter, the password list) copied into
 * dist/ at the same relative places, so `node dist/bin/evk.js web|worker|…` finds them where the
 * TypeScript sources find theirs (issue 14). Run as `node dist/bin/copy-assets.js`.
 */
import { cpSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/** The folders tsconfig.build.json compiles, and the templates the documents read. */
export const BUILT_FOLDERS = [
  'bin',
  'platform',
  'domain',
  'workflows',
  'activities',
  'api',
  'web',
  'migrations',
  'integrations',
  'documents',
  'locales',
  'simulators',
  'templates',
];

export function copyAssets(root: string, dist: string): number {
  let copied = 0;
  const walk = (rel: string) => {
    for (const name of readdirSync(path.join(root, rel))) {
      const from = path.join(rel, name);
      if (statSync(path.join(root, from)).isDirectory()) walk(from);
      else if (!name.endsWith('.ts')) {
        cpSync(path.join(root, from), path.join(dist, from));
        copied += 1;
      }
    }
  };
  for (const folder of BUILT_FOLDERS) walk(folder);
  return copied;
}

if (require.main === module) {
  const dist = path.resolve(__dirname, '..');
  const root = path.resolve(dist, '..');
  console.log(`copied ${copyAssets(root, dist)} files beside the compiled code into ${dist}`);
}
