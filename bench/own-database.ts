/**
 * The database benchmarks' (`npm run bench -- filters | statistics`) common frame: an embedded
 * PostgreSQL of their own under .bench-data/<name> (port EVK_BENCH_<NAME>_POSTGRES_PORT, else a free
 * one), a fresh migrated database dropped at the end, the machine's description, and the figures
 * written to bench/results/<name>.json.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { migrateToLatest } from '../migrations';
import { loadConfig } from '../platform/config';
import { connectDatabase, type Knex } from '../platform/db';
import { createDatabase, dropDatabase, ensureDatabase } from '../platform/dev/embedded-postgres';
import { freePort } from './infra';

export interface BenchMachine {
  cpus: number;
  cpuModel: string;
  node: string;
  postgres: string;
  loadAverageAtStart: number;
}

export async function runOnOwnDatabase<Options, Measured extends object>(
  name: 'filters' | 'statistics' | 'calendar',
  options: Options,
  say: (message: string) => void,
  measure: (db: Knex, options: Options) => Promise<Measured>,
): Promise<{ runAt: string; options: Options; machine: BenchMachine } & Measured> {
  const loadAverageAtStart = Math.round(os.loadavg()[0] * 100) / 100;
  const dataDir = path.resolve(__dirname, '..', '.bench-data', name);
  await fs.mkdir(dataDir, { recursive: true });
  const port = process.env[`EVK_BENCH_${name.toUpperCase()}_POSTGRES_PORT`] ?? String(await freePort());
  const config = loadConfig({ ...process.env, EVK_DATA_DIR: dataDir, EVK_EMBEDDED_POSTGRES_PORT: port });
  const cluster = await ensureDatabase(config, say);
  const database = `evk_bench_${name}_${Date.now()}`;
  const db = connectDatabase(await createDatabase(cluster.url, database), 2);
  const stop = async () => {
    await db.destroy().catch(() => undefined);
    await dropDatabase(cluster.url, database).catch(() => undefined);
    await cluster.stop();
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void stop().finally(() => process.exit(130)));
  let result;
  try {
    await migrateToLatest(db);
    const postgres = String((await db.raw("SELECT current_setting('server_version') AS v")).rows[0].v);
    const measured = await measure(db, options);
    result = {
      runAt: new Date().toISOString(),
      options,
      machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model?.trim() ?? 'unknown', node: process.version, postgres, loadAverageAtStart },
      ...measured,
    };
  } finally {
    await stop();
  }
  const resultsDir = path.join(__dirname, 'results');
  await fs.mkdir(resultsDir, { recursive: true });
  await fs.writeFile(path.join(resultsDir, `${name}.json`), `${JSON.stringify(result, null, 2)}\n`);
  return result;
}
