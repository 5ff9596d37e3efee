/**
 * The benchmark's own infrastructure, started the way the tests start theirs but self-contained:
 * embedded PostgreSQL under `.bench-data/` on its own port (unless DATABASE_URL) with a fresh
 * database, migrations and seed; the Temporal dev server in memory on free ports (unless
 * TEMPORAL_ADDRESS); the simulators with zero latency; the real worker and web server in-process.
 * Everything listens on 127.0.0.1 and is stopped by `close()`, last started first.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { migrateToLatest } from '../migrations';
import { CHROMIUM_ARGS, resolveChromium } from '../platform/chromium';
import { type Config, loadConfig } from '../platform/config';
import { connectDatabase, type Knex } from '../platform/db';
import { createDatabase, dropDatabase, ensureDatabase } from '../platform/postgres';
import { seedDemoData } from '../platform/seed';
import { createLogger, startSimulators, startWeb, startWorker, warmDocumentRenderer, type Closable, type WebHandle, type WorkerHandle } from '../platform/system';
import { ensureSearchAttributes, resolveTemporalCli, startTemporalDevServer, TEMPORAL_CLI_VERSION } from '../platform/temporal-server';
import { SEARCH_ATTRIBUTES } from '../workflows/contract-messages';

export const say = (message: string) => console.log(`[bench] ${message}`);

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface BenchSystem {
  config: Config;
  /** The application's pool (worker and web share it, as in `npm start`). */
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
  worker: WorkerHandle;
  web: WebHandle;
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
  const [webPort, ms, pr, tax, pay] = await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort()]);
  const config = loadConfig({
    ...process.env,
    EVK_DATA_DIR: dataDir,
    EVK_EMBEDDED_POSTGRES_PORT: process.env.EVK_BENCH_POSTGRES_PORT ?? '54349',
    EVK_TASK_QUEUE: taskQueue,
    PORT: String(webPort),
    EVK_PUBLIC_URL: `http://127.0.0.1:${webPort}`,
    EVK_SIM_MOBILE_SIGNATURE_PORT: String(ms),
    EVK_SIM_POPULATION_REGISTRY_PORT: String(pr),
    EVK_SIM_TAX_SERVICE_PORT: String(tax),
    EVK_SIM_PAYMENT_AGENT_PORT: String(pay),
    // Only these URLs reach the simulators we start here.
    EVK_MOBILE_SIGNATURE_URL: '',
    EVK_POPULATION_REGISTRY_URL: '',
    EVK_TAX_SERVICE_URL: '',
    EVK_PAYMENT_AGENT_URL: '',
  });

  const closers: { name: string; close: () => Promise<void> }[] = [];
  const closeAll = async () => {
    for (const { name, close } of closers.reverse()) {
      try {
        await close();
      } catch (err) {
        console.error(`[bench] ${name} did not stop cleanly:`, err);
      }
    }
    closers.length = 0;
  };

  try {
    // PostgreSQL: a fresh database on the bench's own cluster (or on DATABASE_URL's server).
    const cluster = await ensureDatabase(config, say);
    closers.push({ name: 'PostgreSQL', close: cluster.stop });
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
    let temporalAddress = config.temporalAddress;
    let temporalCli: string | undefined;
    if (temporalAddress) {
      say(`using the Temporal cluster at ${temporalAddress}`);
      await ensureSearchAttributes(temporalAddress, config.temporalNamespace, SEARCH_ATTRIBUTES);
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
        namespace: config.temporalNamespace,
        searchAttributes: SEARCH_ATTRIBUTES,
        log: say,
      });
      closers.push({ name: 'Temporal dev server', close: server.stop });
      temporalAddress = server.address;
    }

    const chromiumPath = await resolveChromium(say, config.chromiumPath);
    const simulators = await startSimulators(config, { latency: false });
    closers.push({ name: 'simulators', close: () => simulators.close() });

    const log = createLogger('evk-bench');
    log.level = process.env.LOG_LEVEL ?? 'warn';
    // The worker's warm Chromium, owned here so that the bench can warm it up and close it.
    const documents = warmDocumentRenderer(config, (m) => log.info(m));
    closers.push({ name: 'document renderer', close: () => documents.close() });
    const worker = await startWorker({ config, db, temporalAddress, log, documents });
    closers.push({ name: 'worker', close: () => worker.close() });
    const web = await startWeb({ config, db, databaseUrl, temporalAddress, log });
    closers.push({ name: 'web', close: () => web.close() });

    const connection = await Connection.connect({ address: temporalAddress });
    closers.push({ name: 'Temporal client', close: () => connection.close() });
    const client = new Client({ connection, namespace: config.temporalNamespace });

    return {
      config,
      db,
      probeDb,
      databaseUrl,
      databaseName,
      temporalAddress,
      ownTemporal: !config.temporalAddress,
      temporalCli,
      chromiumPath,
      client,
      worker,
      web,
      simulatorUrls: simulators.urls,
      close: async () => {
        await closeAll();
        await fs.rm(path.join(dataDir, 'files'), { recursive: true, force: true });
      },
    };
  } catch (err) {
    await closeAll();
    throw err;
  }
}

export { CHROMIUM_ARGS, TEMPORAL_CLI_VERSION, type Closable };
