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
 *   GET  /api/test/payments?externalId=…   payments (with callback deliveries)
 *   GET  /api/test/payments/:id            one payment with its callback deliveries
 *   GET  /api/test/payments/:id/callbacks  callback deliveries of a payment
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
import { setTimeout as sleepFor } from 'node:timers/promises';
import express from 'express';
import { z } from 'zod';
import {
  CURRENCY,
  PaymentState,
  formatQepik,
  parseAznToQepik,
  randomId,
  signCallback,
  verifyMerchantRequest,
  type CallbackNotification,
  type PaymentMethod,
  type PaymentStatusBody,
} from '../../integrations/payment-agent/protocol';
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

/** Test cards of the simulator. They are recognised before the Luhn check. */
export const TEST_CARDS = {
  success: '4169738800000004',
  declined: '4000000000000002',
  timeout: '4000000000000119',
} as const;

export interface PaymentAgentSimulatorOptions {
  /** Shared secret: verifies merchant requests and signs callbacks. */
  secret: string;
  merchantId: string;
  /** Simulated processing time of API calls and payments, uniformly in [min, max] ms. Default [50, 250]. */
  latencyMs?: [number, number];
  /** Delay before the first callback attempt. Default 300 ms (the browser usually returns first). */
  callbackDelayMs?: number;
  /** Waits before the 2nd, 3rd, ... callback attempt. Default [1000, 5000, 15000, 60000] (5 attempts). */
  callbackRetryDelaysMs?: number[];
  /** Per-attempt timeout of a callback. Default 10 s. */
  callbackTimeoutMs?: number;
  /** Base URL in payment page links; a function when known only after listening. */
  publicUrl: string | (() => string);
  /** Prefix of terminal codes ("EVK" → "EVK-104233"). */
  terminalCodePrefix?: string;
  /** Serve /api/test/*. Default true. */
  testApi?: boolean;
  /** Clock (expiry checks, timestamps). */
  now?: () => Date;
}

export interface CallbackAttemptLog {
  at: string;
  nonce: string;
  status?: number;
  error?: string;
}

export interface CallbackDelivery {
  url: string;
  notification: CallbackNotification;
  status: 'pending' | 'delivered' | 'failed' | 'abandoned';
  attempts: CallbackAttemptLog[];
}

interface SimPayment {
  id: string;
  externalId: string;
  price: number;
  debt: number;
  description: { az: string; en: string };
  language: Lang;
  returnUrl: string;
  callbackUrl: string;
  terminalCode: string;
  state: PaymentState;
  method: PaymentMethod | null;
  stateReason: string | null;
  attempts: number;
  createdAt: Date;
  updatedAt: Date;
  deliveries: CallbackDelivery[];
  chain: Promise<void>;
}

export interface CardInput {
  cardNumber?: string;
  expiry?: string;
  cvv?: string;
  holder?: string;
}
type CardField = 'cardNumber' | 'expiry' | 'cvv' | 'holder';

export type CardResult =
  | { kind: 'not_found' }
  | { kind: 'not_payable'; payment: SimPayment }
  | { kind: 'invalid'; payment: SimPayment; errors: Partial<Record<CardField, FieldErrorKey>> }
  | { kind: 'processed'; outcome: 'paid' | 'declined' | 'expired' | 'error'; payment: SimPayment; redirectUrl: string };

export interface TerminalInput {
  code?: string;
  amountQepik?: number;
  /** As typed at the terminal, AZN ("12.50"); used when amountQepik is absent. */
  amount?: string;
}
export type TerminalResult =
  | { kind: 'invalid'; payment?: SimPayment; errors: Partial<Record<'code' | 'amount', FieldErrorKey>>; maxQepik?: number }
  | { kind: 'processed'; outcome: 'paid' | 'partially_paid'; payment: SimPayment; amountQepik: number };

/** Payments that can still take money. */
const PAYABLE: ReadonlySet<PaymentState> = new Set([
  PaymentState.Created,
  PaymentState.Declined,
  PaymentState.Error,
  PaymentState.PartiallyPaid,
]);
/** Payments that still answer for their ExternalId (a new one is created only after these end). */
const LIVE: ReadonlySet<PaymentState> = new Set([...PAYABLE, PaymentState.Paid, PaymentState.Delivered]);

export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

export function normaliseTerminalCode(input: string): string {
  const compact = input.toUpperCase().replace(/\s+/g, '');
  const m = /^([A-Z]+)-?(\d+)$/.exec(compact);
  return m ? `${m[1]}-${m[2]}` : compact;
}

