/**
 * Wire protocol of the payment agent (PulPal MMC, SPEC "Facts about the order and the outside
 * systems"), shared by the local simulator and by our client/callback receiver.
 *
 * Kept dependency-free (only node:crypto) and small, so that it can be fitted to the provider's
 * official documentation later. The shapes follow the public, partly unofficial, description:
 * amounts are integer qəpik (AZN × 100); server-to-server callbacks carry ExternalId, Price, Debt,
 * Currency, PaymentAttempt and State and are signed with HMAC-SHA256 over URL + nonce + body.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const CURRENCY = 'AZN' as const;
export type Currency = typeof CURRENCY;

/** Payment states exactly as numbered by the agent. */
export const PaymentState = {
  Created: 0,
  Paid: 1,
  Delivered: 2,
  Error: 3,
  Declined: 4,
  Canceled: 5,
  Expired: 6,
  Reversed: 7,
  PartiallyPaid: 8,
  PartiallyReversed: 9,
} as const;
export type PaymentState = (typeof PaymentState)[keyof typeof PaymentState];
export type PaymentStateName = keyof typeof PaymentState;

const STATE_NAMES: Record<PaymentState, PaymentStateName> = Object.fromEntries(Object.entries(PaymentState).map(([name, value]) => [value, name])) as Record<
  PaymentState,
  PaymentStateName
>;

export function isPaymentState(value: unknown): value is PaymentState {
  return typeof value === 'number' && Object.prototype.hasOwnProperty.call(STATE_NAMES, value);
}

export function paymentStateName(state: PaymentState): PaymentStateName {
  return STATE_NAMES[state];
}

export type PaymentMethod = 'card' | 'terminal';

/** Body of the agent's server-to-server callback (JSON). */
export interface CallbackNotification {
  /** Our identifier, given when the payment was created. */
  ExternalId: string;
  /** The agent's reference of the payment. */
  PaymentId: string;
  /** Full price of the payment, qəpik. */
  Price: number;
  /** What is still owed after this event, qəpik (0 when fully paid). */
  Debt: number;
  /** AZN for every payment we ask for; anything else is received, stored and flagged, never applied (issue 9 item 3). */
  Currency: string;
  /** Ordinal of the payment attempt this event reports (1, 2, ...); with PaymentId it identifies the event. */
  PaymentAttempt: number;
  State: PaymentState;
  Method: PaymentMethod;
  /** Machine-readable reason for Declined / Error / Expired, e.g. "insufficient_funds". */
  StateReason?: string;
  /** When the event happened, ISO 8601. */
  Timestamp: string;
}

export const SIGNATURE_HEADER = 'X-Signature';
export const NONCE_HEADER = 'X-Nonce';
export const TIMESTAMP_HEADER = 'X-Timestamp';

/** Headers of merchant → agent API requests. */
export const MERCHANT_ID_HEADER = 'X-Merchant-Id';

export const DEFAULT_MAX_SKEW_SECONDS = 300;

export type HeaderBag = Record<string, string | string[] | undefined> | { get(name: string): string | null };

function header(headers: HeaderBag, name: string): string | undefined {
  if (typeof (headers as { get?: unknown }).get === 'function') {
    return (headers as { get(name: string): string | null }).get(name) ?? undefined;
  }
  const bag = headers as Record<string, string | string[] | undefined>;
  const wanted = name.toLowerCase();
  for (const key of Object.keys(bag)) {
    if (key.toLowerCase() === wanted) {
      const value = bag[key];
      return Array.isArray(value) ? value[0] : value;
    }
  }
  return undefined;
}

function hmacHex(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(payload, 'utf8').digest('hex');
}

