/**
 * Money through the payment agent (R4.2.2, R4.3), what the routes and the pages call: "Ödə" opens a
 * payment on the agent for what is due now; the agent's signed callback (and, racing it, the payer's
 * browser coming back) settles it into the contract's workflow. Every report is stored; the same
 * money reported twice counts once.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import {
  type Actor,
  amountDueNowQepik,
  type ContractStatus,
  isVerificationCode,
  nameOfRow,
  orderVerdict,
  type OrderVerdict,
  refusal,
  shortName,
} from '../../domain/contract';
import type { PaymentAgent } from '../../integrations/payment-agent/adapter';
import { CURRENCY, PaymentState } from '../../integrations/payment-agent/protocol';
import type { PaymentKind } from '../../workflows/contract/messages';
import type { ContractGateway } from '../contract/gateway';
import { type ContractRow, factsOf, loadVisibleContract } from '../contract/service';
import { conflict, unavailable } from '../http/errors';
import { recordSecurityEvent } from '../../platform/security-events';

export interface PaymentDeps {
  db: Knex;
  gateway: ContractGateway;
  paymentAgent: PaymentAgent;
  paymentAgentSecret: string;
  publicUrl: string;
  /** Where the payment agent reaches us server to server; the public URL unless set (containers). */
  callbackBaseUrl?: string;
  log: Logger;
}

export const PAYMENT_CALLBACK_PATH = '/api/payment-agent/callback';

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

/** A row of `payment_requests` (migration 002); bigints are read as numbers (platform/db). */
interface PaymentRequestRow {
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

const PAID_STATES: number[] = [PaymentState.Paid, PaymentState.Delivered, PaymentState.PartiallyPaid];
const FAILED_STATES: number[] = [PaymentState.Error, PaymentState.Declined, PaymentState.Canceled, PaymentState.Expired];
/** The agent took money back (issue 9 item 3). */
const REVERSAL_STATES: number[] = [PaymentState.Reversed, PaymentState.PartiallyReversed];

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
 * than the payment we asked for is stored, flagged, not applied.
 */
export async function settleAgentReport(deps: PaymentDeps, report: AgentReport, source: 'callback' | 'return'): Promise<SettledReport> {
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
      .andWhere((q) => q.whereNotIn('state', REVERSAL_STATES).orWhere('paid_qepik', '>=', held))
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
    await tellWorkflow(deps, request, report);
  } catch (err) {
    if (!(err instanceof WorkflowNotFoundError)) throw err;
    // The contract's workflow has completed (finished or deleted), yet money came for it, e.g. through
    // a terminal code handed out before. Kept and flagged for the Bar office; the agent is answered, so
    // it does not retry a report that can never be applied.
    await db('payment_events').where({ report_key: key }).update({ flag: 'contract_closed' });
    deps.log.warn(
      { agentPaymentId: report.agentPaymentId, contractId: request.contract_id },
      'payment report for a closed contract: stored and flagged, not applied',
    );
    return { flag: 'contract_closed', stored, contractId: request.contract_id, reversal };
  }
  return { stored, contractId: request.contract_id, reversal };
}

async function tellWorkflow(deps: PaymentDeps, request: { contract_id: string; kind: string }, report: AgentReport): Promise<void> {
  const { gateway } = deps;
  const kind = request.kind as PaymentKind;
  const method = report.method === 'card' || report.method === 'terminal' ? report.method : 'other';
  const at = new Date().toISOString();
  if (PAID_STATES.includes(report.state) && report.cumulativePaidQepik > 0) {
    // The cumulative amount: the workflow applies only what exceeds what it recorded for this payment.
    await gateway.paymentReported(request.contract_id, {
      agentPaymentId: report.agentPaymentId,
      kind,
      reported: 'paid',
      cumulativeQepik: report.cumulativePaidQepik,
      method,
      at,
    });
  } else if (REVERSAL_STATES.includes(report.state)) {
    await gateway.paymentReported(request.contract_id, {
      agentPaymentId: report.agentPaymentId,
      kind,
      reported: 'reversed',
      cumulativeQepik: heldByReport(report),
      method,
      at,
    });
  } else if (FAILED_STATES.includes(report.state)) {
    await gateway.paymentFailed(request.contract_id, {
      paymentId: `${report.agentPaymentId}!${report.state}`,
      kind,
      reason: report.reason ?? `state ${report.state}`,
      at,
    });
  }
}

export interface StartedPayment {
  /** The agent's id of the payment; the browser comes back from the agent with it (`/payments/return?payment=`). */
  agentPaymentId: string;
  paymentPageUrl: string;
  terminalCode: string;
  amountQepik: number;
  kind: PaymentKind;
}

/**
 * "Ödə": opens a payment on the agent for what this person owes now — the applicant the contract's
 * price or its balance (R4.3.1), the bureau head the Bar fee (R4.2.2). The API route and the pages
 * both call it. Refused (409) when nothing is due from this person; 503 when the agent is down.
 */
