/**
 * Figure 1: contracts through create → submit → approve → pay → order, over real HTTP as the
 * browsers of the lawyer, the bureau head and the applicant would drive them.
 *
 * - Lawyer and head sign in once through the mobile-signature simulator (one session each, shared
 *   by all contracts, like one busy lawyer and head).
 * - The applicant's cabinet is opened by the workflow after submit, with a random password sent by
 *   SMS. The bench cannot read that SMS, so it sets a known password hash on the new account
 *   (bcrypt cost 4, computed once, so a login does not spend ~70 ms of CPU on bcrypt cost 10) and
 *   signs in through the real login endpoint.
 * - Payment: `POST /api/contracts/:id/payments` as the applicant, then the payment agent simulator's
 *   `pay-card` with the success card; the simulator sends the signed callback to the web server,
 *   which signals the workflow.
 * - Order latency: from pay-card returning ("payment completed") to the read model showing
 *   current_version ≥ 1 ("order issued"), seen by a poller every 20 ms.
 */
import bcrypt from 'bcryptjs';
import type { ContractDraft, NaturalPerson } from '../domain/contract';
import { DEMO_LAWYERS, demoLawyerActor } from '../simulators/demo-data';
import { TEST_CARDS } from '../simulators/payment-agent/simulator';
import { driveFullPath } from '../test/support/full-path';
import type { ContractView } from '../workflows/contract/messages';
import { Browser } from './http';
import { cpuMsPer, cpuSince, cpuSnapshot, startProfiler, type CpuReport, type ProfileSummary } from './cpu';
import type { Shape } from './app';
import type { BenchSystem } from './infra';
import { ReadModelPoller, runPool, summarize, type Summary } from './stats';

const APPLICANT_PASSWORD = 'bench-applicant-password';

// 12 × 12 distinct applicant names: logins (first.last) do not collide for the first 144 contracts.
const FIRST_NAMES = ['Gülnarə', 'Aysel', 'Nigar', 'Leyla', 'Sevinc', 'Günay', 'Könül', 'Aynur', 'Samirə', 'Fidan', 'Elnarə', 'Ülviyyə'];
const LAST_NAMES = [
  'Şükürova',
  'Məmmədova',
  'Əliyeva',
  'Hüseynova',
  'Quliyeva',
  'İsmayılova',
  'Həsənova',
  'Rzayeva',
  'Kərimova',
  'Abbasova',
  'Nəsirova',
  'Bağırova',
];

export interface ContractTiming {
  contractId: string;
  start: number;
  created: number;
  submitted: number;
  approved: number;
  cabinetOpen: number;
  loggedIn: number;
  paymentStarted: number;
  /** pay-card returned: the payment is complete at the agent, its callback on its way. */
  paid: number;
  /** The read model shows the order (current_version ≥ 1). */
  ordered: number;
}

export interface OrderBreakdown {
  /** pay-card returned → paymentReported signal in the workflow's history (callback, verification, settle, signal). */
  payToSignal: Summary;
  /** signal → issueDocuments scheduled (a workflow task). */
  signalToDocumentsScheduled: Summary;
  /** issueDocuments scheduled → completed (waiting for a slot, two PDFs, storage, database). */
  documentsActivity: Summary;
  /** of which issueDocuments scheduled → started: waiting in the task queue for a worker's slot. */
  documentsQueued?: Summary;
  /** issueDocuments completed → read model shows the order (workflow task, recordContract, poll). */
  documentsToReadModel: Summary;
}

export interface ContractPathResult {
  /** Issue 14: the web server and the worker in processes of their own (as production runs them), or in the bench's (bench/app.ts). */
  shape: Shape;
  contracts: number;
  concurrency: number;
  warmup: number;
  wallSeconds: number;
  contractsPerSecond: number;
  orderLatencyMs: Summary;
  endToEndMs: Summary;
  stepsMs: Record<string, Summary>;
  breakdownMs?: OrderBreakdown;
  readModelPolls: number;
  /**
   * Issue 14: where the measured contracts' contract PDFs came from: the copy prepared at approval
   * (its read-model write started it) or rendered at payment beside the order.
   */
  contractPdfs: { prepared: number; rendered: number };
  /** CPU of the measured contracts (not the warm-up), by process group. */
  cpu: CpuReport;
  /** The same per contract, ms: what a contract costs whatever else runs on the machine. */
  cpuMsPerContract: Record<string, number>;
  /** Issue 14: each contract's Temporal history when its order is issued, as Temporal counts it (protobuf bytes, describe()). */
  history?: { bytes: Summary; events: Summary };
  /** Issue 14: the history of one contract along the whole path (test/support/full-path.ts), as Temporal counts it, when it completes. */
  fullPathHistory?: { bytes: number; events: number };
  /** Issue 14 (--profile): where this process's CPU went during the measured contracts. */
  profile?: ProfileSummary;
}

