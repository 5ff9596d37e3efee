/**
 * The one settle path of the payment agent's reports (R4.3.3, issue 9 item 3, issue 10 item 1): the
 * signed callback and the payer's return (api/payment) and the reconciliation (the activity
 * `reconcilePayments`) all come here. Every report is stored; it is told to the contract's
 * workflow, which keeps a high-water mark per agent payment, so the same money reported by several
 * of them, in any order and any number of times, counts once. A stored report is marked applied
 * (`payment_events.applied_at`, migration 013) once its contract's workflow has it; one that never
 * reached it (Temporal was down, the process died between storing and telling) is re-delivered by
 * the reconciliation.
 *
 * It lives under activities/ because both sides may import it: api/ may use what activities keep,
 * activities may not import api/. Who tells the workflow is given (`PaymentTeller`): the API's
 * ContractGateway, or a Temporal client in the worker.
 */
import { WorkflowNotFoundError } from '@temporalio/client';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { PaymentStatus } from '../../integrations/payment-agent/adapter';
import { CURRENCY, PaymentState } from '../../integrations/payment-agent/protocol';
import { recordSecurityEvent } from '../../platform/security-events';
import type { AgentPaymentNotice, PaymentFailureNotice, PaymentKind } from '../../workflows/contract/messages';

/** Where a settled report is told: the contract's workflow (signals `paymentReported`, `paymentFailed`). */
export interface PaymentTeller {
  paymentReported(contractId: string, notice: AgentPaymentNotice): Promise<void>;
  paymentFailed(contractId: string, notice: PaymentFailureNotice): Promise<void>;
}

export interface SettleDeps {
  db: Knex;
  teller: PaymentTeller;
  log: Pick<Logger, 'warn' | 'info' | 'error'>;
}

/** Where a report came from (`payment_events.source`). */
export type ReportSource = 'callback' | 'return' | 'reconcile';

/** A report of the agent about one payment, from its callback or from asking it. */
export interface AgentReport {
  agentPaymentId: string;
  state: number;
  cumulativePaidQepik: number;
  priceQepik: number;
  currency: string;
  /** The ExternalId the agent names (the callback's; the status's on return). */
  externalId?: string;
  method?: string;
  reason?: string;
}

/** What the agent answers when asked about a payment (the payer's return, the reconciler), as a report. */
export function reportOfStatus(agentPaymentId: string, status: PaymentStatus): AgentReport {
  return {
    agentPaymentId,
    state: status.state,
    cumulativePaidQepik: status.paidQepik,
    priceQepik: status.priceQepik,
    currency: status.currency,
    externalId: status.externalId,
    method: status.method,
    reason: status.reason,
  };
}

/** A row of `payment_requests` (migration 002); bigints are read as numbers (platform/db). */
export interface PaymentRequestRow {
  agent_payment_id: string;
  external_id: string;
  contract_id: string;
  kind: string;
  amount_qepik: number | string;
  payment_page_url: string;
  terminal_code: string;
  requested_by: string;
  state: number;
  paid_qepik: number | string;
  method: string | null;
  state_reason: string | null;
  created_at: string | Date;
  updated_at: string | Date;
}

export const PAID_STATES: number[] = [PaymentState.Paid, PaymentState.Delivered, PaymentState.PartiallyPaid];
export const FAILED_STATES: number[] = [PaymentState.Error, PaymentState.Declined, PaymentState.Canceled, PaymentState.Expired];
/** The agent took money back (issue 9 item 3). */
export const REVERSAL_STATES: number[] = [PaymentState.Reversed, PaymentState.PartiallyReversed];

/**
 * Why a report is stored but not applied (issue 9 item 3); `contract_closed` reports are kept for a
 * contract whose workflow has ended. The callback's refusals record these as their reason.
 */
export const REPORT_FLAGS = ['unknown_payment', 'wrong_currency', 'external_id_mismatch', 'amount_mismatch', 'overpaid', 'contract_closed'] as const;
export type ReportFlag = (typeof REPORT_FLAGS)[number];

/** What a report holds of the payment: after a reversal what is still kept (nothing after a full one), otherwise what was paid. */
function heldByReport(report: AgentReport): number {
  if (report.state === PaymentState.Reversed) return 0;
  return report.cumulativePaidQepik;
}

/** A report is identified by everything it says, so the same report counts once and a different one is kept. */
function reportKey(report: AgentReport): string {
  return [report.agentPaymentId, report.externalId ?? '', report.state, report.cumulativePaidQepik, report.priceQepik, report.currency].join('|');
}

export interface SettledReport {
  /** Why it was not applied; undefined when it was told to the contract. */
  flag?: ReportFlag;
  /** False when the very same report had been stored before. */
  stored: boolean;
  contractId?: string;
  reversal: boolean;
}

/**
 * Applies an agent report: stores it, every one, even when it is refused (issue 9 item 3), and tells
 * the contract's workflow the cumulative amount of the payment, which applies only what it has not
 * recorded yet. A report naming another currency, another price, or another contract's ExternalId
 * than the payment we asked for is stored, flagged, not applied. Once told, the stored report is
 * marked applied (issue 10 item 1).
 */
