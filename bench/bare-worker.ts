/**
 * Issue 14: the bare workflow's worker (bench/bare-path.ts) in a process of its own, as the contract
 * path's worker runs in the processes shape (bench/app.ts), so that both floors and figures leave the
 * driver out alike. Started by bare-path.ts with the bundle's file, the task queue and the bench's
 * configuration in its environment; says "bare worker polling" once it polls, and stops on SIGTERM (the SDK's own shutdown signals).
 */
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { loadConfig } from '../platform/config';
import { dataConverterFor } from '../platform/data-converter';

async function main() {
  const config = loadConfig(process.env);
  const taskQueue = process.env.BENCH_BARE_TASK_QUEUE;
  const codePath = process.env.BENCH_BARE_BUNDLE;
  if (!taskQueue || !codePath || !config.temporalAddress) throw new Error('BENCH_BARE_TASK_QUEUE, BENCH_BARE_BUNDLE and TEMPORAL_ADDRESS are required');
  // The worker's state changes at INFO would interleave with the bench's report, as the in-process one's did not.
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const connection = await NativeConnection.connect({ address: config.temporalAddress });
  // The same settings as platform/worker.ts's startWorker; only the workflows differ.
  const worker = await Worker.create({
    connection,
    namespace: config.temporalNamespace,
    taskQueue,
    dataConverter: dataConverterFor(config),
    workflowBundle: { codePath },
    // Never called; registered so that this worker polls for activities like the real one does.
    activities: { benchNoop: () => Promise.resolve(undefined) },
    maxConcurrentActivityTaskExecutions: 20,
  });
  const running = worker.run();
  console.log(`bare worker polling ${taskQueue}`); // what bare-path.ts waits for
  await running;
  await connection.close();
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error('[bare worker] failed:', err);
    process.exit(1);
  },
);
