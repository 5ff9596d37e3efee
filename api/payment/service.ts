/**
 * Money through the payment agent (R4.2.2, R4.3), what the routes and the pages call: "Ödə" opens a
 * payment on the agent for what is due now; the agent's signed callback (and, racing it, the payer's
 * browser coming back) settles it into the contract's workflow. Every report is stored; the same
 * money reported twice counts once.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
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
import {
  type AgentReport,
  FAILED_STATES,
  PAID_STATES,
  type PaymentRequestRow,
  REVERSAL_STATES,
  type SettledReport,
  settleAgentReport as settleReport,
} from '../../activities/payment/settle';
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

export {
  type AgentReport,
  FAILED_STATES,
  PAID_STATES,
  REPORT_FLAGS,
  REVERSAL_STATES,
  type ReportFlag,
  type SettledReport,
} from '../../activities/payment/settle';

/**
 * Applies an agent report through the one settle path (activities/payment/settle.ts, shared with the
 * reconciliation of issue 10 item 1): stored, checked, told to the contract's workflow through the gateway.
 */
export function settleAgentReport(deps: PaymentDeps, report: AgentReport, source: 'callback' | 'return'): Promise<SettledReport> {
  return settleReport({ db: deps.db, teller: deps.gateway, log: deps.log }, report, source);
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

/**
 * Stores a nonce of a signed callback; false when it was seen before (a replay). The expired nonces
 * go in the same statement (issue 14: one round trip); a nonce seen before counts as seen until then.
 */
export async function claimCallbackNonce(db: Knex, nonce: string, expiresAt: Date | string): Promise<boolean> {
  const { rows } = await db.raw<{ rows: unknown[] }>(
    `WITH expired AS (DELETE FROM payment_callback_nonces WHERE expires_at < now())
     INSERT INTO payment_callback_nonces (nonce, expires_at) VALUES (?, ?) ON CONFLICT (nonce) DO NOTHING RETURNING nonce`,
    [nonce, expiresAt],
  );
  return rows.length > 0;
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
