/**
 * The system as the tests start it: the real worker (real activities, PostgreSQL, Chromium) on a
 * task queue of its own, and optionally the real web server and the simulators on free ports.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import type { DestinationStream } from 'pino';
import { inject } from 'vitest';
import { claimForkSlot } from './forks';
import { type Actor, type ContractDraft } from '../../domain/contract';
import { DEMO_LAWYERS, demoLawyerActor } from '../../simulators/demo-data';
import { type Config, loadConfig } from '../../platform/config';
import { freePort, freePortSettings } from '../../platform/free-ports';
import { dataConverterFor } from '../../platform/data-converter';
import { connectDatabase, type Knex } from '../../platform/db';
import { createLogger } from '../../platform/logger';
import { startWeb, type WebHandle } from '../../platform/web-server';
import { startWorker, type WorkerHandle } from '../../platform/worker';
import { startSimulators } from '../../simulators/start';
import type { ContractTimings } from '../../workflows/contract/messages';

export { freePort };

/** This fork's place among the forks of the system layer (test/support/forks.ts claimForkSlot). */
function forkIndex(count: number): number {
  // Never a neighbour's database or server: that would share an outbox and a contract number sequence.
  return count === 1 ? 0 : claimForkSlot(count, path.join(inject('testDataDir'), `fork-slots-${path.basename(inject('workflowBundlePath'), '.js')}`));
}

/** The PostgreSQL database of this fork (test/global-setup.ts: one per fork, copies of one seeded database). */
export const testDatabaseUrl = (): string => inject('databaseUrls')[forkIndex(inject('databaseUrls').length)];

/** The Temporal dev server of this fork (one per fork: workflow IDs come from each database's own sequence). */
export const testTemporalAddress = (): string => inject('temporalAddresses')[forkIndex(inject('temporalAddresses').length)];

export interface TestSystem {
  config: Config;
  db: Knex;
  client: Client;
  taskQueue: string;
  worker: WorkerHandle;
  web?: WebHandle;
  simulators?: Awaited<ReturnType<typeof startSimulators>>;
  close(): Promise<void>;
}

export async function startTestSystem(
  options: {
    web?: boolean;
    timings?: Partial<ContractTimings>;
    /** Where the system's log lines go, at level debug (the log test reads them back, issue 9 item 5). */
    logStream?: DestinationStream;
    /** Run the payment reconciliation of this system's own, with short turns (issue 10 item 1). */
    paymentReconciler?: { intervalMs: number };
    /** Run the court hearing sync of this system's own, with short turns (issue 12). */
    courtHearingSync?: { intervalMs: number };
  } = {},
): Promise<TestSystem> {
  const databaseUrl = testDatabaseUrl();
  const temporalAddress = testTemporalAddress();
  const taskQueue = `evk-test-${randomBytes(4).toString('hex')}`;
  const config = loadConfig({
    ...process.env,
    ...(await freePortSettings()),
    EVK_DATA_DIR: path.join(inject('testDataDir'), `run-${forkIndex(inject('databaseUrls').length) + 1}`),
    EVK_TASK_QUEUE: taskQueue,
    EVK_PAYLOAD_KEYS: inject('payloadKeys'),
  });
  const log = createLogger('evk-test', 'warn', options.logStream);
  log.level = options.logStream ? 'debug' : (process.env.LOG_LEVEL ?? 'warn');
  const db = connectDatabase(databaseUrl, 8);
  // The outside systems first, so that the worker's first sends find them.
  const simulators = options.web ? await startSimulators(config, { latency: false }) : undefined;
  // The outbox is sent only where a test looks at what arrives (the web tests, with their own sinks).
  const worker = await startWorker({
    config,
    db,
    temporalAddress,
    log,
    notificationDispatcher: options.web ? { workflowId: `notification-dispatcher-${taskQueue}`, pollIntervalMs: 300 } : false,
    paymentReconciler: options.paymentReconciler
      ? { workflowId: `payment-reconciler-${taskQueue}`, intervalMs: options.paymentReconciler.intervalMs, graceMs: 0 }
      : false,
    courtHearingSync: options.courtHearingSync ? { workflowId: `court-hearing-sync-${taskQueue}`, intervalMs: options.courtHearingSync.intervalMs } : false,
  });
  const connection = await Connection.connect({ address: temporalAddress });
  // The one data converter (issue 9 item 4): what the tests send and read is encrypted like production's.
  const client = new Client({ connection, dataConverter: dataConverterFor(config) });
  const closers: (() => Promise<void>)[] = [];
  let web: WebHandle | undefined;
  if (options.web) {
    web = await startWeb({ config, db, databaseUrl, temporalAddress, log, timings: options.timings });
    closers.push(() => web!.close());
  }
  return {
    config,
    db,
    client,
    taskQueue,
    worker,
    web,
    simulators,
    close: async () => {
      for (const close of closers.reverse()) await close();
      await worker.close();
      await simulators?.close();
      await connection.close();
      await db.destroy();
    },
  };
}

