/**
 * Money through the payment agent (R4.2.2, R4.3): "Ödə" opens a payment on the agent; the agent's
 * signed callback (and, racing it, the payer's browser coming back) settles it into the contract's
 * workflow. Every report is stored; the same money reported twice counts once.
 */
import { WorkflowNotFoundError } from '@temporalio/client';
import express, { type Request, Router } from 'express';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { type Actor, amountDueForOrderQepik, BAR_FEE_QEPIK, formatAzn, refusal } from '../../domain/contract';
import type { PaymentAgent } from '../../integrations/payment-agent/adapter';
import { CURRENCY, PaymentState, verifyCallback } from '../../integrations/payment-agent/protocol';
import type { PaymentKind } from '../../workflows/contract/messages';
import { currentActor, requireActor } from '../auth/routes';
import type { ContractGateway } from '../contract/gateway';
import { factsOf, loadVisibleContract } from '../contract/routes';
import { conflict, HttpError, notFound } from '../http/errors';
import { parseBody, startPaymentSchema } from '../http/schemas';

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
interface AgentReport {
  agentPaymentId: string;
  state: number;
  cumulativePaidQepik: number;
  priceQepik: number;
  currency: string;
  method?: string;
  reason?: string;
}

const PAID_STATES: number[] = [PaymentState.Paid, PaymentState.Delivered, PaymentState.PartiallyPaid];
const FAILED_STATES: number[] = [PaymentState.Error, PaymentState.Declined, PaymentState.Canceled, PaymentState.Expired];