let personCounter = 0;
const runTag = Math.floor(Math.random() * 36 ** 3);

function person(index: number, sameName: boolean, overrides: Partial<NaturalPerson> = {}): NaturalPerson {
  personCounter += 1;
  const n = runTag * 100_000 + personCounter;
  const fin = `B${n.toString(36).toUpperCase().padStart(6, '0').slice(-6)}`;
  const digits = String((runTag * 7919 + personCounter * 104_729) % 10_000_000).padStart(7, '0');
  return {
    citizenship: 'citizen',
    fin,
    firstName: sameName ? FIRST_NAMES[0] : FIRST_NAMES[index % FIRST_NAMES.length],
    lastName: sameName ? LAST_NAMES[0] : LAST_NAMES[Math.floor(index / FIRST_NAMES.length) % LAST_NAMES.length],
    patronymic: 'Əli qızı',
    birthDate: '1985-04-12',
    address: 'Bakı şəhəri, Xətai rayonu',
    phone: `+99450${digits}`,
    email: `bench.${fin.toLowerCase()}@example.az`,
    ...overrides,
  };
}

/** A complete contract like test/support/system.ts's completeDraft(): the applicant acts for someone else. */
export function benchDraft(index: number, sameName = false): ContractDraft {
  return {
    protectedPartyKind: 'natural',
    applicantIsProtectedParty: false,
    caseType: 'criminal',
    protectedPerson: person(index, false, { firstName: 'Rəşad', lastName: 'Əliyev', patronymic: 'Vüqar oğlu', phone: undefined, email: undefined }),
    applicant: person(index, sameName),
    evidence: { none: false, holders: ['Nəsimi Rayon Polis İdarəsi'] },
    assignment: 'Cinayət işi üzrə ibtidai istintaqda və məhkəmədə müdafiə.',
    institution: { id: 'baku-serious-crimes-court', name: 'Bakı Ağır Cinayətlər Məhkəməsi' },
    price: { totalQepik: 100_000, plan: 'single' },
  };
}

/** Signs a lawyer in as the browser does: start, confirm on the (simulated) phone, complete. */
async function lawyerSession(system: BenchSystem, webUrl: string, key: string): Promise<Browser> {
  const lawyer = DEMO_LAWYERS.find((l) => l.key === key);
  if (!lawyer) throw new Error(`no demo lawyer ${key}`);
  const browser = new Browser(webUrl, key);
  const started = await browser.post<{ transactionId: string }>('/api/auth/lawyer/start', { phone: lawyer.phone, userId: lawyer.mobileSignatureUserId });
  const phone = new Browser(system.simulatorUrls.mobileSignature, 'mobile-signature phone');
  await phone.post(`/simulator/api/transactions/${started.body.transactionId}/confirm`, { pin1: '1234' });
  const done = await browser.post<{ status: string }>('/api/auth/lawyer/complete', { transactionId: started.body.transactionId });
  if (done.body.status !== 'logged_in') throw new Error(`${key} could not log in: ${JSON.stringify(done.body)}`);
  return browser;
}