export async function settleAgentReport(deps: SettleDeps, report: AgentReport, source: ReportSource): Promise<SettledReport> {
  const { db } = deps;
  const request = await db<PaymentRequestRow>('payment_requests').where({ agent_payment_id: report.agentPaymentId }).first();
  const flag: ReportFlag | undefined = !request
    ? 'unknown_payment'
    : report.currency !== CURRENCY
      ? 'wrong_currency'
      : report.externalId !== undefined && report.externalId !== request.external_id
        ? 'external_id_mismatch'
        : report.priceQepik !== Number(request.amount_qepik)
          ? 'amount_mismatch'
          : report.cumulativePaidQepik > Number(request.amount_qepik)
            ? 'overpaid'
            : undefined;
  const key = reportKey(report);
  const inserted = await db('payment_events')
    .insert({
      agent_payment_id: report.agentPaymentId,
      cumulative_paid_qepik: report.cumulativePaidQepik,
      state: report.state,
      source,
      flag: flag ?? null,
      payload: JSON.stringify(report),
      report_key: key,
      external_id: report.externalId ?? null,
      currency: report.currency,
    })
    .onConflict('report_key')
    .ignore()
    .returning('id');
  const stored = inserted.length > 0;
  const reversal = REVERSAL_STATES.includes(report.state);
  if (flag || !request) {
    deps.log.warn({ agentPaymentId: report.agentPaymentId, flag, source }, 'payment report stored and flagged, not applied');
    return { flag: flag ?? 'unknown_payment', stored, contractId: request?.contract_id, reversal };
  }
  return applyReport(deps, request, report, { report_key: key }, source, stored);
}

/**
 * Re-delivers a stored, unflagged report that never reached its contract (issue 10 item 1): the
 * payment request is brought up to it and the workflow told, as when it arrived; nothing is stored
 * again, so a reversal's security event is not recorded twice.
 */
export async function redeliverStoredReport(deps: SettleDeps, eventId: number | string, report: AgentReport): Promise<SettledReport> {
  const request = await deps.db<PaymentRequestRow>('payment_requests').where({ agent_payment_id: report.agentPaymentId }).first();
  if (!request) {
    await deps.db('payment_events').where({ id: eventId }).update({ flag: 'unknown_payment' });
    return { flag: 'unknown_payment', stored: false, reversal: REVERSAL_STATES.includes(report.state) };
  }
  return applyReport(deps, request, report, { id: eventId }, 'reconcile', false);
}

async function applyReport(
  deps: SettleDeps,
  request: PaymentRequestRow,
  report: AgentReport,
  event: { report_key: string } | { id: number | string },
  source: ReportSource,
  stored: boolean,
): Promise<SettledReport> {
  const { db } = deps;
  const reversal = REVERSAL_STATES.includes(report.state);
  const held = heldByReport(report);
  const update = {
    state: report.state,
    paid_qepik: held,
    method: report.method ?? request.method ?? null,
    state_reason: report.reason ?? null,
    updated_at: db.fn.now(),
  };
  if (reversal) {
    // A reversal lowers what the payment holds; a late, older reversal (more kept) changes nothing.
    await db('payment_requests')
      .where({ agent_payment_id: report.agentPaymentId })
      .andWhere((q) => {
        // A knex builder is thenable: grouped, not awaited.
        void q.whereNotIn('state', REVERSAL_STATES).orWhere('paid_qepik', '>=', held);
      })
      .update(update);
  } else {
    // Paid reports only raise it (a high-water mark); none overrides a reversal.
    await db('payment_requests')
      .where({ agent_payment_id: report.agentPaymentId })
      .whereNotIn('state', REVERSAL_STATES)
      .andWhere('paid_qepik', '<=', report.cumulativePaidQepik)
      .update(update);
  }
  if (reversal && stored) {
    // The Bar office reads the security events: money taken back after an order was issued is what it must see.
    await recordSecurityEvent(db, deps.log, {
      kind: 'payment_reversed',
      subject: `contract:${request.contract_id}`,
      detail: { agentPaymentId: report.agentPaymentId, state: report.state, source },
    });
  }

  try {
    await tellWorkflow(deps.teller, request, report);
  } catch (err) {
    if (!(err instanceof WorkflowNotFoundError)) throw err;
    // The contract's workflow has completed (finished or deleted), yet money came for it, e.g. through
    // a terminal code handed out before. Kept and flagged for the Bar office; the agent is answered, so
    // it does not retry a report that can never be applied.
    await db('payment_events').where(event).update({ flag: 'contract_closed' });
    deps.log.warn(
      { agentPaymentId: report.agentPaymentId, contractId: request.contract_id },
      'payment report for a closed contract: stored and flagged, not applied',
    );
    return { flag: 'contract_closed', stored, contractId: request.contract_id, reversal };
  }
  // The workflow has it (a signal is durable once Temporal accepted it): the reconciliation need not re-deliver it.
  await db('payment_events').where(event).whereNull('applied_at').update({ applied_at: db.fn.now() });
  return { stored, contractId: request.contract_id, reversal };
}

async function tellWorkflow(teller: PaymentTeller, request: { contract_id: string; kind: string }, report: AgentReport): Promise<void> {
  const kind = request.kind as PaymentKind;
  const method = report.method === 'card' || report.method === 'terminal' ? report.method : 'other';
  const at = new Date().toISOString();
  if (PAID_STATES.includes(report.state) && report.cumulativePaidQepik > 0) {
    // The cumulative amount: the workflow applies only what exceeds what it recorded for this payment.
    await teller.paymentReported(request.contract_id, {
      agentPaymentId: report.agentPaymentId,
      kind,
      reported: 'paid',
      cumulativeQepik: report.cumulativePaidQepik,
      method,
      at,
    });
  } else if (REVERSAL_STATES.includes(report.state)) {
    await teller.paymentReported(request.contract_id, {
      agentPaymentId: report.agentPaymentId,
      kind,
      reported: 'reversed',
      cumulativeQepik: heldByReport(report),
      method,
      at,
    });
  } else if (FAILED_STATES.includes(report.state)) {
    await teller.paymentFailed(request.contract_id, {
      paymentId: `${report.agentPaymentId}!${report.state}`,
      kind,
      reason: report.reason ?? `state ${report.state}`,
      at,
    });
  }
}
