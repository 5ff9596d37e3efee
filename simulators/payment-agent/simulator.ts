/**
 * SIMULATOR of the payment agent (PulPal MMC), R4.3.1–R4.3.3: a local stand-in, served over real
 * HTTP on its own port, that the adapter (adapter.ts) talks to by default.
 *
 * Merchant API (signed with X-Merchant-Id / X-Timestamp / X-Signature, see protocol.ts):
 *   POST /api/payments              create (idempotent on ExternalId + Price while open)
 *   GET  /api/payments/:id          status (signed, like every merchant call)
 * Payer-facing pages (Azerbaijani, ?lang=en for English):
 *   GET  /pay/:id[?method=card|terminal]   payment page: amount, description, method choice
 *   POST /pay/:id/card                     card form (Luhn, MM/YY not in the past, CVV, holder)
 *   GET  /terminal[?code=...]              payment-terminal screen (e-wallets → PulPal)
 *   POST /terminal                         pay by code; partial payments allowed, overpay refused
 *   GET  /                                 index of payments (simulator only)
 * Test helpers (JSON, unauthenticated, same code path as the forms):
 *   POST /api/test/payments/:id/pay-card   { cardNumber, expiry?, cvv?, holder? }
 *   POST /api/test/terminal                { code, amountQepik } or { code, amount: "12.50" }
 *   POST /api/test/payments/:id/reverse    { amountQepik? } reverses all (state 7) or part (state 9) of what was paid
 *   GET  /api/test/payments?externalId=…   payments (with callback deliveries)
 *   GET  /api/test/payments/:id            one payment with its callback deliveries
 *   GET  /api/test/payments/:id/callbacks  callback deliveries of a payment
 *   POST /api/test/callbacks               { drop: true|false } callbacks fail as if we were unreachable (issue 10 item 1)
 *   GET  /health
 *
 * After each card or terminal attempt the simulator POSTs a signed callback to the payment's
 * callbackUrl (retried with backoff on non-2xx and network errors; callbacks of one payment are
 * delivered in order) and, for a successful card payment, redirects the browser (303) to
 * returnUrl?payment=<id>&state=<n>. A declined or timed-out card shows the outcome on the page with
 * a link back to the same kind of returnUrl.
 */
import { listenHost } from '../http';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { formatQepik, PaymentState } from '../../integrations/payment-agent/protocol';
import { PAYABLE, PaymentAgentSimulator, type PaymentAgentSimulatorOptions, type SimPayment } from './agent';
import { merchantApiRouter, testApiRouter } from './api';
import { type CardField, type CardInput, normaliseTerminalCode } from './cards';
import {
  TEXTS,
  errorText,
  indexPageTemplate,
  messagePageTemplate,
  paymentPageTemplate,
  pickLang,
  renderLayout,
  stateLabel,
  terminalPageTemplate,
  withLang,
  type FieldErrorKey,
  type Lang,
} from './pages';

export { TEST_CARDS, luhnValid, normaliseTerminalCode, validateCard, type CardInput } from './cards';
export {
  PaymentAgentSimulator,
  type CallbackAttemptLog,
  type CallbackDelivery,
  type CardResult,
  type PaymentAgentSimulatorOptions,
  type TerminalInput,
  type TerminalResult,
} from './agent';

export type PaymentAgentSimulatorApp = express.Express & { paymentAgent: PaymentAgentSimulator };

