/**
 * The composition root: how the worker, the web server and the simulators are put together from
 * configuration. `bin/evk.ts` runs them as commands; the tests and the benchmark start the same
 * pieces in-process against real PostgreSQL, Temporal and Chromium.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker, bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import pino, { type Logger } from 'pino';
import { createContractActivities, type DocumentRenderer } from '../activities/contract-activities';
import { createAssignmentActivities } from '../activities/assignment-activities';
import { AssignmentGateway } from '../api/assignment-gateway';
import { createCourtActivities } from '../activities/court-activities';
import { createNotificationActivities } from '../activities/notifications/dispatcher';
import { createNotificationSenders } from '../activities/notifications/senders';
import { ensureNotificationDispatcher } from '../activities/notifications/start-dispatcher';
import { startMailSink } from '../integrations/mail-sink/sink';
import { startSmsSimulator } from '../integrations/sms/simulator';
import { createApiApp } from '../api/app';
import { ContractGateway } from '../api/contract-gateway';
import { renderContractPdf, renderOrderPdf } from '../documents/contract-documents';
import { PdfRenderer } from '../documents/pdf-renderer';
import { listenHost } from '../integrations/http';
import { HttpMobileSignatureProvider } from '../integrations/mobile-signature/adapter';
import { startMobileSignatureSimulator } from '../integrations/mobile-signature/simulator';
import { HttpPaymentAgent } from '../integrations/payment-agent/adapter';
import { startPaymentAgentSimulator } from '../integrations/payment-agent/simulator';
import { HttpPopulationRegistry } from '../integrations/population-registry/adapter';
import { startPopulationRegistrySimulator } from '../integrations/population-registry/simulator';
import { HttpTaxService } from '../integrations/tax-service/adapter';
import { startTaxServiceSimulator } from '../integrations/tax-service/simulator';
import { HttpECourt } from '../integrations/e-court/adapter';
import { startECourtSimulator } from '../integrations/e-court/simulator';
import type { ContractTimings } from '../workflows/contract-messages';
import { CHROMIUM_ARGS, resolveChromium } from './chromium';
import type { Config } from './config';
import { connectDatabase, type Knex } from './db';
import { LocalFileStorage } from './file-storage';

export interface Closable {
  close(): Promise<void>;
}

export function createLogger(name: string): Logger {
  return pino({ name, level: process.env.LOG_LEVEL ?? 'info' });
}

export function fileStorageFor(config: Config) {
  return new LocalFileStorage(path.join(config.dataDir, 'files'));
}

let runtimeInstalled = false;
/** Temporal's own log lines at WARN and above, through the same level switch as ours. */
function installRuntimeOnce() {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  Runtime.install({ logger: new DefaultLogger((process.env.TEMPORAL_LOG_LEVEL as 'WARN' | undefined) ?? 'WARN') });
}

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;
/** Workflows are bundled once per process (webpack takes seconds). */
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= bundleWorkflowCode({ workflowsPath: path.resolve(__dirname, '../workflows/index.ts'), logger: quietBundlerLogger });
  return bundle;
}
const quietBundlerLogger = { trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error, log() {} } as never;

/** Renders documents with a warm Chromium, started on the first document. */
export function warmDocumentRenderer(config: Config, log: (msg: string) => void): DocumentRenderer & Closable {
  let renderer: Promise<PdfRenderer> | undefined;
  const get = () => (renderer ??= resolveChromium(log, config.chromiumPath).then((executablePath) => PdfRenderer.start({ executablePath, args: CHROMIUM_ARGS, maxConcurrent: 2 })));
  return {
    renderContract: async (data) => renderContractPdf(await get(), data),
    renderOrder: async (data) => renderOrderPdf(await get(), data),
    close: async () => {
      if (renderer) await (await renderer).close();
    },
  };
}

export interface WorkerHandle extends Closable {
  worker: Worker;
}