export async function startPayment(deps: PaymentDeps, actor: Actor, contractId: string, language: 'az' | 'en'): Promise<StartedPayment> {
  const { db, paymentAgent } = deps;
  const row = await loadVisibleContract(db, actor, contractId);
  const kind: PaymentKind = actor.kind === 'applicant' ? 'contract' : 'bar_fee';
  const why = refusal(kind === 'contract' ? 'pay' : 'payBarFee', actor, factsOf(row));
  if (why) throw conflict(why.code, why.params);
  const view = row.view;
  // What is due now, as the rules say it (R4.2.2, R4.3): the Bar fee, the first payment, or the balance.
  const amountQepik = amountDueNowQepik({
    status: view.status,
    price: view.terms?.price,
    paidQepik: view.paidQepik,
    approvedAsAlreadyPaid: view.approvedAsAlreadyPaid,
  });
  if (amountQepik <= 0) throw conflict('payment.nothing_due');
  // One open payment per amount due: asking again returns the same page (the agent is idempotent on it).
  const externalId = `${row.id}.${kind}.${view.paidQepik}`;
  const description =
    kind === 'bar_fee'
      ? { az: `Vəkillər Kollegiyasının haqqı, müqavilə № ${row.number}`, en: `Bar fee, contract No ${row.number}` }
      : { az: `Hüquqi yardım, müqavilə № ${row.number}`, en: `Legal aid, contract No ${row.number}` };
  let created;
  try {
    created = await paymentAgent.createPayment({
      externalId,
      amountQepik,
      description,
      language,
      returnUrl: `${deps.publicUrl}/payments/return?contract=${encodeURIComponent(row.id)}`,
      callbackUrl: `${deps.callbackBaseUrl ?? deps.publicUrl}${PAYMENT_CALLBACK_PATH}`,
    });
  } catch (err) {
    deps.log.error({ err }, 'payment agent refused to open a payment');
    throw unavailable('payment.agent_unavailable');
  }
  await db('payment_requests')
    .insert({
      agent_payment_id: created.agentPaymentId,
      external_id: externalId,
      contract_id: row.id,
      kind,
      amount_qepik: amountQepik,
      payment_page_url: created.paymentPageUrl,
      terminal_code: created.terminalCode,
      requested_by: actor.id,
    })
    .onConflict('agent_payment_id')
    .ignore();
  return { agentPaymentId: created.agentPaymentId, paymentPageUrl: created.paymentPageUrl, terminalCode: created.terminalCode, amountQepik, kind };
}

/** Where a payment the person came back from stands, for the notice on top of the contract. */
export async function paymentOutcome(db: Knex, row: ContractRow, agentPaymentId: string | undefined) {
  if (!agentPaymentId) return undefined;
  const request = await db<PaymentRequestRow>('payment_requests').where({ agent_payment_id: agentPaymentId, contract_id: row.id }).first();
  if (!request) return undefined;
  const state = Number(request.state);
  if (PAID_STATES.includes(state)) {
    const applied = row.view.payments.some((p) => p.paymentId.startsWith(`${agentPaymentId}@`));
    return { kind: applied ? ('received' as const) : ('confirming' as const) };
  }
  if (FAILED_STATES.includes(state) || REVERSAL_STATES.includes(state))
    return { kind: 'failed' as const, reason: String(request.state_reason ?? row.view.lastPaymentFailure?.reason ?? '') || undefined };
  return { kind: 'open' as const, terminalCode: String(request.terminal_code) };
}

export interface PaymentRequest {
  kind: PaymentKind;
  amountQepik: number;
  paymentPageUrl: string;
  terminalCode: string;
}

/** A payment request of this contract, as the hand-over page to the agent shows it. */
export async function openPaymentRequest(db: Knex, contractId: string, agentPaymentId: string): Promise<PaymentRequest | undefined> {
  const r = await db<PaymentRequestRow>('payment_requests').where({ agent_payment_id: agentPaymentId, contract_id: contractId }).first();
  if (!r) return undefined;
  return {
    kind: r.kind as PaymentKind,
    amountQepik: Number(r.amount_qepik),
    paymentPageUrl: String(r.payment_page_url),
    terminalCode: String(r.terminal_code),
  };
}

/** The terminal code of the applicant's payment still open for what is due now, if one was asked for. */
export async function openTerminalCode(db: Knex, row: ContractRow): Promise<string | undefined> {
  const open = await db<PaymentRequestRow>('payment_requests')
    .where({ contract_id: row.id, kind: 'contract', external_id: `${row.id}.contract.${row.view.paidQepik}`, state: 0 })
    .orderBy('created_at', 'desc')
    .first('terminal_code');
  return open?.terminal_code;
}

export async function paymentsOf(db: Knex, contractId: string) {
  const requests = await db<PaymentRequestRow>('payment_requests').where({ contract_id: contractId }).orderBy('created_at', 'desc');
  return requests.map((r) => ({
    agentPaymentId: r.agent_payment_id,
    kind: r.kind as PaymentKind,
    amountQepik: Number(r.amount_qepik),
    paidQepik: Number(r.paid_qepik),
    state: r.state,
    method: r.method,
    reason: r.state_reason,
    terminalCode: r.terminal_code,
    createdAt: r.created_at,
  }));
}

