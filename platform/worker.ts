/**
 * The worker process: every workflow and activity of the cabinet on one task queue, with a warm
 * Chromium for documents. Production code only: nothing here starts a simulator or an embedded service.
 */
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { writeFile } from 'node:fs/promises';
import {
  DefaultLogger,
  NativeConnection,
  Runtime,
  Worker,
  bundleWorkflowCode,
  type WorkflowBundlePath,
  type WorkflowBundleWithSourceMap,
} from '@temporalio/worker';
import type { Logger } from 'pino';
import { contractPdfCounts, createContractActivities, type DocumentRenderer } from '../activities/contract';
import { createAssignmentActivities } from '../activities/assignment/read-model';
import { createProfileActivities } from '../activities/profile/change-activities';
import { createCourtActivities } from '../activities/court/join-case';
import { createSeminarActivities } from '../activities/seminars/reminders';
import { createInstalmentActivities, instalmentReminderStarter } from '../activities/instalments/reminders';
import { createSigningActivities } from '../activities/signing/order-signing';
import { HttpMobileSignatureProvider } from '../integrations/mobile-signature/adapter';
import { createCalendarActivities } from '../activities/calendar';
import { ensureCourtHearingSync } from '../activities/calendar/start-hearing-sync';
import { createNotificationActivities } from '../activities/notifications/dispatcher';
import { createNotificationSenders } from '../activities/notifications/senders';
import { ensureNotificationDispatcher } from '../activities/notifications/start-dispatcher';
import { clientTeller, createPaymentActivities } from '../activities/payment/reconcile';
import { ensurePaymentReconciler } from '../activities/payment/start-reconciler';
import { renderContractPdf, renderOrderPdf } from '../documents/contract-documents';
import { PdfRenderer, WORKER_RENDERER_PAGES } from '../documents/pdf-renderer';
import { HttpECourt } from '../integrations/e-court/adapter';
import { HttpPaymentAgent } from '../integrations/payment-agent/adapter';
import { CHROMIUM_ARGS, removeAbandonedChromiumProfiles, requireChromium } from './chromium';
import type { Config } from './config';
import { dataConverterFor, FAILURE_CONVERTER_PATH } from './data-converter';
import type { Knex } from './db';
import { fileStorageFor, localStorageDir, removeAbandonedTemporaryFiles } from './file-storage';
import { databaseCheck, type OpsServer, startOpsServer, temporalCheck } from './health';
import { type Closable, contractIdOfWorkflowId, withLogContext } from './logger';
import { workerMetrics } from './metrics';

let runtimeInstalled = false;
/**
 * Temporal's own log lines at WARN and above, through the same level switch as ours; with a metrics
 * port, the SDK runtime's own Prometheus metrics (task slots, poll and schedule-to-start latencies,
 * activity failures) on it (issue 10 item 8). Once per process: the first worker decides.
 */
function installRuntimeOnce(level: Config['temporalLogLevel'], metricsBindAddress?: string) {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  Runtime.install({
    logger: new DefaultLogger(level),
    ...(metricsBindAddress ? { telemetryOptions: { metrics: { metricPrefix: 'temporal_', prometheus: { bindAddress: metricsBindAddress } } } } : {}),
  });
}

/** The workflows' entry: index.ts from the sources, index.js compiled (dist/). */
const WORKFLOWS_PATH = path.resolve(__dirname, '../workflows', `index${path.extname(__filename)}`);

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;
/**
 * Workflows are bundled once per process (webpack takes seconds), with the cabinet's failure
 * converter inside the sandbox, so failure messages thrown by workflow code are encrypted too.
 * With a prebuilt bundle (EVK_WORKFLOW_BUNDLE, written by `evk bundle-workflows`) a worker starts
 * without webpack: a restarted worker polls again in a second or two instead of after the bundling.
 */
export function workflowBundle(prebuiltPath?: string): Promise<WorkflowBundleWithSourceMap | WorkflowBundlePath> {
  if (prebuiltPath) return Promise.resolve({ codePath: prebuiltPath });
  bundle ??= bundleWorkflowCode({
    workflowsPath: WORKFLOWS_PATH,
    failureConverterPath: FAILURE_CONVERTER_PATH,
    logger: quietBundlerLogger,
  });
  return bundle;
}

/** `evk bundle-workflows <file>`: the workflows' bundle, for EVK_WORKFLOW_BUNDLE (an image builds it once). */
export async function writeWorkflowBundle(file: string): Promise<void> {
  const { code } = await bundleWorkflowCode({
    workflowsPath: WORKFLOWS_PATH,
    failureConverterPath: FAILURE_CONVERTER_PATH,
    logger: quietBundlerLogger,
  });
  await writeFile(file, code);
}
const quietBundlerLogger = { trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error, log() {} } as never;

