/**
 * The chaos scenario (issue 10): the driver of contracts, the fault timeline and the report.
 * Started by chaos/run.ts (`npm run chaos`) and, in its short form, by test/chaos/short.test.ts.
 */
import bcrypt from 'bcryptjs';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { eventOfDedupeKey } from '../activities/contract/notifications-queue';
import { benchDraft } from '../bench/contract-path';
import { Browser, HttpError } from '../bench/http';
import { summarize, type Summary } from '../bench/stats';
import { DEMO_LAWYERS } from '../simulators/demo-data';
import { TEST_CARDS } from '../simulators/payment-agent/simulator';
import type { ContractView } from '../workflows/contract/messages';
import { alive, descendants, startChaosSystem, type ChaosSystem, type Say } from './system';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const APPLICANT_PASSWORD = 'chaos-applicant-password';
/** p99 of payment → order for contracts a worker kill hit (issue 10 item 2). */
export const CRASH_P99_LIMIT_MS = 15_000;

export interface ChaosOptions {
  contracts: number;
  concurrency: number;
  /** Contracts are started evenly over this many seconds; undefined = the fault timeline's length. */
  durationS?: number;
  workerKills: number;
  webOutageS: number;
  temporalOutageS: number;
  /** The payment agent's callback retry waits; undefined = its own (1, 5, 15, 60 s: ~81 s). */
  agentRetriesMs?: number[];
  settleS: number;
  /** Seconds between faults. */
  gapS: number;
  /** The short version: only a worker kill and a web outage (no PostgreSQL/Temporal/web restarts, no Chromium kill). */
  short: boolean;
  /** The payer's think time on the agent's page, ms (uniform in [0, max]): payments land inside outages. */
  payerThinkMs: number;
}

export function parseChaosOptions(argv: string[], env: NodeJS.ProcessEnv): ChaosOptions {
  const args = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(argv[i]);
    if (!m) throw new Error(`unknown argument "${argv[i]}" (see the header of chaos/run.ts)`);
    if (m[2] !== undefined) args.set(m[1], m[2]);
    else if (m[1] === 'short') args.set('short', '1');
    else args.set(m[1], argv[++i] ?? '');
  }
  const known = ['contracts', 'concurrency', 'duration', 'worker-kills', 'web-outage', 'temporal-outage', 'agent-retries', 'settle', 'gap', 'short', 'think'];
  for (const k of args.keys()) if (!known.includes(k)) throw new Error(`unknown option --${k}; known: ${known.map((n) => `--${n}`).join(', ')}`);
  const short = (args.get('short') ?? env.CHAOS_SHORT) === '1';
  const num = (name: string, envName: string, fallback: number) => {
    const raw = args.get(name) ?? env[envName];
    if (raw === undefined || raw === '') return fallback;
    const v = Number(raw);
    if (!Number.isFinite(v) || v < 0) throw new Error(`--${name} / ${envName} must be a number ≥ 0, got "${raw}"`);
    return v;
  };
  const retriesRaw = args.get('agent-retries') ?? env.CHAOS_AGENT_RETRIES_MS;
  const agentRetriesMs = retriesRaw ? retriesRaw.split(',').map((s) => Number(s.trim())) : short ? [500, 1000, 2000] : undefined;
  if (agentRetriesMs?.some((v) => !Number.isInteger(v) || v < 0)) throw new Error(`--agent-retries must be comma-separated ms, got "${retriesRaw}"`);
  const durationRaw = args.get('duration') ?? env.CHAOS_DURATION_S;
  return {
    short,
    contracts: num('contracts', 'CHAOS_CONTRACTS', short ? 4 : 200),
    concurrency: num('concurrency', 'CHAOS_CONCURRENCY', short ? 4 : 20),
    durationS: durationRaw ? Number(durationRaw) : undefined,
    workerKills: num('worker-kills', 'CHAOS_WORKER_KILLS', short ? 1 : 3),
    webOutageS: num('web-outage', 'CHAOS_WEB_OUTAGE_S', short ? 6 : 100),
    temporalOutageS: num('temporal-outage', 'CHAOS_TEMPORAL_OUTAGE_S', short ? 0 : 100),
    agentRetriesMs,
    settleS: num('settle', 'CHAOS_SETTLE_S', short ? 30 : 240),
    gapS: num('gap', 'CHAOS_GAP_S', short ? 4 : 15),
    payerThinkMs: num('think', 'CHAOS_THINK_MS', short ? 3000 : 8000),
  };
}

