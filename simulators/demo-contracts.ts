/**
 * Demo contracts for a newcomer (issue 11): `npm start` on an empty database fills the demo
 * lawyers' lists, so every list, the projects board and the statistics show something at once.
 *
 * Each contract goes the real path, as the people would: the contract gateway (the workflow's
 * updates with their validators — the same calls the API routes make) for the lawyer's and the
 * head's steps, `startPayment` (the applicant's "Ödə") and the payment agent simulator's card
 * form, whose signed callback reaches the web's own callback route, settles the payment and
 * issues the order in the worker. Nothing is written around the workflow, with one exception:
 * workflow time cannot be moved back, so after the path has run, the read model's creation date
 * (and the dates of the payments and orders that follow it) is spread over the last twelve months
 * for the charts by period; the contract numbers keep this year.
 *
 * Idempotent: it does nothing when the database already holds a contract (a restart, or a cabinet
 * in use). Development only: it refuses with NODE_ENV=production, and production code never imports it.
 */
import type { Logger } from 'pino';
import type { ContractGateway } from '../api/contract/gateway';
import { startPayment } from '../api/payment/service';
import { CASE_TYPES, type CaseType, type ContractDraft } from '../domain/contract';
import type { Actor } from '../domain/shared/actor';
import { HttpPaymentAgent } from '../integrations/payment-agent/adapter';
import type { Config } from '../platform/config';
import type { Knex } from '../platform/db';
import { DemoDataInProductionError, INSTITUTIONS } from './demo-seed';
import { DEMO_LAWYERS } from './demo-data';
import { TEST_CARDS } from './payment-agent/simulator';

export interface DemoContractDeps {
  config: Config;
  db: Knex;
  gateway: ContractGateway;
  log: Logger;
}

/** Where a demo contract is taken to. */
export type DemoStage = 'draft' | 'submitted' | 'rejected' | 'approved' | 'paid' | 'amended' | 'finished' | 'terminated';

/** How many contracts end in each stage (40 in all). */
export const DEMO_PLAN: Record<DemoStage, number> = {
  draft: 7,
  submitted: 6,
  rejected: 1,
  approved: 6,
  paid: 15,
  amended: 1,
  finished: 3,
  terminated: 1,
};

const FIRST_NAMES = ['Aysel', 'Nigar', 'Leyla', 'Günay', 'Səbinə', 'Kamran', 'Elvin', 'Orxan', 'Tural', 'Rəşad'];
const LAST_NAMES = ['Məmmədova', 'Əliyeva', 'Həsənova', 'Quliyeva', 'Abbasova', 'Məmmədov', 'Əliyev', 'Həsənov', 'Quliyev', 'Abbasov'];
const PATRONYMICS = ['Elçin qızı', 'Vüqar qızı', 'Rauf qızı', 'Tofiq qızı', 'Namiq qızı', 'Elçin oğlu', 'Vüqar oğlu', 'Rauf oğlu', 'Tofiq oğlu', 'Namiq oğlu'];
const ASSIGNMENTS: Record<CaseType, string> = {
  civil: 'Mülki iş üzrə birinci instansiya məhkəməsində nümayəndəlik.',
  criminal: 'Cinayət işi üzrə ibtidai istintaqda və məhkəmədə müdafiə.',
  commercial: 'İqtisadi mübahisə üzrə Kommersiya Məhkəməsində nümayəndəlik.',
  administrative: 'İnzibati mübahisə üzrə inzibati məhkəmədə nümayəndəlik.',
  administrative_offence: 'İnzibati xəta haqqında iş üzrə müdafiə.',
};

/** The i-th demo person: a FIN, phone and e-mail of their own (R4.1.2 binds contacts to one person). */
function demoPerson(i: number, withContacts: boolean) {
  const n = String(i).padStart(3, '0');
  const female = i % 10 < 5;
  return {
    citizenship: 'citizen' as const,
    fin: `DMO${n}X`.slice(0, 7),
    firstName: FIRST_NAMES[i % 10],
    lastName: LAST_NAMES[((i * 3) % 5) + (female ? 0 : 5)],
    patronymic: PATRONYMICS[((i * 7) % 5) + (female ? 0 : 5)],
    birthDate: `19${60 + (i % 40)}-0${1 + (i % 9)}-1${i % 10}`,
    address: 'Bakı şəhəri, Nəsimi rayonu',
    ...(withContacts ? { phone: `+99450900${n.padStart(4, '0')}`, email: `demo.applicant.${n}@example.az` } : {}),
  };
}

