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
 * Simulator side: a few helpers shared by the local simulators (listening on 127.0.0.1, JSON
 * errors, simulated latency and failures, the SIMULATOR banner on HTML pages). They use express
 * types only, so loading this file from a client does not load express.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { NextFunction, Request, RequestHandler, Response } from 'express';

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

  constructor(
    service: string,
    reason: UnavailableReason,
    message: string,
    options: { code?: string; status?: number; cause?: unknown } = {},
  ) {
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
      const headers: Record<string, string> = { accept: 'application/json', ...this.headers };
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
        throw new ServiceUnavailableError(
          this.service,
          'timeout',
          `${this.service} did not answer within ${timeoutMs} ms (${method} ${path})`,
          { cause: error },
        );
      }
      throw new ServiceUnavailableError(
        this.service,
        'network',
        `${this.service} is unreachable (${method} ${path}): ${describeNetworkError(error)}`,
        { cause: error },
      );
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
        throw new ServiceUnavailableError(
          this.service,
          'invalid_response',
          `${this.service} answered with an unexpected shape (${method} ${path})`,
          { status, cause: error },
        );
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
  const error = (data as { error: unknown }).error;
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

// ---------------------------------------------------------------------------------------------
// Simulator side
// ---------------------------------------------------------------------------------------------

/** Options every simulator understands. */
export interface SimulatedConditions {
  /** Each provider call waits a random time in [min, max] ms before it is served. Tests use [0, 0]. */
  latencyMs?: [number, number];
  /** Probability (0..1) that a provider call fails with 503 SERVICE_UNAVAILABLE. */
  failureRate?: number;
  /** Random source in [0, 1), for deterministic tests. */
  random?: () => number;
}

export const DEFAULT_SIMULATED_LATENCY_MS: [number, number] = [50, 300];

export interface RunningSimulator {
  /** Base URL, e.g. http://127.0.0.1:4102 — what the adapter's client is configured with. */
  url: string;
  port: number;
  /** Stops listening and drops open connections (including requests the simulator is holding). */
  close(): Promise<void>;
}

/**
 * Where servers listen: loopback unless EVK_LISTEN_HOST says otherwise (containers need 0.0.0.0 to
 * be reachable from each other; see docker-compose.yml).
 */
export function listenHost(): string {
  return process.env.EVK_LISTEN_HOST || '127.0.0.1';
}

/** Starts a simulator app on the listen host (port 0 = a free port). */
export function listenOnLoopback(app: http.RequestListener, port: number): Promise<RunningSimulator> {
  return new Promise((resolve, reject) => {
    const server = http.createServer(app);
    server.once('error', reject);
    server.listen(port, listenHost(), () => {
      server.off('error', reject);
      const actual = (server.address() as AddressInfo).port;
      resolve({
        url: `http://127.0.0.1:${actual}`,
        port: actual,
        close: () =>
          new Promise<void>((done, fail) => {
            server.close((error) => (error ? fail(error) : done()));
            server.closeAllConnections();
          }),
      });
    });
  });
}

export function sendJsonError(res: Response, status: number, code: string, message: string): void {
  const body: JsonErrorBody = { error: { code, message } };
  res.status(status).json(body);
}

/** Waits `ms`, or less if the client goes away first. Resolves to false when the client went away. */
export function waitUnlessClosed(ms: number, res: Response): Promise<boolean> {
  if (ms <= 0) return Promise.resolve(!res.writableEnded && !res.destroyed);
  return new Promise((resolve) => {
    const onClose = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      res.off('close', onClose);
      resolve(!res.destroyed);
    }, ms);
    res.once('close', onClose);
  });
}

/**
 * Middleware for a simulator's provider endpoints: waits the simulated latency, then fails the
 * call with 503 at the configured rate.
 */
export function simulatedConditions(name: string, conditions: SimulatedConditions, defaults: { failureRate: number }): RequestHandler {
  const [min, max] = conditions.latencyMs ?? DEFAULT_SIMULATED_LATENCY_MS;
  if (!(min >= 0 && max >= min)) throw new Error(`${name}: latencyMs must be [min, max] with 0 <= min <= max`);
  const failureRate = conditions.failureRate ?? defaults.failureRate;
  if (!(failureRate >= 0 && failureRate <= 1)) throw new Error(`${name}: failureRate must be between 0 and 1`);
  const random = conditions.random ?? Math.random;
  return async (_req: Request, res: Response, next: NextFunction) => {
    const delay = min === max ? min : min + Math.floor(random() * (max - min + 1));
    if (!(await waitUnlessClosed(delay, res))) return;
    if (failureRate > 0 && random() < failureRate) {
      sendJsonError(res, 503, 'SERVICE_UNAVAILABLE', `${name}: simulated random failure (failure rate ${failureRate}); try again`);
      return;
    }
    next();
  };
}

/** Marks every response as coming from a simulator. Header values must be ASCII. */
export function simulatorHeader(asciiName: string): RequestHandler {
  return (_req, res, next) => {
    res.setHeader('X-EVK-Simulator', `${asciiName} SIMULATOR - not the real service`);
    next();
  };
}

/** 404 handler for unknown routes, JSON. */
export function jsonNotFound(name: string): RequestHandler {
  return (req, res) => sendJsonError(res, 404, 'ROUTE_NOT_FOUND', `${name}: no such endpoint ${req.method} ${req.path}`);
}

/** Final error handler: malformed JSON bodies → 400, anything else → 500, always JSON. */
export function jsonErrorHandler(name: string) {
  return (error: unknown, _req: Request, res: Response, _next: NextFunction): void => {
    const status = typeof error === 'object' && error !== null && 'status' in error ? Number((error as { status: unknown }).status) : 500;
    if (res.headersSent) {
      res.end();
      return;
    }
    if (status >= 400 && status < 500) {
      sendJsonError(res, status, 'INVALID_REQUEST', `${name}: the request could not be read (${(error as Error).message})`);
      return;
    }
    sendJsonError(res, 500, 'INTERNAL_ERROR', `${name}: internal simulator error`);
  };
}

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

/** A complete HTML page with an unmistakable SIMULATOR banner (Azerbaijani first, English second). */
export function simulatorPage(options: { title: string; serviceName: string; body: string; script?: string }): string {
  const { title, serviceName, body, script } = options;
  return `<!doctype html>
<html lang="az">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>SİMULYATOR · ${escapeHtml(title)}</title>
<style>
  body { font-family: "Noto Sans", system-ui, sans-serif; margin: 0; background: #f4f5f7; color: #1d1f23; }
  .banner { background: repeating-linear-gradient(45deg, #b00020, #b00020 14px, #c62828 14px, #c62828 28px); color: #fff; padding: 12px 20px; font-weight: 700; }
  .banner small { display: block; font-weight: 400; opacity: .95; }
  main { max-width: 880px; margin: 0 auto; padding: 20px; }
  h1 { font-size: 1.4rem; }
  table { border-collapse: collapse; width: 100%; background: #fff; }
  th, td { border: 1px solid #d5d8dd; padding: 6px 8px; text-align: left; font-size: .92rem; vertical-align: top; }
  th { background: #eceff3; }
  code { background: #eceff3; padding: 1px 4px; border-radius: 3px; }
  .muted { color: #5f6670; }
</style>
</head>
<body>
<div class="banner" role="banner">SİMULYATOR — ${escapeHtml(serviceName)} (real xidmət deyil)
<small>SIMULATOR — not the real ${escapeHtml(serviceName)}. Test data only; nothing here reaches a government system.</small></div>
<main>
${body}
</main>
${script ? `<script>${script}</script>` : ''}
</body>
</html>`;
}
