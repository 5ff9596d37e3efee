/**
 * Issue 14, "Scale out on real parts": two worker and two web processes, compiled JavaScript
 * (`node dist/bin/evk.js`, no TypeScript loader), against ONE Temporal server and ONE PostgreSQL,
 * with the files in an S3-compatible store (Versity's gateway, real, started here). What a large bar
 * running several hosts must be able to count on:
 * - every contract paid gets its order once: no duplicate order numbers, no gaps (R4.3, R4.4);
 * - a session made on one web process is valid on the other (sessions live in PostgreSQL);
 * - a file uploaded through one web process, or a document a worker stored, is readable from either.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { transpileTree } from '../../bin/build-dist';
import { loadConfig, type Config } from '../../platform/config';
import { connectDatabase, type Knex } from '../../platform/db';
import { resolveVersitygw, startVersitygw, type RunningVersitygw } from '../../platform/dev/versitygw';
import { freePort, freePortSettings } from '../../platform/free-ports';
import { ensureBucket } from '../../platform/storage/s3';
import { startSimulators } from '../../simulators/start';
import { activeContract, expectStatus, loginLawyer } from '../support/api';
import { HttpClient } from '../support/http-client';
import type { TestSystem } from '../support/system';
import { startCompiled, type CompiledProcess } from './compiled-process';
import { testDatabaseUrl, testTemporalAddress } from '../support/system';

const ROOT = path.resolve(__dirname, '..', '..');
const HERE = path.join(ROOT, '.test-data', 'scale');
const CONTRACTS = 4;

let config: Config;
let db: Knex;
let gateway: RunningVersitygw;
let simulators: Awaited<ReturnType<typeof startSimulators>>;
const processes: CompiledProcess[] = [];
/** The two web processes as the API helpers see a system: the same database and simulators, each its own URL. */
let webs: [TestSystem, TestSystem];
let s3Dir: string;

beforeAll(async () => {
  const dist = path.join(HERE, 'dist');
  const logDir = path.join(HERE, 'logs');
  s3Dir = path.join(HERE, 's3');
  await fs.rm(path.join(HERE, 'data'), { recursive: true, force: true });
  await fs.rm(s3Dir, { recursive: true, force: true });
  await fs.mkdir(logDir, { recursive: true });
  transpileTree(ROOT, dist);

  const s3Keys = { accessKeyId: 'evk-scale', secretAccessKey: randomBytes(18).toString('base64url') };
  gateway = await startVersitygw({ binPath: await resolveVersitygw(() => undefined), rootDir: s3Dir, port: await freePort(), ...s3Keys, log: () => undefined });
  const ports = await freePortSettings();
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    ...ports,
    DATABASE_URL: testDatabaseUrl(),
    TEMPORAL_ADDRESS: testTemporalAddress(),
    EVK_PAYLOAD_KEYS: inject('payloadKeys'),
    EVK_WORKFLOW_BUNDLE: process.env.EVK_WORKFLOW_BUNDLE,
    EVK_TASK_QUEUE: `evk-scale-${randomBytes(4).toString('hex')}`,
    EVK_DATA_DIR: path.join(HERE, 'data'),
    EVK_LOGIN_ATTEMPTS_PER_10_MIN: '100000',
    EVK_STORAGE: 's3',
    EVK_S3_ENDPOINT: gateway.endpoint,
    EVK_S3_BUCKET: 'evk-scale',
    EVK_S3_ACCESS_KEY_ID: s3Keys.accessKeyId,
    EVK_S3_SECRET_ACCESS_KEY: s3Keys.secretAccessKey,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    LOG_LEVEL: 'warn',
    ...(process.env.CHROMIUM_PATH ? { CHROMIUM_PATH: process.env.CHROMIUM_PATH } : {}),
  };
  config = loadConfig(env);
  if (config.storage.kind !== 's3') throw new Error('EVK_STORAGE=s3 expected');
  await ensureBucket(config.storage.s3);
  db = connectDatabase(testDatabaseUrl(), 2);
  simulators = await startSimulators(config, { latency: false });

  // One public URL for both web processes, as behind a load balancer: the agent's callbacks reach the first.
  const [webPortB, healthB, metricsB] = await Promise.all([freePort(), freePort(), freePort()]);
  const started = await Promise.all([
    startCompiled(dist, 'worker', 'worker-1', env, logDir),
    startCompiled(dist, 'worker', 'worker-2', { ...env, EVK_WORKER_HEALTH_PORT: String(healthB), EVK_TEMPORAL_METRICS_PORT: String(metricsB) }, logDir),
    startCompiled(dist, 'web', 'web-1', env, logDir),
    startCompiled(dist, 'web', 'web-2', { ...env, PORT: String(webPortB) }, logDir),
  ]);
  processes.push(...started);
  const asSystem = (port: string) => ({ config, db, simulators, web: { url: `http://127.0.0.1:${port}` } }) as unknown as TestSystem;
  webs = [asSystem(ports.PORT), asSystem(String(webPortB))];
}, 240_000);