function demoDraft(i: number): ContractDraft {
  const caseType = CASE_TYPES[i % CASE_TYPES.length];
  const institution = INSTITUTIONS[(i * 5) % INSTITUTIONS.length];
  const sameParty = i % 4 === 0;
  return {
    protectedPartyKind: 'natural',
    applicantIsProtectedParty: sameParty,
    caseType,
    ...(sameParty ? {} : { protectedPerson: demoPerson(500 + i, false) }),
    applicant: demoPerson(i, true),
    evidence: { none: i % 3 === 0, holders: i % 3 === 0 ? [] : ['Nəsimi Rayon Polis İdarəsi'] },
    assignment: ASSIGNMENTS[caseType],
    institution: { id: institution.id, name: institution.name },
    price: { totalQepik: 30_000 + ((i * 7_919) % 20) * 5_000, plan: 'single' },
  };
}

const lawyerActor = (key: string): Actor => {
  const l = DEMO_LAWYERS.find((x) => x.key === key)!;
  return { kind: 'lawyer', id: l.key, bureauId: l.bureauKey, isHead: l.isHead };
};

/** The demo lawyers who pass R2.1, and who approves their contracts. */
const AUTHORS = [
  { lawyer: lawyerActor('lawyer-mammadov'), head: lawyerActor('head-huseynova') },
  { lawyer: lawyerActor('lawyer-qasimova'), head: lawyerActor('head-huseynova') },
  { lawyer: lawyerActor('head-huseynova'), head: lawyerActor('head-huseynova') },
  { lawyer: lawyerActor('individual-quliyev'), head: lawyerActor('individual-quliyev') },
];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`demo contracts: timed out waiting for ${what}`);
    await sleep(200);
  }
}

interface ReadRow {
  status: string;
  applicant_account_id: string | null;
  current_version: number | null;
  amendment_status: string | null;
}

const readRow = (db: Knex, id: string) =>
  db<ReadRow & { id: string }>('contracts').where({ id }).first('status', 'applicant_account_id', 'current_version', 'amendment_status');

/** "Ödə" as the applicant, then the card form of the payment agent simulator; the callback does the rest. */
async function pay(deps: DemoContractDeps, agent: HttpPaymentAgent, contractId: string, applicantAccountId: string) {
  const { config, db, gateway, log } = deps;
  const payment = await startPayment(
    {
      db,
      gateway,
      paymentAgent: agent,
      paymentAgentSecret: config.paymentAgentSecret,
      publicUrl: config.publicUrl,
      callbackBaseUrl: config.callbackBaseUrl,
      log,
    },
    { kind: 'applicant', id: applicantAccountId },
    contractId,
    'az',
  );
  const response = await fetch(`${config.paymentAgentUrl}/api/test/payments/${encodeURIComponent(payment.agentPaymentId)}/pay-card`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ cardNumber: TEST_CARDS.success }),
  });
  if (!response.ok) throw new Error(`demo contracts: the card payment answered HTTP ${response.status}`);
}

/** Takes one contract through the steps of its stage. */
async function runOne(deps: DemoContractDeps, agent: HttpPaymentAgent, i: number, stage: DemoStage): Promise<string> {
  const { db, gateway } = deps;
  const { lawyer, head } = AUTHORS[i % AUTHORS.length];
  const draft = demoDraft(i);
  if (stage === 'draft') {
    // A draft as left half-way through the wizard: the first steps only.
    const { contractId } = await gateway.create(lawyer, { protectedPartyKind: draft.protectedPartyKind, caseType: draft.caseType, applicant: draft.applicant });
    return contractId;
  }
  const { contractId } = await gateway.create(lawyer, draft);
  await gateway.submit(contractId, lawyer);
  if (stage === 'submitted') return contractId;
  if (stage === 'rejected') {
    await gateway.reject(contractId, head, 'Qiymət və tapşırıq yenidən razılaşdırılmalıdır.');
    return contractId;
  }
  await gateway.approve(contractId, head);
  if (stage === 'approved') return contractId;
  const account = await until(async () => (await readRow(db, contractId))?.applicant_account_id ?? undefined, 'the applicant cabinet');
  await pay(deps, agent, contractId, account);
  await until(async () => ((await readRow(db, contractId))?.current_version === 1 ? true : undefined), 'the order');
  if (stage === 'amended') {
    await gateway.proposeAmendment(contractId, lawyer, { assignment: `${draft.assignment} Apellyasiya instansiyasında da.` }, 'Tapşırıq genişləndirildi.');
    await gateway.approveAmendment(contractId, head);
    await until(async () => ((await readRow(db, contractId))?.current_version === 2 ? true : undefined), 'the amended order');
  }
  if (stage === 'finished') await gateway.finish(contractId, lawyer);
  if (stage === 'terminated') await gateway.terminate(contractId, lawyer, 'Müraciət edən şəxs müqaviləni ləğv etdi.');
  return contractId;
}