export async function startWorker(options: {
  config: Config;
  db: Knex;
  temporalAddress: string;
  log: Logger;
  documents?: DocumentRenderer & Closable;
  /** Start (or find) the singleton workflow that sends the outbox; its ID may be made unique per test. */
  notificationDispatcher?: false | { workflowId?: string; pollIntervalMs?: number };
}): Promise<WorkerHandle> {
  const { config, db } = options;
  const senders = createNotificationSenders(config);
  const documents = options.documents ?? warmDocumentRenderer(config, (m) => options.log.info(m));
  installRuntimeOnce();
  const connection = await NativeConnection.connect({ address: options.temporalAddress });
  const worker = await Worker.create({
    connection,
    namespace: config.temporalNamespace,
    taskQueue: config.taskQueue,
    workflowBundle: await workflowBundle(),
    activities: {
      ...createContractActivities({ db, storage: fileStorageFor(config), documents, publicUrl: config.publicUrl, secretKey: config.sessionSecret }),
      ...createNotificationActivities({ db, email: senders.email, sms: senders.sms, secretKey: config.sessionSecret, log: options.log }),
      ...createCourtActivities({ db, storage: fileStorageFor(config), eCourt: new HttpECourt(config.eCourtUrl) }),
      ...createAssignmentActivities({ db }),
    },
    maxConcurrentActivityTaskExecutions: 20,
  });
  const running = worker.run();
  let dispatcherWorkflowId: string | undefined;
  const clientConnection = await Connection.connect({ address: options.temporalAddress });
  const client = new Client({ connection: clientConnection, namespace: config.temporalNamespace });
  if (options.notificationDispatcher !== false) {
    dispatcherWorkflowId = options.notificationDispatcher?.workflowId;
    await ensureNotificationDispatcher(client, config.taskQueue, { workflowId: dispatcherWorkflowId, pollIntervalMs: options.notificationDispatcher?.pollIntervalMs });
  }
  return {
    worker,
    close: async () => {
      // A dispatcher of a test's own is ended with its worker; the shared one keeps running.
      if (dispatcherWorkflowId) await client.workflow.getHandle(dispatcherWorkflowId).terminate('worker stopped').catch(() => undefined);
      await clientConnection.close();
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running.catch(() => undefined);
      await connection.close();
      await senders.close();
      if (!options.documents) await documents.close();
    },
  };
}

export interface WebHandle extends Closable {
  url: string;
  gateway: ContractGateway;
  client: Client;
}

export async function startWeb(options: {
  config: Config;
  db: Knex;
  databaseUrl: string;
  temporalAddress: string;
  log: Logger;
  port?: number;
  timings?: Partial<ContractTimings>;
}): Promise<WebHandle> {
  const { config, db } = options;
  const connection = await Connection.connect({ address: options.temporalAddress });
  const client = new Client({ connection, namespace: config.temporalNamespace });
  const gateway = new ContractGateway({ client, db, taskQueue: config.taskQueue, timings: options.timings });
  const api = createApiApp({
    db,
    databaseUrl: options.databaseUrl,
    gateway,
    storage: fileStorageFor(config),
    mobileSignature: new HttpMobileSignatureProvider(config.mobileSignatureUrl),
    registry: new HttpPopulationRegistry(config.populationRegistryUrl),
    taxService: new HttpTaxService(config.taxServiceUrl),
    paymentAgent: new HttpPaymentAgent({ baseUrl: config.paymentAgentUrl, merchantId: config.paymentAgentMerchantId, secret: config.paymentAgentSecret }),
    paymentAgentSecret: config.paymentAgentSecret,
    publicUrl: config.publicUrl,
    callbackBaseUrl: config.callbackBaseUrl,
    sessionSecret: config.sessionSecret,
    log: options.log,
    mobileSignatureSimulatorUrl: process.env.EVK_MOBILE_SIGNATURE_URL ? undefined : config.mobileSignatureUrl,
    assignments: new AssignmentGateway({ client, db, taskQueue: config.taskQueue }),
  });
  const server = http.createServer(api.app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? config.webPort, listenHost(), resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    gateway,
    client,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await api.close();
      await connection.close();
    },
  };
}

/** The outside systems' local simulators, each on its own port (for `npm start` and the tests). */
export async function startSimulators(config: Config, options: { latency?: boolean } = {}) {
  const latency = options.latency === false ? { latencyMs: [0, 0] as [number, number] } : {};
  const s = config.simulators;
  const started = [
    await startMobileSignatureSimulator(s.mobileSignaturePort, latency),
    await startPopulationRegistrySimulator(s.populationRegistryPort, latency),
    await startTaxServiceSimulator(s.taxServicePort, options.latency === false ? { ...latency, failureRate: 0 } : {}),
    await startPaymentAgentSimulator(s.paymentAgentPort, {
      ...latency,
      ...(options.latency === false ? { callbackDelayMs: 0 } : {}),
      secret: config.paymentAgentSecret,
      merchantId: config.paymentAgentMerchantId,
      publicUrl: config.paymentAgentUrl,
    }),
  ];
  const eCourt = await startECourtSimulator(s.eCourtPort, latency);
  const host = listenHost() === '0.0.0.0' ? '127.0.0.1' : listenHost();
  const mailSink = await startMailSink({ smtpPort: s.smtpPort, webPort: s.mailCatcherPort, smsSimulatorUrl: `http://${host}:${s.smsPort}` });
  const smsSimulator = await startSmsSimulator(s.smsPort, {
    ...latency,
    ...(options.latency === false ? { failureRate: 0 } : {}),
    apiKey: config.smsApiKey,
    mailCatcherUrl: mailSink.url,
  });
  return {
    urls: {
      mobileSignature: started[0].url,
      populationRegistry: started[1].url,
      taxService: started[2].url,
      paymentAgent: started[3].url,
      sms: smsSimulator.url,
      mailCatcher: mailSink.url!,
      eCourt: eCourt.url,
    },
    mailSink,
    smsSimulator,
    eCourt,
    close: async () => {
      await Promise.all([...started.map((sim) => sim.close()), smsSimulator.close(), mailSink.close(), eCourt.close()]);
    },
  };
}

export { connectDatabase };
