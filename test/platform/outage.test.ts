/**
 * Issue 10 item 5 (outages look like bugs) and item 8 (operators see trouble coming), on the real parts:
 * the real web app and pages over the test's PostgreSQL and Temporal, and the same app built over a
 * database or a Temporal nobody listens on (a closed loopback port) — what a restart looks like from
 * the outside. No waiting: a closed port refuses at once.
 */
import { contractPdfCounts } from '../../activities/contract';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AssignmentGateway } from '../../api/assignment/gateway';
import { createLoginRateLimit } from '../../api/auth/rate-limit';
import { ContractGateway } from '../../api/contract/gateway';
import { createApiApp } from '../../api/http/app';
import { HttpMobileSignatureProvider } from '../../integrations/mobile-signature/adapter';
import { HttpPaymentAgent } from '../../integrations/payment-agent/adapter';
import { HttpPopulationRegistry } from '../../integrations/population-registry/adapter';
import { HttpTaxService } from '../../integrations/tax-service/adapter';
import { dataConverterFor } from '../../platform/data-converter';
import { connectDatabase, type Knex } from '../../platform/db';
import { fileStorageFor } from '../../platform/file-storage';
import { temporalCheck } from '../../platform/health';
import { createLogger } from '../../platform/logger';
import { startWorker, type WorkerHandle } from '../../platform/worker';
import { webPages } from '../../web/router';
import { createDraft, loginLawyer } from '../support/api';
import { HttpClient } from '../support/http-client';
import { completeDraft, freePort, startTestSystem, type TestSystem, testDatabaseUrl, testTemporalAddress } from '../support/system';

let system: TestSystem;
let lawyer: HttpClient;
let closedPort: number;
const closers: (() => Promise<void>)[] = [];

