import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { describeExit, elapsed, findOnPath, indent, isExecutable, pipeLines, TailBuffer, watchExit } from '../processes';

/**
 * Builds a Go program from its module into `binDir` (`CGO_ENABLED=0 GOBIN=<binDir> go install …`),
 * for the development tools that publish no other way to get them without downloading a binary
 * (the Temporal CLI, Versity's S3 gateway). Prints a condensed progress; throws with go's last lines.
 */
export async function goInstall(options: {
  go: string;
  module: string;
  ldflags?: string;
  binDir: string;
  /** What is built, for the messages: "the Temporal CLI 1.5.1". */
  what: string;
  /** Said after a failure: another way to get the tool. */
  alternative: string;
  log: (msg: string) => void;
}): Promise<void> {
  const { go, module, ldflags, binDir, what, log } = options;
  await fs.mkdir(binDir, { recursive: true });
  const args = ['install', ...(ldflags ? ['-ldflags', ldflags] : []), module];
  log(`Building ${what} from its Go module (takes a minute or more, once)…`);
  log(`  CGO_ENABLED=0 GOBIN=${binDir} go ${args.map((a) => (a.includes(' ') ? `"${a}"` : a)).join(' ')}`);
  const started = Date.now();
  const child = spawn(go, args, { env: { ...process.env, CGO_ENABLED: '0', GOBIN: binDir }, stdio: ['ignore', 'pipe', 'pipe'] });
  const output = new TailBuffer(30);
  let downloads = 0;
  // go prints one "go: downloading <module> <version>" line per module: condense them into counts.
  const onLine = (line: string) => {
    output.push(line);
    if (line.startsWith('go: downloading ')) {
      downloads += 1;
      if (downloads === 1) log('  downloading modules…');
    } else {
      log(`  ${line}`);
    }
  };
  pipeLines(child.stdout, onLine);
  pipeLines(child.stderr, onLine);
  const heartbeat = setInterval(() => {
    log(`  … still building, ${elapsed(started)}${downloads ? ` (${downloads} modules downloaded)` : ''}`);
  }, 15_000);
  const exit = await watchExit(child).finally(() => clearInterval(heartbeat));
  if (exit.code !== 0) {
    throw new Error(
      `Building ${what} failed (${describeExit(exit)}) after ${elapsed(started)}. Last output:\n${indent(output.lines())}\n${options.alternative}`,
    );
  }
  log(`Built ${what} in ${elapsed(started)} (${downloads} modules downloaded) into ${binDir}`);
}

/**
 * A development tool built from Go: `command` on PATH, then the cached build, and otherwise
 * `go install` into the cache. `missing` says what to do when there is no Go to build with.
 */
export async function findOrBuildGoTool(options: {
  command: string;
  cached: string;
  module: string;
  ldflags?: string;
  what: string;
  missing: string;
  alternative: string;
  log: (msg: string) => void;
}): Promise<string> {
  const onPath = await findOnPath(options.command);
  if (onPath) return onPath;
  if (await isExecutable(options.cached)) return options.cached;
  const go = await findOnPath('go');
  if (!go) throw new Error(options.missing);
  await goInstall({ ...options, go, binDir: path.dirname(options.cached) });
  if (!(await isExecutable(options.cached))) throw new Error(`go install finished but ${options.cached} is missing or not executable`);
  return options.cached;
}