const createBodySchema = z.object({
  ExternalId: z.string().min(1).max(64),
  Price: z.number().int().positive().max(100_000_000),
  Currency: z.literal(CURRENCY),
  Description: z.object({ az: z.string().trim().min(1).max(500), en: z.string().trim().min(1).max(500) }),
  Language: z.enum(['az', 'en']),
  ReturnUrl: z.url({ protocol: /^https?$/ }),
  CallbackUrl: z.url({ protocol: /^https?$/ }),
});

class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** State and behaviour of the simulated agent, independent of HTTP. */
export class PaymentAgentSimulator {
  private readonly payments = new Map<string, SimPayment>();
  private readonly byCode = new Map<string, string>();
  private readonly byExternalId = new Map<string, string[]>();
  private readonly shutdownController = new AbortController();
  private readonly latency: [number, number];
  private readonly callbackDelayMs: number;
  private readonly retryDelays: number[];
  private readonly callbackTimeoutMs: number;
  private readonly codePrefix: string;
  readonly now: () => Date;

  constructor(readonly options: PaymentAgentSimulatorOptions) {
    this.latency = options.latencyMs ?? [50, 250];
    this.callbackDelayMs = options.callbackDelayMs ?? 300;
    this.retryDelays = options.callbackRetryDelaysMs ?? [1000, 5000, 15000, 60000];
    this.callbackTimeoutMs = options.callbackTimeoutMs ?? 10_000;
    this.codePrefix = options.terminalCodePrefix ?? 'EVK';
    this.now = options.now ?? (() => new Date());
  }

  publicUrl(): string {
    const value = typeof this.options.publicUrl === 'function' ? this.options.publicUrl() : this.options.publicUrl;
    return value.replace(/\/+$/, '');
  }

  pageUrl(payment: SimPayment, lang: Lang): string {
    const url = `${this.publicUrl()}/pay/${encodeURIComponent(payment.id)}`;
    return lang === 'en' ? `${url}?lang=en` : url;
  }

  get(id: string): SimPayment | undefined {
    return this.payments.get(id);
  }

  findByCode(code: string): SimPayment | undefined {
    const id = this.byCode.get(normaliseTerminalCode(code));
    return id === undefined ? undefined : this.payments.get(id);
  }

  findByExternalId(externalId: string): SimPayment[] {
    return (this.byExternalId.get(externalId) ?? []).map((id) => this.payments.get(id)!);
  }

  list(): SimPayment[] {
    return [...this.payments.values()];
  }

  async simulateLatency(): Promise<void> {
    const [min, max] = this.latency;
    const ms = min + Math.random() * Math.max(0, max - min);
    if (ms > 0) await sleepFor(ms);
  }

  /** Creates a payment, or returns the live one for the same ExternalId and price. */
  create(input: z.infer<typeof createBodySchema>): { payment: SimPayment; created: boolean } {
    const live = this.findByExternalId(input.ExternalId).find((p) => LIVE.has(p.state));
    if (live) {
      if (live.price === input.Price) return { payment: live, created: false };
      if (live.debt < live.price || !PAYABLE.has(live.state)) {
        throw new ApiError(
          409,
          'external_id_conflict',
          `payment ${live.id} for ExternalId ${input.ExternalId} has Price ${live.price} and has already taken money; cannot change it to ${input.Price}`,
        );
      }
      // Nothing paid yet and the amount changed (e.g. the contract was amended): replace it.
      this.transition(live, PaymentState.Canceled, null, 'replaced');
    }
    const now = this.now();
    const payment: SimPayment = {
      id: randomId('pp_', 10),
      externalId: input.ExternalId,
      price: input.Price,
      debt: input.Price,
      description: { az: input.Description.az, en: input.Description.en },
      language: input.Language,
      returnUrl: input.ReturnUrl,
      callbackUrl: input.CallbackUrl,
      terminalCode: this.newTerminalCode(),
      state: PaymentState.Created,
      method: null,
      stateReason: null,
      attempts: 0,
      createdAt: now,
      updatedAt: now,
      deliveries: [],
      chain: Promise.resolve(),
    };
    this.payments.set(payment.id, payment);
    this.byCode.set(payment.terminalCode, payment.id);
    this.byExternalId.set(payment.externalId, [...(this.byExternalId.get(payment.externalId) ?? []), payment.id]);
    return { payment, created: true };
  }

  private newTerminalCode(): string {
    for (let digits = 6; ; digits++) {
      for (let i = 0; i < 20; i++) {
        const n = 10 ** (digits - 1) + Math.floor(Math.random() * 9 * 10 ** (digits - 1));
        const code = `${this.codePrefix}-${n}`;
        if (!this.byCode.has(code)) return code;
      }
    }
  }