/** Stores a nonce of a signed callback; false when it was seen before (a replay). */
export async function claimCallbackNonce(db: Knex, nonce: string, expiresAt: Date | string): Promise<boolean> {
  await db('payment_callback_nonces').where('expires_at', '<', db.fn.now()).delete();
  const inserted = await db('payment_callback_nonces').insert({ nonce, expires_at: expiresAt }).onConflict('nonce').ignore().returning('nonce');
  return inserted.length > 0;
}

export async function paymentRequestByAgentId(db: Knex, agentPaymentId: string): Promise<{ kind: PaymentKind; contractId: string } | undefined> {
  const r = agentPaymentId ? await db<PaymentRequestRow>('payment_requests').where({ agent_payment_id: agentPaymentId }).first() : undefined;
  return r ? { kind: r.kind as PaymentKind, contractId: String(r.contract_id) } : undefined;
}

/** What the public check answers (R4.2.1, issue 9 item 9). */
export type OrderCheck =
  /** No order has this number. */
  | { orderNumber: string; exists: false; valid: false; status: 'unknown'; found: false }
  /** The number exists; without its verification code (or with a wrong one) nothing more is said. */
  | { orderNumber: string; exists: true; verified: false; found: true }
  /** The right code: what the order is worth, as before. */
  | {
      orderNumber: string;
      exists: true;
      verified: true;
      valid: boolean;
      status: OrderVerdict['status'];
      /** A Date as PostgreSQL gives it; a string in the JSON answer. */
      issuedAt: string | Date | null;
      supersededAt: string | Date | null;
      lawyer: { name: string; licenseNumber: string } | null;
      found: true;
    };

/** The answer as it is sent (the route uses `found` for the HTTP status). */
export type PublicOrderCheck = OrderCheck extends infer T ? (T extends unknown ? Omit<T, 'found'> : never) : never;

/** An order's version and its contract, as the public check reads them. */
interface IssuedOrderRow {
  order_number: string;
  version: number;
  issued_at: string | Date;
  superseded_at: string | Date | null;
  verification_code: string | null;
  status: ContractStatus;
  lawyer_id: string;
  payment_reversal: { orderUncovered?: boolean } | null;
}

/** Constant time, so that the answer's timing tells nothing of how much of a guessed code was right. */
function sameCode(expected: string | null, given: string | undefined): boolean {
  if (!expected || !isVerificationCode(given)) return false;
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(given, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Public: is an order with this number genuine and current? No personal data (R4.2.1). With the
 * order's verification code the check says what the order is worth; without it, only whether the
 * number exists (issue 9 item 9). An order whose payment was reversed and is not covered by other
 * money is not valid (`payment_reversed`, issue 9 item 3).
 */
export async function verifyOrder(db: Knex, orderNumber: string, code?: string): Promise<OrderCheck> {
  const version = await db('contract_versions as v')
    .join('contracts as c', 'c.id', 'v.contract_id')
    .where('v.order_number', orderNumber)
    .first<IssuedOrderRow | undefined>(
      'v.order_number',
      'v.version',
      'v.issued_at',
      'v.superseded_at',
      'v.verification_code',
      'c.status',
      'c.lawyer_id',
      db.raw(`c.view -> 'paymentReversal' AS payment_reversal`),
    );
  if (!version) return { orderNumber, exists: false, valid: false, status: 'unknown', found: false };
  if (!sameCode(version.verification_code, code)) return { orderNumber, exists: true, verified: false, found: true };
  const lawyer = await db<{ id: string; first_name: string; last_name: string; license_number: string }>('lawyers')
    .where({ id: version.lawyer_id })
    .first('first_name', 'last_name', 'license_number');
  const verdict = orderVerdict({
    supersededAt: version.superseded_at,
    contractStatus: version.status,
    paymentReversed: Boolean(version.payment_reversal?.orderUncovered),
  });
  return {
    orderNumber,
    exists: true,
    verified: true,
    ...verdict,
    issuedAt: version.issued_at,
    supersededAt: version.superseded_at,
    lawyer: lawyer ? { name: shortName(nameOfRow(lawyer)), licenseNumber: lawyer.license_number } : null,
    found: true,
  };
}

/**
 * A callback the agent signed (fresh, authentic) whose body we cannot read: kept all the same, flagged
 * `malformed`, so that every report the agent sends is stored (issue 9 item 3).
 */
export async function storeUnreadableReport(deps: PaymentDeps, rawBody: string): Promise<void> {
  let paymentId = '';
  try {
    const data = JSON.parse(rawBody) as { PaymentId?: unknown };
    if (typeof data.PaymentId === 'string') paymentId = data.PaymentId.slice(0, 64);
  } catch {
    // not JSON: kept as text
  }
  await deps
    .db('payment_events')
    .insert({
      agent_payment_id: paymentId,
      cumulative_paid_qepik: 0,
      state: -1,
      source: 'callback',
      flag: 'malformed',
      payload: JSON.stringify({ raw: rawBody.slice(0, 16_000) }),
      report_key: `malformed:${createHash('sha256').update(rawBody).digest('hex')}`,
    })
    .onConflict('report_key')
    .ignore();
}