afterAll(async () => {
  await Promise.all(processes.map((p) => p.stop()));
  await simulators?.close();
  await gateway?.stop();
  await db?.destroy();
});

describe('two workers and two web processes, compiled, on one Temporal and one PostgreSQL, files in S3 (issue 14)', () => {
  it('runs node on dist/ JavaScript, not the TypeScript loader', () => {
    for (const p of processes) {
      const argv = readFileSync(`/proc/${p.pid}/cmdline`, 'utf8').split('\0');
      expect(argv[1], p.name).toMatch(/dist\/bin\/evk\.js$/);
      expect(argv.join(' '), p.name).not.toMatch(/tsx/);
    }
  });

  it('issues every contract’s order once, numbered without gaps, with sessions and files good on either web process (R4.3, R4.4, R4.5)', async () => {
    // Logged in on web 1; the same session cookie is honoured by web 2.
    const lawyer1 = await loginLawyer(webs[0], 'lawyer-mammadov');
    const me = expectStatus(
      await new HttpClient(webs[1].web!.url).get('/api/contracts', { cookie: lawyer1.cookieHeader() }),
      200,
      'web 2 with web 1’s session',
    );
    expect(Array.isArray(me.body.contracts)).toBe(true);
    const anonymous = await new HttpClient(webs[1].web!.url).get('/api/contracts');
    expect(anonymous.status).toBe(401);

    const lawyers = [lawyer1, await loginLawyer(webs[1], 'lawyer-mammadov')];
    const heads = [await loginLawyer(webs[0], 'head-huseynova'), await loginLawyer(webs[1], 'head-huseynova')];
    // Drafted and submitted on one web process, approved on the other, paid; all at once.
    const done = await Promise.all(
      Array.from({ length: CONTRACTS }, (_, i) => activeContract(webs[i % 2], { lawyer: lawyers[i % 2], head: heads[(i + 1) % 2] })),
    );
    const ids = done.map((d) => d.id);

    const versions: { contract_id: string; order_number: string; order_file: string }[] = await db('contract_versions')
      .whereIn('contract_id', ids)
      .select('contract_id', 'order_number', 'order_file');
    expect(versions).toHaveLength(CONTRACTS);
    expect(new Set(versions.map((v) => v.contract_id)).size).toBe(CONTRACTS);
    const numbers = versions.map((v) => Number(/(\d+)$/.exec(v.order_number)![1])).sort((a, b) => a - b);
    expect(new Set(numbers).size).toBe(CONTRACTS);
    expect(numbers[CONTRACTS - 1] - numbers[0]).toBe(CONTRACTS - 1);

    // Each order, stored by whichever worker issued it, reads the same from both web processes.
    for (const d of done) {
      const orderUrl = d.details.documents[0].orderUrl;
      const [one, two] = await Promise.all(lawyers.map((l) => l.getBytes(orderUrl)));
      expect(one.status).toBe(200);
      expect(one.bytes.subarray(0, 5).toString()).toBe('%PDF-');
      expect(two.status).toBe(200);
      expect(two.bytes.equals(one.bytes)).toBe(true);
    }
    // The documents are in the bucket (the gateway keeps objects as files), and none in a local folder.
    for (const v of versions) expect((await fs.stat(path.join(s3Dir, 'evk-scale', v.order_file))).size).toBeGreaterThan(1000);
    await expect(fs.readdir(path.join(HERE, 'data', 'files'))).rejects.toThrow(/ENOENT/);

    // A scanned file added to the dossier through web 2 is read back through web 1 (R4.5).
    const scan = Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(64 * 1024), Buffer.from('\n%%EOF\n')]);
    const added = await fetch(`${webs[1].web!.url}/api/contracts/${ids[0]}/dossier`, {
      method: 'POST',
      headers: { 'content-type': 'application/pdf', 'x-file-name': encodeURIComponent('Etibarnamə.pdf'), cookie: lawyers[1].cookieHeader() },
      body: new Uint8Array(scan),
    });
    const file = (await added.json()) as { file: { id: string } };
    expect(added.status, JSON.stringify(file)).toBe(201);
    const back = await lawyers[0].getBytes(`/api/contracts/${ids[0]}/dossier/${file.file.id}`);
    expect(back.status).toBe(200);
    expect(back.bytes.equals(scan)).toBe(true);
  }, 180_000);
});
