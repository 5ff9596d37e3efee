/**
 * Shared HTTP plumbing for the outside systems (ASAN İmza, population registry, tax service).
 *
 * Client side: `JsonHttpClient` calls a JSON service with a timeout and turns every failure into
 * a typed error:
 *   - `ServiceUnavailableError`: network error, timeout, 5xx, or an unreadable answer — the
 *     service could not answer; the caller may retry or fall back to manual input (R4.1.3);
 *   - `NotFoundError`: 404 — the service answered that the thing does not exist;
 *   - `RequestRejectedError`: any other 4xx — the service refused our request (bad input).
 * All of them extend `IntegrationError` and carry the service name, an error code (from the
 * service's `{ error: { code, message } }` body when there is one) and the HTTP status.
 *
 * The simulators' side of the same plumbing is in simulators/http.ts.
 */

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

/** The JSON error body every simulator (and, we expect, every adapter's wire protocol) answers with. */
export interface JsonErrorBody {
  error: { code: string; message: string };
}

export class IntegrationError extends Error {
  /** Which outside system, e.g. "tax-service". */
  readonly service: string;
  /** Machine-readable code, e.g. "TAXPAYER_NOT_FOUND", "TIMEOUT", "NETWORK_ERROR". */
  readonly code: string;
  /** HTTP status when the service answered; undefined for network errors and timeouts. */
  readonly status: number | undefined;

  constructor(service: string, code: string, message: string, options: { status?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.service = service;
    this.code = code;
    this.status = options.status;
  }
}

export type UnavailableReason = 'timeout' | 'network' | 'server_error' | 'invalid_response';

/** The service could not answer: network failure, timeout, 5xx, or an answer we cannot read. */
export class ServiceUnavailableError extends IntegrationError {
  readonly reason: UnavailableReason;

  constructor(service: string, reason: UnavailableReason, message: string, options: { code?: string; status?: number; cause?: unknown } = {}) {
    super(service, options.code ?? reason.toUpperCase(), message, options);
    this.reason = reason;
  }
}

/** 404: the service says the requested thing does not exist. */
export class NotFoundError extends IntegrationError {}

/** Any other 4xx: the service refused the request (invalid input, wrong state, ...). */
export class RequestRejectedError extends IntegrationError {}

export function isIntegrationError(error: unknown): error is IntegrationError {
  return error instanceof IntegrationError;
}

// ---------------------------------------------------------------------------------------------
// Client
// ---------------------------------------------------------------------------------------------

/** Anything with a zod-like `parse` (a zod schema fits); throws when the value has the wrong shape. */
export interface ResponseParser<T> {
  parse(data: unknown): T;
}

export interface JsonHttpClientOptions {
  /** Name used in errors and messages, e.g. "population-registry". */
  service: string;
  /** Base URL; may include a path prefix (e.g. https://provider.example/evk). */
  baseUrl: string;
  /** Whole-request timeout (connect + headers + body), in milliseconds. */
  timeoutMs: number;
  /** Extra headers on every request (e.g. an API key of a real provider). */
  headers?: Record<string, string>;
}

export interface RequestOptions<T> {
  body?: unknown;
  query?: Record<string, string | number | boolean | undefined>;
  /** Validates the successful answer; a mismatch becomes ServiceUnavailableError('invalid_response'). */
  parser?: ResponseParser<T>;
  /** Overrides the client's timeout for this call. */
  timeoutMs?: number;
  /** Extra headers on this call (e.g. an idempotency key). */
  headers?: Record<string, string>;
}

/** Encodes one path segment, e.g. `path\`/persons/${seg(fin)}\``. */
export function seg(value: string): string {
  return encodeURIComponent(value);
}

export class JsonHttpClient {
  readonly service: string;
  readonly baseUrl: string;
  readonly timeoutMs: number;
  private readonly headers: Record<string, string>;

  constructor(options: JsonHttpClientOptions) {
    if (!/^https?:\/\//.test(options.baseUrl)) {
      throw new Error(`${options.service}: base URL must start with http:// or https://, got "${options.baseUrl}"`);
    }
    if (!(options.timeoutMs > 0)) throw new Error(`${options.service}: timeoutMs must be positive`);
    this.service = options.service;
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs;
    this.headers = options.headers ?? {};
  }

  get<T>(path: string, options: RequestOptions<T> = {}): Promise<T> {
    return this.request('GET', path, options);
  }

  post<T>(path: string, body: unknown, options: RequestOptions<T> = {}): Promise<T> {
    return this.request('POST', path, { ...options, body });
  }

  async request<T>(method: string, path: string, options: RequestOptions<T> = {}): Promise<T> {
    const url = this.url(path, options.query);
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);

    let status: number;
    let text: string;
    try {
      const headers: Record<string, string> = { accept: 'application/json', ...this.headers, ...options.headers };
      let body: string | undefined;
      if (options.body !== undefined) {
        headers['content-type'] = 'application/json';
        body = JSON.stringify(options.body);
      }
      const response = await fetch(url, { method, headers, body, signal: controller.signal });
      status = response.status;
      text = await response.text();
    } catch (error) {
      if (timedOut) {
        throw new ServiceUnavailableError(this.service, 'timeout', `${this.service} did not answer within ${timeoutMs} ms (${method} ${path})`, {
          cause: error,
        });
      }
      throw new ServiceUnavailableError(this.service, 'network', `${this.service} is unreachable (${method} ${path}): ${describeNetworkError(error)}`, {
        cause: error,
      });
    } finally {
      clearTimeout(timer);
    }

    const data = parseJson(text);
    if (status >= 200 && status < 300) {
      if (status === 204 || text === '') return undefined as T;
      if (data === undefined) {
        throw new ServiceUnavailableError(this.service, 'invalid_response', `${this.service} answered with non-JSON (${method} ${path})`, { status });
      }
      if (!options.parser) return data as T;
      try {
        return options.parser.parse(data);
      } catch (error) {
        throw new ServiceUnavailableError(this.service, 'invalid_response', `${this.service} answered with an unexpected shape (${method} ${path})`, {
          status,
          cause: error,
        });
      }
    }

    const remote = readErrorBody(data);
    const message = remote?.message ?? `${this.service} answered HTTP ${status} (${method} ${path})`;
    if (status === 404) {
      throw new NotFoundError(this.service, remote?.code ?? 'NOT_FOUND', message, { status });
    }
    if (status >= 400 && status < 500 && status !== 408 && status !== 429) {
      throw new RequestRejectedError(this.service, remote?.code ?? `HTTP_${status}`, message, { status });
    }
    // 5xx, 408 Request Timeout, 429 Too Many Requests and anything unexpected: the service cannot serve us now.
    throw new ServiceUnavailableError(this.service, status === 408 || status === 504 ? 'timeout' : 'server_error', message, {
      status,
      code: remote?.code ?? `HTTP_${status}`,
    });
  }

  private url(path: string, query: RequestOptions<unknown>['query']): string {
    const url = new URL(this.baseUrl + (path.startsWith('/') ? path : `/${path}`));
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    return url.toString();
  }
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function readErrorBody(data: unknown): { code: string; message: string } | undefined {
  if (typeof data !== 'object' || data === null || !('error' in data)) return undefined;
  const error = data.error;
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code !== 'string') return undefined;
  return { code, message: typeof message === 'string' ? message : code };
}

function describeNetworkError(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as Error & { cause?: unknown }).cause;
    if (cause instanceof Error && cause.message) return `${error.message} (${cause.message})`;
    return error.message;
  }
  return String(error);
}
