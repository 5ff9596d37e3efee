/**
 * Real infrastructure for the suite: a fresh PostgreSQL database (embedded PostgreSQL unless
 * DATABASE_URL is given) and the Temporal dev server (the existing CLI binary, unless
 * TEMPORAL_ADDRESS is given), shared by every test file through vitest's provide/inject.
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import type { TestProject } from 'vitest/node';
import { migrateToLatest } from '../migrations';
import { loadConfig } from '../platform/config';
import { connectDatabase } from '../platform/db';
import { createDatabase, dropDatabase, ensureDatabase } from '../platform/dev/embedded-postgres';
import { formatPayloadKeys, generatePayloadKey } from '../platform/payload-codec';
import { seedDemoData } from '../simulators/demo-seed';
import { dynamicConfigArgs, resolveTemporalCli } from '../platform/dev/temporal-dev-server';
import { ensureSearchAttributes } from '../platform/search-attributes';
import { writeWorkflowBundle } from '../platform/worker';
import { SEARCH_ATTRIBUTES } from '../workflows/shared/search-attributes';
import { systemForks } from './support/forks';

declare module 'vitest' {
  export interface ProvidedContext {
    /**
     * One database and one Temporal server per fork of the system layer (vitest.config.mts runs its
     * files two at a time): each fork's files see only their own outbox, sessions, counts and
     * workflows, exactly as when the files ran one after another. test/support/system.ts picks the
     * fork's own by the slot it claims (test/support/forks.ts claimForkSlot; testDatabaseUrl, testTemporalAddress).
     */
    databaseUrls: string[];
    temporalAddresses: string[];
    testDataDir: string;
    /** EVK_PAYLOAD_KEYS of this run (issue 9 item 4): one key set, shared by every client and worker of the suite. */
    payloadKeys: string;
    /** EVK_WORKFLOW_BUNDLE of this run: the workflows bundled once for every worker of the suite (test/support/setup-system.ts). */
    workflowBundlePath: string;
  }
}

const log = (message: string) => console.log(`[test-setup] ${message}`);

export default async function setup(project: TestProject) {
  const rootDir = path.resolve(__dirname, '..');
  const testDataDir = path.join(rootDir, '.test-data');
  const config = loadConfig({ ...process.env, EVK_DATA_DIR: testDataDir, EVK_EMBEDDED_POSTGRES_PORT: process.env.EVK_TEST_POSTGRES_PORT ?? '54339' });
  const forks = systemForks();
  const envs: TestWorkflowEnvironment[] = [];
  // The Temporal servers start while PostgreSQL migrates and seeds.
  const temporal = startTemporal(forks, envs);
  temporal.catch(() => undefined);
  const cluster = await ensureDatabase(config, log);
  const stamp = Date.now();
  const databaseNames = Array.from({ length: forks }, (_, i) => (forks === 1 ? `evk_test_${stamp}` : `evk_test_${stamp}_${i + 1}`));
  const databaseUrls = [await createDatabase(cluster.url, databaseNames[0])];
  const db = connectDatabase(databaseUrls[0], 2);
  await migrateToLatest(db);
  await seedDemoData(db);
  await db.destroy();
  // The other forks' databases are copies of the migrated and seeded first one: the same register, the same demo data.
  for (const name of databaseNames.slice(1)) databaseUrls.push(await copyDatabase(cluster.url, databaseNames[0], name));

  // Bundled once here instead of once per test file: every worker of the suite starts without webpack.
  const workflowBundlePath = path.join(testDataDir, `workflow-bundle-${process.pid}.js`);
  await writeWorkflowBundle(workflowBundlePath);

  const temporalAddresses = await temporal;
  log(`${forks} fork(s): PostgreSQL databases ${databaseNames.join(', ')}; Temporal at ${temporalAddresses.join(', ')}`);
  project.provide('databaseUrls', databaseUrls);
  project.provide('temporalAddresses', temporalAddresses);
  project.provide('testDataDir', testDataDir);
  project.provide('workflowBundlePath', workflowBundlePath);
  project.provide('payloadKeys', process.env.EVK_PAYLOAD_KEYS ?? formatPayloadKeys([generatePayloadKey()]));

  return async () => {
    await Promise.all(envs.map((env) => env.teardown()));
    for (const name of databaseNames) await dropDatabase(cluster.url, name).catch(() => undefined);
    await cluster.stop();
    await rm(workflowBundlePath, { force: true });
  };
}

/** One Temporal dev server per fork (the existing CLI binary), or the one at TEMPORAL_ADDRESS. */
async function startTemporal(forks: number, envs: TestWorkflowEnvironment[]): Promise<string[]> {
  const outside = process.env.TEMPORAL_ADDRESS;
  if (outside) {
    await ensureSearchAttributes(outside, 'default', SEARCH_ATTRIBUTES);
    return [outside];
  }
  const cliPath = await resolveTemporalCli(log);
  return Promise.all(
    Array.from({ length: forks }, async () => {
      const env = await TestWorkflowEnvironment.createLocal({
        server: {
          executable: { type: 'existing-path', path: cliPath },
          ip: '127.0.0.1',
          ui: false,
          searchAttributes: Object.keys(SEARCH_ATTRIBUTES).map((name) => defineSearchAttributeKey(name, SearchAttributeType.KEYWORD)),
          // The same server settings as every other dev server of ours (issue 14: eager activities).
          extraArgs: ['--log-level', 'error', ...dynamicConfigArgs()],
        },
      });
      envs.push(env);
      return env.address;
    }),
  );
}

/** A copy of database `from` (no connection may be open to it) named `name`. */
async function copyDatabase(adminUrl: string, from: string, name: string): Promise<string> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)} TEMPLATE ${client.escapeIdentifier(from)}`);
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
