/**
 * The database benchmarks' (`npm run bench -- filters | statistics`) common frame: an embedded
 * PostgreSQL of their own under .bench-data/<name> (port EVK_BENCH_<NAME>_POSTGRES_PORT, else a free
 * one), a fresh migrated database dropped at the end, the machine's description, and the figures
 * written to bench/results/<name>.json.
 *
 * `keep` (the filters bench's --keep-database): the database is named by the caller instead of
 * made fresh, kept at the end, and reused by the next run with the same name (migrated to the
 * latest first), so that a million-row fill is paid once; `measure` is told whether it was reused.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { migrateToLatest } from '../migrations';
import { loadConfig } from '../platform/config';
import { connectDatabase, type Knex } from '../platform/db';
import { createDatabase, dropDatabase, ensureDatabase } from '../platform/dev/embedded-postgres';
import { freePort } from './infra';

async function databaseExists(adminUrl: string, database: string): Promise<boolean> {
  const admin = connectDatabase(adminUrl, 1);
  try {
    const found = await admin.raw('SELECT 1 FROM pg_database WHERE datname = ?', [database]);
    return found.rows.length > 0;
  } finally {
    await admin.destroy();
  }
}

function withDatabaseName(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.toString();
}

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
  measure: (db: Knex, options: Options, reused: boolean) => Promise<Measured>,
  keep?: { database: string },
): Promise<{ runAt: string; options: Options; machine: BenchMachine } & Measured> {
  const loadAverageAtStart = Math.round(os.loadavg()[0] * 100) / 100;
  const dataDir = path.resolve(__dirname, '..', '.bench-data', name);
  await fs.mkdir(dataDir, { recursive: true });
  const port = process.env[`EVK_BENCH_${name.toUpperCase()}_POSTGRES_PORT`] ?? String(await freePort());
  const config = loadConfig({ ...process.env, EVK_DATA_DIR: dataDir, EVK_EMBEDDED_POSTGRES_PORT: port });
  const cluster = await ensureDatabase(config, say);
  const database = keep?.database ?? `evk_bench_${name}_${Date.now()}`;
  const reused = keep !== undefined && (await databaseExists(cluster.url, database));
  const url = reused ? withDatabaseName(cluster.url, database) : await createDatabase(cluster.url, database);
  if (reused) say(`reusing the kept database ${database}`);
  const db = connectDatabase(url, 2);
  const stop = async () => {
    await db.destroy().catch(() => undefined);
    if (!keep) await dropDatabase(cluster.url, database).catch(() => undefined);
    await cluster.stop();
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void stop().finally(() => process.exit(130)));
  let result;
  try {
    await migrateToLatest(db);
    const postgres = String((await db.raw("SELECT current_setting('server_version') AS v")).rows[0].v);
    const measured = await measure(db, options, reused);
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
