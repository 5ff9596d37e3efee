/**
 * Adapter for the payment agent (PulPal MMC), R4.3.3. The rest of the system talks to
 * `PaymentAgent`; `HttpPaymentAgent` speaks the agent's HTTP API (by default the local simulator,
 * see simulator.ts). Incoming callbacks are checked with `verifyCallback` from protocol.ts.
 */
import {
  CURRENCY,
  isPaymentState,
  signMerchantRequest,
  type CreatePaymentRequestBody,
  type PaymentMethod,
  type PaymentState,
  type PaymentStatusBody,
} from './protocol';

export interface CreatePaymentRequest {
  /** Our identifier of what is being paid (e.g. the contract's payment id); idempotency key at the agent. */
  externalId: string;
  /** Positive integer, qəpik (AZN × 100). */
  amountQepik: number;
  description: { az: string; en: string };
  language: 'az' | 'en';
  /** Where the payer's browser is sent back to, with `?payment=<agentPaymentId>&state=<n>`. */
  returnUrl: string;
  /** Where the agent POSTs the signed server-to-server callback. */
  callbackUrl: string;
}

export interface CreatedPayment {
  agentPaymentId: string;
  paymentPageUrl: string;
  /** Code the payer enters at a terminal (e-wallet → PulPal) as the account number, e.g. "EVK-104233". */
  terminalCode: string;
}

export interface PaymentStatus {
  state: PaymentState;
  /** Paid so far, qəpik. */
  paidQepik: number;
  method?: PaymentMethod;
  reason?: string;
  priceQepik: number;
  debtQepik: number;
  externalId: string;
  /** As the agent reports it; anything but AZN is stored and flagged (issue 9 item 3). */
  currency: string;
}

export interface PaymentAgent {
  createPayment(req: CreatePaymentRequest): Promise<CreatedPayment>;
  getPayment(agentPaymentId: string): Promise<PaymentStatus>;
}

export type PaymentAgentErrorKind =
  /** No answer within the timeout. */
  | 'timeout'
  /** Connection refused, DNS, reset... */
  | 'network'
  /** The agent refused the request (4xx): bad input, bad signature, conflict, not found. */
  | 'rejected'
  /** The agent failed (5xx). */
  | 'unavailable'
  /** The agent answered something we cannot read. */
  | 'bad_response'
  /** Our own input is invalid; nothing was sent. */
  | 'invalid_request';

export class PaymentAgentError extends Error {
  override readonly name = 'PaymentAgentError';
  constructor(
    readonly kind: PaymentAgentErrorKind,
    message: string,
    readonly details: { status?: number; code?: string; operation?: string; cause?: unknown } = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
  }

  /** Whether repeating the same request may succeed (for Temporal activity retry policies). */
  get retryable(): boolean {
    if (this.kind === 'timeout' || this.kind === 'network' || this.kind === 'unavailable') return true;
    return this.kind === 'rejected' && (this.details.status === 408 || this.details.status === 429);
  }
}

export interface HttpPaymentAgentOptions {
  /** Base URL of the agent's API, e.g. config.paymentAgentUrl. */
  baseUrl: string;
  merchantId: string;
  /** Shared secret (config.paymentAgentSecret). */
  secret: string;
  /** Per-request timeout; default 10 s. */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

const MAX_AMOUNT_QEPIK = 100_000_000; // 1,000,000 AZN: far beyond any legal-aid fee, catches unit mistakes.

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

export class HttpPaymentAgent implements PaymentAgent {
  private readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly fetchImpl: typeof fetch;

  constructor(private readonly options: HttpPaymentAgentOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.fetchImpl = options.fetch ?? fetch;
  }