/** The demo people of the Bar's register, as actors. */
export const actors = {
  lawyer: demoLawyerActor('lawyer-mammadov'),
  otherLawyer: demoLawyerActor('lawyer-qasimova'),
  head: demoLawyerActor('head-huseynova'),
  individual: demoLawyerActor('individual-quliyev'),
  admin: { kind: 'admin', id: 'admin-bar-office' } as Actor,
};

export const demoLawyer = (key: string) => DEMO_LAWYERS.find((l) => l.key === key)!;

let counter = 0;
/** A person no other test uses: a FIN, phone and e-mail of its own (R4.1.2 binds contacts to people). */
export function uniquePerson(overrides: Partial<NonNullable<ContractDraft['applicant']>> = {}) {
  counter += 1;
  const tag = `${Date.now().toString(36).slice(-4)}${process.pid.toString(36).slice(-2)}${counter}`.toUpperCase();
  const digits = String(Math.floor(Math.random() * 1e7)).padStart(7, '0');
  return {
    citizenship: 'citizen' as const,
    fin: tag
      .replace(/[^A-Z0-9]/g, '')
      .padEnd(7, '7')
      .slice(-7),
    firstName: 'Gülnarə',
    lastName: 'Şükürova',
    patronymic: 'Əli qızı',
    birthDate: '1985-04-12',
    address: 'Bakı şəhəri, Xətai rayonu',
    phone: `+99450${digits}`,
    email: `person.${tag.toLowerCase()}@example.az`,
    ...overrides,
  };
}

/** A complete contract (R4.1.1–R4.1.6): the applicant acts for a different protected person. */
export function completeDraft(overrides: Partial<ContractDraft> = {}): ContractDraft {
  return {
    protectedPartyKind: 'natural',
    applicantIsProtectedParty: false,
    caseType: 'criminal',
    protectedPerson: uniquePerson({ firstName: 'Rəşad', lastName: 'Əliyev', patronymic: 'Vüqar oğlu', phone: undefined, email: undefined }),
    applicant: uniquePerson(),
    evidence: { none: false, holders: ['Nəsimi Rayon Polis İdarəsi'] },
    assignment: 'Cinayət işi üzrə ibtidai istintaqda və məhkəmədə müdafiə.',
    institution: { id: 'baku-serious-crimes-court', name: 'Bakı Ağır Cinayətlər Məhkəməsi' },
    price: { totalQepik: 100_000, plan: 'single' },
    ...overrides,
  };
}

/** A caught failure for a message: an Error as String() shows it ("Error: …"), anything else as JSON. */
const describeError = (err: unknown): string => (err instanceof Error ? String(err) : typeof err === 'string' ? err : JSON.stringify(err));

export async function eventually<T>(
  probe: () => Promise<T | undefined | false>,
  { timeoutMs = 30_000, intervalMs = 100, what = 'condition' } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${describeError(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
