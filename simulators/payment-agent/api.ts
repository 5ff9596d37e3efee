/** The simulated payment agent's merchant API (signed) and its test helpers (JSON, unauthenticated). */
import express from 'express';
import { verifyMerchantRequest } from '../../integrations/payment-agent/protocol';
import { ApiError, createBodySchema, type PaymentAgentSimulator, type PaymentAgentSimulatorOptions, type SimPayment, type TerminalInput } from './agent';
import type { CardInput } from './cards';

const str = (value: unknown): string => (typeof value === 'string' ? value : '');

export function merchantApiRouter(sim: PaymentAgentSimulator, options: PaymentAgentSimulatorOptions): express.Router {
  const merchantApi = express.Router();
  merchantApi.use(express.text({ type: () => true, limit: '64kb' }));
  merchantApi.use((req, res, next) => {
    const rawBody = typeof req.body === 'string' ? req.body : '';
    const verdict = verifyMerchantRequest({
      secret: options.secret,
      merchantId: options.merchantId,
      method: req.method,
      pathWithQuery: req.originalUrl,
      rawBody,
      headers: req.headers,
      now: sim.now(),
    });
    if (!verdict.ok) {
      res.status(401).json({ error: verdict.reason, message: `merchant request signature check failed: ${verdict.reason}` });
      return;
    }
    next();
  });

  merchantApi.post('/payments', async (req, res) => {
    let json: unknown;
    try {
      json = JSON.parse(str(req.body));
    } catch {
      res.status(400).json({ error: 'malformed', message: 'body is not JSON' });
      return;
    }
    const parsed = createBodySchema.safeParse(json);
    if (!parsed.success) {
      res.status(400).json({
        error: 'invalid_request',
        message: parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '),
      });
      return;
    }
    await sim.simulateLatency();
    try {
      const { payment, created } = sim.create(parsed.data);
      res.status(created ? 201 : 200).json(sim.status(payment, parsed.data.Language));
    } catch (err) {
      if (err instanceof ApiError) res.status(err.status).json({ error: err.code, message: err.message });
      else throw err;
    }
  });

  merchantApi.get('/payments/:id', async (req, res) => {
    await sim.simulateLatency();
    const payment = sim.get(req.params.id);
    if (!payment) {
      res.status(404).json({ error: 'not_found', message: `no payment ${req.params.id}` });
      return;
    }
    res.json(sim.status(payment));
  });

  return merchantApi;
}

export function testApiRouter(sim: PaymentAgentSimulator): express.Router {
  const testApi = express.Router();
  testApi.use(express.json({ limit: '16kb' }));
  const withDeliveries = (payment: SimPayment) => ({ ...sim.status(payment), Callbacks: payment.deliveries });

  // Issue 10 item 1: the callbacks cannot reach the merchant while `drop` is true (an outage on our side).
  testApi.post('/callbacks', (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    sim.callbacksDropped = body.drop === true;
    res.json({ dropped: sim.callbacksDropped });
  });
  testApi.get('/payments', (req, res) => {
    const externalId = str(req.query.externalId);
    const payments = externalId ? sim.findByExternalId(externalId) : sim.list();
    res.json(payments.map(withDeliveries));
  });
  testApi.get('/payments/:id', (req, res) => {
    const payment = sim.get(req.params.id);
    if (!payment) res.status(404).json({ error: 'not_found', message: `no payment ${req.params.id}` });
    else res.json(withDeliveries(payment));
  });
  testApi.get('/payments/:id/callbacks', (req, res) => {
    const payment = sim.get(req.params.id);
    if (!payment) res.status(404).json({ error: 'not_found', message: `no payment ${req.params.id}` });
    else res.json(payment.deliveries);
  });
  testApi.post('/payments/:id/pay-card', async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const nextYear = String((sim.now().getUTCFullYear() + 3) % 100).padStart(2, '0');
    const input: CardInput = {
      cardNumber: str(body.cardNumber),
      expiry: typeof body.expiry === 'string' ? body.expiry : `12/${nextYear}`,
      cvv: typeof body.cvv === 'string' ? body.cvv : '123',
      holder: typeof body.holder === 'string' ? body.holder : 'TEST HOLDER',
    };
    const result = await sim.payByCard(req.params.id, input);
    switch (result.kind) {
      case 'not_found':
        res.status(404).json({ outcome: 'not_found' });
        return;
      case 'not_payable':
        res.status(409).json({ outcome: 'not_payable', payment: sim.status(result.payment) });
        return;
      case 'invalid':
        res.status(422).json({ outcome: 'invalid', errors: result.errors, payment: sim.status(result.payment) });
        return;
      case 'processed':
        res.json({ outcome: result.outcome, state: result.payment.state, redirectUrl: result.redirectUrl, payment: sim.status(result.payment) });
    }
  });
  /** Issue 9 item 3: the agent reverses a payment, all of it or { amountQepik } of it, and calls back. */
  testApi.post('/payments/:id/reverse', (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const amount = body.amountQepik === undefined ? undefined : typeof body.amountQepik === 'number' ? body.amountQepik : Number.NaN;
    const result = sim.reverse(req.params.id, amount);
    if (result.kind === 'not_found') res.status(404).json({ outcome: 'not_found' });
    else if (result.kind === 'invalid') res.status(422).json({ outcome: 'invalid', error: result.error });
    else res.json({ outcome: 'reversed', state: result.payment.state, payment: sim.status(result.payment) });
  });
  testApi.post('/terminal', async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const input: TerminalInput = { code: str(body.code) };
    if (body.amountQepik !== undefined) input.amountQepik = typeof body.amountQepik === 'number' ? body.amountQepik : Number.NaN;
    else input.amount = str(body.amount);
    const result = await sim.payAtTerminal(input);
    if (result.kind === 'invalid') {
      res.status(result.errors.code === 'code_unknown' || result.errors.code === 'code_required' ? 404 : 422).json({
        outcome: 'invalid',
        errors: result.errors,
        maxQepik: result.maxQepik,
        payment: result.payment ? sim.status(result.payment) : undefined,
      });
      return;
    }
    res.json({
      outcome: result.outcome,
      state: result.payment.state,
      amountQepik: result.amountQepik,
      debtQepik: result.payment.debt,
      payment: sim.status(result.payment),
    });
  });
  return testApi;
}