interface Fault {
  kind: 'worker-kill' | 'chromium-kill' | 'postgres-restart' | 'temporal-restart' | 'web-restart' | 'web-outage' | 'temporal-outage';
  /** Seconds after the start of the contracts. */
  atS: number;
  downS?: number;
}

interface FaultDone extends Fault {
  startedAt: number;
  endedAt: number;
  note?: string;
}

export function faultTimeline(o: ChaosOptions): Fault[] {
  const kinds: Fault[] = [];
  const kills = Array.from({ length: o.workerKills }, () => ({ kind: 'worker-kill' as const, atS: 0 }));
  const quick: Fault[] = o.short
    ? []
    : [
        { kind: 'chromium-kill', atS: 0 },
        { kind: 'postgres-restart', atS: 0 },
        { kind: 'temporal-restart', atS: 0 },
        { kind: 'web-restart', atS: 0 },
      ];
  // Worker kills spread between the quick faults, then the long outages.
  const ordered: Fault[] = [];
  while (kills.length > 0 || quick.length > 0) {
    if (kills.length > 0) ordered.push(kills.shift()!);
    if (quick.length > 0) ordered.push(quick.shift()!);
    if (quick.length > 0 && kills.length === 0) ordered.push(quick.shift()!);
  }
  if (o.webOutageS > 0) ordered.push({ kind: 'web-outage', atS: 0, downS: o.webOutageS });
  if (o.temporalOutageS > 0) ordered.push({ kind: 'temporal-outage', atS: 0, downS: o.temporalOutageS });
  let t = o.short ? 3 : o.gapS;
  for (const f of ordered) {
    kinds.push({ ...f, atS: t });
    t += (f.downS ?? 0) + o.gapS;
  }
  return kinds;
}

export interface ChaosReport {
  options: ChaosOptions;
  wallSeconds: number;
  faults: FaultDone[];
  contractsStarted: number;
  contractsCreated: number;
  paidAtAgent: number;
  ordered: number;
  lost: number;
  duplicateOrders: number;
  duplicateEmails: number;
  duplicateSms: number;
  /** The duplicated SMS, when any: the gateway reference (or none) and the text's first words, to tell which message came twice. */
  duplicateSmsSamples: string[];
  /** Issue 14: contracts with their order whose outbox lacks a message of an event every one of them had (submitted, approved, order issued). */
  messagesMissing: number;
  /** Messages of the run's contracts still pending or being sent OUTBOX_WAIT_MS after the contracts settled. */
  messagesUnsent: number;
  emails: number;
  sms: number;
  stuck: number;
  stuckByStatus: Record<string, number>;
  /** Created contracts the run never got to pay by its deadline (a slow machine, or a step that never came back). */
  createdNotPaid: number;
  failedWorkflows: number;
  orderNumberGaps: number;
  orderLatencyMs: Summary;
  orderLatencyAfterCrashMs: Summary;
  orphanChromium: number;
  leftoverTmpFiles: number;
  unexpectedExits: { worker: number; web: number };
  driverErrors: string[];
  failures: string[];
}

/** How long the count waits for the outbox to send what it holds. */
const OUTBOX_WAIT_MS = 60_000;

/** The events each contract the run drives has messages of (activities/notifications/messages.ts AUDIENCES). */
const EVERY_CONTRACTS_EVENTS = ['submitted', 'approved', 'order_issued'];

interface ContractRow {
  id: string;
  applicant_account_id: string | null;
  current_version: number;
  status: string;
}

interface Driven {
  contractId?: string;
  paidAt?: number;
  error?: string;
}