export async function runContractPath(
  system: BenchSystem,
  options: { contracts: number; concurrency: number; warmup: number; sameName: boolean; log: (m: string) => void; profileFile?: string },
): Promise<ContractPathResult> {
  const { contracts, concurrency, warmup, sameName, log } = options;
  const app = system.app;
  if (!app) throw new Error('the contract path needs the application: system.useApp(shape) first');
  const webUrl = app.webUrl;
  const lawyer = await lawyerSession(system, webUrl, 'lawyer-mammadov');
  const head = await lawyerSession(system, webUrl, 'head-huseynova');
  const applicantHash = await bcrypt.hash(APPLICANT_PASSWORD, 4);
  const poller = new ReadModelPoller(system.probeDb, 20);
  const payer = new Browser(system.simulatorUrls.paymentAgent, 'payment agent simulator');
  let index = 0;

  async function oneContract(): Promise<ContractTiming> {
    const i = index++;
    const start = Date.now();
    const created = await lawyer.post<{ contract: ContractView }>('/api/contracts', { draft: benchDraft(i, sameName) });
    const contractId = created.body.contract.contractId;
    const tCreated = Date.now();
    await lawyer.post(`/api/contracts/${contractId}/submit`);
    const tSubmitted = Date.now();
    await head.post(`/api/contracts/${contractId}/approve`);
    const tApproved = Date.now();

    // The workflow opens the applicant's cabinet after submit; the applicant signs in with the
    // password from the SMS — here a known one, set on the new account.
    // Generous: with --same-name the cabinet may take minutes (login collisions retried with backoff).
    const cabinet = await poller.waitFor(contractId, (row) => row.applicant_account_id !== null, 300_000);
    const tCabinet = Date.now();
    const [account] = await system
      .probeDb('applicant_accounts')
      .where({ id: cabinet.row.applicant_account_id })
      .update({ password_hash: applicantHash, must_change_password: false })
      .returning('login');
    const applicant = new Browser(webUrl, `applicant ${account.login}`);
    await applicant.post('/api/auth/applicant/login', { login: account.login, password: APPLICANT_PASSWORD });
    const tLoggedIn = Date.now();

    const payment = await applicant.post<{ paymentPageUrl: string }>(`/api/contracts/${contractId}/payments`, {});
    const agentPaymentId = decodeURIComponent(new URL(payment.body.paymentPageUrl).pathname.split('/').pop()!);
    const tPaymentStarted = Date.now();
    const card = await payer.post<{ outcome: string }>(`/api/test/payments/${encodeURIComponent(agentPaymentId)}/pay-card`, { cardNumber: TEST_CARDS.success });
    const tPaid = Date.now();
    if (card.body.outcome !== 'paid') throw new Error(`contract ${contractId}: card payment ${card.body.outcome}`);

    const ordered = await poller.waitFor(contractId, (row) => row.current_version >= 1, 120_000);
    return {
      contractId,
      start,
      created: tCreated,
      submitted: tSubmitted,
      approved: tApproved,
      cabinetOpen: tCabinet,
      loggedIn: tLoggedIn,
      paymentStarted: tPaymentStarted,
      paid: tPaid,
      ordered: ordered.at,
    };
  }

  if (warmup > 0) {
    log(`contract path: ${warmup} warm-up contract(s) (not measured)…`);
    await runPool(warmup, Math.min(concurrency, warmup), async () => {
      await oneContract();
    });
  }

  log(`contract path: ${contracts} contracts, ${concurrency} at a time…`);
  const timings: ContractTiming[] = [];
  const pollsBefore = poller.queries;
  const pdfsBefore = await app.contractPdfCounts();
  const profiler = options.profileFile ? await startProfiler(options.profileFile) : undefined;
  const cpuBefore = cpuSnapshot();
  const started = Date.now();
  let lastReport = started;
  await runPool(contracts, concurrency, async () => {
    timings.push(await oneContract());
    if (Date.now() - lastReport > 10_000) {
      lastReport = Date.now();
      log(`  … ${timings.length}/${contracts} contracts have their order`);
    }
  });
  const wallSeconds = (Date.now() - started) / 1000;
  const cpu = cpuSince(cpuBefore);
  const profile = await profiler?.stop();

  const steps = (f: (t: ContractTiming) => number) => summarize(timings.map(f));
  const result: ContractPathResult = {
    shape: app.shape,
    contracts,
    concurrency,
    warmup,
    wallSeconds: Math.round(wallSeconds * 100) / 100,
    contractsPerSecond: Math.round((contracts / wallSeconds) * 100) / 100,
    orderLatencyMs: steps((t) => t.ordered - t.paid),
    endToEndMs: steps((t) => t.ordered - t.start),
    stepsMs: {
      'create (POST /api/contracts)': steps((t) => t.created - t.start),
      submit: steps((t) => t.submitted - t.created),
      'approve (head)': steps((t) => t.approved - t.submitted),
      'applicant cabinet open, after approve': steps((t) => t.cabinetOpen - t.approved),
      'applicant login': steps((t) => t.loggedIn - t.cabinetOpen),
      'start payment (POST …/payments)': steps((t) => t.paymentStarted - t.loggedIn),
      'pay-card at the agent': steps((t) => t.paid - t.paymentStarted),
      'payment → order (read model)': steps((t) => t.ordered - t.paid),
    },
    readModelPolls: poller.queries - pollsBefore,
    contractPdfs: (({ prepared, rendered }) => ({ prepared: prepared - pdfsBefore.prepared, rendered: rendered - pdfsBefore.rendered }))(
      await app.contractPdfCounts(),
    ),
    cpu,
    cpuMsPerContract: cpuMsPer(cpu, contracts),
    ...(profile ? { profile } : {}),
  };
  try {
    result.history = await historySizes(system, timings);
  } catch (err) {
    log(`could not describe the workflows for their history sizes: ${String(err)}`);
  }
  try {
    result.fullPathHistory = await fullPathHistory(system);
  } catch (err) {
    log(`could not drive the full path for its history size: ${String(err)}`);
  }
  try {
    result.breakdownMs = await orderBreakdown(system, timings);
  } catch (err) {
    log(`could not read the workflow histories for the breakdown: ${String(err)}`);
  }
  return result;
}

