/**
 * The payment routes (R4.2.2, R4.3), thin JSON over ./service: "Ödə", the agent's signed callback,
 * the payer's browser coming back, and the public order check.
 */
import express, { type Request, Router } from 'express';
import { describe } from '../../locales';
import { formatAzn } from '../../domain/contract';
import { CURRENCY, verifyCallback } from '../../integrations/payment-agent/protocol';
import { currentActor, requireActor } from '../auth/actor';
import { loadVisibleContract } from '../contract/service';
import { notFound } from '../http/errors';
import { parseBody, startPaymentSchema } from '../http/schemas';
import {
  claimCallbackNonce,
  PAYMENT_CALLBACK_PATH,
  type PaymentDeps,
  paymentRequestByAgentId,
  paymentsOf,
  settleAgentReport,
  startPayment,
  verifyOrder,
} from './service';

export { PAYMENT_CALLBACK_PATH, type PaymentDeps, settleAgentReport, type StartedPayment, startPayment } from './service';

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
    res.json({ payments: await paymentsOf(db, row.id) });
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
      isNonceFresh: (nonce, expiresAt) => claimCallbackNonce(db, nonce, expiresAt),
    });
    if (!result.ok) {
      deps.log.warn({ reason: result.reason }, 'payment callback refused');
      const status = result.reason === 'replayed' ? 409 : result.reason === 'malformed' ? 400 : 401;
      res.status(status).json({ error: { code: result.reason, message: describe('en', 'payment.callback_refused', { reason: result.reason }) } });
      return;
    }
    const n = result.notification;
    await settleAgentReport(
      deps,
      {
        agentPaymentId: n.PaymentId,
        state: n.State,
        cumulativePaidQepik: n.Price - n.Debt,
        priceQepik: n.Price,
        currency: n.Currency,
        method: n.Method,
        reason: n.StateReason,
      },
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
    // Only a single plain value is a payment's id; otherwise none is found (404).
    const agentPaymentId = typeof req.query.payment === 'string' ? req.query.payment : '';
    const request = await paymentRequestByAgentId(db, agentPaymentId);
    if (!request) throw notFound('payment.unknown');
    try {
      const status = await deps.paymentAgent.getPayment(agentPaymentId);
      await settleAgentReport(
        deps,
        {
          agentPaymentId,
          state: status.state,
          cumulativePaidQepik: status.paidQepik,
          priceQepik: status.priceQepik,
          currency: CURRENCY,
          method: status.method,
          reason: status.reason,
        },
        'return',
      );
    } catch (err) {
      deps.log.warn({ err }, 'could not ask the payment agent on return; the callback will settle it');
    }
    const target = request.kind === 'bar_fee' ? `/contracts/${request.contractId}` : `/applicant/contracts/${request.contractId}`;
    res.redirect(303, `${target}?payment=${encodeURIComponent(agentPaymentId)}`);
  });

  /** Public: is an order with this number genuine and current? No personal data is shown. */
  router.get('/verify/:orderNumber', async (req, res) => {
    const orderNumber = String(req.params.orderNumber);
    const { found, ...body } = await verifyOrder(db, orderNumber);
    if (req.accepts(['html', 'json']) === 'json') {
      res.status(found ? 200 : 404).json(body);
      return;
    }
    res
      .status(found ? 200 : 404)
      .type('html')
      .send(verificationPage(body));
  });

  return router;
}

function verificationPage(v: {
  orderNumber: string;
  valid: boolean;
  status: string;
  issuedAt: string | Date | null;
  lawyer: { name: string; licenseNumber: string } | null;
}): string {
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