/** Constant-time comparison of two hex digests (false for anything that is not same-length hex). */
export function safeEqualHex(expectedHex: string, actualHex: string): boolean {
  if (!/^[0-9a-f]+$/i.test(actualHex) || actualHex.length !== expectedHex.length) return false;
  const a = Buffer.from(expectedHex, 'hex');
  const b = Buffer.from(actualHex.toLowerCase(), 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** HMAC-SHA256(secret, url + '\n' + nonce + '\n' + timestamp + '\n' + rawBody), hex. */
export function callbackSignature(secret: string, url: string, nonce: string, timestamp: string, rawBody: string): string {
  return hmacHex(secret, `${url}\n${nonce}\n${timestamp}\n${rawBody}`);
}

let lastNonce = 0;
/**
 * A fresh nonce. The agent's nonces increase (microseconds since the epoch, strictly monotonic
 * within a process), so they also stay increasing across restarts.
 */
export function newNonce(): string {
  const candidate = Date.now() * 1000;
  lastNonce = candidate > lastNonce ? candidate : lastNonce + 1;
  return String(lastNonce);
}

export interface SignedHeaders {
  'X-Signature': string;
  'X-Nonce': string;
  'X-Timestamp': string;
}

/** Signs a callback body for delivery to `url` (exactly the URL that will be POSTed to). */
export function signCallback(args: {
  secret: string;
  url: string;
  rawBody: string;
  nonce?: string;
  /** Unix seconds; default now. */
  timestamp?: number;
}): SignedHeaders {
  const nonce = args.nonce ?? newNonce();
  const timestamp = String(args.timestamp ?? Math.floor(Date.now() / 1000));
  return {
    [SIGNATURE_HEADER]: callbackSignature(args.secret, args.url, nonce, timestamp, args.rawBody),
    [NONCE_HEADER]: nonce,
    [TIMESTAMP_HEADER]: timestamp,
  };
}

export type VerifyFailureReason = 'bad_signature' | 'stale' | 'replayed' | 'malformed';
export type VerifyCallbackResult =
  | { ok: true; notification: CallbackNotification; nonce: string }
  /** `authentic`: signed by the agent and fresh, only its body is unreadable (the receiver still keeps it). */
  | { ok: false; reason: VerifyFailureReason; detail?: string; authentic?: boolean };

/**
 * Checks a received callback. Order: headers present → signature (constant time) → timestamp
 * within ±maxSkewSeconds → body well-formed → nonce not seen before. The nonce is remembered only
 * for authentic, fresh, well-formed callbacks, so forged requests cannot burn nonces.
 *
 * `url` must be the public URL the agent posted to (the callbackUrl given at creation), not
 * `req.url`, which lacks scheme and host.
 */
export async function verifyCallback(args: {
  secret: string;
  url: string;
  rawBody: string;
  headers: HeaderBag;
  now?: Date;
  maxSkewSeconds?: number;
  /** Remembers the nonce until `expiresAt`; resolves false when it was already seen (see NonceStore.remember). */
  isNonceFresh: (nonce: string, expiresAt: Date) => Promise<boolean> | boolean;
}): Promise<VerifyCallbackResult> {
  const maxSkew = args.maxSkewSeconds ?? DEFAULT_MAX_SKEW_SECONDS;
  const signature = header(args.headers, SIGNATURE_HEADER);
  const nonce = header(args.headers, NONCE_HEADER);
  const timestamp = header(args.headers, TIMESTAMP_HEADER);
  if (!signature || !nonce || !timestamp) {
    return { ok: false, reason: 'malformed', detail: 'missing X-Signature, X-Nonce or X-Timestamp header' };
  }
  if (!/^\d{1,12}$/.test(timestamp) || nonce.length > 128) {
    return { ok: false, reason: 'malformed', detail: 'bad X-Timestamp or X-Nonce header' };
  }
  const expected = callbackSignature(args.secret, args.url, nonce, timestamp, args.rawBody);
  if (!safeEqualHex(expected, signature)) return { ok: false, reason: 'bad_signature' };

  const nowSeconds = Math.floor((args.now ?? new Date()).getTime() / 1000);
  const sentAt = Number(timestamp);
  if (Math.abs(nowSeconds - sentAt) > maxSkew) {
    return { ok: false, reason: 'stale', detail: `timestamp ${sentAt} is more than ${maxSkew}s from ${nowSeconds}` };
  }

  const parsed = parseCallbackNotification(args.rawBody);
  if (!parsed.ok) return { ok: false, reason: 'malformed', detail: parsed.error, authentic: true };

  // Past sentAt + maxSkew the timestamp check rejects the message anyway, so the nonce can be forgotten then.
  const expiresAt = new Date((sentAt + maxSkew + 1) * 1000);
  const fresh = await args.isNonceFresh(nonce, expiresAt);
  if (!fresh) return { ok: false, reason: 'replayed' };
  return { ok: true, notification: parsed.value, nonce };
}

/** Strict parser of a callback body. */
export function parseCallbackNotification(rawBody: string): { ok: true; value: CallbackNotification } | { ok: false; error: string } {
  let data: unknown;
  try {
    data = JSON.parse(rawBody);
  } catch {
    return { ok: false, error: 'body is not JSON' };
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return { ok: false, error: 'body is not an object' };
  const o = data as Record<string, unknown>;
  const isQepik = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
  if (typeof o.ExternalId !== 'string' || o.ExternalId === '') return { ok: false, error: 'ExternalId' };
  if (typeof o.PaymentId !== 'string' || o.PaymentId === '') return { ok: false, error: 'PaymentId' };
  if (!isQepik(o.Price) || o.Price === 0) return { ok: false, error: 'Price' };
  if (!isQepik(o.Debt) || o.Debt > o.Price) return { ok: false, error: 'Debt' };
  // Another currency is still the agent's report: it is parsed, stored and flagged by the receiver, not refused here.
  if (typeof o.Currency !== 'string' || !/^[A-Z]{3}$/.test(o.Currency)) return { ok: false, error: 'Currency' };
  if (!isQepik(o.PaymentAttempt)) return { ok: false, error: 'PaymentAttempt' };
  if (!isPaymentState(o.State)) return { ok: false, error: 'State' };
  if (o.Method !== 'card' && o.Method !== 'terminal') return { ok: false, error: 'Method' };
  if (o.StateReason !== undefined && typeof o.StateReason !== 'string') return { ok: false, error: 'StateReason' };
  if (typeof o.Timestamp !== 'string' || Number.isNaN(Date.parse(o.Timestamp))) return { ok: false, error: 'Timestamp' };
  const value: CallbackNotification = {
    ExternalId: o.ExternalId,
    PaymentId: o.PaymentId,
    Price: o.Price,
    Debt: o.Debt,
    Currency: o.Currency,
    PaymentAttempt: o.PaymentAttempt,
    State: o.State,
    Method: o.Method,
    Timestamp: o.Timestamp,
  };
  if (typeof o.StateReason === 'string') value.StateReason = o.StateReason;
  return { ok: true, value };
}

/** Replay protection: remembers nonces until they expire. The system backs it by PostgreSQL later. */
export interface NonceStore {
  /** Records the nonce; resolves false if it was already seen (and has not expired). */
  remember(nonce: string, expiresAt: Date): Promise<boolean>;
}

export class InMemoryNonceStore implements NonceStore {
  private readonly seen = new Map<string, number>();
  private calls = 0;

  constructor(private readonly clock: () => number = Date.now) {}

  remember(nonce: string, expiresAt: Date): Promise<boolean> {
    return Promise.resolve(this.rememberNow(nonce, expiresAt));
  }

  private rememberNow(nonce: string, expiresAt: Date): boolean {
    const now = this.clock();
    if (++this.calls % 256 === 0) this.prune(now);
    const known = this.seen.get(nonce);
    if (known !== undefined && known > now) return false;
    this.seen.set(nonce, expiresAt.getTime());
    return true;
  }

  get size(): number {
    return this.seen.size;
  }

  prune(now: number = this.clock()): void {
    for (const [nonce, expiresAt] of this.seen) if (expiresAt <= now) this.seen.delete(nonce);
  }
}

// ---------------------------------------------------------------------------------------------
// Merchant → agent API requests (creating and reading payments).
// Headers: X-Merchant-Id, X-Timestamp (Unix seconds), X-Signature =
// HMAC-SHA256(secret, merchantId + '\n' + timestamp + '\n' + METHOD + ' ' + pathWithQuery + '\n' + rawBody), hex.
// ---------------------------------------------------------------------------------------------

export function merchantRequestSignature(
  secret: string,
  merchantId: string,
  timestamp: string,
  method: string,
  pathWithQuery: string,
  rawBody: string,
): string {
  return hmacHex(secret, `${merchantId}\n${timestamp}\n${method.toUpperCase()} ${pathWithQuery}\n${rawBody}`);
}

export function signMerchantRequest(args: {
  secret: string;
  merchantId: string;
  method: string;
  pathWithQuery: string;
  rawBody: string;
  timestamp?: number;
}): Record<string, string> {
  const timestamp = String(args.timestamp ?? Math.floor(Date.now() / 1000));
  return {
    [MERCHANT_ID_HEADER]: args.merchantId,
    [TIMESTAMP_HEADER]: timestamp,
    [SIGNATURE_HEADER]: merchantRequestSignature(args.secret, args.merchantId, timestamp, args.method, args.pathWithQuery, args.rawBody),
  };
}

export type MerchantVerifyResult = { ok: true; merchantId: string } | { ok: false; reason: 'unknown_merchant' | 'bad_signature' | 'stale' | 'malformed' };

export function verifyMerchantRequest(args: {
  secret: string;
  merchantId: string;
  method: string;
  pathWithQuery: string;
  rawBody: string;
  headers: HeaderBag;
  now?: Date;
  maxSkewSeconds?: number;
}): MerchantVerifyResult {
  const merchantId = header(args.headers, MERCHANT_ID_HEADER);
  const timestamp = header(args.headers, TIMESTAMP_HEADER);
  const signature = header(args.headers, SIGNATURE_HEADER);
  if (!merchantId || !timestamp || !signature || !/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'malformed' };
  if (merchantId !== args.merchantId) return { ok: false, reason: 'unknown_merchant' };
  const expected = merchantRequestSignature(args.secret, merchantId, timestamp, args.method, args.pathWithQuery, args.rawBody);
  if (!safeEqualHex(expected, signature)) return { ok: false, reason: 'bad_signature' };
  const nowSeconds = Math.floor((args.now ?? new Date()).getTime() / 1000);
  if (Math.abs(nowSeconds - Number(timestamp)) > (args.maxSkewSeconds ?? DEFAULT_MAX_SKEW_SECONDS)) return { ok: false, reason: 'stale' };
  return { ok: true, merchantId };
}

// ---------------------------------------------------------------------------------------------
// Merchant API bodies (JSON).
// ---------------------------------------------------------------------------------------------

export interface CreatePaymentRequestBody {
  ExternalId: string;
  /** qəpik */
  Price: number;
  Currency: Currency;
  Description: { az: string; en: string };
  Language: 'az' | 'en';
  ReturnUrl: string;
  CallbackUrl: string;
}

export interface PaymentStatusBody {
  PaymentId: string;
  ExternalId: string;
  Price: number;
  Debt: number;
  Currency: Currency;
  State: PaymentState;
  Method: PaymentMethod | null;
  StateReason: string | null;
  PaymentAttempt: number;
  TerminalCode: string;
  PaymentPageUrl: string;
  CreatedAt: string;
  UpdatedAt: string;
}

/** Error body of the agent's API. */
export interface AgentErrorBody {
  error: string;
  message: string;
}

/** Formats qəpik as "20.50 AZN". */
export function formatQepik(qepik: number): string {
  const sign = qepik < 0 ? '-' : '';
  const abs = Math.abs(qepik);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')} AZN`;
}

/** Parses an AZN amount typed by a person ("10", "10.5", "10,50") into qəpik, exactly; null if invalid. */
export function parseAznToQepik(input: string): number | null {
  const m = /^\s*(\d{1,9})(?:[.,](\d{1,2}))?\s*$/.exec(input);
  if (!m) return null;
  const whole = Number(m[1]);
  const fraction = m[2] === undefined ? 0 : Number(m[2].padEnd(2, '0'));
  return whole * 100 + fraction;
}

/** Random identifier with a prefix, e.g. "pp_3f9c…". */
export function randomId(prefix: string, bytes = 12): string {
  return `${prefix}${randomBytes(bytes).toString('hex')}`;
}
