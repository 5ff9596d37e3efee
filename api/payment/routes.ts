/**
 * The payment routes (R4.2.2, R4.3), thin JSON over ./service: "Ödə", the agent's signed callback,
 * the payer's browser coming back, and the public order check.
 */
import express, { type Request, Router } from 'express';
import { describe } from '../../locales';
import { formatAzn } from '../../domain/contract';
import { verifyCallback } from '../../integrations/payment-agent/protocol';
import { recordSecurityEvent } from '../../platform/security-events';
import { currentActor, requireActor } from '../auth/actor';
import { loadVisibleContract } from '../contract/service';
import { reportOfStatus } from '../../activities/payment/settle';
import { notFound } from '../http/errors';
import { parseBody, startPaymentSchema } from '../http/schemas';
import {
  claimCallbackNonce,
  PAYMENT_CALLBACK_PATH,
  type PublicOrderCheck,
  type PaymentDeps,
  paymentRequestByAgentId,
  paymentsOf,
  settleAgentReport,
  startPayment,
  storeUnreadableReport,
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
      // Recorded for the Bar office (ASVS 16.3, issue 9 item 10): the reason only, never a signature or the body.
      await recordSecurityEvent(db, deps.log, { kind: 'callback_refused', ip: req.ip, detail: { reason: result.reason } });
      if (result.authentic) await storeUnreadableReport(deps, rawBody);
      const status = result.reason === 'replayed' ? 409 : result.reason === 'malformed' ? 400 : 401;
      res.status(status).json({ error: { code: result.reason, message: describe('en', 'payment.callback_refused', { reason: result.reason }) } });
      return;
    }
    const n = result.notification;
    const settled = await settleAgentReport(
      deps,
      {
        agentPaymentId: n.PaymentId,
        state: n.State,
        cumulativePaidQepik: n.Price - n.Debt,
        priceQepik: n.Price,
        currency: n.Currency,
        externalId: n.ExternalId,
        method: n.Method,
        reason: n.StateReason,
      },
      'callback',
    );
    if (settled.flag && settled.flag !== 'contract_closed') {
      // Authentic but not applied (issue 9 item 3): stored and flagged; the agent is answered so that it does not retry.
      await recordSecurityEvent(db, deps.log, {
        kind: 'callback_refused',
        ip: req.ip,
        subject: `payment:${n.PaymentId}`,
        detail: { reason: settled.flag },
      });
      res.json({ status: 'accepted', flag: settled.flag });
      return;
    }
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
      await settleAgentReport(deps, reportOfStatus(agentPaymentId, status), 'return');
    } catch (err) {
      deps.log.warn({ err }, 'could not ask the payment agent on return; the callback will settle it');
    }
    const target = request.kind === 'bar_fee' ? `/contracts/${request.contractId}` : `/applicant/contracts/${request.contractId}`;
    res.redirect(303, `${target}?payment=${encodeURIComponent(agentPaymentId)}`);
  });

  /**
   * Public: is an order with this number genuine and current? No personal data is shown. Only with
   * the order's verification code (its QR code and link carry it) does the answer say more than
   * whether the number exists (issue 9 item 9): order numbers count up and can be walked.
   */
  router.get('/verify/:orderNumber', async (req, res) => {
    const orderNumber = String(req.params.orderNumber);
    const code = typeof req.query.code === 'string' ? req.query.code : undefined;
    const { found, ...body } = await verifyOrder(db, orderNumber, code);
    res.set('Cache-Control', 'no-store');
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

function verificationPage(v: PublicOrderCheck): string {
  const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  const verdict: Record<string, string> = {
    current: 'Order etibarlıdır və qüvvədədir. / The order is valid and current.',
    superseded: 'Bu order yeni versiya ilə əvəz edilib. / This order has been superseded by a new version.',
    unknown: 'Belə nömrəli order yoxdur. / No order has this number.',
    terminated: 'Müqaviləyə xitam verilib; order qüvvədə deyil. / The contract was terminated; the order is not in force.',
    finished: 'Müqavilə başa çatıb; order qüvvədə deyil. / The contract is finished; the order is not in force.',
    payment_reversed:
      'Order verildiyi ödəniş ödəniş agenti tərəfindən geri qaytarılıb; order etibarlı deyil. / The payment the order was issued on was reversed by the payment agent; the order is not valid.',
    unverified:
      'Bu nömrəli order mövcuddur. Onun etibarlılığını görmək üçün orderdəki QR kodu oxudun və ya orderdəki keçidi açın. / An order with this number exists. To see whether it is valid, scan the QR code on the order or open the link printed on it.',
  };
  const status = !v.exists ? 'unknown' : v.verified ? v.status : 'unverified';
  const valid = v.exists && v.verified && v.valid;
  const details = v.exists && v.verified ? v : undefined;
  return `<!doctype html><html lang="az"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>Orderin yoxlanılması ${escape(v.orderNumber)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem}.ok{color:#0a6b2d}.bad{color:#a4161a}</style></head>
<body><h1>Elektron vəkil orderinin yoxlanılması</h1><p>Order № <strong>${escape(v.orderNumber)}</strong></p>
<p class="${valid ? 'ok' : 'bad'}" role="status" data-status="${escape(status)}"><strong>${escape(verdict[status] ?? status)}</strong></p>
${details?.lawyer ? `<p>Vəkil / Lawyer: ${escape(details.lawyer.name)}, vəsiqə № ${escape(details.lawyer.licenseNumber)}</p>` : ''}
${details?.issuedAt ? `<p>Verilib / Issued: ${escape(new Date(details.issuedAt).toISOString().slice(0, 10))}</p>` : ''}</body></html>`;
}