function html(res: express.Response, status: number, body: string): void {
  res.status(status).type('html').send(body);
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

export function createPaymentAgentSimulatorApp(options: PaymentAgentSimulatorOptions): PaymentAgentSimulatorApp {
  const sim = new PaymentAgentSimulator(options);
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.use((_req, res, next) => {
    res.set({ 'X-Simulator': 'payment-agent', 'Cache-Control': 'no-store', 'X-Frame-Options': 'DENY', 'Referrer-Policy': 'no-referrer' });
    next();
  });

  app.get('/health', (_req, res) => {
    res.json({ ok: true, simulator: 'payment-agent', payments: sim.list().length });
  });
  // The test helpers first: the merchant API checks a signature on everything under /api.
  if (options.testApi !== false) app.use('/api/test', testApiRouter(sim));
  app.use('/api', merchantApiRouter(sim, options));
  app.use('/api', (_req, res) => {
    res.status(404).json({ error: 'not_found', message: 'no such API endpoint' });
  });

  // ---- pages --------------------------------------------------------------------------------
  app.use(express.urlencoded({ extended: false, limit: '16kb' }));

  app.get('/', (req, res) => {
    const lang = pickLang(req.query.lang);
    const payments = sim
      .list()
      .slice(-50)
      .reverse()
      .map((p) => ({
        id: p.id,
        href: withLang(`/pay/${encodeURIComponent(p.id)}`, lang),
        externalId: p.externalId,
        code: p.terminalCode,
        price: formatQepik(p.price),
        debt: formatQepik(p.debt),
        state: stateLabel(lang, p.state),
      }));
    const content = indexPageTemplate({ t: TEXTS[lang], payments, terminalHref: withLang('/terminal', lang) });
    html(res, 200, renderLayout({ lang, title: TEXTS[lang].indexTitle, selfPath: '/' }, content));
  });

  type PageExtras = {
    method?: 'card' | 'terminal';
    notice?: { kind: 'good' | 'bad'; code: string; title: string; text: string };
    errors?: Partial<Record<CardField, string>>;
    values?: CardInput;
    returnHref?: string;
  };

  const renderPayment = (payment: SimPayment, lang: Lang, extras: PageExtras = {}): string => {
    const t = TEXTS[lang];
    const base = `/pay/${encodeURIComponent(payment.id)}`;
    const payable = PAYABLE.has(payment.state);
    const method = extras.method;
    let notice = extras.notice;
    if (!notice && payment.state === PaymentState.Paid) notice = { kind: 'good', code: 'paid', title: t.paidTitle, text: t.alreadyPaid };
    if (!notice && !payable && payment.state !== PaymentState.Paid) {
      notice =
        payment.state === PaymentState.Expired
          ? { kind: 'bad', code: 'expired', title: t.timedOutTitle, text: t.timedOutText }
          : { kind: 'bad', code: 'not_payable', title: t.notPayable, text: stateLabel(lang, payment.state) };
    }
    const content = paymentPageTemplate({
      t,
      lang,
      description: payment.description[lang],
      price: formatQepik(payment.price),
      partial: payment.debt !== payment.price,
      paid: formatQepik(payment.price - payment.debt),
      debt: formatQepik(payment.debt),
      stateCode: payment.state,
      stateLabel: stateLabel(lang, payment.state),
      payable,
      notice,
      showChoice: payable && !method,
      showCard: payable && method === 'card',
      showTerminal: payable && method === 'terminal',
      cardHref: withLang(`${base}?method=card`, lang),
      terminalHref: withLang(`${base}?method=terminal`, lang),
      choiceHref: withLang(base, lang),
      cardAction: `${base}/card`,
      terminalCode: payment.terminalCode,
      terminalScreenHref: withLang(`/terminal?code=${encodeURIComponent(payment.terminalCode)}`, lang),
      errors: extras.errors ?? {},
      values: extras.values ?? {},
      returnHref: extras.returnHref ?? (payable ? undefined : sim.returnUrl(payment)),
    });
    const selfPath = method ? `${base}?method=${method}` : base;
    return renderLayout({ lang, title: `${t.payTitle} ${formatQepik(payment.debt)}`, selfPath }, content);
  };

  const notFoundPage = (lang: Lang): string =>
    renderLayout({ lang, title: TEXTS[lang].notFound, selfPath: '/' }, messagePageTemplate({ heading: TEXTS[lang].notFound, text: '' }));

  app.get('/pay/:id', (req, res) => {
    const payment = sim.get(req.params.id);
    const lang = pickLang(req.query.lang, 'az');
    if (!payment) {
      html(res, 404, notFoundPage(lang));
      return;
    }
    const m = req.query.method;
    html(res, 200, renderPayment(payment, lang, { method: m === 'card' || m === 'terminal' ? m : undefined }));
  });

  app.post('/pay/:id/card', async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const lang = pickLang(body.lang ?? req.query.lang, 'az');
    const values: CardInput = { cardNumber: str(body.cardNumber), expiry: str(body.expiry), cvv: str(body.cvv), holder: str(body.holder) };
    const result = await sim.payByCard(req.params.id, values);
    const t = TEXTS[lang];
    switch (result.kind) {
      case 'not_found':
        html(res, 404, notFoundPage(lang));
        return;
      case 'not_payable':
        html(res, 409, renderPayment(result.payment, lang));
        return;
      case 'invalid': {
        const errors: Partial<Record<CardField, string>> = {};
        for (const [field, key] of Object.entries(result.errors) as [CardField, FieldErrorKey][]) errors[field] = errorText(lang, key);
        html(res, 422, renderPayment(result.payment, lang, { method: 'card', errors, values }));
        return;
      }
      case 'processed':
        if (result.outcome === 'paid') {
          res.redirect(303, result.redirectUrl);
        } else if (result.outcome === 'declined') {
          html(
            res,
            200,
            renderPayment(result.payment, lang, {
              method: 'card',
              notice: { kind: 'bad', code: 'declined', title: t.declinedTitle, text: t.declinedText },
              errors: { cardNumber: errorText(lang, 'card_declined') },
              values,
              returnHref: result.redirectUrl,
            }),
          );
        } else {
          html(
            res,
            200,
            renderPayment(result.payment, lang, {
              notice: { kind: 'bad', code: 'expired', title: t.timedOutTitle, text: t.timedOutText },
              returnHref: result.redirectUrl,
            }),
          );
        }
    }
  });

  const renderTerminal = (
    lang: Lang,
    view: {
      payment?: SimPayment;
      values?: { code?: string; amount?: string };
      errors?: Partial<Record<'code' | 'amount', string>>;
      receipt?: { payment: SimPayment; amountQepik: number };
    },
  ): string => {
    const t = TEXTS[lang];
    const p = view.payment;
    const content = terminalPageTemplate({
      t,
      lang,
      payment: Boolean(p),
      description: p?.description[lang],
      price: p ? formatQepik(p.price) : '',
      partial: p ? p.debt !== p.price : false,
      paid: p ? formatQepik(p.price - p.debt) : '',
      debt: p ? formatQepik(p.debt) : '',
      stateCode: p?.state,
      stateLabel: p ? stateLabel(lang, p.state) : '',
      values: view.values ?? {},
      errors: view.errors ?? {},
      postAction: '/terminal',
      lookupAction: '/terminal',
      newHref: withLang('/terminal', lang),
      receipt: view.receipt && {
        code: view.receipt.payment.terminalCode,
        description: view.receipt.payment.description[lang],
        paidNow: formatQepik(view.receipt.amountQepik),
        debt: formatQepik(view.receipt.payment.debt),
        stateCode: view.receipt.payment.state,
        stateLabel: stateLabel(lang, view.receipt.payment.state),
      },
    });
    return renderLayout({ lang, title: t.terminalTitle, selfPath: '/terminal' }, content);
  };

  const amountInput = (qepik: number): string => (qepik / 100).toFixed(2);

  app.get('/terminal', (req, res) => {
    const lang = pickLang(req.query.lang, 'az');
    const raw = str(req.query.code).trim();
    if (raw === '') {
      html(res, 200, renderTerminal(lang, { values: {}, errors: req.query.code === undefined ? {} : { code: errorText(lang, 'code_required') } }));
      return;
    }
    const code = normaliseTerminalCode(raw);
    const payment = sim.findByCode(code);
    if (!payment) {
      html(res, 404, renderTerminal(lang, { values: { code: raw }, errors: { code: errorText(lang, 'code_unknown') } }));
      return;
    }
    if (!PAYABLE.has(payment.state)) {
      const key: FieldErrorKey = payment.state === PaymentState.Paid ? 'already_paid' : 'not_payable';
      html(res, 409, renderTerminal(lang, { values: { code: raw }, errors: { code: errorText(lang, key) } }));
      return;
    }
    html(res, 200, renderTerminal(lang, { payment, values: { code, amount: amountInput(payment.debt) } }));
  });

  app.post('/terminal', async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const lang = pickLang(body.lang ?? req.query.lang, 'az');
    const values = { code: str(body.code).trim(), amount: str(body.amount) };
    const result = await sim.payAtTerminal(values);
    if (result.kind === 'invalid') {
      const errors: Partial<Record<'code' | 'amount', string>> = {};
      for (const [field, key] of Object.entries(result.errors) as ['code' | 'amount', FieldErrorKey][]) {
        errors[field] = errorText(lang, key, { max: result.maxQepik === undefined ? '' : formatQepik(result.maxQepik) });
      }
      // A code error sends the payer back to the first step; an amount error keeps the second.
      const payment = errors.code ? undefined : result.payment;
      html(res, 422, renderTerminal(lang, { payment, values, errors }));
      return;
    }
    html(res, 200, renderTerminal(lang, { receipt: { payment: result.payment, amountQepik: result.amountQepik } }));
  });

  app.use((req, res) => {
    const lang = pickLang(req.query.lang, 'az');
    html(res, 404, renderLayout({ lang, title: '404', selfPath: '/' }, messagePageTemplate({ heading: '404', text: req.path })));
  });

  app.use((err: unknown, req: express.Request, res: express.Response, _next: express.NextFunction) => {
    const status = (err as { status?: number; statusCode?: number }).status ?? (err as { statusCode?: number }).statusCode ?? 500;
    const message = status >= 500 ? 'internal simulator error' : ((err as Error).message ?? 'bad request');
    if (status >= 500) console.error('[payment-agent simulator]', err);
    if (req.originalUrl.startsWith('/api/')) res.status(status).json({ error: status >= 500 ? 'internal' : 'bad_request', message });
    else html(res, status, renderLayout({ lang: 'az', title: String(status), selfPath: '/' }, messagePageTemplate({ heading: String(status), text: message })));
  });

  return Object.assign(app, { paymentAgent: sim });
}

export interface RunningPaymentAgentSimulator {
  url: string;
  port: number;
  simulator: PaymentAgentSimulator;
  close(): Promise<void>;
}

/** Starts the simulator on 127.0.0.1:port (0 = any free port). */
export async function startPaymentAgentSimulator(
  port: number,
  options: Omit<PaymentAgentSimulatorOptions, 'publicUrl'> & { publicUrl?: string },
): Promise<RunningPaymentAgentSimulator> {
  let url = '';
  const app = createPaymentAgentSimulatorApp({ ...options, publicUrl: () => options.publicUrl ?? url });
  const server = http.createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, listenHost(), () => {
      server.off('error', reject);
      resolve();
    });
  });
  const actualPort = (server.address() as AddressInfo).port;
  url = `http://127.0.0.1:${actualPort}`;
  return {
    url,
    port: actualPort,
    simulator: app.paymentAgent,
    close: async () => {
      app.paymentAgent.shutdown();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
