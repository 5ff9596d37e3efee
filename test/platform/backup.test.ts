/**
 * Issue 10 item 7, "nothing is lost when a disk is": `evk backup` (platform/backup.ts) taken while
 * everything runs, with one contract awaiting payment (R4.3) and one active with its order (R4.4)
 * and a dossier file (R4.5); the data folder is then wiped and `evk restore` brings it back. Every
 * contract, order PDF and file is found again, and the workflows carry on: the open payment, paid
 * after the restore, gives its order.
 *
 * The suite's shared PostgreSQL and Temporal cannot be wiped, so this file runs its own embedded
 * cluster and Temporal dev server (SQLite file) on free ports in a temporary data folder, as
 * `npm start` does. The payment agent (a simulator: an outside system, whose disk is not ours) runs
 * throughout.
 */
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../migrations';
import { BackupError, createBackup, restoreBackup, verifyBackup } from '../../platform/backup';
import { type Config, loadConfig } from '../../platform/config';
import { dataConverterFor } from '../../platform/data-converter';
import { connectDatabase } from '../../platform/db';
import { ensureDatabase } from '../../platform/dev/embedded-postgres';
import { resolveTemporalCli, startTemporalDevServer } from '../../platform/dev/temporal-dev-server';
import { freePort, freePortSettings } from '../../platform/free-ports';
import { createLogger } from '../../platform/logger';
import { startWeb } from '../../platform/web-server';
import { startWorker, workflowBundle } from '../../platform/worker';
import { seedDemoData } from '../../simulators/demo-seed';
import { startSimulators } from '../../simulators/start';
import { contractWorkflowId } from '../../workflows/contract/messages';
import { SEARCH_ATTRIBUTES } from '../../workflows/shared/search-attributes';
import { activeContract, approvedContract, getContract, loginDemoLawyers, openPayment, payByCard, waitForContract } from '../support/api';
import type { HttpClient } from '../support/http-client';
import type { TestSystem } from '../support/system';

const quiet = () => {};
let root: string;
let dataDir: string;
let backupDir: string;
const closers: (() => Promise<void>)[] = [];

beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'evk-backup-'));
  // PostgreSQL runs as user postgres when the tests run as root: it must reach the data folder.
  await fs.chmod(root, 0o755);
  dataDir = path.join(root, 'data');
  backupDir = path.join(root, 'backup');
});

afterAll(async () => {
  for (const close of closers.reverse()) await close().catch(() => undefined);
  await fs.rm(root, { recursive: true, force: true });
});

async function configFor(): Promise<Config> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...(await freePortSettings()),
    EVK_DATA_DIR: dataDir,
    EVK_EMBEDDED_POSTGRES_PORT: String(await freePort()),
    EVK_TEMPORAL_PORT: String(await freePort()),
    EVK_TEMPORAL_UI_PORT: String(await freePort()),
  };
  // Everything from the data folder, as `npm start` has it: the embedded cluster, the dev server, the dev key file.
  delete env.DATABASE_URL;
  delete env.TEMPORAL_ADDRESS;
  delete env.EVK_PAYLOAD_KEYS;
  return loadConfig(env);
}

/** PostgreSQL, the Temporal dev server, the worker and the web on the data folder; returns the system and how to stop it. */
async function startOnDataFolder(config: Config, simulators: TestSystem['simulators'], seed: boolean) {
  const log = createLogger('evk-backup-test', 'warn');
  const database = await ensureDatabase(config, quiet);
  const db = connectDatabase(database.url, 8);
  await migrateToLatest(db);
  if (seed) await seedDemoData(db);
  const temporal = await startTemporalDevServer({
    cliPath: await resolveTemporalCli(quiet),
    dbFile: path.join(config.dataDir, 'temporal.sqlite'),
    port: config.temporalDevPort,
    uiPort: config.temporalUiPort,
    namespace: config.temporalNamespace,
    searchAttributes: SEARCH_ATTRIBUTES,
    headless: true,
    log: quiet,
  });
  const worker = await startWorker({ config, db, temporalAddress: temporal.address, log, notificationDispatcher: false });
  const web = await startWeb({ config, db, databaseUrl: database.url, temporalAddress: temporal.address, log });
  const connection = await Connection.connect({ address: temporal.address });
  const client = new Client({ connection, dataConverter: dataConverterFor(config), namespace: config.temporalNamespace });
  const stop = async () => {
    await web.close();
    await worker.close();
    await connection.close();
    await temporal.stop();
    await db.destroy();
    await database.stop();
  };
  const system: TestSystem = { config, db, client, taskQueue: config.taskQueue, worker, web, simulators, close: stop };
  return { system, databaseUrl: database.url, stop };
}

const ORDER_OF_V1 = (d: { contract: { status: string; currentVersion: number } }) => d.contract.status === 'active' && d.contract.currentVersion === 1;