/** Applies an agent report once: stores it, and tells the contract's workflow of new money or a failure. */
export async function settleAgentReport(deps: PaymentDeps, report: AgentReport, source: 'callback' | 'return'): Promise<void> {
  const { db, gateway } = deps;
  const request = await db('payment_requests').where({ agent_payment_id: report.agentPaymentId }).first();
  const event = { agent_payment_id: report.agentPaymentId, cumulative_paid_qepik: report.cumulativePaidQepik, state: report.state, source, payload: JSON.stringify(report) };
  if (!request) {
    await db('payment_events').insert({ ...event, flag: 'unknown_payment' }).onConflict(['agent_payment_id', 'cumulative_paid_qepik', 'state']).ignore();
    deps.log.warn({ agentPaymentId: report.agentPaymentId }, 'payment report for a payment we never asked for: stored and flagged');
    return;
  }
  const mismatch =
    report.currency !== CURRENCY ? 'wrong_currency' : report.priceQepik !== Number(request.amount_qepik) ? 'amount_mismatch' : report.cumulativePaidQepik > Number(request.amount_qepik) ? 'overpaid' : undefined;
  await db('payment_events').insert({ ...event, flag: mismatch ?? null }).onConflict(['agent_payment_id', 'cumulative_paid_qepik', 'state']).ignore();
  if (mismatch) {
    deps.log.warn({ agentPaymentId: report.agentPaymentId, mismatch }, 'payment report does not match what was asked: stored and flagged, not applied');
    return;
  }
  await db('payment_requests')
    .where({ agent_payment_id: report.agentPaymentId })
    .andWhere('paid_qepik', '<=', report.cumulativePaidQepik)
    .update({ state: report.state, paid_qepik: report.cumulativePaidQepik, method: report.method ?? null, state_reason: report.reason ?? null, updated_at: db.fn.now() });

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
    deps.log.warn({ agentPaymentId: report.agentPaymentId, contractId: request.contract_id }, 'payment report for a closed contract: stored and flagged, not applied');
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
  const amountQepik =
    kind === 'bar_fee' ? BAR_FEE_QEPIK : view.status === 'awaiting_payment' ? Math.max(0, amountDueForOrderQepik(view.terms!.price) - view.paidQepik) : view.balanceDueQepik;
  if (amountQepik <= 0) throw conflict('Nothing is due.');
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
    throw new HttpError(503, 'unavailable', 'The payment agent does not answer now; try again shortly.');
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

/** "Ödə": the applicant pays the contract (R4.3.1) or the head pays the Bar fee (R4.2.2). */
export function paymentsRouter(deps: PaymentDeps): Router {
  const { db } = deps;
  const router = Router();

  router.post('/:id/payments', requireActor('applicant', 'lawyer'), async (req, res) => {
    const { language = 'az' } = parseBody(startPaymentSchema, req.body);
    const { paymentPageUrl, terminalCode, amountQepik, kind } = await startPayment(deps, currentActor(req), String(req.params.id), language);
    res.status(201).json({ paymentPageUrl, terminalCode, amountQepik, amountAzn: formatAzn(amountQepik), kind });
  });

  router.get('/:id/payments', requireActor(), async (req, res) => {
    const row = await loadVisibleContract(db, currentActor(req), String(req.params.id));
    const requests = await db('payment_requests').where({ contract_id: row.id }).orderBy('created_at', 'desc');
    res.json({
      payments: requests.map((r) => ({
        agentPaymentId: r.agent_payment_id,
        kind: r.kind,
        amountQepik: Number(r.amount_qepik),
        paidQepik: Number(r.paid_qepik),
        state: r.state,
        method: r.method,
        reason: r.state_reason,
        terminalCode: r.terminal_code,
        createdAt: r.created_at,
      })),
    });
  });

  return router;
}

/** The agent's signed server-to-server notification (R4.3.3): verified on the raw bytes, then settled. */
export function paymentCallbackRouter(deps: PaymentDeps): Router {
  const { db } = deps;
  const router = Router();
  router.post('/callback', express.raw({ type: () => true, limit: '64kb' }), async (req: Request, res) => {
    const rawBody = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
    const result = await verifyCallback({
      secret: deps.paymentAgentSecret,
      url: `${deps.callbackBaseUrl ?? deps.publicUrl}${PAYMENT_CALLBACK_PATH}`,
      rawBody,
      headers: req.headers,
      isNonceFresh: async (nonce, expiresAt) => {
        await db('payment_callback_nonces').where('expires_at', '<', db.fn.now()).delete();
        const inserted = await db('payment_callback_nonces').insert({ nonce, expires_at: expiresAt }).onConflict('nonce').ignore().returning('nonce');
        return inserted.length > 0;
      },
    });
    if (!result.ok) {
      deps.log.warn({ reason: result.reason }, 'payment callback refused');
      const status = result.reason === 'replayed' ? 409 : result.reason === 'malformed' ? 400 : 401;
      res.status(status).json({ error: { code: result.reason, message: `Callback refused: ${result.reason}.` } });
      return;
    }
    const n = result.notification;
    await settleAgentReport(
      deps,
      { agentPaymentId: n.PaymentId, state: n.State, cumulativePaidQepik: n.Price - n.Debt, priceQepik: n.Price, currency: n.Currency, method: n.Method, reason: n.StateReason },
      'callback',
    );
    res.json({ status: 'accepted' });
  });
  return router;
}

/**
 * The payer's browser coming back from the agent: we ask the agent for the payment's state (a
 * signed call, not the URL's word) and settle it the same way as the callback, whichever is first.
 */
export function verificationRouter(deps: PaymentDeps): Router {
  const { db } = deps;
  const router = Router();

  router.get('/payments/return', async (req, res) => {
    const agentPaymentId = String(req.query.payment ?? '');
    const request = agentPaymentId ? await db('payment_requests').where({ agent_payment_id: agentPaymentId }).first() : undefined;
    if (!request) throw notFound('Unknown payment.');
    try {
      const status = await deps.paymentAgent.getPayment(agentPaymentId);
      await settleAgentReport(
        deps,
        { agentPaymentId, state: status.state, cumulativePaidQepik: status.paidQepik, priceQepik: status.priceQepik, currency: CURRENCY, method: status.method, reason: status.reason },
        'return',
      );
    } catch (err) {
      deps.log.warn({ err }, 'could not ask the payment agent on return; the callback will settle it');
    }
    const target = request.kind === 'bar_fee' ? `/contracts/${request.contract_id}` : `/applicant/contracts/${request.contract_id}`;
    res.redirect(303, `${target}?payment=${encodeURIComponent(agentPaymentId)}`);
  });

  /** Public: is an order with this number genuine and current? No personal data is shown. */
  router.get('/verify/:orderNumber', async (req, res) => {
    const orderNumber = String(req.params.orderNumber);
    const version = await db('contract_versions as v')
      .join('contracts as c', 'c.id', 'v.contract_id')
      .where('v.order_number', orderNumber)
      .first('v.order_number', 'v.version', 'v.issued_at', 'v.superseded_at', 'c.status', 'c.lawyer_id');
    const lawyer = version ? await db('lawyers').where({ id: version.lawyer_id }).first('first_name', 'last_name', 'license_number') : undefined;
    const verdict = !version
      ? { valid: false, status: 'unknown' as const }
      : version.superseded_at
        ? { valid: false, status: 'superseded' as const }
        : ['terminated', 'finished'].includes(version.status)
          ? { valid: false, status: version.status as string }
          : { valid: true, status: 'current' as const };
    const body = {
      orderNumber,
      ...verdict,
      issuedAt: version?.issued_at ?? null,
      supersededAt: version?.superseded_at ?? null,
      lawyer: lawyer ? { name: `${lawyer.first_name} ${lawyer.last_name}`, licenseNumber: lawyer.license_number } : null,
    };
    if (req.accepts(['html', 'json']) === 'json') {
      res.status(version ? 200 : 404).json(body);
      return;
    }
    res.status(version ? 200 : 404).type('html').send(verificationPage(body));
  });

  return router;
}

function verificationPage(v: { orderNumber: string; valid: boolean; status: string; issuedAt: string | null; lawyer: { name: string; licenseNumber: string } | null }): string {
  const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  const verdict: Record<string, string> = {
    current: 'Order etibarlıdır və qüvvədədir. / The order is valid and current.',
    superseded: 'Bu order yeni versiya ilə əvəz edilib. / This order has been superseded by a new version.',
    unknown: 'Belə nömrəli order yoxdur. / No order has this number.',
    terminated: 'Müqaviləyə xitam verilib; order qüvvədə deyil. / The contract was terminated; the order is not in force.',
    finished: 'Müqavilə başa çatıb; order qüvvədə deyil. / The contract is finished; the order is not in force.',
  };
  return `<!doctype html><html lang="az"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>Orderin yoxlanılması ${escape(v.orderNumber)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem}.ok{color:#0a6b2d}.bad{color:#a4161a}</style></head>
<body><h1>Elektron vəkil orderinin yoxlanılması</h1><p>Order № <strong>${escape(v.orderNumber)}</strong></p>
<p class="${v.valid ? 'ok' : 'bad'}" role="status"><strong>${escape(verdict[v.status] ?? v.status)}</strong></p>
${v.lawyer ? `<p>Vəkil / Lawyer: ${escape(v.lawyer.name)}, vəsiqə № ${escape(v.lawyer.licenseNumber)}</p>` : ''}
${v.issuedAt ? `<p>Verilib / Issued: ${escape(new Date(v.issuedAt).toISOString().slice(0, 10))}</p>` : ''}</body></html>`;
}