/** Retries a step while the system is down; a 4xx after a retry means the step had already been done. */
async function step<T>(deadline: number, fn: () => Promise<T>, alreadyDone?: () => T): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      const status = err instanceof HttpError ? err.status : undefined;
      if (status !== undefined && status >= 400 && status < 500 && status !== 408 && status !== 429) {
        if (attempt > 1 && alreadyDone) return alreadyDone();
        throw err;
      }
      if (Date.now() > deadline) throw err;
      await sleep(Math.min(250 * attempt, 2000));
    }
  }
}

async function lawyerSession(system: ChaosSystem, key: string): Promise<Browser> {
  const lawyer = DEMO_LAWYERS.find((l) => l.key === key)!;
  const browser = new Browser(system.webUrl, key);
  const started = await browser.post<{ transactionId: string }>('/api/auth/lawyer/start', { phone: lawyer.phone, userId: lawyer.mobileSignatureUserId });
  const phone = new Browser(system.simulatorUrls.mobileSignature, 'phone');
  await phone.post(`/simulator/api/transactions/${started.body.transactionId}/confirm`, { pin1: '1234' });
  const done = await browser.post<{ status: string }>('/api/auth/lawyer/complete', { transactionId: started.body.transactionId });
  if (done.body.status !== 'logged_in') throw new Error(`${key} could not log in`);
  return browser;
}

/** Waits (tolerating a database that is restarting) until the contract's row satisfies `until`. */
async function waitForRow(system: ChaosSystem, id: string, until: (row: ContractRow) => boolean, deadline: number, everyMs = 250): Promise<ContractRow> {
  for (;;) {
    try {
      const row: ContractRow | undefined = await system
        .db<ContractRow>('contracts')
        .where({ id })
        .first('id', 'applicant_account_id', 'current_version', 'status');
      if (row && until(row)) return row;
    } catch {
      // PostgreSQL restarting: poll again
    }
    if (Date.now() > deadline) throw new Error(`contract ${id}: not there in time`);
    await sleep(everyMs);
  }
}

