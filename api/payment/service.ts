/**
 * Money through the payment agent (R4.2.2, R4.3), what the routes and the pages call: "Ödə" opens a
 * payment on the agent for what is due now; the agent's signed callback (and, racing it, the payer's
 * browser coming back) settles it into the contract's workflow. Every report is stored; the same
 * money reported twice counts once.
 */
import { WorkflowNotFoundError } from '@temporalio/client';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { type Actor, amountDueNowQepik, type ContractStatus, nameOfRow, orderVerdict, type OrderVerdict, refusal, shortName } from '../../domain/contract';
import type { PaymentAgent } from '../../integrations/payment-agent/adapter';
import { CURRENCY, PaymentState } from '../../integrations/payment-agent/protocol';
import type { PaymentKind } from '../../workflows/contract/messages';
import type { ContractGateway } from '../contract/gateway';
import { type ContractRow, factsOf, loadVisibleContract } from '../contract/service';
import { conflict, unavailable } from '../http/errors';

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

/** Applies an agent report once: stores it, and tells the contract's workflow of new money or a failure. */
export async function settleAgentReport(deps: PaymentDeps, report: AgentReport, source: 'callback' | 'return'): Promise<void> {
  const { db } = deps;
  const request = await db<PaymentRequestRow>('payment_requests').where({ agent_payment_id: report.agentPaymentId }).first();
  const event = {
    agent_payment_id: report.agentPaymentId,
    cumulative_paid_qepik: report.cumulativePaidQepik,
    state: report.state,
    source,
    payload: JSON.stringify(report),
  };
  if (!request) {
    await db('payment_events')
      .insert({ ...event, flag: 'unknown_payment' })
      .onConflict(['agent_payment_id', 'cumulative_paid_qepik', 'state'])
      .ignore();
    deps.log.warn({ agentPaymentId: report.agentPaymentId }, 'payment report for a payment we never asked for: stored and flagged');
    return;
  }
  const mismatch =
    report.currency !== CURRENCY
      ? 'wrong_currency'
      : report.priceQepik !== Number(request.amount_qepik)
        ? 'amount_mismatch'
        : report.cumulativePaidQepik > Number(request.amount_qepik)
          ? 'overpaid'
          : undefined;
  await db('payment_events')
    .insert({ ...event, flag: mismatch ?? null })
    .onConflict(['agent_payment_id', 'cumulative_paid_qepik', 'state'])
    .ignore();
  if (mismatch) {
    deps.log.warn({ agentPaymentId: report.agentPaymentId, mismatch }, 'payment report does not match what was asked: stored and flagged, not applied');
    return;
  }
  await db('payment_requests')
    .where({ agent_payment_id: report.agentPaymentId })
    .andWhere('paid_qepik', '<=', report.cumulativePaidQepik)
    .update({
      state: report.state,
      paid_qepik: report.cumulativePaidQepik,
      method: report.method ?? null,
      state_reason: report.reason ?? null,
      updated_at: db.fn.now(),
    });

  try {
    await tellWorkflow(deps, request, report);
  } catch (err) {
    if (!(err instanceof WorkflowNotFoundError)) throw err;
    // The contract's workflow has completed (finished or deleted), yet money came for it, e.g. through
    // a terminal code handed out before. Kept and flagged for the Bar office; the agent is answered, so
    // it does not retry a report that can never be applied.
    await db('payment_events')
      .where({ agent_payment_id: report.agentPaymentId, cumulative_paid_qepik: report.cumulativePaidQepik, state: report.state })
      .update({ flag: 'contract_closed' });
    deps.log.warn(
      { agentPaymentId: report.agentPaymentId, contractId: request.contract_id },
      'payment report for a closed contract: stored and flagged, not applied',
    );
  }
}

async function tellWorkflow(deps: PaymentDeps, request: { contract_id: string; kind: string }, report: AgentReport): Promise<void> {
  const { db, gateway } = deps;
  const kind = request.kind as PaymentKind;
  const method = report.method === 'card' || report.method === 'terminal' ? report.method : 'other';
  if (PAID_STATES.includes(report.state) && report.cumulativePaidQepik > 0) {
    // The money of this report is what it adds to the largest amount reported before it.
    const before = await db('payment_events')
      .where({ agent_payment_id: report.agentPaymentId })
      .andWhere('cumulative_paid_qepik', '<', report.cumulativePaidQepik)
      .whereNull('flag')
      .max({ max: 'cumulative_paid_qepik' })
      .first();
    const amountQepik = report.cumulativePaidQepik - Number(before?.max ?? 0);
    const notice = { paymentId: `${report.agentPaymentId}@${report.cumulativePaidQepik}`, amountQepik, method, paidAt: new Date().toISOString() } as const;
    if (kind === 'bar_fee') await gateway.barFeePaid(request.contract_id, notice);
    else await gateway.paymentCompleted(request.contract_id, notice);
  } else if (FAILED_STATES.includes(report.state)) {
    await gateway.paymentFailed(request.contract_id, {
      paymentId: `${report.agentPaymentId}!${report.state}`,
      kind,
      reason: report.reason ?? `state ${report.state}`,
      at: new Date().toISOString(),
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
  if (FAILED_STATES.includes(state))
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

export interface OrderCheck extends Record<string, unknown> {
  orderNumber: string;
  valid: boolean;
  status: OrderVerdict['status'];
  /** A Date as PostgreSQL gives it; a string in the JSON answer. */
  issuedAt: string | Date | null;
  supersededAt: string | Date | null;
  lawyer: { name: string; licenseNumber: string } | null;
  found: boolean;
}

/** An order's version and its contract, as the public check reads them. */
interface IssuedOrderRow {
  order_number: string;
  version: number;
  issued_at: string | Date;
  superseded_at: string | Date | null;
  status: ContractStatus;
  lawyer_id: string;
}

/** Public: is an order with this number genuine and current? No personal data (R4.2.1). */
export async function verifyOrder(db: Knex, orderNumber: string): Promise<OrderCheck> {
  const version = await db('contract_versions as v')
    .join('contracts as c', 'c.id', 'v.contract_id')
    .where('v.order_number', orderNumber)
    .first<IssuedOrderRow | undefined>('v.order_number', 'v.version', 'v.issued_at', 'v.superseded_at', 'c.status', 'c.lawyer_id');
  const lawyer = version
    ? await db<{ id: string; first_name: string; last_name: string; license_number: string }>('lawyers')
        .where({ id: version.lawyer_id })
        .first('first_name', 'last_name', 'license_number')
    : undefined;
  const verdict = orderVerdict(version ? { supersededAt: version.superseded_at, contractStatus: version.status } : undefined);
  return {
    orderNumber,
    ...verdict,
    issuedAt: version?.issued_at ?? null,
    supersededAt: version?.superseded_at ?? null,
    lawyer: lawyer ? { name: shortName(nameOfRow(lawyer)), licenseNumber: lawyer.license_number } : null,
    found: Boolean(version),
  };
}
