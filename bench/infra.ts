/**
 * The benchmark's own infrastructure, started the way the tests start theirs but self-contained:
 * embedded PostgreSQL under `.bench-data/` on its own port (unless DATABASE_URL) with a fresh
 * database, migrations and seed; the Temporal dev server in memory on free ports (unless
 * TEMPORAL_ADDRESS); the simulators (and the mail sink) with zero latency in this process; the real
 * worker (with its notification dispatcher) and web server in processes of their own or in this one
 * (bench/app.ts), started by `useApp(shape)`.
 * Everything listens on 127.0.0.1 and is stopped by `close()`, last started first.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import net from 'node:net';
import { freePort, freePortSettings } from '../platform/free-ports';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import pg from 'pg';
import { migrateToLatest } from '../migrations';
import { CHROMIUM_ARGS } from '../platform/chromium';
import { ensureChromium as resolveChromium } from '../platform/dev/chromium-install';
import { type Config, loadConfig } from '../platform/config';
import { connectDatabase, type Knex } from '../platform/db';
import { createDatabase, dropDatabase, ensureDatabase } from '../platform/dev/embedded-postgres';
import { seedDemoData } from '../simulators/demo-seed';
import { createLogger, type Closable } from '../platform/logger';
import { dataConverterFor } from '../platform/data-converter';
import { startApp, type BenchApp, type Shape } from './app';
import { startSimulators } from '../simulators/start';
import { resolveTemporalCli, startTemporalDevServer, TEMPORAL_CLI_VERSION } from '../platform/dev/temporal-dev-server';
import { ensureSearchAttributes } from '../platform/search-attributes';
import { SEARCH_ATTRIBUTES } from '../workflows/shared/search-attributes';

export const say = (message: string) => console.log(`[bench] ${message}`);

/**
 * What a phase has open of its own (a browser, a worker), so that Ctrl-C can close it before the
 * system goes: `const done = whileRunning(close)`, then `done()` once the phase has closed it.
 */
const phaseClosers = new Set<() => Promise<void>>();
export function whileRunning(close: () => Promise<void>): () => void {
  phaseClosers.add(close);
  return () => phaseClosers.delete(close);
}
export async function closePhases(): Promise<void> {
  await Promise.all([...phaseClosers].map((close) => close().catch(() => undefined)));
  phaseClosers.clear();
}

export { freePort };