// About a minute with two start-ups of PostgreSQL, Temporal, Chromium and the worker: `npm run test:backup`, not `npm test`.
describe('issue 10 item 7: evk backup and evk restore', () => {
  it('backs up mid-flight, wipes the data folder, restores: every contract, order and file is back, and the open payment still gives its order', async () => {
    const config = await configFor();
    const simulators = await startSimulators(config, { latency: false });
    closers.push(() => simulators.close());
    const before = await startOnDataFolder(config, simulators, true);
    let stopBefore: (() => Promise<void>) | undefined = before.stop;
    closers.push(() => stopBefore?.() ?? Promise.resolve());
    const people = await loginDemoLawyers(before.system);
    const { lawyer } = people;

    // Mid-flight: one contract active with its order and a dossier scan, one awaiting payment (its payment open on the agent).
    const active = await activeContract(before.system, people);
    const scan = Buffer.from('%PDF-1.4\n% a scanned power of attorney\n%%EOF\n', 'latin1');
    const added = await uploadToDossier(lawyer, active.id, scan);
    const awaiting = await approvedContract(before.system, people);
    const payment = await openPayment(awaiting.applicant, awaiting.id);
    expect((await getContract(lawyer, awaiting.id)).contract.status).toBe('awaiting_payment');
    const order = await lawyer.getBytes(active.details.documents[0].orderUrl);
    expect(order.status).toBe(200);

    const manifest = await createBackup({
      dataDir,
      to: backupDir,
      database: { kind: 'embedded', url: before.databaseUrl, clusterDir: path.join(dataDir, 'postgres') },
      temporalDevPort: config.temporalDevPort,
      versions: { app: 'test' },
      log: quiet,
    });
    expect(manifest.postgres.method).toBe('base-backup');
    expect(manifest.temporal.method).toBe('sqlite-online-backup');
    expect(manifest.payloadKeys).toBe('included');
    expect(Object.keys(manifest.checksums).filter((f) => f.startsWith('files/') && f.endsWith('.pdf')).length).toBeGreaterThanOrEqual(3); // contract, order, scan

    // The disk is lost.
    await before.stop();
    stopBefore = undefined;
    await fs.rm(dataDir, { recursive: true, force: true });

    // A backup that does not match its manifest is refused; so is a restore over a data folder in use.
    await fs.writeFile(path.join(backupDir, 'files', 'stray.bin'), 'x');
    await expect(verifyBackup(backupDir)).rejects.toThrow(/stray\.bin is not in the manifest/);
    await fs.rm(path.join(backupDir, 'files', 'stray.bin'));
    await fs.mkdir(dataDir);
    await fs.writeFile(path.join(dataDir, 'something.txt'), 'kept');
    await expect(restoreBackup({ from: backupDir, dataDir, log: quiet })).rejects.toBeInstanceOf(BackupError);
    expect(existsSync(path.join(dataDir, 'something.txt'))).toBe(true);
    await fs.rm(path.join(dataDir, 'something.txt'));

    await restoreBackup({ from: backupDir, dataDir, log: quiet });
    const after = await startOnDataFolder(config, simulators, false);
    closers.push(after.stop);

    // The sessions are in PostgreSQL: the lawyer is still signed in. Every contract, order and file is back.
    expect((await getContract(lawyer, awaiting.id)).contract.status).toBe('awaiting_payment');
    const restored = await getContract(lawyer, active.id);
    expect(restored.contract.status).toBe('active');
    expect(restored.documents.map((d) => d.orderNumber)).toEqual(active.details.documents.map((d) => d.orderNumber));
    const orderAgain = await lawyer.getBytes(restored.documents[0].orderUrl);
    expect(orderAgain.status).toBe(200);
    expect(Buffer.from(orderAgain.bytes).equals(Buffer.from(order.bytes))).toBe(true);
    const scanAgain = await lawyer.getBytes(added.url);
    expect(scanAgain.status).toBe(200);
    expect(Buffer.from(scanAgain.bytes).equals(scan)).toBe(true);

    // The workflows carry on: their encrypted histories read with the restored keys, and the open payment gives its order.
    for (const id of [active.id, awaiting.id]) {
      const handle = after.system.client.workflow.getHandle(contractWorkflowId(id));
      expect((await handle.describe()).status.name).toBe('RUNNING');
      await replayOrKeep(await handle.fetchHistory(), id, config);
    }
    await payByCard(after.system, payment.agentPaymentId);
    const paid = await waitForContract(lawyer, awaiting.id, ORDER_OF_V1, 'the order of the contract paid after the restore');
    expect(paid.documents).toHaveLength(1);
    expect(paid.documents[0].orderNumber).not.toBe(restored.documents[0].orderNumber);
    expect((await lawyer.getBytes(paid.documents[0].orderUrl)).status).toBe(200);
  }, 180_000);
});

/**
 * The restored history replays on the current code, as the new worker must replay it; one that does not is kept
 * for a look (a non-determinism here is the workflow's, on any worker restart, not the backup's).
 */
async function replayOrKeep(history: Parameters<typeof Worker.runReplayHistory>[1], id: string, config: Config) {
  try {
    await Worker.runReplayHistory({ workflowBundle: await workflowBundle(), dataConverter: dataConverterFor(config) }, history, `replay-${id}`);
  } catch (err) {
    const kept = path.join(os.tmpdir(), `evk-restored-history-${id}.json`);
    await fs.writeFile(kept, JSON.stringify(history));
    throw new Error(`the restored history of ${id} does not replay (kept in ${kept}): ${String(err)}`, { cause: err });
  }
}

async function uploadToDossier(lawyer: HttpClient, contractId: string, bytes: Buffer): Promise<{ url: string }> {
  const response = await fetch(`${lawyer.baseUrl}/api/contracts/${contractId}/dossier`, {
    method: 'POST',
    headers: { 'content-type': 'application/pdf', 'x-file-name': encodeURIComponent('Etibarnamə.pdf'), cookie: lawyer.cookieHeader() },
    body: new Uint8Array(bytes),
  });
  const text = await response.text();
  expect(response.status, text).toBe(201);
  return (JSON.parse(text) as { file: { url: string } }).file;
}