/** Renders documents with a warm Chromium, started on the first document. */
export function warmDocumentRenderer(config: Config, _log: (msg: string) => void): DocumentRenderer & Closable {
  let renderer: Promise<PdfRenderer> | undefined;
  const get = () =>
    (renderer ??= requireChromium(config.chromiumPath).then((executablePath) =>
      PdfRenderer.start({ executablePath, args: CHROMIUM_ARGS, ...WORKER_RENDERER_PAGES }),
    ));
  return {
    renderContract: async (data, lane, hurry) => renderContractPdf(await get(), data, lane, hurry),
    renderOrder: async (data) => renderOrderPdf(await get(), data),
    close: async () => {
      if (renderer) await (await renderer).close();
    },
  };
}

/**
 * Issue 10 item 6: what killed workers left behind — their Chromium profile folders and
 * half-written `*.tmp` documents — removed at start, before this worker's own Chromium exists.
 */
export async function removeLeftovers(config: Config, log: Pick<Logger, 'info' | 'warn'>): Promise<void> {
  try {
    const profiles = await removeAbandonedChromiumProfiles();
    // An object store has no half-written files to sweep: an upload is visible only once complete.
    const files = config.storage.kind === 'local' ? await removeAbandonedTemporaryFiles(localStorageDir(config)) : [];
    if (profiles.length + files.length > 0)
      log.info({ chromiumProfiles: profiles.length, temporaryFiles: files.length }, 'worker: removed what stopped processes left');
  } catch (error) {
    log.warn({ error: (error as Error).message }, 'worker: could not remove what stopped processes left');
  }
}

export interface WorkerHandle extends Closable {
  worker: Worker;
  /** The health and metrics server, when one was asked for (`opsPort`). */
  ops?: OpsServer;
}