function eventMs(time: { seconds?: unknown; nanos?: number | null } | null | undefined): number {
  if (!time) return NaN;
  const s = time.seconds as number | { toNumber(): number } | undefined;
  const seconds = typeof s === 'number' ? s : s ? s.toNumber() : 0;
  return seconds * 1000 + (time.nanos ?? 0) / 1e6;
}

/** Where the order latency goes, from each contract's workflow history. */
async function orderBreakdown(system: BenchSystem, timings: ContractTiming[]): Promise<OrderBreakdown> {
  const rows: { payToSignal: number; signalToScheduled: number; activity: number; queued: number; toReadModel: number }[] = [];
  for (const t of timings) {
    const history = await system.client.workflow.getHandle(`contract-${t.contractId}`).fetchHistory();
    const events = history.events ?? [];
    // paymentReported since issue 9 (cumulative reports); paymentCompleted in histories before it.
    const signal = events.find((e) => ['paymentReported', 'paymentCompleted'].includes(e.workflowExecutionSignaledEventAttributes?.signalName ?? ''));
    const scheduled = events.find((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'issueDocuments');
    const scheduledId = scheduled?.eventId?.toString();
    const completed = events.find(
      (e) => e.activityTaskCompletedEventAttributes && e.activityTaskCompletedEventAttributes.scheduledEventId?.toString() === scheduledId,
    );
    if (!signal || !scheduled || !completed) continue;
    const started = events.find((e) => e.activityTaskStartedEventAttributes?.scheduledEventId?.toString() === scheduledId);
    const tSignal = eventMs(signal.eventTime);
    const tScheduled = eventMs(scheduled.eventTime);
    const tCompleted = eventMs(completed.eventTime);
    rows.push({
      payToSignal: tSignal - t.paid,
      signalToScheduled: tScheduled - tSignal,
      activity: tCompleted - tScheduled,
      queued: eventMs(started?.eventTime) - tScheduled,
      toReadModel: t.ordered - tCompleted,
    });
  }
  return {
    payToSignal: summarize(rows.map((r) => r.payToSignal)),
    signalToDocumentsScheduled: summarize(rows.map((r) => r.signalToScheduled)),
    documentsActivity: summarize(rows.map((r) => r.activity)),
    documentsQueued: summarize(rows.map((r) => r.queued).filter((ms) => Number.isFinite(ms))),
    documentsToReadModel: summarize(rows.map((r) => r.toReadModel)),
  };
}

/** Issue 14: one contract along the whole path (amendment, balance, terminate, restart, finish); its history's size when it completes. */
async function fullPathHistory(system: BenchSystem): Promise<{ bytes: number; events: number }> {
  const contractId = `bench-full-path-${runTag.toString(36)}`;
  const { handle } = await driveFullPath(system.client, system.config.taskQueue, contractId, benchDraft(0), {
    lawyer: demoLawyerActor('lawyer-mammadov'),
    head: demoLawyerActor('head-huseynova'),
  });
  const info = (await handle.describe()).raw.workflowExecutionInfo;
  return { bytes: Number(info?.historySizeBytes ?? NaN), events: Number(info?.historyLength ?? NaN) };
}

/** Issue 14: each contract's history size as Temporal counts it (protobuf, what the server keeps), and its events. */
async function historySizes(system: BenchSystem, timings: ContractTiming[]): Promise<{ bytes: Summary; events: Summary }> {
  const bytes: number[] = [];
  const events: number[] = [];
  for (const t of timings) {
    const info = (await system.client.workflow.getHandle(`contract-${t.contractId}`).describe()).raw.workflowExecutionInfo;
    bytes.push(Number(info?.historySizeBytes ?? NaN));
    events.push(Number(info?.historyLength ?? NaN));
  }
  return { bytes: summarize(bytes), events: summarize(events) };
}