/** Spreads the read model's dates over the last twelve months (workflow time cannot be moved back). */
async function spreadOverTheYear(db: Knex, ids: string[]) {
  const now = Date.now();
  for (const [n, id] of ids.entries()) {
    // The newest today, the oldest about a year ago; a few days of jitter so that months differ a little.
    const daysAgo = Math.round(((ids.length - 1 - n) / Math.max(ids.length - 1, 1)) * 350) + (n < ids.length - 3 ? n % 5 : 0);
    const createdAt = new Date(now - daysAgo * 86_400_000);
    const paidAt = new Date(Math.min(now, createdAt.getTime() + (1 + (n % 4)) * 86_400_000));
    await db('contracts').where({ id }).update({ created_at: createdAt });
    await db('payments').where({ contract_id: id }).update({ paid_at: paidAt });
    await db('contract_versions').where({ contract_id: id }).andWhere('issued_at', '>', createdAt).update({ issued_at: paidAt });
  }
}

export interface DemoContractsResult {
  created: number;
  skipped?: 'has_contracts';
  failed: number;
  byStage: Partial<Record<DemoStage, number>>;
}

/**
 * Creates the demo contracts of `plan` unless the database already holds a contract; a few at a
 * time, so that the worker and the web stay responsive while it runs in the background.
 */
export async function seedDemoContracts(
  deps: DemoContractDeps,
  options: { plan?: Partial<Record<DemoStage, number>>; concurrency?: number; env?: NodeJS.ProcessEnv } = {},
): Promise<DemoContractsResult> {
  if ((options.env ?? process.env).NODE_ENV === 'production') throw new DemoDataInProductionError();
  const [{ count }] = await deps.db('contracts').count<{ count: string }[]>({ count: '*' });
  if (Number(count) > 0) return { created: 0, skipped: 'has_contracts', failed: 0, byStage: {} };
  const plan = options.plan ?? DEMO_PLAN;
  const jobs = (Object.entries(plan) as [DemoStage, number][]).flatMap(([stage, n]) => Array.from({ length: n }, () => stage));
  // Interleaved, so that every lawyer and every month gets a mix of stages.
  const order = jobs.map((stage, i) => ({ stage, i })).sort((a, b) => ((a.i * 17) % jobs.length) - ((b.i * 17) % jobs.length));
  const agent = new HttpPaymentAgent({
    baseUrl: deps.config.paymentAgentUrl,
    merchantId: deps.config.paymentAgentMerchantId,
    secret: deps.config.paymentAgentSecret,
  });
  const created: { id: string; stage: DemoStage; n: number }[] = [];
  let failed = 0;
  let next = 0;
  const workers = Array.from({ length: options.concurrency ?? 3 }, async () => {
    while (next < order.length) {
      const n = next++;
      const { stage } = order[n];
      try {
        created.push({ id: await runOne(deps, agent, n + 1, stage), stage, n });
      } catch (err) {
        failed += 1;
        deps.log.warn({ err, stage }, 'demo contracts: one contract did not reach its stage');
      }
    }
  });
  await Promise.all(workers);
  created.sort((a, b) => a.n - b.n);
  await spreadOverTheYear(
    deps.db,
    created.map((c) => c.id),
  );
  const byStage: Partial<Record<DemoStage, number>> = {};
  for (const c of created) byStage[c.stage] = (byStage[c.stage] ?? 0) + 1;
  return { created: created.length, failed, byStage };
}
