import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import type { grpc } from '@temporalio/proto';
import { describeExit, indent, once, pipeLines, sleep, TailBuffer, terminate, watchExit, type ExitInfo } from '../processes';
import { ensureSearchAttributesOn, type SearchAttributeKind } from '../search-attributes';
import { findOrBuildGoTool } from './go-install';

type Log = (msg: string) => void;

export type { SearchAttributeKind };

export const TEMPORAL_CLI_VERSION = '1.5.1';

/**
 * The server settings the cabinet runs best with, given to every dev server (npm start, the tests'
 * servers, the bench, the chaos run) and, from platform/temporal-dynamic-config.yaml, to docker compose's
 * Temporal (the unit test keeps the two the same; docs/operations.md for a cluster of your own).
 *
 * `system.enableActivityEagerExecution` (issue 14): an activity the workflow task schedules on the
 * worker's own task queue goes back to that worker in the answer to the task's completion, when it
 * has a free slot, instead of through the matching service and a poll: the order's activity starts
 * at once (the queue wait was 27–35 ms p50 at 10 contracts in flight), and Temporal's CPU per
 * contract went from 88–100 to 84–87 ms in three A/B runs (docs/benchmarks.md, session 24). An
 * activity whose worker dies is retried elsewhere after its timeouts, as any other.
 */
export const TEMPORAL_DYNAMIC_CONFIG: Readonly<Record<string, boolean | number | string>> = {
  'system.enableActivityEagerExecution': true,
};

/** TEMPORAL_DYNAMIC_CONFIG as `temporal server start-dev` takes it. */
export const dynamicConfigArgs = (): string[] =>
  Object.entries(TEMPORAL_DYNAMIC_CONFIG).flatMap(([key, value]) => ['--dynamic-config-value', `${key}=${JSON.stringify(value)}`]);

const TEMPORAL_CLI_MODULE = `github.com/temporalio/cli/cmd/temporal@v${TEMPORAL_CLI_VERSION}`;
const TEMPORAL_CLI_LDFLAGS = `-X github.com/temporalio/cli/temporalcli.Version=${TEMPORAL_CLI_VERSION}`;
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 15_000;
/** grpc.health.v1 SERVING (the enum lives in @temporalio/proto; only its type is imported). */
const SERVING = 1 as grpc.health.v1.HealthCheckResponse.ServingStatus.SERVING;

export interface TemporalDevServerOptions {
  cliPath: string;
  /** SQLite file that keeps the server's state across restarts; in memory when absent. */
  dbFile?: string;
  port: number;
  uiPort: number;
  namespace: string;
  searchAttributes: Record<string, SearchAttributeKind>;
  headless?: boolean;
  /** The codec server the Web UI decodes payloads with (`--ui-codec-endpoint`). */
  uiCodecEndpoint?: string;
  log: Log;
}

export interface TemporalDevServer {
  /** host:port of the front-end gRPC service. */
  address: string;
  /**
   * Web UI, unless headless. On `localhost`, not 127.0.0.1: the cabinet's session cookie is set for
   * localhost, and the UI's calls to the codec server carry it only from a same-site page.
   */
  uiUrl?: string;
  /** A closure: safe to pass on unbound. */
  stop: () => Promise<void>;
}

/** Where the Temporal CLI we build ourselves is kept: `$XDG_CACHE_HOME/evk/temporal-<version>/temporal`. */
export function temporalCliCachePath(): string {
  const xdg = process.env.XDG_CACHE_HOME;
  const cacheRoot = xdg && path.isAbsolute(xdg) ? xdg : path.join(os.homedir(), '.cache');
  return path.join(cacheRoot, 'evk', `temporal-${TEMPORAL_CLI_VERSION}`, 'temporal');
}

/**
 * Finds a Temporal CLI: `temporal` on PATH, then our cache, and otherwise builds it from its Go
 * module into the cache (Temporal publishes no other way to get it without downloading a binary).
 */
export async function resolveTemporalCli(log: Log): Promise<string> {
  const cached = temporalCliCachePath();
  return findOrBuildGoTool({
    command: 'temporal',
    cached,
    module: TEMPORAL_CLI_MODULE,
    ldflags: TEMPORAL_CLI_LDFLAGS,
    what: `the Temporal CLI ${TEMPORAL_CLI_VERSION}`,
    missing:
      `No Temporal CLI found (neither "temporal" on PATH nor ${cached}), and Go is not installed to build it. ` +
      'Install Go 1.25 or newer (https://go.dev/doc/install), or put the Temporal CLI on PATH, ' +
      'or set TEMPORAL_ADDRESS=host:port to use a running Temporal cluster.',
    alternative: 'Alternatively put the Temporal CLI on PATH or set TEMPORAL_ADDRESS=host:port to use a running Temporal cluster.',
    log,
  });
}

