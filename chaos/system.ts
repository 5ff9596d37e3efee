/**
 * The chaos run's own system (issue 10, "What the project must contain"), every part on 127.0.0.1:
 * - embedded PostgreSQL under `<dataDir>/postgres` on its own port (a child of this process);
 * - the Temporal dev server with its state in `<dataDir>/temporal.sqlite`, so that it can restart;
 * - the simulators in this process (they are never faulted; the payment agent's callback retry
 *   schedule is a flag, and the SMS gateway and mail sink keep every message so that repeats can be counted);
 * - the worker and the web server as child processes (`node --import tsx bin/evk.ts worker|web`),
 *   each killed by its own PID only.
 * Only processes this module started are ever signalled.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, readdirSync, readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { migrateToLatest } from '../migrations';
import { loadConfig, type Config } from '../platform/config';
import { dataConverterFor } from '../platform/data-converter';
import { connectDatabase, type Knex } from '../platform/db';
import { ensureChromium } from '../platform/dev/chromium-install';
import { ensureDatabase, type DatabaseHandle } from '../platform/dev/embedded-postgres';
import { resolveTemporalCli, startTemporalDevServer, type TemporalDevServer } from '../platform/dev/temporal-dev-server';
import { freePort, freePortSettings } from '../platform/free-ports';
import { formatPayloadKeys, generatePayloadKey } from '../platform/payload-codec';
import { seedDemoData } from '../simulators/demo-seed';
import { startMailSink, type RunningMailSink } from '../simulators/mail-sink/sink';
import { startMobileSignatureSimulator } from '../simulators/mobile-signature/simulator';
import { startPaymentAgentSimulator } from '../simulators/payment-agent/simulator';
import { startPopulationRegistrySimulator } from '../simulators/population-registry/simulator';
import { startSmsSimulator, type RunningSmsSimulator } from '../simulators/sms/simulator';
import { startTaxServiceSimulator } from '../simulators/tax-service/simulator';
import { startECourtSimulator } from '../simulators/e-court/simulator';
import { writeWorkflowBundle } from '../platform/worker';
import { SEARCH_ATTRIBUTES } from '../workflows/shared/search-attributes';

const ROOT = path.resolve(__dirname, '..');
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export type Say = (message: string) => void;

/** One supervised child process (worker or web): restarted by the run, never by itself. */
class Child {
  proc?: ChildProcess;
  starts = 0;
  /** Exits nobody asked for (a crash of its own, e.g. after Temporal went away). */
  unexpectedExits = 0;
  private expectingExit = false;
  private supervising = true;

  constructor(
    readonly name: 'worker' | 'web',
    private readonly env: NodeJS.ProcessEnv,
    private readonly logDir: string,
    private readonly say: Say,
  ) {}

  get pid(): number | undefined {
    return this.proc?.exitCode === null && this.proc.signalCode === null ? this.proc.pid : undefined;
  }

  async start(): Promise<void> {
    this.starts += 1;
    const out = createWriteStream(path.join(this.logDir, `${this.name}-${this.starts}.log`));
    const proc = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bin/evk.ts'), this.name], {
      cwd: ROOT,
      env: this.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.proc = proc;
    this.expectingExit = false;
    proc.stdout.pipe(out);
    proc.stderr.pipe(out);
    const marker = this.name === 'worker' ? 'worker polling task queue' : 'web and API on';
    await new Promise<void>((resolve, reject) => {
      let seen = '';
      const timer = setTimeout(() => reject(new Error(`${this.name} did not start within 120 s (see ${this.logDir})`)), 120_000);
      proc.stdout.on('data', (chunk: Buffer) => {
        seen = (seen + chunk.toString()).slice(-4000);
        if (seen.includes(marker)) {
          clearTimeout(timer);
          resolve();
        }
      });
      proc.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`${this.name} exited during start-up (${code ?? signal}); see ${this.logDir}`));
      });
    });
    proc.once('exit', (code, signal) => {
      if (this.expectingExit || !this.supervising) return;
      this.unexpectedExits += 1;
      this.say(`${this.name} (pid ${proc.pid}) exited by itself (${code ?? signal}); restarting it`);
      void sleep(1000).then(() => (this.supervising ? this.startRetrying() : undefined));
    });
  }

  /** Starts, retrying while its dependencies (PostgreSQL, Temporal) are down. */
  async startRetrying(): Promise<void> {
    for (;;) {
      try {
        return await this.start();
      } catch (err) {
        if (!this.supervising) return;
        this.say(`${this.name} could not start (${(err as Error).message}); again in 2 s`);
        await sleep(2000);
      }
    }
  }

  /** SIGKILL of this child's own PID; resolves once it has exited. */
  async kill(): Promise<number | undefined> {
    const proc = this.proc;
    const pid = this.pid;
    if (!proc || pid === undefined) return undefined;
    this.expectingExit = true;
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    process.kill(pid, 'SIGKILL');
    await exited;
    return pid;
  }

  /** A graceful stop (SIGTERM, then SIGKILL after 20 s). */
  async stop(): Promise<void> {
    const proc = this.proc;
    const pid = this.pid;
    if (!proc || pid === undefined) return;
    this.expectingExit = true;
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    process.kill(pid, 'SIGTERM');
    const timer = setTimeout(() => this.pid === pid && process.kill(pid, 'SIGKILL'), 20_000);
    await exited;
    clearTimeout(timer);
  }

  async shutdown(): Promise<void> {
    this.supervising = false;
    await this.stop();
  }
}

