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
  type PaymentDeps,
  paymentRequestByAgentId,
  paymentsOf,
  settleAgentReport,
  startPayment,
  storeUnreadableReport,
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

  // The public check of an order, /verify/<number>, is api/verify/routes.ts and web/verify/page.ts (issue 13).
  return router;
}
