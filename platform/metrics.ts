/**
 * Prometheus metrics (issue 10 item 8), with prom-client.
 *
 * Web: `evk_http_requests_total{method,route,status}` and `evk_http_request_duration_seconds`, labelled
 * by the route's pattern (`/api/contracts/:id`), never the raw URL (which may carry an identifier).
 * Worker: what the read model says about the pipeline, read on each scrape — orders issued, the
 * payment → order latency of the orders issued since the last scrape, the outbox's depth and oldest
 * age, and the reconciliation backlog (open payment requests, payment events not yet applied).
 * The Temporal SDK runtime exports its own metrics on EVK_TEMPORAL_METRICS_PORT (platform/worker.ts).
 * No label ever carries personal data: only codes, channels and route patterns.
 */
import type { Request, RequestHandler } from 'express';
import type { Knex } from 'knex';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

export interface MetricsExport {
  contentType: string;
  body: string;
}

const exportOf = async (registry: Registry): Promise<MetricsExport> => ({ contentType: registry.contentType, body: await registry.metrics() });

// ---------------------------------------------------------------- web

/** One registry per process: several apps in one process (tests) count into the same series. */
let webRegistry: { registry: Registry; requests: Counter<string>; duration: Histogram<string> } | undefined;
function webMetrics() {
  if (webRegistry) return webRegistry;
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'evk_web_' });
  const requests = new Counter({
    name: 'evk_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status.',
    labelNames: ['method', 'route', 'status'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'evk_http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by method and route pattern.',
    labelNames: ['method', 'route'],
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  webRegistry = { registry, requests, duration };
  return webRegistry;
}

/** A path segment that is an identifier (a contract ID, a number, a token), not part of the route. */
const looksLikeId = (segment: string) => /\d/.test(segment) || segment.length > 24;

/**
 * The route's pattern: the matched route's own path under its router's mount point when it describes the
 * request's path, else the path with identifier-like segments as `:id`; `unmatched` for a 404 (scanners
 * must not grow the series).
 */
export function routePattern(req: Request, status: number): string {
  const path = (req.originalUrl ?? req.url).split('?')[0] ?? '';
  if (path.startsWith('/static/')) return '/static';
  const routePath = (req.route as { path?: unknown } | undefined)?.path;
  if (typeof routePath === 'string') {
    const pattern = `${req.baseUrl ?? ''}${routePath === '/' && req.baseUrl ? '' : routePath}` || '/';
    if (pattern.split('/').length === path.replace(/\/+$/, '').split('/').length || pattern === path) return pattern;
  }
  if (status === 404) return 'unmatched';
  return path
    .split('/')
    .map((s) => (looksLikeId(s) ? ':id' : s))
    .join('/');
}

/** Counts every answer by method, route pattern and status (mounted first, before any router). */
export function httpMetrics(): RequestHandler {
  const { requests, duration } = webMetrics();
  return (req, res, next) => {
    const end = duration.startTimer();
    res.on('finish', () => {
      const route = routePattern(req, res.statusCode);
      requests.inc({ method: req.method, route, status: String(res.statusCode) });
      end({ method: req.method, route });
    });
    next();
  };
}

export const webMetricsExport = () => exportOf(webMetrics().registry);

// ---------------------------------------------------------------- worker

/** Agent states of a payment request still waiting for money (Created, PartiallyPaid). */
const OPEN_PAYMENT_STATES = [0, 8];
/** Agent states of an event that moved money in (Paid, Delivered, PartiallyPaid). */

/**
 * The worker's registry: gauges read from the read model on each scrape. The payment → order latency
 * is observed once per order issued after the previous scrape (the first scrape takes the orders issued
 * since the process started): from the contract's first recorded payment to the order's issue time.
 */
export function workerMetrics(db: Knex, options: { since?: Date; contractPdfs?: () => { prepared: number; rendered: number } } = {}) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'evk_worker_' });
  let watermark = options.since ?? new Date();
  const latency = new Histogram({
    name: 'evk_payment_to_order_seconds',
    help: 'Seconds from a contract payment being recorded to its order being issued (orders issued while this worker ran).',
    buckets: [0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300],
    registers: [registry],
  });
  const ordersIssued = new Gauge({
    name: 'evk_orders_issued_total',
    help: 'Orders issued (document versions with an order number), all time.',
    registers: [registry],
  });
  const outboxDepth = new Gauge({
    name: 'evk_outbox_depth',
    help: 'Messages waiting in the outbox (pending or being sent), by channel.',
    labelNames: ['channel'],
    registers: [registry],
  });
  const outboxOldest = new Gauge({
    name: 'evk_outbox_oldest_age_seconds',
    help: 'Age of the oldest message still waiting in the outbox (0 when none).',
    registers: [registry],
  });
  const outboxFailed = new Gauge({ name: 'evk_outbox_failed', help: 'Messages the dispatcher gave up on.', registers: [registry] });
  const openRequests = new Gauge({
    name: 'evk_reconciliation_open_payment_requests',
    help: 'Payment requests still open at the agent (created or partly paid): what reconciliation asks about.',
    registers: [registry],
  });
  const unapplied = new Gauge({
    name: 'evk_reconciliation_unapplied_payment_events',
    help: 'Stored, unflagged payment reports not yet applied to their contract (what reconciliation re-delivers).',
    registers: [registry],
  });

  // Issue 14: where the contract PDFs of this worker's orders came from (the copy prepared at approval, or rendered beside the order).
  const contractPdfs = new Gauge({
    name: 'evk_order_contract_pdfs_total',
    help: 'Orders this worker issued, by where their contract PDF came from: prepared at approval, or rendered at payment.',
    labelNames: ['source'],
    registers: [registry],
  });

  async function refresh() {
    if (options.contractPdfs) for (const [source, n] of Object.entries(options.contractPdfs())) contractPdfs.set({ source }, n);
    const [orders] = await db('contract_versions').count<{ n: string }[]>({ n: '*' });
    ordersIssued.set(Number(orders?.n ?? 0));

    const depth = await db('outbox')
      .whereIn('status', ['pending', 'sending'])
      .groupBy('channel')
      .select('channel')
      .count<{ channel: string; n: string }[]>({ n: '*' });
    outboxDepth.reset();
    for (const channel of ['email', 'sms']) outboxDepth.set({ channel }, 0);
    for (const row of depth) outboxDepth.set({ channel: row.channel }, Number(row.n));
    const oldest: { age: number | null } | undefined = await db('outbox')
      .whereIn('status', ['pending', 'sending'])
      .first<{ age: number | null } | undefined>(db.raw('extract(epoch from (now() - min(created_at)))::float as age'));
    outboxOldest.set(Number(oldest?.age ?? 0));
    const [failed] = await db('outbox').where({ status: 'failed' }).count<{ n: string }[]>({ n: '*' });
    outboxFailed.set(Number(failed?.n ?? 0));

    const [open] = await db('payment_requests').whereIn('state', OPEN_PAYMENT_STATES).count<{ n: string }[]>({ n: '*' });
    openRequests.set(Number(open?.n ?? 0));
    // The reconciliation's own backlog: stored, unflagged reports its contract's workflow has not taken yet (issue 10 item 1).
    const [events] = await db('payment_events').whereNull('applied_at').whereNull('flag').count<{ n: string }[]>({ n: '*' });
    unapplied.set(Number(events?.n ?? 0));

    const issued = await db('contract_versions as v')
      .where('v.issued_at', '>', watermark)
      .select('v.issued_at')
      .select(
        db('payments as p')
          .whereRaw('p.contract_id = v.contract_id')
          .where('p.kind', 'contract')
          .where('p.recorded_at', '<=', db.ref('v.issued_at'))
          .max('p.recorded_at')
          .as('paid_at'),
      )
      .orderBy('v.issued_at');
    for (const row of issued as { issued_at: Date; paid_at: Date | null }[]) {
      if (row.paid_at) latency.observe(Math.max(0, (new Date(row.issued_at).getTime() - new Date(row.paid_at).getTime()) / 1000));
      if (new Date(row.issued_at) > watermark) watermark = new Date(row.issued_at);
    }
  }

  return {
    registry,
    /** The text a Prometheus scrape reads; the read-model gauges are refreshed first. */
    export: async (): Promise<MetricsExport> => {
      await refresh();
      return exportOf(registry);
    },
  };
}
