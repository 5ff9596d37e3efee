/**
 * The compiled production build (issue 14): `npm run build` runs tsc (tsconfig.build.json, type-checked)
 * into dist/, then `node dist/bin/build-dist.js` copies the files the processes read beside their
 * code (views, locales, document templates, static files, the failure converter, the password list)
 * to the same relative places, so `node dist/bin/evk.js web|worker|…` finds them where the sources
 * find theirs. `transpileTree` is the quick way to the same JavaScript without the type check
 * (TypeScript's own transpiler, file by file), for the multi-process test.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

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

function eachFile(root: string, visit: (rel: string) => void): void {
  const walk = (rel: string) => {
    for (const name of readdirSync(path.join(root, rel))) {
      const file = path.join(rel, name);
      if (statSync(path.join(root, file)).isDirectory()) walk(file);
      else visit(file);
    }
  };
  for (const folder of BUILT_FOLDERS) walk(folder);
}

/** Copies every file that is not TypeScript; returns how many. */
export function copyAssets(root: string, dist: string): number {
  let copied = 0;
  eachFile(root, (file) => {
    if (file.endsWith('.ts')) return;
    cpSync(path.join(root, file), path.join(dist, file));
    copied += 1;
  });
  return copied;
}

/** Every .ts file to .js with the project's compiler options, no type check (a file older than its output is kept); then the assets. Returns the files transpiled. */
export function transpileTree(root: string, dist: string): number {
  const config = ts.readConfigFile(path.join(root, 'tsconfig.build.json'), (f) => ts.sys.readFile(f));
  const { options } = ts.parseJsonConfigFileContent(config.config, ts.sys, root);
  let files = 0;
  eachFile(root, (file) => {
    if (!file.endsWith('.ts')) return;
    const target = path.join(dist, file.replace(/\.ts$/, '.js'));
    if (existsSync(target) && statSync(target).mtimeMs >= statSync(path.join(root, file)).mtimeMs) return;
    const out = ts.transpileModule(readFileSync(path.join(root, file), 'utf8'), {
      compilerOptions: { ...options, noEmit: false, sourceMap: false, inlineSourceMap: false },
      fileName: file,
    });
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, out.outputText);
    files += 1;
  });
  copyAssets(root, dist);
  return files;
}

if (require.main === module) {
  const dist = path.resolve(__dirname, '..');
  const root = path.resolve(dist, '..');
  console.log(`copied ${copyAssets(root, dist)} files beside the compiled code into ${dist}`);
}