async function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** The port of the bench's cluster if one is still running from an interrupted run. */
async function leftoverClusterPort(clusterDir: string): Promise<number | undefined> {
  try {
    const lines = (await fs.readFile(path.join(clusterDir, 'postmaster.pid'), 'utf8')).split('\n');
    const pid = Number.parseInt(lines[0] ?? '', 10);
    const port = Number.parseInt(lines[3] ?? '', 10);
    process.kill(pid, 0);
    return Number.isInteger(port) && port > 0 ? port : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The embedded cluster's port: EVK_BENCH_POSTGRES_PORT, else the port of our own cluster left
 * running, else a free one. A port held by someone else's PostgreSQL is refused up front: the
 * start-up check only connects to the port, so it would take another cluster for ours.
 */
async function embeddedPostgresPort(clusterDir: string): Promise<number> {
  const leftover = await leftoverClusterPort(clusterDir);
  const wanted = process.env.EVK_BENCH_POSTGRES_PORT ? Number(process.env.EVK_BENCH_POSTGRES_PORT) : (leftover ?? (await freePort()));
  if (wanted !== leftover && !(await portIsFree(wanted))) {
    throw new Error(`Port ${wanted} on 127.0.0.1 is already in use; set EVK_BENCH_POSTGRES_PORT to a free port (or leave it unset for any free port).`);
  }
  return wanted;
}

export interface BenchSystem {
  config: Config;
  /** The bench's folder (.bench-data): the dev payload keys, the stored files, the logs of its processes. */
  dataDir: string;
  /** The environment `config` was loaded from, for the processes the bench starts (bench/app.ts, bench/bare-worker.ts). */
  env: NodeJS.ProcessEnv;
  /** The bench's pool for seeding and set-up (and the in-process worker's and web's, one-process shape). */
  db: Knex;
  /** A small pool of the bench's own, for polling the read model without queueing behind the app. */
  probeDb: Knex;
  databaseUrl: string;
  databaseName: string;
  temporalAddress: string;
  /** The Temporal dev server we started, or undefined when TEMPORAL_ADDRESS points at another. */
  ownTemporal: boolean;
  temporalCli?: string;
  chromiumPath: string;
  client: Client;
  /** The application running now, if any (the last `useApp`). */
  app?: BenchApp;
  /** Starts the web server and the worker in this shape, stopping those of another shape first. */
  useApp(shape: Shape): Promise<BenchApp>;
  /** Stops the application, so that the next phase's figures hold none of its CPU. */
  stopApp(): Promise<void>;
  simulatorUrls: Record<string, string>;
  close(): Promise<void>;
}

export async function startBenchSystem(rootDir: string): Promise<BenchSystem> {
  const dataDir = path.join(rootDir, '.bench-data');
  await fs.mkdir(dataDir, { recursive: true });
  // The repository's .gitignore does not know this folder: keep it out of git from inside.
  if (!existsSync(path.join(dataDir, '.gitignore'))) await fs.writeFile(path.join(dataDir, '.gitignore'), '*\n');
  // Stored documents of earlier runs would be found again under the same contract numbers.
  await fs.rm(path.join(dataDir, 'files'), { recursive: true, force: true });

  const taskQueue = `evk-bench-${randomBytes(4).toString('hex')}`;
  const clusterDir = path.join(dataDir, 'postgres');
  const postgresPort = process.env.DATABASE_URL ? 54349 : await embeddedPostgresPort(clusterDir);
  const env = {
    ...process.env,
    EVK_DATA_DIR: dataDir,
    EVK_EMBEDDED_POSTGRES_PORT: String(postgresPort),
    EVK_TASK_QUEUE: taskQueue,
    // Only the defaults reach the simulators and the mail sink started here.
    EVK_MOBILE_SIGNATURE_URL: '',
    EVK_POPULATION_REGISTRY_URL: '',
    EVK_TAX_SERVICE_URL: '',
    EVK_PAYMENT_AGENT_URL: '',
    EVK_SMS_GATEWAY_URL: '',
    EVK_SMTP_HOST: '',
    EVK_SMTP_PORT: '',
    EVK_SMTP_SECURE: '',
    EVK_SMTP_USER: '',
    EVK_SMTP_PASS: '',
    EVK_CALLBACK_BASE_URL: '',
  };
  // Everything but the ports this process listens on, which are picked once Temporal is up: its dev
  // server takes random ports of its own, and one picked before could be taken meanwhile (EADDRINUSE).
  const early = loadConfig(env);

  const closers: { name: string; close: () => Promise<void> }[] = [];
  let closing: Promise<void> | undefined;
  // Once only (the end of the run and Ctrl-C may both ask), last started first.
  const closeAll = () =>
    (closing ??= (async () => {
      for (const { name, close } of [...closers].reverse()) {
        try {
          await close();
        } catch (err) {
          console.error(`[bench] ${name} did not stop cleanly: ${(err as Error).message ?? String(err)}`);
        }
      }
      await fs.rm(path.join(dataDir, 'files'), { recursive: true, force: true });
    })());

  try {
    // PostgreSQL: a fresh database on the bench's own cluster (or on DATABASE_URL's server).
    const cluster = await ensureDatabase(early, say);
    closers.push({ name: 'PostgreSQL', close: () => cluster.stop() });
    if (!early.databaseUrl) {
      // Belt and braces: the server on that port must be the cluster in .bench-data.
      const probe = new pg.Client({ connectionString: cluster.url });
      await probe.connect();
      const [dir, leftovers] = await Promise.all([
        probe.query("SELECT current_setting('data_directory') AS dir").then((r) => String(r.rows[0].dir)),
        probe.query("SELECT datname FROM pg_database WHERE datname LIKE 'evk\\_bench\\_%'").then((r) => r.rows.map((row) => String(row.datname))),
      ]).finally(() => probe.end());
      const [served, ours] = await Promise.all([fs.realpath(dir).catch(() => dir), fs.realpath(clusterDir)]);
      if (served !== ours)
        throw new Error(`The PostgreSQL on port ${postgresPort} serves ${served}, not the bench's ${ours}; set EVK_BENCH_POSTGRES_PORT to a free port.`);
      // Databases of runs that were killed before they could drop their own (our cluster only).
      for (const name of leftovers) await dropDatabase(cluster.url, name);
      if (leftovers.length > 0) say(`dropped ${leftovers.length} database(s) left by interrupted runs`);
    }
    const databaseName = `evk_bench_${Date.now()}`;
    const databaseUrl = await createDatabase(cluster.url, databaseName);
    closers.push({ name: 'bench database', close: () => dropDatabase(cluster.url, databaseName) });
    const db = connectDatabase(databaseUrl);
    closers.push({ name: 'database pool', close: () => db.destroy() });
    const probeDb = connectDatabase(databaseUrl, 2);
    closers.push({ name: 'probe pool', close: () => probeDb.destroy() });
    await migrateToLatest(db);
    await seedDemoData(db);
    say(`PostgreSQL database ${databaseName} migrated and seeded`);

    // Temporal: the dev server in memory on free ports, or the cluster of TEMPORAL_ADDRESS.
    let temporalAddress = early.temporalAddress;
    let temporalCli: string | undefined;
    if (temporalAddress) {
      say(`using the Temporal cluster at ${temporalAddress}`);
      await ensureSearchAttributes(temporalAddress, early.temporalNamespace, SEARCH_ATTRIBUTES);
      // Contract workflow IDs come from the database's sequence, which starts again in a fresh
      // database: start it somewhere no earlier run on this shared server has been.
      await db.raw('SELECT setval(?, ?)', ['contract_number_seq', 1_000_000 + (Date.now() % 1_000_000_000)]);
    } else {
      temporalCli = await resolveTemporalCli(say);
      const [port, uiPort] = await Promise.all([freePort(), freePort()]);
      const server = await startTemporalDevServer({
        cliPath: temporalCli,
        port,
        uiPort,
        headless: true,
        namespace: early.temporalNamespace,
        searchAttributes: SEARCH_ATTRIBUTES,
        log: say,
      });
      closers.push({ name: 'Temporal dev server', close: () => server.stop() });
      temporalAddress = server.address;
    }

    const ports = await freePortSettings();
    const config = loadConfig({ ...env, ...ports });
    const chromiumPath = await resolveChromium(say, config.chromiumPath);
    const simulators = await startSimulators(config, { latency: false });
    closers.push({ name: 'simulators', close: () => simulators.close() });

    const log = createLogger('evk-bench');
    log.level = process.env.LOG_LEVEL ?? 'warn';
    const appEnv: NodeJS.ProcessEnv = { ...env, ...ports };
    const appContext = { root: rootDir, dataDir, config, env: appEnv, db, databaseUrl, temporalAddress, chromiumPath, log };
    let app: BenchApp | undefined;
    const stopApp = async () => {
      const before = app;
      app = undefined;
      system.app = undefined;
      await before?.close();
    };
    const useApp = async (shape: Shape) => {
      if (app?.shape === shape) return app;
      await stopApp();
      app = await startApp(shape, appContext);
      system.app = app;
      return app;
    };
    closers.push({ name: 'application', close: async () => app?.close() });

    const connection = await Connection.connect({ address: temporalAddress });
    closers.push({ name: 'Temporal client', close: () => connection.close() });
    // The same data converter as the worker and the web (issue 9 item 4): the bench measures encrypted payloads.
    const client = new Client({ connection, namespace: config.temporalNamespace, dataConverter: dataConverterFor(config) });

    const system: BenchSystem = {
      config,
      dataDir,
      env: appEnv,
      db,
      probeDb,
      databaseUrl,
      databaseName,
      temporalAddress,
      ownTemporal: !config.temporalAddress,
      temporalCli,
      chromiumPath,
      client,
      useApp,
      stopApp,
      simulatorUrls: simulators.urls,
      close: closeAll,
    };
    return system;
  } catch (err) {
    await closeAll();
    throw err;
  }
}

export { CHROMIUM_ARGS, TEMPORAL_CLI_VERSION, type Closable };
