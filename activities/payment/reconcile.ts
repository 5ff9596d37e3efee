/**
 * The payment reconciliation's activity (issue 10 item 1, R4.3.3). One turn:
 *   (a) re-delivers every stored, unflagged report not yet applied (`payment_events.applied_at` is
 *       null, migration 013): the callback or the payer's return stored it, then could not tell the
 *       contract's workflow (Temporal down, the process killed in between);
 *   (b) asks the agent (`getPayment`, a signed call) about every open payment request — created,
 *       declined or failed (the payer may try again on the same payment), or partly paid — not older
 *       than `maxAgeMs`, and settles what it reports, when it differs from what we hold, through the
 *       one settle path with source `reconcile`. A payment paid at a terminal (no browser comes back)
 *       or whose callbacks the agent gave up on thus still reaches its contract.
 * Repeats are harmless: the same report is stored once (`report_key`), and the contract's workflow
 * applies only what exceeds its high-water mark for the agent payment. The contract's workflow is told
 * through a Temporal client of the worker's (`PaymentTeller`), as the API's gateway does.
 */
import { heartbeat } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { type PaymentAgent, PaymentAgentError } from '../../integrations/payment-agent/adapter';
import { PaymentState } from '../../integrations/payment-agent/protocol';
import { contractWorkflowId, paymentFailed, paymentReported } from '../../workflows/contract/messages';
import {
  type AgentReport,
  type PaymentRequestRow,
  type PaymentTeller,
  redeliverStoredReport,
  reportOfStatus,
  settleAgentReport,
  type SettleDeps,
} from './settle';
import type { PaymentActivities, ReconcileInput, ReconcileResult } from './types';

/** Payment requests the agent may still take money for, as our table holds them. */
export const OPEN_REQUEST_STATES: number[] = [PaymentState.Created, PaymentState.Error, PaymentState.Declined, PaymentState.PartiallyPaid];

export const RECONCILE_DEFAULTS = {
  graceMs: 2_000,
  limit: 500,
  maxAgeMs: 7 * 24 * 60 * 60 * 1000,
} as const;

export interface PaymentActivityDeps {
  db: Knex;
  paymentAgent: PaymentAgent;
  teller: PaymentTeller;
  log: Pick<Logger, 'info' | 'warn' | 'error'>;
}

/** Tells a contract's workflow through a Temporal client (the worker's), as api/contract/gateway.ts does. */
export function clientTeller(client: Client): PaymentTeller {
  return {
    paymentReported: (contractId, notice) => client.workflow.getHandle(contractWorkflowId(contractId)).signal(paymentReported, notice),
    paymentFailed: (contractId, notice) => client.workflow.getHandle(contractWorkflowId(contractId)).signal(paymentFailed, notice),
  };
}

function isStoredReport(value: unknown): value is AgentReport {
  const r = value as Partial<AgentReport> | null;
  return (
    !!r &&
    typeof r.agentPaymentId === 'string' &&
    typeof r.state === 'number' &&
    typeof r.cumulativePaidQepik === 'number' &&
    typeof r.priceQepik === 'number' &&
    typeof r.currency === 'string'
  );
}

function beat(): void {
  try {
    heartbeat();
  } catch {
    // called outside an activity (a unit test): nothing to tell
  }
}