/** The cabinet's app (API and pages) with the database and Temporal given, on a port of its own. */
async function appWith(parts: { db: Knex; databaseUrl: string; client: Client; connection: Connection }): Promise<string> {
  const { config } = system;
  const log = createLogger('evk-outage-test', 'silent');
  const deps = {
    db: parts.db,
    databaseUrl: parts.databaseUrl,
    gateway: new ContractGateway({ client: parts.client, db: parts.db, taskQueue: config.taskQueue }),
    storage: fileStorageFor(config),
    mobileSignature: new HttpMobileSignatureProvider(config.mobileSignatureUrl),
    registry: new HttpPopulationRegistry(config.populationRegistryUrl),
    taxService: new HttpTaxService(config.taxServiceUrl),
    paymentAgent: new HttpPaymentAgent({ baseUrl: config.paymentAgentUrl, merchantId: config.paymentAgentMerchantId, secret: config.paymentAgentSecret }),
    paymentAgentSecret: config.paymentAgentSecret,
    publicUrl: config.publicUrl,
    sessionSecret: config.sessionSecret,
    log,
    assignments: new AssignmentGateway({ client: parts.client, db: parts.db, taskQueue: config.taskQueue }),
    loginRateLimit: createLoginRateLimit(config.loginAttemptsPer10Min),
    readinessChecks: { temporal: temporalCheck(parts.connection) },
  };
  const api = createApiApp(deps, webPages(deps, deps.loginRateLimit));
  const server = http.createServer(api.app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await api.close();
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** The lawyer's browser (its session cookie) pointed at another server. */
function sameBrowserAt(url: string): HttpClient {
  const browser = new HttpClient(url);
  const cookies = lawyer.cookieHeader();
  const original = browser.request.bind(browser);
  browser.request = (method, path, options = {}) => original(method, path, { ...options, headers: { cookie: cookies, ...options.headers } });
  return browser;
}

const form = (fields: Record<string, string>, token: string) => ({
  raw: new URLSearchParams({ ...fields, _csrf: token }).toString(),
  headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html', 'x-csrf-token': token },
});
const tokenOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';

beforeAll(async () => {
  system = await startTestSystem({ web: true });
  lawyer = await loginLawyer(system, 'lawyer-mammadov');
  closedPort = await freePort(); // free a moment ago: nobody listens on it
}, 120_000);

afterAll(async () => {
  for (const close of closers.reverse()) await close().catch(() => undefined);
  await system?.close();
});

describe('issue 10 item 5: an outage answers 503 with Retry-After, never 500 "internal"', () => {
  it('with PostgreSQL unreachable the API says 503 common.service_unavailable and the pages say to try again, keeping the typed form', async () => {
    const deadUrl = `postgres://evk:evk@127.0.0.1:${closedPort}/evk`;
    const deadDb = connectDatabase(deadUrl, 2);
    closers.push(() => deadDb.destroy());
    const url = await appWith({ db: deadDb, databaseUrl: deadUrl, client: system.client, connection: system.client.connection as Connection });
    const browser = sameBrowserAt(url);

    const api = await browser.get('/api/contracts', { accept: 'application/json', 'accept-language': 'az' });
    expect(api.status).toBe(503);
    expect(api.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(api.body.error).toMatchObject({ code: 'unavailable', reason: 'common.service_unavailable' });
    expect(api.body.error.message).toContain('bir azdan yenidən cəhd edin');

    const page = await browser.get('/contracts', { accept: 'text/html' });
    expect(page.status).toBe(503);
    expect(page.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(page.text).toContain('Bir az gözləyin');
    expect(page.text).not.toContain('Xəta baş verdi');

    // A wizard step posted during the outage comes back as a form of what was typed: one press sends it again.
    const typed = 'Müdafiə mövqeyinin hazırlanması — yazılan mətn itmir';
    const posted = await browser.request(
      'POST',
      '/contracts/2026-000001/wizard/5',
      form({ assignment: typed, 'institution.id': 'other', action: 'next' }, 'tok'),
    );
    expect(posted.status).toBe(503);
    expect(posted.text).toContain(`value="${typed}"`);
    expect(posted.text).toContain('name="institution.id" value="other"');
    expect(posted.text).toContain('action="/contracts/2026-000001/wizard/5"');
    expect(posted.text).toContain('Yenidən göndər');

    // Health: alive, not ready, and it says which dependency is down.
    expect((await browser.get('/health/live')).status).toBe(200);
    const ready = await browser.get('/health/ready');
    expect(ready.status).toBe(503);
    expect(ready.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(ready.body.checks).toMatchObject({ database: 'down' });
  });

  it('with Temporal unreachable a wizard step that could not be saved is shown again with the typed values (503)', async () => {
    const id = await createDraft(lawyer, completeDraft());
    // A connection to a closed port, without the client's retries: UNAVAILABLE at once.
    const deadTemporal = Connection.lazy({ address: `127.0.0.1:${closedPort}`, interceptors: [], connectTimeout: 1000 });
    const client = new Client({ connection: deadTemporal, dataConverter: dataConverterFor(system.config) });
    const url = await appWith({ db: system.db, databaseUrl: testDatabaseUrl(), client, connection: deadTemporal });
    const browser = sameBrowserAt(url);
    const step = await browser.get(`/contracts/${id}/wizard/5`, { accept: 'text/html' });
    expect(step.status).toBe(200);
    const typed = 'Apellyasiya şikayətinin hazırlanması (issue 10 item 5)';
    const posted = await browser.request(
      'POST',
      `/contracts/${id}/wizard/5`,
      form({ assignment: typed, 'institution.id': 'other', 'institution.name': 'Bakı Apellyasiya Məhkəməsi', action: 'back' }, tokenOf(step.text)),
    );
    expect(posted.status).toBe(503);
    expect(posted.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(posted.text).toContain(typed); // the textarea keeps it
    expect(posted.text).toContain('Bakı Apellyasiya Məhkəməsi');
    expect(posted.text).toContain('bir azdan yenidən cəhd edin');
    // Nothing was saved, and nothing was lost: the draft is as it was.
    const [row] = await system.db('contracts').where({ id }).select('id');
    expect(row).toBeDefined();
    const ready = await browser.get('/health/ready');
    expect(ready.status).toBe(503);
    expect(ready.body.checks).toMatchObject({ database: 'ok', temporal: 'down' });
  });
});

describe('issue 10 item 8: health and metrics of web and worker', () => {
  let worker: WorkerHandle;
  beforeAll(async () => {
    const log = createLogger('evk-outage-test', 'silent');
    worker = await startWorker({
      config: system.config,
      db: system.db,
      temporalAddress: testTemporalAddress(),
      log,
      notificationDispatcher: false,
      opsPort: 0,
    });
    closers.push(() => worker.close());
  }, 60_000);

  it('the web answers /health/live and /health/ready (database and Temporal ok) and counts requests by route pattern', async () => {
    const web = system.web!.url;
    expect((await fetch(`${web}/health/live`)).status).toBe(200);
    const ready = await fetch(`${web}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', checks: { database: 'ok', temporal: 'ok' } });
    const id = await createDraft(lawyer, completeDraft());
    expect((await lawyer.get(`/api/contracts/${id}`)).status).toBe(200);
    const metrics = await (await fetch(`${web}/metrics`)).text();
    expect(metrics).toContain('evk_http_requests_total{method="GET",route="/api/contracts/:id",status="200"}');
    expect(metrics).toContain('evk_http_request_duration_seconds_bucket');
    expect(metrics).not.toContain(id); // the route pattern, never the contract's own URL
  });

  it('the worker serves its own /health/ready and /metrics with the pipeline series', async () => {
    const ops = worker.ops!.url;
    expect((await fetch(`${ops}/health/live`)).status).toBe(200);
    const ready = await fetch(`${ops}/health/ready`);
    expect(await ready.json()).toMatchObject({ status: 'ready', checks: { database: 'ok', temporal: 'ok' } });
    const metrics = await (await fetch(`${ops}/metrics`)).text();
    for (const series of [
      'evk_orders_issued_total',
      'evk_payment_to_order_seconds_bucket',
      'evk_outbox_depth{channel="email"}',
      'evk_outbox_oldest_age_seconds',
      'evk_reconciliation_open_payment_requests',
      'evk_reconciliation_unapplied_payment_events',
    ])
      expect(metrics, series).toContain(series);
    // Issue 14: where this worker's orders' contract PDFs came from (the bench reads it off a worker in its own process).
    const counts = contractPdfCounts();
    expect(metrics).toContain(`evk_order_contract_pdfs_total{source="prepared"} ${counts.prepared}\n`);
    expect(metrics).toContain(`evk_order_contract_pdfs_total{source="rendered"} ${counts.rendered}\n`);
  });
});