  /** Card payment of the whole balance. Shared by the HTML form and the JSON test helper. */
  async payByCard(id: string, input: CardInput): Promise<CardResult> {
    const before = this.payments.get(id);
    if (!before) return { kind: 'not_found' };
    if (!PAYABLE.has(before.state)) return { kind: 'not_payable', payment: before };
    const errors = validateCard(input, this.now());
    if (Object.keys(errors).length > 0) return { kind: 'invalid', payment: before, errors };
    await this.simulateLatency();
    // Checked again after the (simulated) round trip to the bank, synchronously with the change.
    const payment = this.payments.get(id)!;
    if (!PAYABLE.has(payment.state)) return { kind: 'not_payable', payment };
    const number = digitsOnly(input.cardNumber ?? '');
    payment.attempts += 1;
    let outcome: 'paid' | 'declined' | 'expired' | 'error';
    if (number === TEST_CARDS.declined) {
      outcome = 'declined';
      this.transition(payment, PaymentState.Declined, 'card', 'insufficient_funds');
    } else if (number === TEST_CARDS.timeout) {
      // Nothing paid yet: the payment expires. Money already taken by the terminal must stay
      // payable, so a timeout then is only an error of this attempt.
      if (payment.debt === payment.price) {
        outcome = 'expired';
        this.transition(payment, PaymentState.Expired, 'card', 'timeout');
      } else {
        outcome = 'error';
        this.transition(payment, PaymentState.Error, 'card', 'timeout');
      }
    } else {
      outcome = 'paid';
      payment.debt = 0;
      this.transition(payment, PaymentState.Paid, 'card', null);
    }
    this.enqueueCallback(payment);
    return { kind: 'processed', outcome, payment, redirectUrl: this.returnUrl(payment) };
  }

  /** Terminal payment by code. Shared by the HTML terminal screen and the JSON test helper. */
  async payAtTerminal(input: TerminalInput): Promise<TerminalResult> {
    const code = (input.code ?? '').trim();
    if (code === '') return { kind: 'invalid', errors: { code: 'code_required' } };
    const found = this.findByCode(code);
    if (!found) return { kind: 'invalid', errors: { code: 'code_unknown' } };
    let amount: number | null;
    if (input.amountQepik !== undefined) {
      amount = Number.isSafeInteger(input.amountQepik) && input.amountQepik >= 0 ? input.amountQepik : null;
    } else {
      amount = parseAznToQepik(input.amount ?? '');
    }
    const check = (payment: SimPayment): TerminalResult | null => {
      if (payment.state === PaymentState.Paid) return { kind: 'invalid', payment, errors: { code: 'already_paid' } };
      if (!PAYABLE.has(payment.state)) return { kind: 'invalid', payment, errors: { code: 'not_payable' } };
      if (amount === null) return { kind: 'invalid', payment, errors: { amount: 'amount_invalid' } };
      if (amount === 0) return { kind: 'invalid', payment, errors: { amount: 'amount_zero' } };
      if (amount > payment.debt) return { kind: 'invalid', payment, errors: { amount: 'amount_overpay' }, maxQepik: payment.debt };
      return null;
    };
    const early = check(found);
    if (early) return early;
    await this.simulateLatency();
    const payment = this.payments.get(found.id)!;
    const late = check(payment);
    if (late) return late;
    const paid = amount!;
    payment.attempts += 1;
    payment.debt -= paid;
    const full = payment.debt === 0;
    this.transition(payment, full ? PaymentState.Paid : PaymentState.PartiallyPaid, 'terminal', null);
    this.enqueueCallback(payment);
    return { kind: 'processed', outcome: full ? 'paid' : 'partially_paid', payment, amountQepik: paid };
  }

  returnUrl(payment: SimPayment): string {
    const url = new URL(payment.returnUrl);
    url.searchParams.set('payment', payment.id);
    url.searchParams.set('state', String(payment.state));
    return url.toString();
  }

  private transition(payment: SimPayment, state: PaymentState, method: PaymentMethod | null, reason: string | null): void {
    payment.state = state;
    if (method) payment.method = method;
    payment.stateReason = reason;
    payment.updatedAt = this.now();
  }

  status(payment: SimPayment, lang: Lang = payment.language): PaymentStatusBody {
    return {
      PaymentId: payment.id,
      ExternalId: payment.externalId,
      Price: payment.price,
      Debt: payment.debt,
      Currency: CURRENCY,
      State: payment.state,
      Method: payment.method,
      StateReason: payment.stateReason,
      PaymentAttempt: payment.attempts,
      TerminalCode: payment.terminalCode,
      PaymentPageUrl: this.pageUrl(payment, lang),
      CreatedAt: payment.createdAt.toISOString(),
      UpdatedAt: payment.updatedAt.toISOString(),
    };
  }

