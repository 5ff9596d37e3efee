/**
 * Issue 14: the application under measurement, in one of two shapes.
 *
 * - `processes` (the default): the web server and the worker each in a process of its own, started as
 *   production starts them (`evk web`, `evk worker`; docker-compose.yml): `node <dist>/bin/evk.js` when the
 *   bench runs compiled, `node --import tsx bin/evk.ts` when it runs with the loader. The bench's own
 *   process is then only the users' side and the outside world: the browsers' HTTP (bench/http.ts), the
 *   simulators of the payment agent, the mobile signature and the SMS gateway, the mail sink and the
 *   read-model poller. Its CPU is reported as `driver`, apart from the system's.
 * - `one-process`: the web server and the worker in the bench's own process, beside the driver and the
 *   simulators, as `npm start` runs them (and as the bench measured until session 26). Its `node` CPU
 *   is all of them together. The calendar phase and `--profile` (V8's profiler of this process) need it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { contractPdfCounts } from '../activities/contract';
import type { Config } from '../platform/config';
import type { Knex } from '../platform/db';
import type { Logger } from '../platform/logger';
import { startWeb, type WebHandle } from '../platform/web-server';
import { startWorker, warmDocumentRenderer, writeWorkflowBundle, type WorkerHandle } from '../platform/worker';
import { nameProcess, processTicks } from './cpu';
import { runningCompiled } from './compiled';
import { sleep } from './stats';

export const SHAPES = ['processes', 'one-process'] as const;
export type Shape = (typeof SHAPES)[number];

export interface BenchApp {
  shape: Shape;
  webUrl: string;
  /** Where this worker's orders' contract PDFs came from, since it started. */
  contractPdfCounts(): Promise<{ prepared: number; rendered: number }>;
  /** Resolves once the worker has nothing in hand (one process) or has spent no CPU for half a second (its own process). */
  quiet(timeoutMs?: number): Promise<void>;
  /** The in-process worker and web server (one-process shape only). */
  inProcess?: { worker: WorkerHandle; web: WebHandle };
  close(): Promise<void>;
}

export interface AppContext {
  root: string;
  dataDir: string;
  config: Config;
  /** The environment the configuration was loaded from (ports, data folder, blanked outside systems). */
  env: NodeJS.ProcessEnv;
  db: Knex;
  databaseUrl: string;
  temporalAddress: string;
  chromiumPath: string;
  log: Logger;
}

export async function startApp(shape: Shape, ctx: AppContext): Promise<BenchApp> {
  return shape === 'one-process' ? startInProcess(ctx) : startProcesses(ctx);
}

async function startInProcess(ctx: AppContext): Promise<BenchApp> {
  const { config, db, temporalAddress, log } = ctx;
  const taskQueue = config.taskQueue;
  // The worker's warm Chromium, owned here so that the bench can close it.
  const documents = warmDocumentRenderer(config, (m) => log.info(m));
  // The outbox is sent as in production (every 2 s when idle), by a dispatcher of the bench's own
  // that the worker ends when it stops.
  const worker = await startWorker({
    config,
    db,
    temporalAddress,
    log,
    documents,
    notificationDispatcher: { workflowId: `notification-dispatcher-${taskQueue}` },
    paymentReconciler: { workflowId: `payment-reconciler-${taskQueue}` },
  }).catch(async (err: unknown) => {
    await documents.close();
    throw err;
  });
  const web = await startWeb({ config, db, databaseUrl: ctx.databaseUrl, temporalAddress, log }).catch(async (err: unknown) => {
    await worker.close();
    await documents.close();
    throw err;
  });
  return {
    shape: 'one-process',
    webUrl: web.url,
    inProcess: { worker, web },
    contractPdfCounts: () => Promise.resolve({ ...contractPdfCounts() }),
    async quiet(timeoutMs = 60_000) {
      const started = Date.now();
      while (Date.now() - started < timeoutMs) {
        const s = worker.worker.getStatus();
        if (s.numInFlightActivities === 0 && s.numInFlightWorkflowActivations === 0) return;
        await sleep(50);
      }
    },
    async close() {
      await web.close();
      await worker.close();
      await documents.close();
    },
  };
}

/** One of the application's processes, started as production starts it. */
class AppProcess {
  private proc?: ChildProcess;
  private exited?: Promise<void>;

