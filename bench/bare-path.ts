/**
 * Figure 2: the Temporal floor. The same number of workflows and messages as the contract path
 * (the first save starting the workflow, submit and approve as updates, one payment signal) on the
 * same server, with a worker of the same settings but no activities, driven straight through the
 * Temporal client. Latency: from sending the payment signal to an update that waits for "paid"
 * returning (the update is accepted before the signal is sent).
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { WithStartWorkflowOperation } from '@temporalio/client';
import { NativeConnection, Worker, bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { bareApprove, bareClose, bareContractWorkflow, barePaymentCompleted, bareSaveDraft, bareSubmit, bareWaitUntilPaid } from './bare-workflow';
import { benchDraft } from './contract-path';
import { untilSays, type Shape } from './app';
import { runningCompiled } from './compiled';
import { cpuMsPer, cpuSince, cpuSnapshot, nameProcess, type CpuReport } from './cpu';
import { dataConverterFor, FAILURE_CONVERTER_PATH } from '../platform/data-converter';
import { whileRunning, type BenchSystem } from './infra';
import { runPool, summarize, type Summary } from './stats';

export interface BarePathResult {
  /** Issue 14: the bare worker in a process of its own (bench/bare-worker.ts) or in the bench's, as the contract path's app (bench/app.ts). */
  shape: Shape;
  workflows: number;
  concurrency: number;
  warmup: number;
  wallSeconds: number;
  workflowsPerSecond: number;
  paidLatencyMs: Summary;
  endToEndMs: Summary;
  /** CPU of the measured workflows (not the warm-up), by process group. */
  cpu: CpuReport;
  cpuMsPerWorkflow: Record<string, number>;
}

const quietBundlerLogger = { trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error, log() {} } as never;

export function bundleBareWorkflow(): Promise<WorkflowBundleWithSourceMap> {
  return bundleWorkflowCode({
    workflowsPath: path.resolve(__dirname, 'bare-workflow.ts'),
    failureConverterPath: FAILURE_CONVERTER_PATH,
    logger: quietBundlerLogger,
  });
}

export async function runBarePath(
  system: BenchSystem,
  bundle: WorkflowBundleWithSourceMap,
  options: { workflows: number; concurrency: number; warmup: number; shape: Shape; log: (m: string) => void },
): Promise<BarePathResult> {
  const { workflows, concurrency, warmup, log } = options;
  const taskQueue = `evk-bench-bare-${randomBytes(4).toString('hex')}`;
  const stopWorker = options.shape === 'processes' ? await bareWorkerProcess(system, bundle, taskQueue) : await bareWorkerInProcess(system, bundle, taskQueue);
  const stopped = whileRunning(stopWorker);
  const client = system.client;
  const ids: string[] = [];
  let index = 0;

  async function oneWorkflow(): Promise<{ start: number; signalled: number; paid: number }> {
    const i = index++;
    const workflowId = `bench-bare-${taskQueue}-${i}`;
    ids.push(workflowId);
    const start = Date.now();
    await client.workflow.executeUpdateWithStart(bareSaveDraft, {
      args: [benchDraft(i)],
      startWorkflowOperation: new WithStartWorkflowOperation(bareContractWorkflow, { workflowId, taskQueue, workflowIdConflictPolicy: 'FAIL', args: [] }),
    });
    const handle = client.workflow.getHandle(workflowId);
    await handle.executeUpdate(bareSubmit);
    await handle.executeUpdate(bareApprove);
    const waiting = await handle.startUpdate(bareWaitUntilPaid, { waitForStage: 'ACCEPTED' });
    const signalled = Date.now();
    await handle.signal(barePaymentCompleted, { paymentId: `bare-${i}`, amountQepik: 100_000 });
    const result = await waiting.result();
    const paid = Date.now();
    if (result.status !== 'paid') throw new Error(`${workflowId}: ${result.status}`);
    return { start, signalled, paid };
  }

  try {
    if (warmup > 0) {
      log(`bare workflow: ${warmup} warm-up workflow(s)…`);
      await runPool(warmup, Math.min(concurrency, warmup), async () => {
        await oneWorkflow();
      });
    }
    log(`bare workflow: ${workflows} workflows, ${concurrency} at a time…`);
    const samples: { start: number; signalled: number; paid: number }[] = [];
    const cpuBefore = cpuSnapshot();
    const started = Date.now();
    await runPool(workflows, concurrency, async () => {
      samples.push(await oneWorkflow());
    });
    const wallSeconds = (Date.now() - started) / 1000;
    const cpu = cpuSince(cpuBefore);
    return {
      shape: options.shape,
      cpu,
      cpuMsPerWorkflow: cpuMsPer(cpu, workflows),
      workflows,
      concurrency,
      warmup,
      wallSeconds: Math.round(wallSeconds * 100) / 100,
      workflowsPerSecond: Math.round((workflows / wallSeconds) * 100) / 100,
      paidLatencyMs: summarize(samples.map((s) => s.paid - s.signalled)),
      endToEndMs: summarize(samples.map((s) => s.paid - s.start)),
    };
  } finally {
    // Let them finish while the worker still runs, so that nothing is left open on a shared server.
    await runPool(ids.length, 20, async (i) => {
      const handle = client.workflow.getHandle(ids[i]);
      await handle.signal(bareClose).catch(() => undefined);
      await handle.result().catch(() => undefined);
    });
    await stopWorker();
    stopped();
  }
}

/** The bare worker in this process, beside the client that drives it (one-process shape); returns its stop. */
async function bareWorkerInProcess(system: BenchSystem, bundle: WorkflowBundleWithSourceMap, taskQueue: string): Promise<() => Promise<void>> {
  const connection = await NativeConnection.connect({ address: system.temporalAddress });
  // The same settings as platform/worker.ts's startWorker; only the workflows differ.
  const worker = await Worker.create({
    connection,
    namespace: system.config.temporalNamespace,
    taskQueue,
    dataConverter: dataConverterFor(system.config),
    workflowBundle: bundle,
    // Never called; registered so that this worker polls for activities like the real one does.
    activities: { benchNoop: () => Promise.resolve(undefined) },
    maxConcurrentActivityTaskExecutions: 20,
  });
  const running = worker.run();
  let stopping: Promise<void> | undefined;
  return () =>
    (stopping ??= (async () => {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running.catch(() => undefined);
      await connection.close();
    })());
}

/** The bare worker in a process of its own (bench/bare-worker.ts), its CPU the `worker` group (processes shape); returns its stop. */
async function bareWorkerProcess(system: BenchSystem, bundle: WorkflowBundleWithSourceMap, taskQueue: string): Promise<() => Promise<void>> {
  const codePath = path.join(system.dataDir, `bare-bundle-${taskQueue}.js`);
  await writeFile(codePath, bundle.code);
  const entry = runningCompiled() ? [path.join(__dirname, 'bare-worker.js')] : ['--import', 'tsx', path.join(__dirname, 'bare-worker.ts')];
  const env: NodeJS.ProcessEnv = { ...system.env, TEMPORAL_ADDRESS: system.temporalAddress, BENCH_BARE_TASK_QUEUE: taskQueue, BENCH_BARE_BUNDLE: codePath };
  const proc = spawn(process.execPath, entry, { env, stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  await untilSays(proc, 'bare worker polling', 60_000, 'the bare worker');
  nameProcess(proc.pid!, 'worker');
  nameProcess(process.pid, 'driver');
  let stopping: Promise<void> | undefined;
  return () =>
    (stopping ??= (async () => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
      await exited;
      nameProcess(process.pid, 'node');
      await rm(codePath, { force: true });
    })());
}
