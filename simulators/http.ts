/**
 * Helpers shared by the local simulators (development only): listening on the listen host, JSON
 * errors, simulated latency and failures, the SIMULATOR banner on HTML pages.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { JsonErrorBody } from '../integrations/http';
import { listenHost } from '../platform/listen';

export { listenHost };

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
    const status = typeof error === 'object' && error !== null && 'status' in error ? Number(error.status) : 500;
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