  constructor(
    readonly name: 'worker' | 'web',
    private readonly ctx: AppContext,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  get pid(): number | undefined {
    return this.proc?.pid;
  }

  async start(): Promise<void> {
    const { root, dataDir } = this.ctx;
    // Compiled: the transpiled tree the bench itself runs from (bench/compiled.ts); else the sources with tsx.
    const nodeArgs = process.env.BENCH_CHILD_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
    const args = runningCompiled()
      ? [...nodeArgs, path.resolve(__dirname, '..', 'bin', 'evk.js'), this.name]
      : [...nodeArgs, '--import', 'tsx', path.join(root, 'bin', 'evk.ts'), this.name];
    const logFile = path.join(dataDir, 'logs', `${this.name}.log`);
    await fs.mkdir(path.dirname(logFile), { recursive: true });
    const out = createWriteStream(logFile);
    const proc = spawn(process.execPath, args, { cwd: root, env: this.env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.proc = proc;
    this.exited = new Promise((resolve) => proc.once('exit', () => resolve()));
    proc.stdout.pipe(out);
    proc.stderr.pipe(out);
    const marker = this.name === 'worker' ? 'worker polling task queue' : 'web and API on';
    await untilSays(proc, marker, 120_000, `the ${this.name}`, `see ${logFile}`);
    nameProcess(proc.pid!, this.name);
  }

  /** SIGTERM (the process stops gracefully, its Chromium with it), SIGKILL after 20 s. */
  async stop(): Promise<void> {
    const proc = this.proc;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    proc.kill('SIGTERM');
    const timer = setTimeout(() => proc.kill('SIGKILL'), 20_000);
    await this.exited;
    clearTimeout(timer);
  }
}

async function startProcesses(ctx: AppContext): Promise<BenchApp> {
  const { config, dataDir } = ctx;
  // Bundled once, before anything is measured, as a deployment builds it (the worker would bundle on start).
  const bundle = path.join(dataDir, `workflow-bundle-${runningCompiled() ? 'compiled' : 'loader'}.js`);
  await writeWorkflowBundle(bundle);
  const env: NodeJS.ProcessEnv = {
    ...ctx.env,
    DATABASE_URL: ctx.databaseUrl,
    TEMPORAL_ADDRESS: ctx.temporalAddress,
    CHROMIUM_PATH: ctx.chromiumPath,
    EVK_WORKFLOW_BUNDLE: bundle,
    EVK_LISTEN_HOST: '127.0.0.1',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
  };
  const worker = new AppProcess('worker', ctx, env);
  const web = new AppProcess('web', ctx, env);
  try {
    await Promise.all([worker.start(), web.start()]);
  } catch (err) {
    await Promise.all([worker.stop(), web.stop()]);
    throw err;
  }
  nameProcess(process.pid, 'driver');
  const metricsUrl = `http://127.0.0.1:${config.workerHealthPort}/metrics`;
  return {
    shape: 'processes',
    webUrl: config.publicUrl,
    async contractPdfCounts() {
      const text = await (await fetch(metricsUrl)).text();
      const count = (source: string) => Number(new RegExp(`^evk_order_contract_pdfs_total\\{source="${source}"\\} (\\d+)`, 'm').exec(text)?.[1] ?? 0);
      return { prepared: count('prepared'), rendered: count('rendered') };
    },
    async quiet(timeoutMs = 60_000) {
      const pid = worker.pid;
      if (pid === undefined) return;
      const started = Date.now();
      let before = processTicks(pid);
      while (Date.now() - started < timeoutMs) {
        await sleep(500);
        const now = processTicks(pid);
        // A tick is 10 ms: at most one in half a second is a worker waiting for work (its polls, timers).
        if (now - before <= 1) return;
        before = now;
      }
    },
    async close() {
      await Promise.all([web.stop(), worker.stop()]);
      nameProcess(process.pid, 'node');
    },
  };
}

/** Resolves once the process has written `marker` to its stdout; rejects if it exits first or takes longer than `timeoutMs`. */
export function untilSays(proc: ChildProcess, marker: string, timeoutMs: number, what: string, hint = ''): Promise<void> {
  const more = hint ? ` (${hint})` : '';
  return new Promise<void>((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`${what} did not start within ${timeoutMs / 1000} s${more}`)), timeoutMs);
    proc.stdout?.on('data', (chunk: Buffer) => {
      seen = (seen + chunk.toString()).slice(-4000);
      if (seen.includes(marker)) {
        clearTimeout(timer);
        resolve();
      }
    });
    proc.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited while starting (${code ?? signal})${more}`));
    });
  });
}