  private enqueueCallback(payment: SimPayment): void {
    const notification: CallbackNotification = {
      ExternalId: payment.externalId,
      PaymentId: payment.id,
      Price: payment.price,
      Debt: payment.debt,
      Currency: CURRENCY,
      PaymentAttempt: payment.attempts,
      State: payment.state,
      Method: payment.method ?? 'card',
      Timestamp: payment.updatedAt.toISOString(),
    };
    if (payment.stateReason) notification.StateReason = payment.stateReason;
    const delivery: CallbackDelivery = { url: payment.callbackUrl, notification, status: 'pending', attempts: [] };
    payment.deliveries.push(delivery);
    // One payment's callbacks go out in order: the next waits until the previous is done.
    payment.chain = payment.chain.then(() => this.deliver(delivery)).catch(() => undefined);
  }

  private async deliver(delivery: CallbackDelivery): Promise<void> {
    const rawBody = JSON.stringify(delivery.notification);
    const waits = [this.callbackDelayMs, ...this.retryDelays];
    const shutdown = this.shutdownController.signal;
    for (const wait of waits) {
      try {
        if (wait > 0) await sleepFor(wait, undefined, { signal: shutdown });
      } catch {
        delivery.status = 'abandoned';
        return;
      }
      if (shutdown.aborted) {
        delivery.status = 'abandoned';
        return;
      }
      const signed = signCallback({ secret: this.options.secret, url: delivery.url, rawBody });
      const log: CallbackAttemptLog = { at: new Date().toISOString(), nonce: signed['X-Nonce'] };
      delivery.attempts.push(log);
      try {
        const response = await fetch(delivery.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...signed },
          body: rawBody,
          signal: AbortSignal.any([AbortSignal.timeout(this.callbackTimeoutMs), shutdown]),
        });
        await response.arrayBuffer().catch(() => undefined);
        log.status = response.status;
        if (response.ok) {
          delivery.status = 'delivered';
          return;
        }
      } catch (err) {
        if (shutdown.aborted) {
          delivery.status = 'abandoned';
          return;
        }
        const cause = (err as { cause?: { code?: string } }).cause;
        log.error = cause?.code ?? (err as Error).name ?? String(err);
      }
    }
    delivery.status = 'failed';
  }

  /** Resolves when every callback queued so far is delivered or given up. */
  async settled(): Promise<void> {
    await Promise.all([...this.payments.values()].map((p) => p.chain));
  }

  /** Stops pending callback deliveries (used when the server closes). */
  shutdown(): void {
    this.shutdownController.abort();
  }
}

function digitsOnly(value: string): string {
  return value.replace(/[\s-]/g, '');
}

export function validateCard(input: CardInput, now: Date): Partial<Record<CardField, FieldErrorKey>> {
  const errors: Partial<Record<CardField, FieldErrorKey>> = {};
  const number = digitsOnly(input.cardNumber ?? '');
  const isTestCard = (Object.values(TEST_CARDS) as string[]).includes(number);
  if (number === '') errors.cardNumber = 'card_number_required';
  else if (!isTestCard && (!/^\d{12,19}$/.test(number) || !luhnValid(number))) errors.cardNumber = 'card_number_invalid';

  const expiry = /^\s*(\d{2})\s*\/\s*(\d{2})\s*$/.exec(input.expiry ?? '');
  if (!expiry || Number(expiry[1]) < 1 || Number(expiry[1]) > 12) errors.expiry = 'expiry_invalid';
  else {
    const year = 2000 + Number(expiry[2]);
    const month = Number(expiry[1]);
    const nowYear = now.getUTCFullYear();
    const nowMonth = now.getUTCMonth() + 1;
    if (year < nowYear || (year === nowYear && month < nowMonth)) errors.expiry = 'expiry_past';
  }

  if (!/^\d{3}$/.test((input.cvv ?? '').trim())) errors.cvv = 'cvv_invalid';

  const holder = (input.holder ?? '').trim();
  if (holder === '') errors.holder = 'holder_required';
  else if (!/^[A-Za-z][A-Za-z .'-]{1,63}$/.test(holder)) errors.holder = 'holder_invalid';
  return errors;
}

// ---------------------------------------------------------------------------------------------
// HTTP
// ---------------------------------------------------------------------------------------------

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

  // ---- merchant API -------------------------------------------------------------------------
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

  // ---- test helpers (JSON) ------------------------------------------------------------------
  if (options.testApi !== false) {
    const testApi = express.Router();
    testApi.use(express.json({ limit: '16kb' }));
    const withDeliveries = (payment: SimPayment) => ({ ...sim.status(payment), Callbacks: payment.deliveries });

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
    app.use('/api/test', testApi);
  }

  app.use('/api', merchantApi);
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