  async createPayment(req: CreatePaymentRequest): Promise<CreatedPayment> {
    const problems: string[] = [];
    if (!req.externalId || req.externalId.length > 64) problems.push('externalId must be 1–64 characters');
    if (!Number.isSafeInteger(req.amountQepik) || req.amountQepik <= 0 || req.amountQepik > MAX_AMOUNT_QEPIK) {
      problems.push(`amountQepik must be a positive integer (qəpik), got ${req.amountQepik}`);
    }
    if (!req.description?.az?.trim() || !req.description?.en?.trim()) problems.push('description.az and description.en are required');
    if (req.language !== 'az' && req.language !== 'en') problems.push('language must be "az" or "en"');
    if (!isHttpUrl(req.returnUrl)) problems.push('returnUrl must be an http(s) URL');
    if (!isHttpUrl(req.callbackUrl)) problems.push('callbackUrl must be an http(s) URL');
    if (problems.length > 0) {
      throw new PaymentAgentError('invalid_request', `createPayment: ${problems.join('; ')}`, { operation: 'createPayment' });
    }
    const body: CreatePaymentRequestBody = {
      ExternalId: req.externalId,
      Price: req.amountQepik,
      Currency: CURRENCY,
      Description: { az: req.description.az, en: req.description.en },
      Language: req.language,
      ReturnUrl: req.returnUrl,
      CallbackUrl: req.callbackUrl,
    };
    const data = await this.request('createPayment', 'POST', '/api/payments', body);
    const o = data as Partial<PaymentStatusBody>;
    if (typeof o.PaymentId !== 'string' || typeof o.PaymentPageUrl !== 'string' || typeof o.TerminalCode !== 'string') {
      throw new PaymentAgentError('bad_response', 'createPayment: response lacks PaymentId, PaymentPageUrl or TerminalCode', {
        operation: 'createPayment',
      });
    }
    if (o.ExternalId !== req.externalId || o.Price !== req.amountQepik) {
      throw new PaymentAgentError('bad_response', 'createPayment: the agent answered for another ExternalId or amount', {
        operation: 'createPayment',
      });
    }
    return { agentPaymentId: o.PaymentId, paymentPageUrl: o.PaymentPageUrl, terminalCode: o.TerminalCode };
  }

  async getPayment(agentPaymentId: string): Promise<PaymentStatus> {
    if (!agentPaymentId) throw new PaymentAgentError('invalid_request', 'getPayment: agentPaymentId is required', { operation: 'getPayment' });
    const data = await this.request('getPayment', 'GET', `/api/payments/${encodeURIComponent(agentPaymentId)}`);
    const o = data as Partial<PaymentStatusBody>;
    if (
      !isPaymentState(o.State) ||
      typeof o.Price !== 'number' ||
      typeof o.Debt !== 'number' ||
      typeof o.ExternalId !== 'string' ||
      o.PaymentId !== agentPaymentId
    ) {
      throw new PaymentAgentError('bad_response', 'getPayment: unreadable payment status', { operation: 'getPayment' });
    }
    const status: PaymentStatus = {
      state: o.State,
      paidQepik: o.Price - o.Debt,
      priceQepik: o.Price,
      debtQepik: o.Debt,
      externalId: o.ExternalId,
      currency: typeof o.Currency === 'string' ? o.Currency : '',
    };
    if (o.Method === 'card' || o.Method === 'terminal') status.method = o.Method;
    if (typeof o.StateReason === 'string') status.reason = o.StateReason;
    return status;
  }

  private async request(operation: string, method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown> {
    const rawBody = body === undefined ? '' : JSON.stringify(body);
    const url = `${this.baseUrl}${path}`;
    // The signed path is the one the agent sees, including any prefix of baseUrl.
    const target = new URL(url);
    const headers: Record<string, string> = {
      accept: 'application/json',
      ...signMerchantRequest({
        secret: this.options.secret,
        merchantId: this.options.merchantId,
        method,
        pathWithQuery: `${target.pathname}${target.search}`,
        rawBody,
      }),
    };
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    let text: string;
    try {
      response = await this.fetchImpl(url, {
        method,
        headers,
        body: body === undefined ? undefined : rawBody,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      text = await response.text();
    } catch (err) {
      const name = (err as { name?: string } | null)?.name;
      if (name === 'TimeoutError' || name === 'AbortError') {
        throw new PaymentAgentError('timeout', `${operation}: payment agent did not answer within ${this.timeoutMs} ms (${method} ${url})`, {
          operation,
          cause: err,
        });
      }
      const reason = (err as { cause?: { code?: string; message?: string } } | null)?.cause;
      throw new PaymentAgentError(
        'network',
        `${operation}: cannot reach the payment agent at ${url}: ${reason?.code ?? reason?.message ?? (err as Error)?.message ?? String(err)}`,
        { operation, cause: err },
      );
    }
    let data: unknown;
    try {
      data = text === '' ? undefined : JSON.parse(text);
    } catch {
      data = undefined;
    }
    if (!response.ok) {
      const errorBody = data as { error?: unknown; message?: unknown } | undefined;
      const code = typeof errorBody?.error === 'string' ? errorBody.error : undefined;
      const detail = typeof errorBody?.message === 'string' ? errorBody.message : text.slice(0, 200);
      throw new PaymentAgentError(
        response.status >= 500 ? 'unavailable' : 'rejected',
        `${operation}: payment agent answered ${response.status}${code ? ` ${code}` : ''}: ${detail}`,
        { status: response.status, code, operation },
      );
    }
    if (data === undefined || typeof data !== 'object' || data === null) {
      throw new PaymentAgentError('bad_response', `${operation}: payment agent answered ${response.status} without a JSON object`, {
        status: response.status,
        operation,
      });
    }
    return data;
  }
}