/**
 * Runs `temporal server start-dev` on loopback, waits until it serves `namespace`, and makes sure
 * the search attributes exist (the CLI applies --search-attribute only when it creates the namespace).
 */
export async function startTemporalDevServer(opts: TemporalDevServerOptions): Promise<TemporalDevServer> {
  const { cliPath, dbFile, port, uiPort, namespace, searchAttributes, headless = false, uiCodecEndpoint, log } = opts;
  const address = `127.0.0.1:${port}`;
  await assertPortFree(port, 'Temporal gRPC');
  if (!headless) await assertPortFree(uiPort, 'Temporal Web UI');

  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), '--ui-port', String(uiPort)];
  args.push('--namespace', namespace);
  if (dbFile) {
    await fs.mkdir(path.dirname(path.resolve(dbFile)), { recursive: true });
    args.push('--db-filename', path.resolve(dbFile));
    args.push('--sqlite-pragma', 'journal_mode=WAL', '--sqlite-pragma', 'synchronous=NORMAL');
  }
  args.push('--log-level', 'warn');
  args.push(...dynamicConfigArgs());
  if (headless) args.push('--headless');
  else if (uiCodecEndpoint) args.push('--ui-codec-endpoint', uiCodecEndpoint);
  for (const [name, kind] of Object.entries(searchAttributes)) {
    args.push('--search-attribute', `${name}=${kind}`);
  }

  log(`Starting the Temporal dev server on ${address}${dbFile ? ` (state in ${path.resolve(dbFile)})` : ' (state in memory)'}`);
  const child = spawn(cliPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const output = new TailBuffer(40);
  let ready = false;
  const onLine = (line: string) => {
    output.push(line);
    if (ready && /level=ERROR/.test(line)) log(`temporal: ${line}`);
  };
  pipeLines(child.stdout, onLine);
  pipeLines(child.stderr, onLine);
  const exited = watchExit(child);
  // If this process exits without calling stop(), do not leave the server running (and its port taken).
  const killOnExit = () => child.kill('SIGTERM');
  process.once('exit', killOnExit);

  const stop = once(async () => {
    process.removeListener('exit', killOnExit);
    await terminate(child, exited, [
      ['SIGTERM', STOP_TIMEOUT_MS],
      ['SIGKILL', 5_000],
    ]);
    if (ready) log('Temporal dev server stopped');
  });

  try {
    const connection = await waitUntilServing(address, namespace, exited, () => output.lines());
    try {
      await ensureSearchAttributesOn(connection, namespace, searchAttributes);
    } finally {
      await connection.close();
    }
  } catch (error) {
    await stop();
    throw error;
  }
  ready = true;
  const uiUrl = headless ? undefined : `http://localhost:${uiPort}`;
  log(`Temporal dev server is ready on ${address}${uiUrl ? `, Web UI on ${uiUrl}` : ''}`);
  return { address, uiUrl, stop };
}

async function waitUntilServing(address: string, namespace: string, exited: Promise<ExitInfo>, recentOutput: () => string[]): Promise<Connection> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  let exit: ExitInfo | undefined;
  void exited.then((info) => (exit = info));
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (exit) {
      throw new Error(`The Temporal dev server exited during start-up (${describeExit(exit)}). Its last output:\n${indent(recentOutput())}`);
    }
    let connection: Connection | undefined;
    try {
      connection = await Connection.connect({ address, connectTimeout: '2s' });
      const health = await connection.healthService.check({});
      if (health.status !== SERVING) throw new Error(`health check says ${health.status}`);
      await connection.workflowService.describeNamespace({ namespace });
      return connection;
    } catch (error) {
      lastError = error;
      await connection?.close().catch(() => undefined);
    }
    await sleep(250);
  }
  throw new Error(
    `The Temporal dev server did not serve namespace "${namespace}" on ${address} within ${START_TIMEOUT_MS / 1000} s ` +
      `(last error: ${(lastError as Error | undefined)?.message}). Its last output:\n${indent(recentOutput())}`,
  );
}

// The dev server does not always fail fast on a taken port, and a leftover server on it would
// otherwise pass our readiness check.
async function assertPortFree(port: number, what: string): Promise<void> {
  const free = await new Promise<boolean>((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => resolve(true)));
  });
  if (!free) {
    throw new Error(
      `Port ${port} on 127.0.0.1 (${what}) is already in use, perhaps by a Temporal server left by an earlier run ` +
        `(see: ss -ltnp 'sport = :${port}'). Stop it, choose other ports, or set TEMPORAL_ADDRESS to use a running server.`,
    );
  }
}