export async function runChaos(o: ChaosOptions & { dataDir: string; say: Say }): Promise<ChaosReport> {
  const { say } = o;
  const timeline = faultTimeline(o);
  const timelineS = timeline.length ? Math.max(...timeline.map((f) => f.atS + (f.downS ?? 0))) : 0;
  const durationS = o.durationS ?? timelineS;
  say(`faults: ${timeline.map((f) => `${f.kind}@${f.atS}s${f.downS ? `(${f.downS}s)` : ''}`).join(', ')}`);
  say(`agent callback retries: ${o.agentRetriesMs ? o.agentRetriesMs.join(', ') + ' ms' : "the simulator's own (1, 5, 15, 60 s)"}`);
  const system = await startChaosSystem({ dataDir: o.dataDir, agentRetryDelaysMs: o.agentRetriesMs, say });
  const orphanPids: number[] = [];
  try {
    const lawyer = await lawyerSession(system, 'lawyer-mammadov');
    const head = await lawyerSession(system, 'head-huseynova');
    const applicantHash = await bcrypt.hash(APPLICANT_PASSWORD, 4);
    const payer = new Browser(system.simulatorUrls.paymentAgent, 'payer');
    const t0 = Date.now();
    const deadline = t0 + (Math.max(durationS, timelineS) + o.settleS) * 1000;
    const lastStart = t0 + (Math.max(durationS, timelineS) + o.settleS / 2) * 1000;
    const driven: Driven[] = [];

    async function oneContract(i: number): Promise<void> {
      const d: Driven = {};
      driven.push(d);
      try {
        const created = await step(deadline, () => lawyer.post<{ contract: ContractView }>('/api/contracts', { draft: benchDraft(i) }));
        const id = created.body.contract.contractId;
        d.contractId = id;
        await step(
          deadline,
          () => lawyer.post(`/api/contracts/${id}/submit`),
          () => undefined,
        );
        await step(
          deadline,
          () => head.post(`/api/contracts/${id}/approve`),
          () => undefined,
        );
        const cabinet = await waitForRow(system, id, (r) => r.applicant_account_id !== null, deadline);
        const [account] = await step(deadline, async (): Promise<{ login: string }[]> =>
          system
            .db<{ id: string; login: string; password_hash: string; must_change_password: boolean }>('applicant_accounts')
            .where({ id: cabinet.applicant_account_id ?? '' })
            .update({ password_hash: applicantHash, must_change_password: false })
            .returning('login'),
        );
        const applicant = new Browser(system.webUrl, 'applicant');
        await step(deadline, () => applicant.post('/api/auth/applicant/login', { login: account.login, password: APPLICANT_PASSWORD }));
        const payment = await step(deadline, () => applicant.post<{ paymentPageUrl: string }>(`/api/contracts/${id}/payments`, {}));
        const agentPaymentId = decodeURIComponent(new URL(payment.body.paymentPageUrl).pathname.split('/').pop()!);
        await sleep(Math.random() * o.payerThinkMs);
        const card = await step(deadline, () =>
          payer.post<{ outcome: string }>(`/api/test/payments/${encodeURIComponent(agentPaymentId)}/pay-card`, { cardNumber: TEST_CARDS.success }),
        );
        if (card.body.outcome !== 'paid') throw new Error(`card payment ${card.body.outcome}`);
        d.paidAt = Date.now();
        await waitForRow(system, id, (r) => Number(r.current_version) >= 1, deadline, 500);
      } catch (err) {
        d.error = (err as Error).message.slice(0, 300);
      }
    }

    // Contracts started evenly over the duration, at most `concurrency` in flight.
    let inFlight = 0;
    const tasks: Promise<void>[] = [];
    const driver = (async () => {
      for (let i = 0; i < o.contracts; i++) {
        const at = t0 + (durationS * 1000 * i) / Math.max(1, o.contracts);
        while (Date.now() < at || inFlight >= o.concurrency) await sleep(50);
        // A machine too slow for the pace: contracts not started by half the settle time are not started (and reported).
        if (Date.now() > lastStart) break;
        inFlight += 1;
        tasks.push(oneContract(i).finally(() => (inFlight -= 1)));
      }
    })();

    const faults: FaultDone[] = [];
    const faultsRun = (async () => {
      for (const f of timeline) {
        const wait = t0 + f.atS * 1000 - Date.now();
        if (wait > 0) await sleep(wait);
        const startedAt = Date.now();
        let note: string | undefined;
        switch (f.kind) {
          case 'worker-kill': {
            const pid = system.worker.pid;
            const chromium = pid ? descendants(pid).filter((p) => /chrom/i.test(p.comm)) : [];
            await system.worker.kill();
            await sleep(3000);
            const left = chromium.filter((p) => alive(p.pid));
            orphanPids.push(...left.map((p) => p.pid));
            note = `pid ${pid}; ${left.length} of ${chromium.length} Chromium processes outlived it`;
            for (const p of left) process.kill(p.pid, 'SIGKILL'); // started by our worker
            await system.worker.startRetrying();
            break;
          }
          case 'chromium-kill': {
            const pid = system.worker.pid;
            const chromium = pid ? descendants(pid).filter((p) => /chrom/i.test(p.comm)) : [];
            for (const p of chromium) process.kill(p.pid, 'SIGKILL');
            note = `${chromium.length} Chromium processes of worker ${pid}`;
            break;
          }
          case 'postgres-restart':
            await system.restartPostgres();
            break;
          case 'temporal-restart':
            await system.restartTemporal();
            break;
          case 'web-restart':
            await system.web.kill();
            await system.web.startRetrying();
            break;
          case 'web-outage':
            await system.web.kill();
            await sleep((f.downS ?? 0) * 1000);
            await system.web.startRetrying();
            break;
          case 'temporal-outage':
            await system.restartTemporal((f.downS ?? 0) * 1000);
            break;
        }
        faults.push({ ...f, startedAt, endedAt: Date.now(), note });
        say(`${f.kind} done (${((Date.now() - startedAt) / 1000).toFixed(1)} s)${note ? `: ${note}` : ''}`);
      }
    })();

    let lastReport = Date.now();
    const progress = setInterval(() => {
      if (Date.now() - lastReport < 15_000) return;
      lastReport = Date.now();
      say(`… ${driven.length}/${o.contracts} started, ${driven.filter((d) => d.paidAt).length} paid, ${inFlight} in flight`);
    }, 1000);
    await faultsRun;
    await driver;
    await Promise.all(tasks);
    clearInterval(progress);
    const wallSeconds = Math.round((Date.now() - t0) / 100) / 10;
    say(`contracts settled or timed out after ${wallSeconds} s; counting`);
    return await countEverything(system, o, driven, faults, orphanPids.length, wallSeconds);
  } finally {
    await system.close();
  }
}

