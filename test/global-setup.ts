/**
 * Real infrastructure for the suite: a fresh PostgreSQL database (embedded PostgreSQL unless
 * DATABASE_URL is given) and the Temporal dev server (the existing CLI binary, unless
 * TEMPORAL_ADDRESS is given), shared by every test file through vitest's provide/inject.
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import type { TestProject } from 'vitest/node';
import { migrateToLatest } from '../migrations';
import { loadConfig } from '../platform/config';
import { connectDatabase } from '../platform/db';
import { createDatabase, dropDatabase, ensureDatabase } from '../platform/dev/embedded-postgres';
import { formatPayloadKeys, generatePayloadKey } from '../platform/payload-codec';
import { seedDemoData } from '../simulators/demo-seed';
import { resolveTemporalCli } from '../platform/dev/temporal-dev-server';
import { ensureSearchAttributes } from '../platform/search-attributes';
import { writeWorkflowBundle } from '../platform/worker';
import { SEARCH_ATTRIBUTES } from '../workflows/shared/search-attributes';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
    temporalAddress: string;
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
  const cluster = await ensureDatabase(config, log);
  const databaseName = `evk_test_${Date.now()}`;
  const databaseUrl = await createDatabase(cluster.url, databaseName);
  const db = connectDatabase(databaseUrl, 2);
  await migrateToLatest(db);
  await seedDemoData(db);
  await db.destroy();

  // Bundled once here instead of once per test file: every worker of the suite starts without webpack.
  const workflowBundlePath = path.join(testDataDir, `workflow-bundle-${process.pid}.js`);
  await writeWorkflowBundle(workflowBundlePath);

  let env: TestWorkflowEnvironment | undefined;
  let temporalAddress = process.env.TEMPORAL_ADDRESS;
  if (temporalAddress) {
    await ensureSearchAttributes(temporalAddress, 'default', SEARCH_ATTRIBUTES);
  } else {
    const cliPath = await resolveTemporalCli(log);
    env = await TestWorkflowEnvironment.createLocal({
      server: {
        executable: { type: 'existing-path', path: cliPath },
        ip: '127.0.0.1',
        ui: false,
        searchAttributes: Object.keys(SEARCH_ATTRIBUTES).map((name) => defineSearchAttributeKey(name, SearchAttributeType.KEYWORD)),
        extraArgs: ['--log-level', 'error'],
      },
    });
    temporalAddress = env.address;
  }
  log(`PostgreSQL database ${databaseName}; Temporal at ${temporalAddress}`);
  project.provide('databaseUrl', databaseUrl);
  project.provide('temporalAddress', temporalAddress);
  project.provide('testDataDir', testDataDir);
  project.provide('workflowBundlePath', workflowBundlePath);
  project.provide('payloadKeys', process.env.EVK_PAYLOAD_KEYS ?? formatPayloadKeys([generatePayloadKey()]));

  return async () => {
    await env?.teardown();
    await dropDatabase(cluster.url, databaseName).catch(() => undefined);
    await cluster.stop();
    await rm(workflowBundlePath, { force: true });
  };
}