/** PIDs of the processes below `pid` (children, grandchildren…), from /proc. */
export function descendants(pid: number): { pid: number; comm: string }[] {
  const children = new Map<number, { pid: number; comm: string }[]>();
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const comm = stat.slice(stat.indexOf('(') + 1, close);
      const ppid = Number(stat.slice(close + 2).split(' ')[1]);
      const list = children.get(ppid) ?? [];
      list.push({ pid: Number(entry), comm });
      children.set(ppid, list);
    } catch {
      // gone meanwhile
    }
  }
  const out: { pid: number; comm: string }[] = [];
  const walk = (p: number) => {
    for (const c of children.get(p) ?? []) {
      out.push(c);
      walk(c.pid);
    }
  };
  walk(pid);
  return out;
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/\) Z /.test(stat);
  } catch {
    return false;
  }
}

export interface ChaosSystem {
  config: Config;
  dataDir: string;
  webUrl: string;
  /** The run's own pool, for the driver's polls and the final counts. */
  db: Knex;
  client: () => Client;
  simulatorUrls: { mobileSignature: string; paymentAgent: string };
  mailSink: RunningMailSink;
  sms: RunningSmsSimulator;
  worker: Child;
  web: Child;
  /** PostgreSQL "immediate" stop (SIGQUIT to its postmaster: crash recovery at the next start), then start again. */
  restartPostgres(downMs?: number): Promise<void>;
  /** The Temporal dev server stopped, kept down for downMs, and started again on the same port and state. */
  restartTemporal(downMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startChaosSystem(options: { dataDir: string; agentRetryDelaysMs?: number[]; say: Say }): Promise<ChaosSystem> {
  const { dataDir, say } = options;
  await fs.rm(dataDir, { recursive: true, force: true });
  await fs.mkdir(path.join(dataDir, 'logs'), { recursive: true });
  await fs.writeFile(path.join(dataDir, '.gitignore'), '*\n');
  const [postgresPort, temporalPort, temporalUiPort] = await Promise.all([
    process.env.EVK_CHAOS_POSTGRES_PORT ? Number(process.env.EVK_CHAOS_POSTGRES_PORT) : freePort(),
    freePort(),
    freePort(),
  ]);
  const temporalAddress = `127.0.0.1:${temporalPort}`;
  const baseEnv: Record<string, string> = {
    EVK_DATA_DIR: dataDir,
    EVK_EMBEDDED_POSTGRES_PORT: String(postgresPort),
    EVK_TASK_QUEUE: 'evk-chaos',
    EVK_PAYLOAD_KEYS: formatPayloadKeys([generatePayloadKey()]),
    EVK_LISTEN_HOST: '127.0.0.1',
    EVK_LOGIN_ATTEMPTS_PER_10_MIN: '1000000',
    TEMPORAL_ADDRESS: temporalAddress,
  };
  // Only the defaults (the simulators started here) for every outside system.
  const blanks = [
    'DATABASE_URL',
    'EVK_MOBILE_SIGNATURE_URL',
    'EVK_POPULATION_REGISTRY_URL',
    'EVK_TAX_SERVICE_URL',
    'EVK_PAYMENT_AGENT_URL',
    'EVK_SMS_GATEWAY_URL',
    'EVK_SMTP_HOST',
    'EVK_SMTP_PORT',
    'EVK_SMTP_SECURE',
    'EVK_SMTP_USER',
    'EVK_SMTP_PASS',
    'EVK_CALLBACK_BASE_URL',
    'NODE_ENV',
  ];
  const envForConfig: NodeJS.ProcessEnv = { ...process.env, ...baseEnv };
  for (const name of blanks) delete envForConfig[name];
  // Everything but the ports the children listen on, which are picked once Temporal is up: its dev
  // server takes random ports of its own, and one picked before could be taken meanwhile (EADDRINUSE).
  const early = loadConfig({ ...envForConfig, TEMPORAL_ADDRESS: '' });

  const closers: { name: string; close: () => Promise<void> }[] = [];
  const closeAll = async () => {
    for (const { name, close } of [...closers].reverse()) {
      try {
        await close();
      } catch (err) {
        say(`${name} did not stop cleanly: ${(err as Error).message}`);
      }
    }
  };

  try {
    let cluster: DatabaseHandle = await ensureDatabase(early, say);
    closers.push({ name: 'PostgreSQL', close: () => cluster.stop() });
    const db = connectDatabase(cluster.url, 4);
    closers.push({ name: 'pool', close: () => db.destroy() });
    await migrateToLatest(db);
    await seedDemoData(db);

    const cliPath = await resolveTemporalCli(say);
    const temporalOptions = {
      cliPath,
      dbFile: path.join(dataDir, 'temporal.sqlite'),
      port: temporalPort,
      uiPort: temporalUiPort,
      headless: true,
      namespace: early.temporalNamespace,
      searchAttributes: SEARCH_ATTRIBUTES,
      log: say,
    };
    let temporal: TemporalDevServer = await startTemporalDevServer(temporalOptions);
    const ports = await freePortSettings();
    Object.assign(envForConfig, ports);
    const config = loadConfig({ ...envForConfig, TEMPORAL_ADDRESS: '' });
    closers.push({ name: 'Temporal dev server', close: () => temporal.stop() });
    let connection = await Connection.connect({ address: temporalAddress });
    let client = new Client({ connection, namespace: config.temporalNamespace, dataConverter: dataConverterFor(config) });
    closers.push({ name: 'Temporal client', close: () => connection.close() });

    const chromiumPath = await ensureChromium(say, config.chromiumPath);
    // Bundled once for the run (or given): a killed worker's successor polls within seconds, not after webpack.
    let workflowBundlePath = process.env.EVK_WORKFLOW_BUNDLE;
    if (!workflowBundlePath) {
      workflowBundlePath = path.join(dataDir, 'workflow-bundle.js');
      await writeWorkflowBundle(workflowBundlePath);
    }

    // Simulators, as simulators/start.ts starts them with latency: false, but with the retry
    // schedule of the run and message stores large enough to count every repeat.
    const s = config.simulators;
    const latency = { latencyMs: [0, 0] as [number, number] };
    const sims = [
      await startMobileSignatureSimulator(s.mobileSignaturePort, latency),
      await startPopulationRegistrySimulator(s.populationRegistryPort, latency),
      await startTaxServiceSimulator(s.taxServicePort, { ...latency, failureRate: 0 }),
    ];
    const agent = await startPaymentAgentSimulator(s.paymentAgentPort, {
      ...latency,
      callbackDelayMs: 0,
      ...(options.agentRetryDelaysMs ? { callbackRetryDelaysMs: options.agentRetryDelaysMs } : {}),
      secret: config.paymentAgentSecret,
      merchantId: config.paymentAgentMerchantId,
      publicUrl: config.paymentAgentUrl,
    });
    const eCourt = await startECourtSimulator(s.eCourtPort, latency);
    const mailSink = await startMailSink({ smtpPort: s.smtpPort, webPort: s.mailCatcherPort, maxMessages: 1_000_000 });
    const sms = await startSmsSimulator(s.smsPort, { ...latency, failureRate: 0, apiKey: config.smsApiKey, maxMessages: 1_000_000 });
    closers.push({
      name: 'simulators',
      close: async () => {
        await Promise.all([...sims.map((x) => x.close()), agent.close(), eCourt.close(), mailSink.close(), sms.close()]);
      },
    });

    const childEnv: NodeJS.ProcessEnv = {
      ...envForConfig,
      DATABASE_URL: cluster.url,
      CHROMIUM_PATH: chromiumPath,
      EVK_WORKFLOW_BUNDLE: workflowBundlePath,
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    };
    const logDir = path.join(dataDir, 'logs');
    const worker = new Child('worker', childEnv, logDir, say);
    const web = new Child('web', childEnv, logDir, say);
    closers.push({ name: 'worker', close: () => worker.shutdown() });
    closers.push({ name: 'web', close: () => web.shutdown() });
    await Promise.all([worker.start(), web.start()]);

    return {
      config,
      dataDir,
      webUrl: config.publicUrl,
      db,
      client: () => client,
      simulatorUrls: { mobileSignature: sims[0].url, paymentAgent: agent.url },
      mailSink,
      sms,
      worker,
      web,
      async restartPostgres(downMs = 0) {
        const pidFile = path.join(dataDir, 'postgres', 'postmaster.pid');
        const pid = existsSync(pidFile) ? Number.parseInt(readFileSync(pidFile, 'utf8').split('\n')[0], 10) : NaN;
        if (Number.isInteger(pid) && alive(pid)) {
          process.kill(pid, 'SIGQUIT');
          const deadline = Date.now() + 30_000;
          while (alive(pid) && Date.now() < deadline) await sleep(100);
        }
        await sleep(downMs);
        cluster = await ensureDatabase(config, say);
      },
      async restartTemporal(downMs = 0) {
        await temporal.stop();
        await sleep(downMs);
        temporal = await startTemporalDevServer(temporalOptions);
        await connection.close().catch(() => undefined);
        connection = await Connection.connect({ address: temporalAddress });
        client = new Client({ connection, namespace: config.temporalNamespace, dataConverter: dataConverterFor(config) });
      },
      close: closeAll,
    };
  } catch (err) {
    await closeAll();
    throw err;
  }
}
