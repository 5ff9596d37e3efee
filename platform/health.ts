/**
 * Health of a process (issue 10 item 8) and the one place that tells an outage from a bug (item 5).
 *
 * `/health/live` answers while the process runs; `/health/ready` checks what the process needs to do
 * its work (the database, Temporal) and answers 503 with `Retry-After` when one is unreachable, so a
 * load balancer stops sending it requests and an operator sees which one. The web process mounts both
 * on its own port; the worker serves them (and its /metrics) on EVK_WORKER_HEALTH_PORT.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Router } from 'express';
import type { Knex } from 'knex';

/** Seconds a caller is asked to wait before trying again while a dependency is down. */
export const RETRY_AFTER_SECONDS = 5;

/** PostgreSQL's SQLSTATEs of a server that is going away, not accepting or lost (class 08, 57P0x, too many connections). */
const PG_OUTAGE_CODES = new Set(['08000', '08001', '08003', '08004', '08006', '57P01', '57P02', '57P03', '53300']);
/** Node's socket errors: nobody listens, the peer went away, no route. */
const SOCKET_OUTAGE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND']);
/** gRPC status codes Temporal's client reports for a server it cannot reach in time: UNAVAILABLE, DEADLINE_EXCEEDED. */
const GRPC_OUTAGE_CODES = new Set([14, 4]);
const OUTAGE_MESSAGES = [
  /Knex: Timeout acquiring a connection/i,
  /Connection terminated( unexpectedly| due to connection timeout)?/i,
  /terminating connection due to administrator command/i,
  /the database system is (starting up|shutting down|in recovery mode)/i,
  /^\d+ (UNAVAILABLE|DEADLINE_EXCEEDED):/,
  /Failed to connect before the deadline/i,
];

/**
 * True when `err` (or an error it wraps: `cause`, an AggregateError's `errors`) says a dependency is
 * unreachable — PostgreSQL down or restarting, the knex pool timing out, Temporal UNAVAILABLE or past its
 * deadline — rather than that our code is wrong. Such a failure is a 503 with Retry-After, never a 500.
 */
export function isOutageError(err: unknown, depth = 0): boolean {
  if (!err || typeof err !== 'object' || depth > 5) return false;
  const e = err as { code?: unknown; name?: unknown; message?: unknown; cause?: unknown; errors?: unknown; details?: unknown; metadata?: unknown };
  if (typeof e.code === 'string' && (PG_OUTAGE_CODES.has(e.code) || SOCKET_OUTAGE_CODES.has(e.code))) return true;
  if (typeof e.code === 'number' && GRPC_OUTAGE_CODES.has(e.code) && ('details' in e || 'metadata' in e)) return true;
  if (e.name === 'KnexTimeoutError') return true;
  if (typeof e.message === 'string' && OUTAGE_MESSAGES.some((re) => re.test(e.message as string))) return true;
  if (isOutageError(e.cause, depth + 1)) return true;
  return Array.isArray(e.errors) && e.errors.some((inner) => isOutageError(inner, depth + 1));
}

/** One dependency's check: resolves when it answers, rejects (or times out) when it does not. */
export type HealthCheck = () => Promise<unknown>;

export function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer in ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** The database answers a trivial query. */
export const databaseCheck =
  (db: Knex, timeoutMs = 2000): HealthCheck =>
  () =>
    withTimeout(db.raw('select 1'), timeoutMs, 'database');

/** Temporal's frontend answers its gRPC health check (any client Connection's healthService). */
export const temporalCheck =
  (connection: { healthService: { check(req: object): Promise<{ status?: unknown }> } }, timeoutMs = 2000): HealthCheck =>
  async () => {
    const answer = await withTimeout(connection.healthService.check({}), timeoutMs, 'temporal');
    // SERVING = 1 (grpc.health.v1)
    if (answer.status !== undefined && answer.status !== 1 && answer.status !== 'SERVING') throw new Error('temporal: not serving');
  };

export interface Readiness {
  ready: boolean;
  checks: Record<string, 'ok' | 'down'>;
}

/** Runs every check at once; the answer names each dependency as ok or down (never the error's text). */
export async function readiness(checks: Record<string, HealthCheck>): Promise<Readiness> {
  const entries = Object.entries(checks);
  const results = await Promise.allSettled(entries.map(([, check]) => check()));
  const out: Record<string, 'ok' | 'down'> = {};
  entries.forEach(([name], i) => (out[name] = results[i]?.status === 'fulfilled' ? 'ok' : 'down'));
  return { ready: results.every((r) => r.status === 'fulfilled'), checks: out };
}

/** `/health/live` and `/health/ready` (and `/health`, kept for existing probes). */
export function healthRouter(checks: Record<string, HealthCheck>): Router {
  const router = express.Router();
  router.get(['/health', '/health/live'], (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/health/ready', async (_req, res) => {
    const state = await readiness(checks);
    res.setHeader('Cache-Control', 'no-store');
    if (!state.ready) res.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
    res.status(state.ready ? 200 : 503).json({ status: state.ready ? 'ready' : 'unavailable', checks: state.checks });
  });
  return router;
}

export interface OpsServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** A small HTTP server of health and metrics only (the worker's, on EVK_WORKER_HEALTH_PORT). */
export async function startOpsServer(options: {
  host: string;
  port: number;
  checks: Record<string, HealthCheck>;
  metrics?: () => Promise<{ contentType: string; body: string }>;
}): Promise<OpsServer> {
  const app = express();
  app.disable('x-powered-by');
  app.use(healthRouter(options.checks));
  if (options.metrics) {
    const metrics = options.metrics;
    app.get('/metrics', async (_req, res, next) => {
      try {
        const { contentType, body } = await metrics();
        res.type(contentType).send(body);
      } catch (err) {
        next(err);
      }
    });
  }
  app.use((_req, res) => {
    res.status(404).json({ error: 'not_found' });
  });
  const server = http.createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