export async function startWorker(options: {
  config: Config;
  db: Knex;
  temporalAddress: string;
  log: Logger;
  documents?: DocumentRenderer & Closable;
  /** Start (or find) the singleton workflow that sends the outbox; its ID may be made unique per test. */
  notificationDispatcher?: false | { workflowId?: string; pollIntervalMs?: number };
  /**
   * Start (or find) the singleton workflow that reconciles payments (issue 10 item 1); its ID may be
   * made unique per test, and its turns shorter than config.paymentReconcileIntervalMs.
   */
  paymentReconciler?: false | { workflowId?: string; intervalMs?: number; graceMs?: number };
  /** Start (or find) the singleton that syncs court hearings into the calendars (issue 12); tests give their own ID or false. */
  courtHearingSync?: false | { workflowId?: string; intervalMs?: number };
  /**
   * Port of the worker's /health/live, /health/ready and /metrics (0: any free port); none when unset.
   * `evk worker` gives EVK_WORKER_HEALTH_PORT (issue 10 item 8).
   */
  opsPort?: number;
  /** Where the Temporal SDK runtime exports its own metrics; `evk worker` gives EVK_TEMPORAL_METRICS_PORT. */
  temporalMetricsPort?: number;
}): Promise<WorkerHandle> {
  const { config, db } = options;
  // Before anything starts: production refuses to run without EVK_PAYLOAD_KEYS (issue 9 item 4).
  const dataConverter = dataConverterFor(config);
  await removeLeftovers(config, options.log);
  const senders = createNotificationSenders(config);
  const documents = options.documents ?? warmDocumentRenderer(config, (m) => options.log.info(m));
  installRuntimeOnce(
    options.config.temporalLogLevel,
    options.temporalMetricsPort === undefined ? undefined : `${config.listenHost}:${options.temporalMetricsPort}`,
  );
  const connection = await NativeConnection.connect({ address: options.temporalAddress });
  // The payment activities tell contracts' workflows through a client of their own, as the API's gateway does.
  const clientConnection = await Connection.connect({ address: options.temporalAddress });
  const client = new Client({ connection: clientConnection, namespace: config.temporalNamespace, dataConverter });
  const paymentAgent = new HttpPaymentAgent({ baseUrl: config.paymentAgentUrl, merchantId: config.paymentAgentMerchantId, secret: config.paymentAgentSecret });
  const storage = fileStorageFor(config);
  const worker = await Worker.create({
    connection,
    namespace: config.temporalNamespace,
    taskQueue: config.taskQueue,
    dataConverter,
    workflowBundle: await workflowBundle(config.workflowBundlePath),
    activities: {
      ...createContractActivities({
        db,
        storage,
        documents,
        publicUrl: config.publicUrl,
        secretKey: config.sessionSecret,
        instalmentReminders: instalmentReminderStarter({ db, client, taskQueue: config.taskQueue, leadMs: config.instalmentReminderLeadMs }),
      }),
      ...createInstalmentActivities({ db, publicUrl: config.publicUrl }),
      ...createNotificationActivities({ db, email: senders.email, sms: senders.sms, secretKey: config.sessionSecret, log: options.log }),
      ...createCourtActivities({ db, storage, eCourt: new HttpECourt(config.eCourtUrl) }),
      ...createAssignmentActivities({ db }),
      ...createSeminarActivities({ db, publicUrl: config.publicUrl }),
      ...createCalendarActivities({
        db,
        publicUrl: config.publicUrl,
        eCourt: new HttpECourt(config.eCourtUrl),
        client,
        taskQueue: config.taskQueue,
        lateAfterMs: config.calendarLateAfterMs,
      }),
      ...createProfileActivities({ db, publicUrl: config.publicUrl, officeEmail: config.barOfficeEmail }),
      ...createPaymentActivities({ db, paymentAgent, teller: clientTeller(client), log: options.log }),
      ...createSigningActivities({
        db,
        storage: fileStorageFor(config),
        documents,
        mobileSignature: new HttpMobileSignatureProvider(config.mobileSignatureUrl),
        publicUrl: config.publicUrl,
      }),
    },
    maxConcurrentActivityTaskExecutions: 20,
    // Issue 12: a bounded cache, so thousands of workflows waiting on timers (meetings' reminders) cost no memory.
    maxCachedWorkflows: config.workerCachedWorkflows,
    // Issue 10 item 2: a workflow cached on a killed worker moves to another within 3 s (default 10 s).
    stickyQueueScheduleToStartTimeout: '3 seconds',
    // Every line an activity logs names its contract (issue 10 item 8).
    interceptors: {
      activity: [
        (ctx) => ({
          inbound: {
            execute: (input, next) => {
              const contractId = contractIdOfWorkflowId(ctx.info.workflowExecution?.workflowId ?? '');
              return contractId ? withLogContext({ contractId }, () => next(input)) : next(input);
            },
          },
        }),
      ],
    },
  });
  const running = worker.run();
  let dispatcherWorkflowId: string | undefined;
  if (options.notificationDispatcher !== false) {
    dispatcherWorkflowId = options.notificationDispatcher?.workflowId;
    await ensureNotificationDispatcher(client, config.taskQueue, {
      workflowId: dispatcherWorkflowId,
      pollIntervalMs: options.notificationDispatcher?.pollIntervalMs,
    });
  }
  let reconcilerWorkflowId: string | undefined;
  if (options.paymentReconciler !== false) {
    reconcilerWorkflowId = options.paymentReconciler?.workflowId;
    await ensurePaymentReconciler(client, config.taskQueue, {
      workflowId: reconcilerWorkflowId,
      intervalMs: options.paymentReconciler?.intervalMs ?? config.paymentReconcileIntervalMs,
      graceMs: options.paymentReconciler?.graceMs,
    });
  }
  let hearingSyncWorkflowId: string | undefined;
  if (options.courtHearingSync !== false) {
    hearingSyncWorkflowId = options.courtHearingSync?.workflowId;
    await ensureCourtHearingSync(client, config.taskQueue, {
      workflowId: hearingSyncWorkflowId,
      intervalMs: options.courtHearingSync?.intervalMs ?? config.courtHearingSyncMs,
    });
  }
  const ops =
    options.opsPort === undefined
      ? undefined
      : await startOpsServer({
          host: config.listenHost,
          port: options.opsPort,
          checks: { database: databaseCheck(db), temporal: temporalCheck(clientConnection) },
          metrics: workerMetrics(db, { contractPdfs: contractPdfCounts }).export,
        });
  // Closing twice (a test that restarts the worker, then stops its system) closes once.
  let closed: Promise<void> | undefined;
  const close = async () => {
    if (hearingSyncWorkflowId)
      await client.workflow
        .getHandle(hearingSyncWorkflowId)
        .terminate('worker stopped')
        .catch(() => undefined);
    if (reconcilerWorkflowId)
      await client.workflow
        .getHandle(reconcilerWorkflowId)
        .terminate('worker stopped')
        .catch(() => undefined);
    await ops?.close();
    // A dispatcher of a test's own is ended with its worker; the shared one keeps running.
    if (dispatcherWorkflowId)
      await client.workflow
        .getHandle(dispatcherWorkflowId)
        .terminate('worker stopped')
        .catch(() => undefined);
    await clientConnection.close();
    if (worker.getState() === 'RUNNING') worker.shutdown();
    await running.catch(() => undefined);
    await connection.close();
    senders.close();
    if (!options.documents) await documents.close();
  };
  return { worker, ops, close: () => (closed ??= close()) };
}