async function countEverything(
  system: ChaosSystem,
  o: ChaosOptions,
  driven: Driven[],
  faults: FaultDone[],
  orphans: number,
  wallSeconds: number,
): Promise<ChaosReport> {
  const db = system.db;
  const ids = driven.map((d) => d.contractId).filter((x): x is string => !!x);
  // The messages are counted once the outbox has sent what it holds (at most OUTBOX_WAIT_MS more): the
  // dispatcher may still be catching up after the last outage when the last order is issued.
  const unsentNow = async () =>
    Number((await db('outbox').whereIn('contract_id', ids).whereIn('status', ['pending', 'sending']).count<{ n: string }[]>({ n: '*' }))[0].n);
  const outboxWaitUntil = Date.now() + OUTBOX_WAIT_MS;
  let messagesUnsent = await unsentNow();
  while (messagesUnsent > 0 && Date.now() < outboxWaitUntil) {
    await sleep(250);
    messagesUnsent = await unsentNow();
  }
  const contracts: { id: string; status: string }[] = ids.length ? await db('contracts').whereIn('id', ids).select('id', 'status') : [];
  const versions: { contract_id: string; version: number; order_number: string; issued_at: Date }[] = await db('contract_versions').select(
    'contract_id',
    'version',
    'order_number',
    'issued_at',
  );
  const byContract = new Map<string, typeof versions>();
  for (const v of versions) byContract.set(v.contract_id, [...(byContract.get(v.contract_id) ?? []), v]);

  const paid = driven.filter((d) => d.contractId && d.paidAt);
  const lost = paid.filter((d) => !byContract.get(d.contractId!)?.length).length;
  // Nothing here amends a contract: one version per contract; more are duplicate orders.
  const duplicateOrders = [...byContract.values()].reduce((n, list) => n + Math.max(0, list.length - 1), 0);
  const stuckByStatus: Record<string, number> = {};
  for (const c of contracts) if (c.status !== 'active') stuckByStatus[c.status] = (stuckByStatus[c.status] ?? 0) + 1;
  const stuck = Object.values(stuckByStatus).reduce((a, b) => a + b, 0) + driven.filter((d) => !d.contractId).length;

  // Order numbers: EVO-<year>-<n>, one series per year, numbered from 1 without gaps (item 4).
  const series = new Map<string, number[]>();
  for (const v of versions) {
    const m = /^(.*?)-?(\d+)$/.exec(v.order_number);
    if (!m) continue;
    series.set(m[1], [...(series.get(m[1]) ?? []), Number(m[2])]);
  }
  let orderNumberGaps = 0;
  for (const numbers of series.values()) orderNumberGaps += Math.max(...numbers) - new Set(numbers).size;

  // Duplicate messages: the same Message-ID (e-mail) or gateway reference (SMS) stored twice, or, without one, the same text to the same recipient.
  const dup = (keys: string[]) => keys.length - new Set(keys).size;
  const mails = system.mailSink.messages();
  const duplicateEmails = dup(mails.map((m) => m.messageId ?? `${m.to}\n${m.subject}\n${m.text}`));
  const smsList = system.sms.messages();
  const duplicateSms = Math.max(dup(smsList.map((m) => m.reference ?? `${m.to}\n${m.text}`)), dup(smsList.map((m) => `${m.to}\n${m.text}`)));
  const seenSms = new Set<string>();
  const duplicateSmsSamples: string[] = [];
  for (const m of smsList) {
    const keys = [`${m.to}\n${m.text}`, ...(m.reference ? [`reference ${m.reference}`] : [])];
    if (keys.some((k) => seenSms.has(k)) && duplicateSmsSamples.length < 5)
      duplicateSmsSamples.push(`${m.reference ?? '(no reference)'}: ${m.text.slice(0, 70)}`);
    for (const k of keys) seenSms.add(k);
  }

  // Every contract with its order went through these steps, so each has messages of them in the outbox,
  // whichever way they were queued (with the read model's write, or by queueNotifications after a fault).
  const queued = await db('outbox').whereIn('contract_id', ids).select<{ contract_id: string; dedupe_key: string }[]>('contract_id', 'dedupe_key');
  const eventsOf = new Map<string, Set<string>>();
  for (const q of queued) eventsOf.set(q.contract_id, (eventsOf.get(q.contract_id) ?? new Set()).add(eventOfDedupeKey(q.dedupe_key)));
  const messagesMissing = paid.filter(
    ({ contractId = '' }) => byContract.get(contractId)?.length && !EVERY_CONTRACTS_EVENTS.every((e) => eventsOf.get(contractId)?.has(e)),
  ).length;

  let failedWorkflows = 0;
  for await (const wf of system
    .client()
    .workflow.list({ query: "ExecutionStatus = 'Failed' OR ExecutionStatus = 'TimedOut' OR ExecutionStatus = 'Terminated'" })) {
    void wf;
    failedWorkflows += 1;
  }

  // Payment → order: from pay-card returning to the version's issued_at.
  const latency: { ms: number; paidAt: number; orderedAt: number }[] = [];
  for (const d of paid) {
    const v = byContract.get(d.contractId!)?.find((x) => x.version === 1);
    if (v) latency.push({ ms: new Date(v.issued_at).getTime() - d.paidAt!, paidAt: d.paidAt!, orderedAt: new Date(v.issued_at).getTime() });
  }
  const kills = faults.filter((f) => f.kind === 'worker-kill');
  const outages = faults.filter((f) => f.kind === 'web-outage' || f.kind === 'temporal-outage');
  // "After a crash": a worker kill came while the order was pending, or the payment came within 10 s after one;
  // contracts an outage also held are left to the outage (their wait is the outage's length).
  const afterCrash = latency.filter(
    (l) =>
      kills.some((k) => (k.startedAt >= l.paidAt && k.startedAt <= l.orderedAt) || (l.paidAt >= k.startedAt && l.paidAt <= k.endedAt + 10_000)) &&
      !outages.some((x) => l.paidAt <= x.endedAt && l.orderedAt >= x.startedAt),
  );

  const leftoverTmpFiles = countFiles(system.dataDir, (name) => /\.tmp$/.test(name));
  const report: ChaosReport = {
    options: o,
    wallSeconds,
    faults,
    contractsStarted: driven.length,
    contractsCreated: ids.length,
    paidAtAgent: paid.length,
    ordered: latency.length,
    lost,
    duplicateOrders,
    duplicateEmails,
    duplicateSms,
    duplicateSmsSamples,
    messagesMissing,
    messagesUnsent,
    emails: mails.length,
    sms: smsList.length,
    stuck,
    stuckByStatus,
    createdNotPaid: driven.filter((d) => d.contractId && !d.paidAt).length,
    failedWorkflows,
    orderNumberGaps,
    orderLatencyMs: summarize(latency.map((l) => l.ms)),
    orderLatencyAfterCrashMs: summarize(afterCrash.map((l) => l.ms)),
    orphanChromium: orphans,
    leftoverTmpFiles,
    unexpectedExits: { worker: system.worker.unexpectedExits, web: system.web.unexpectedExits },
    driverErrors: driven.filter((d) => d.error).map((d) => `${d.contractId ?? '(not created)'}: ${d.error}`),
    failures: [],
  };
  const must = (ok: boolean, what: string) => ok || report.failures.push(what);
  must(report.contractsStarted === o.contracts, `contracts driven: ${report.contractsStarted} of ${o.contracts} (the machine could not keep the pace)`);
  must(report.lost === 0, `lost (paid, no order): ${report.lost}`);
  must(report.duplicateOrders === 0, `duplicate orders: ${report.duplicateOrders}`);
  must(report.stuck === 0, `stuck (not active): ${report.stuck}`);
  must(report.failedWorkflows === 0, `failed workflows: ${report.failedWorkflows}`);
  must(report.orderNumberGaps === 0, `order-number gaps: ${report.orderNumberGaps}`);
  must(report.duplicateSms === 0, `duplicate SMS: ${report.duplicateSms}`);
  must(report.messagesMissing === 0, `contracts missing a message of ${EVERY_CONTRACTS_EVENTS.join(', ')}: ${report.messagesMissing}`);
  must(
    !(report.orderLatencyAfterCrashMs.p99 > CRASH_P99_LIMIT_MS),
    `payment → order p99 after a worker kill: ${report.orderLatencyAfterCrashMs.p99} ms > ${CRASH_P99_LIMIT_MS} ms`,
  );
  return report;
}

