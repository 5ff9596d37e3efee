/** State and behaviour of the simulated payment agent, independent of HTTP (see simulator.ts). */
import { setTimeout as sleepFor } from 'node:timers/promises';
import { z } from 'zod';
import {
  CURRENCY,
  PaymentState,
  parseAznToQepik,
  randomId,
  signCallback,
  type CallbackNotification,
  type PaymentMethod,
  type PaymentStatusBody,
} from '../../integrations/payment-agent/protocol';
import { type CardField, type CardInput, digitsOnly, normaliseTerminalCode, TEST_CARDS, validateCard } from './cards';
import type { FieldErrorKey, Lang } from './pages';

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

export interface SimPayment {
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
export const PAYABLE: ReadonlySet<PaymentState> = new Set([PaymentState.Created, PaymentState.Declined, PaymentState.Error, PaymentState.PartiallyPaid]);
/** Payments that still answer for their ExternalId (a new one is created only after these end). */
const LIVE: ReadonlySet<PaymentState> = new Set([...PAYABLE, PaymentState.Paid, PaymentState.Delivered]);

export const createBodySchema = z.object({
  ExternalId: z.string().min(1).max(64),
  Price: z.number().int().positive().max(100_000_000),
  Currency: z.literal(CURRENCY),
  Description: z.object({ az: z.string().trim().min(1).max(500), en: z.string().trim().min(1).max(500) }),
  Language: z.enum(['az', 'en']),
  ReturnUrl: z.url({ protocol: /^https?$/ }),
  CallbackUrl: z.url({ protocol: /^https?$/ }),
});

export class ApiError extends Error {
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
  /**
   * While true, every callback attempt fails as if we could not be reached (issue 10 item 1): the
   * attempts are logged with the error `DROPPED` and retried on the usual schedule, then given up.
   */
  callbacksDropped = false;

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
    const payment = this.payments.get(id) ?? before;
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
    const payment = this.payments.get(found.id) ?? found;
    const late = check(payment);
    if (late) return late;
    const paid = amount;
    if (paid === null) return { kind: 'invalid', payment, errors: { amount: 'amount_invalid' } };
    payment.attempts += 1;
    payment.debt -= paid;
    const full = payment.debt === 0;
    this.transition(payment, full ? PaymentState.Paid : PaymentState.PartiallyPaid, 'terminal', null);
    this.enqueueCallback(payment);
    return { kind: 'processed', outcome: full ? 'paid' : 'partially_paid', payment, amountQepik: paid };
  }

  /**
   * The agent takes money back (a chargeback or a refund; issue 9 item 3): all of it (Reversed, state 7:
   * the Debt becomes the Price) or part (PartiallyReversed, state 9: the Debt grows by the amount).
   * A reversed payment takes no more money. Its callback is sent like any other.
   */
  reverse(id: string, amountQepik?: number): { kind: 'processed'; payment: SimPayment } | { kind: 'not_found' } | { kind: 'invalid'; error: string } {
    const payment = this.payments.get(id);
    if (!payment) return { kind: 'not_found' };
    const paid = payment.price - payment.debt;
    if (paid <= 0) return { kind: 'invalid', error: 'nothing_paid' };
    const amount = amountQepik ?? paid;
    if (!Number.isSafeInteger(amount) || amount <= 0 || amount > paid) return { kind: 'invalid', error: 'amount_invalid' };
    payment.debt += amount;
    payment.attempts += 1;
    this.transition(payment, amount === paid ? PaymentState.Reversed : PaymentState.PartiallyReversed, null, 'reversed');
    this.enqueueCallback(payment);
    return { kind: 'processed', payment };
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
      if (this.callbacksDropped) {
        log.error = 'DROPPED';
        continue;
      }
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