export function createPaymentActivities(deps: PaymentActivityDeps): PaymentActivities {
  const { db, log } = deps;
  const settleDeps: SettleDeps = { db, teller: deps.teller, log };

  async function redeliverUnapplied(graceMs: number, limit: number): Promise<number> {
    const rows = await db('payment_events')
      .whereNull('applied_at')
      .whereNull('flag')
      .andWhere('received_at', '<', db.raw(`now() - ?::double precision * interval '1 millisecond'`, [graceMs]))
      .orderBy('id')
      .limit(limit)
      .select<{ id: number | string; payload: unknown }[]>('id', 'payload');
    let redelivered = 0;
    for (const row of rows) {
      const payload: unknown = typeof row.payload === 'string' ? JSON.parse(row.payload) : row.payload;
      if (!isStoredReport(payload)) {
        // A report of an older shape: nothing to tell; kept as it is, no longer offered.
        await db('payment_events').where({ id: row.id }).update({ applied_at: db.fn.now() });
        continue;
      }
      const settled = await redeliverStoredReport(settleDeps, row.id, payload);
      if (!settled.flag) redelivered += 1;
      log.info({ agentPaymentId: payload.agentPaymentId, contractId: settled.contractId, flag: settled.flag }, 'payments: re-delivered a stored report');
      beat();
    }
    return redelivered;
  }

  async function askAgent(input: Required<ReconcileInput>): Promise<{ asked: number; settled: number; agentUnavailable: boolean }> {
    const open = await db<PaymentRequestRow>('payment_requests')
      .whereIn('state', OPEN_REQUEST_STATES)
      .andWhere('created_at', '>', db.raw(`now() - ?::double precision * interval '1 millisecond'`, [input.maxAgeMs]))
      .andWhere('updated_at', '<', db.raw(`now() - ?::double precision * interval '1 millisecond'`, [input.graceMs]))
      .orderBy('created_at', 'desc')
      .limit(input.limit);
    let asked = 0;
    let settled = 0;
    for (const request of open) {
      let status;
      try {
        status = await deps.paymentAgent.getPayment(request.agent_payment_id);
      } catch (err) {
        if (err instanceof PaymentAgentError && !err.retryable) {
          // This payment only (e.g. the agent does not know it): the others are still asked.
          log.warn({ agentPaymentId: request.agent_payment_id, kind: err.kind, status: err.details.status }, 'payments: the agent refused a status query');
          continue;
        }
        // The agent is down or slow: the rest waits for the next turn.
        log.warn({ kind: err instanceof PaymentAgentError ? err.kind : 'unknown' }, 'payments: the agent cannot be asked now; reconciling on the next turn');
        return { asked, settled, agentUnavailable: true };
      }
      asked += 1;
      beat();
      if (status.state === Number(request.state) && status.paidQepik === Number(request.paid_qepik)) continue; // nothing new
      // A report already stored and flagged (another currency, amount…) is not settled again every turn.
      const flagged: unknown = await db('payment_events')
        .where({ agent_payment_id: request.agent_payment_id, state: status.state, cumulative_paid_qepik: status.paidQepik })
        .whereNotNull('flag')
        .first('id');
      if (flagged) continue;
      const result = await settleAgentReport(settleDeps, reportOfStatus(request.agent_payment_id, status), 'reconcile');
      settled += 1;
      log.info(
        { agentPaymentId: request.agent_payment_id, contractId: request.contract_id, state: status.state, flag: result.flag },
        'payments: settled what the agent reported',
      );
    }
    return { asked, settled, agentUnavailable: false };
  }

  async function backlog(maxAgeMs: number): Promise<number> {
    const [{ unapplied }] = await db('payment_events').whereNull('applied_at').whereNull('flag').count<{ unapplied: string }[]>({ unapplied: '*' });
    const [{ open }] = await db('payment_requests')
      .whereIn('state', OPEN_REQUEST_STATES)
      .andWhere('created_at', '>', db.raw(`now() - ?::double precision * interval '1 millisecond'`, [maxAgeMs]))
      .count<{ open: string }[]>({ open: '*' });
    return Number(unapplied) + Number(open);
  }

  async function reconcilePayments(input: ReconcileInput): Promise<ReconcileResult> {
    const settings: Required<ReconcileInput> = {
      graceMs: input.graceMs ?? RECONCILE_DEFAULTS.graceMs,
      limit: input.limit ?? RECONCILE_DEFAULTS.limit,
      maxAgeMs: input.maxAgeMs ?? RECONCILE_DEFAULTS.maxAgeMs,
    };
    const redelivered = await redeliverUnapplied(settings.graceMs, settings.limit);
    const { asked, settled, agentUnavailable } = await askAgent(settings);
    return { redelivered, asked, settled, agentUnavailable, backlog: await backlog(settings.maxAgeMs) };
  }

  return { reconcilePayments };
}
