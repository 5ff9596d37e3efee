/**
 * Versity's S3 gateway (Apache-2.0) over a plain folder: a real S3-compatible server for the
 * storage tests, the scale-out test and `docker-compose.yml` (issue 14). Found the way the Temporal
 * CLI is: EVK_VERSITYGW_PATH, then `versitygw` on PATH, then our cache, and otherwise built from its
 * Go module into the cache. Development and tests only; production points EVK_S3_* at its own store.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { describeExit, indent, isExecutable, once, pipeLines, sleep, TailBuffer, terminate, watchExit, type ExitInfo } from '../processes';
import { findOrBuildGoTool } from './go-install';

type Log = (msg: string) => void;

export const VERSITYGW_VERSION = '1.8.0';
const VERSITYGW_MODULE = `github.com/versity/versitygw/cmd/versitygw@v${VERSITYGW_VERSION}`;
const START_TIMEOUT_MS = 30_000;

/** `$XDG_CACHE_HOME/evk/versitygw-<version>/versitygw`. */
export function versitygwCachePath(): string {
  const xdg = process.env.XDG_CACHE_HOME;
  const cacheRoot = xdg && path.isAbsolute(xdg) ? xdg : path.join(os.homedir(), '.cache');
  return path.join(cacheRoot, 'evk', `versitygw-${VERSITYGW_VERSION}`, 'versitygw');
}

export async function resolveVersitygw(log: Log, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const given = env.EVK_VERSITYGW_PATH;
  if (given) {
    if (await isExecutable(given)) return given;
    throw new Error(`EVK_VERSITYGW_PATH=${given} is not an executable file`);
  }
  const cached = versitygwCachePath();
  return findOrBuildGoTool({
    command: 'versitygw',
    cached,
    module: VERSITYGW_MODULE,
    what: `Versity's S3 gateway ${VERSITYGW_VERSION}`,
    missing:
      `No versitygw found (neither EVK_VERSITYGW_PATH, "versitygw" on PATH nor ${cached}), and Go is not installed to build it. ` +
      'Install Go 1.25 or newer (https://go.dev/doc/install), or put versitygw on PATH.',
    alternative: 'Alternatively put versitygw on PATH or set EVK_VERSITYGW_PATH.',
    log,
  });
}

export interface VersitygwOptions {
  binPath: string;
  /** The folder it serves: one sub-folder per bucket. */
  rootDir: string;
  port: number;
  accessKeyId: string;
  secretAccessKey: string;
  /** Buckets created (as folders) before it starts. */
  buckets?: string[];
  log: Log;
}

export interface RunningVersitygw {
  /** http://127.0.0.1:<port>, for EVK_S3_ENDPOINT. */
  endpoint: string;
  pid: number;
  stop: () => Promise<void>;
}

/** Runs `versitygw posix <rootDir>` on loopback and waits until it answers HTTP. */
export async function startVersitygw(opts: VersitygwOptions): Promise<RunningVersitygw> {
  const { binPath, rootDir, port, log } = opts;
  await fs.mkdir(rootDir, { recursive: true });
  for (const bucket of opts.buckets ?? []) await fs.mkdir(path.join(rootDir, bucket), { recursive: true });
  const endpoint = `http://127.0.0.1:${port}`;
  // The keys go in the environment, not the arguments: `ps` shows arguments to everyone on the host.
  const child = spawn(binPath, ['--port', `127.0.0.1:${port}`, '--quiet', 'posix', rootDir], {
    env: { ...process.env, ROOT_ACCESS_KEY_ID: opts.accessKeyId, ROOT_SECRET_ACCESS_KEY: opts.secretAccessKey },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = new TailBuffer(30);
  pipeLines(child.stdout, (line) => output.push(line));
  pipeLines(child.stderr, (line) => output.push(line));
  const exited = watchExit(child);
  const killOnExit = () => child.kill('SIGTERM');
  process.once('exit', killOnExit);
  const stop = once(async () => {
    process.removeListener('exit', killOnExit);
    await terminate(child, exited, [
      ['SIGTERM', 5_000],
      ['SIGKILL', 2_000],
    ]);
  });
  let exit: ExitInfo | undefined;
  void exited.then((info) => (exit = info));
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (!(await answers(endpoint))) {
    if (exit || Date.now() > deadline) {
      await stop();
      throw new Error(`versitygw did not start on ${endpoint} (${exit ? describeExit(exit) : 'timed out'}). Its last output:\n${indent(output.lines())}`);
    }
    await sleep(100);
  }
  log(`versitygw ${VERSITYGW_VERSION} serves ${rootDir} on ${endpoint}`);
  return { endpoint, pid: child.pid ?? 0, stop };
}

/** Any HTTP answer (an anonymous request gets 403) means it listens. */
function answers(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get(url, (res) => {
      res.resume();
      resolve(true);
    });
    req.on('error', () => resolve(false));
    req.setTimeout(1000, () => req.destroy());
  });
}