function countFiles(dir: string, match: (name: string) => boolean): number {
  let n = 0;
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return 0;
  }
  for (const name of entries) {
    if (name === 'postgres') continue;
    const full = path.join(dir, name);
    try {
      if (statSync(full).isDirectory()) n += countFiles(full, match);
      else if (match(name)) n += 1;
    } catch {
      // gone meanwhile
    }
  }
  return n;
}

export function formatReport(r: ChaosReport): string {
  const s = (x: Summary) =>
    x.count ? `p50 ${(x.p50 / 1000).toFixed(1)} s, p99 ${(x.p99 / 1000).toFixed(1)} s, max ${(x.max / 1000).toFixed(1)} s (n=${x.count})` : 'n=0';
  const lines = [
    '',
    `Chaos run: ${r.contractsStarted} contracts (${r.contractsCreated} created, ${r.paidAtAgent} paid at the agent, ${r.ordered} with their order) in ${r.wallSeconds} s`,
    `faults: ${r.faults.map((f) => `${f.kind}${f.downS ? ` ${f.downS}s` : ''}`).join(', ')}`,
    `agent callback retries: ${r.options.agentRetriesMs ? r.options.agentRetriesMs.join(',') + ' ms' : '1, 5, 15, 60 s (~81 s)'}`,
    '',
    `  lost (paid, no order)      ${r.lost}`,
    `  duplicate orders           ${r.duplicateOrders}`,
    `  duplicate SMS              ${r.duplicateSms}  (of ${r.sms})`,
    ...r.duplicateSmsSamples.map((d) => `                             twice: ${d}`),
    `  duplicate e-mails          ${r.duplicateEmails}  (of ${r.emails}; reported, not a must-hold)`,
    `  messages missing           ${r.messagesMissing}  (contracts with their order lacking one of ${EVERY_CONTRACTS_EVENTS.join(', ')})`,
    `  messages unsent            ${r.messagesUnsent}  (${OUTBOX_WAIT_MS / 1000} s after the contracts settled; reported)`,
    `  stuck (not active)         ${r.stuck}  ${JSON.stringify(r.stuckByStatus)}; created but never paid by the run: ${r.createdNotPaid}`,
    `  failed workflows           ${r.failedWorkflows}`,
    `  order-number gaps          ${r.orderNumberGaps}`,
    `  payment → order, all       ${s(r.orderLatencyMs)}`,
    `  payment → order, crash     ${s(r.orderLatencyAfterCrashMs)}  (must: p99 ≤ ${CRASH_P99_LIMIT_MS / 1000} s)`,
    `  orphan Chromium            ${r.orphanChromium}`,
    `  leftover *.tmp files       ${r.leftoverTmpFiles}`,
    `  unexpected exits           worker ${r.unexpectedExits.worker}, web ${r.unexpectedExits.web}`,
  ];
  if (r.driverErrors.length) lines.push('', `driver errors (${r.driverErrors.length}, first 5):`, ...r.driverErrors.slice(0, 5).map((e) => `  ${e}`));
  lines.push('', r.failures.length ? `MUST-HOLDS FAILED (${r.failures.length}):\n${r.failures.map((f) => `  ✗ ${f}`).join('\n')}` : 'every must-hold held');
  return lines.join('\n');
}
