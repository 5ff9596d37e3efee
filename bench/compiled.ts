/**
 * Issue 14: the contracts phase on the compiled JavaScript (node, no TypeScript loader), as the
 * production processes run it. The sources are transpiled the way `npm run build` compiles them
 * (bin/build-dist.ts's transpileTree: tsconfig.build.json's options, templates and views copied
 * beside), the bench's own files with them, into `.bench-data/dist`; then `node
 * .bench-data/dist/bench/run.js` runs the phase with its own PostgreSQL database and Temporal
 * server, as this process did, and hands its figures back in a file.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { transpileTree } from '../bin/build-dist';

/** Set in the compiled child: where it writes its results (instead of bench/results/latest.json). */
export const CHILD_RESULTS_ENV = 'BENCH_COMPILED_RESULTS';
/** Set in the compiled child: the repository (its .bench-data), since its own __dirname is under dist. */
export const CHILD_ROOT_ENV = 'BENCH_ROOT';

export const runningCompiled = () => path.extname(__filename) === '.js';

/** Transpiles the application and the bench into root/.bench-data/dist; returns the compiled bench/run.js. */
export function buildCompiled(root: string): string {
  const dist = path.join(root, '.bench-data', 'dist');
  transpileTree(root, dist);
  const config = ts.readConfigFile(path.join(root, 'tsconfig.build.json'), (f) => ts.sys.readFile(f));
  const { options } = ts.parseJsonConfigFileContent(config.config, ts.sys, root);
  // The bench's own files, the documents' test data its documents phase imports, and the full path it drives.
  const files = [...readdirSync(path.join(root, 'bench')).map((name) => `bench/${name}`), 'test/documents/fixtures.ts', 'test/support/full-path.ts'];
  for (const file of files) {
    if (!file.endsWith('.ts')) continue;
    const source = path.join(root, file);
    const target = path.join(dist, file.replace(/\.ts$/, '.js'));
    if (existsSync(target) && statSync(target).mtimeMs >= statSync(source).mtimeMs) continue;
    const out = ts.transpileModule(readFileSync(source, 'utf8'), {
      compilerOptions: { ...options, noEmit: false, sourceMap: false, inlineSourceMap: false },
      fileName: file,
    });
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, out.outputText);
  }
  return path.join(dist, 'bench', 'run.js');
}

/** Runs `node <compiled run.js> args` to its end and returns the results it wrote. */
export async function runCompiledChild<T>(root: string, runJs: string, args: string[], log: (m: string) => void): Promise<T> {
  const resultsFile = path.join(root, '.bench-data', `compiled-results-${process.pid}.json`);
  log(`compiled: node ${path.relative(root, runJs)} ${args.join(' ')}`);
  const child = spawn(process.execPath, [runJs, ...args], {
    cwd: root,
    env: { ...process.env, [CHILD_RESULTS_ENV]: resultsFile, [CHILD_ROOT_ENV]: root },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const stop = () => child.kill('SIGTERM');
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
  process.off('SIGINT', stop);
  process.off('SIGTERM', stop);
  if (code !== 0) throw new Error(`the compiled bench ended with code ${code}`);
  return JSON.parse(readFileSync(resultsFile, 'utf8')) as T;
}
