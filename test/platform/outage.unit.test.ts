/**
 * Issue 10 item 5: the one place that tells an outage from a bug (platform/health.ts isOutageError),
 * and the API's error handler that answers it as 503 with Retry-After instead of 500 "internal".
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ServiceError } from '@temporalio/client';
import express from 'express';
import { KnexTimeoutError } from 'knex';
import { describe, expect, it } from 'vitest';
import { errorHandler } from '../../api/http/errors';
import { isOutageError } from '../../platform/health';
import { routePattern } from '../../platform/metrics';

const withCode = (message: string, code: string | number, extra: object = {}) => Object.assign(new Error(message), { code, ...extra });
const grpc = (code: number, text: string) =>
  withCode(`${code} ${text}: No connection established`, code, { details: 'No connection established', metadata: {} });

describe('isOutageError (issue 10 item 5)', () => {
  it.each([
    ['pg: nobody listens', withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')],
    ['pg: the server is shutting down (57P01)', withCode('terminating connection due to administrator command', '57P01')],
    ['pg: the connection failed (08006)', withCode('connection failure', '08006')],
    ['pg: the socket closed', new Error('Connection terminated unexpectedly')],
    ['knex: the pool timed out', new KnexTimeoutError('Knex: Timeout acquiring a connection. The pool is probably full.')],
    ['Temporal: UNAVAILABLE', new ServiceError('Failed to query workflow', { cause: grpc(14, 'UNAVAILABLE') })],
    ['Temporal: DEADLINE_EXCEEDED', new ServiceError('Failed to start workflow', { cause: grpc(4, 'DEADLINE_EXCEEDED') })],
    ['several refusals (IPv4 and IPv6)', new AggregateError([withCode('connect ECONNREFUSED ::1:5432', 'ECONNREFUSED')], '')],
  ])('%s is an outage', (_what, err) => {
    expect(isOutageError(err)).toBe(true);
  });

  it.each([
    ['a bug', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['a unique violation (23505)', withCode('duplicate key value violates unique constraint', '23505')],
    ['a gRPC NOT_FOUND', withCode('5 NOT_FOUND: workflow not found', 5, { details: 'workflow not found', metadata: {} })],
    ['not an error', 'ECONNREFUSED'],
  ])('%s is not', (_what, err) => {
    expect(isOutageError(err)).toBe(false);
  });
});

describe('the API error handler during an outage (issue 10 item 5)', () => {
  it('answers 503 common.service_unavailable with Retry-After; a bug stays 500 internal', async () => {
    const app = express();
    app.get('/temporal-down', () => {
      throw new ServiceError('Failed to query workflow', { cause: grpc(14, 'UNAVAILABLE') });
    });
    app.get('/bug', () => {
      throw new TypeError('boom');
    });
    const logged: string[] = [];
    app.use(errorHandler({ error: (_o, msg) => logged.push(`error ${msg}`), warn: (_o, msg) => logged.push(`warn ${msg}`) }));
    const server = http.createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const down = await fetch(`${base}/temporal-down`, { headers: { 'accept-language': 'en' } });
      expect(down.status).toBe(503);
      expect(down.headers.get('retry-after')).toMatch(/^\d+$/);
      const body = (await down.json()) as { error: { code: string; reason: string; message: string } };
      expect(body.error).toMatchObject({ code: 'unavailable', reason: 'common.service_unavailable' });
      expect(body.error.message).toMatch(/try again in a moment/);
      const bug = await fetch(`${base}/bug`);
      expect(bug.status).toBe(500);
      expect(bug.headers.get('retry-after')).toBeNull();
      expect(logged).toEqual(['warn dependency unavailable', 'error unhandled error']);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

describe('metrics label a request by its route pattern (issue 10 item 8)', () => {
  const req = (originalUrl: string, baseUrl = '', routePath?: string) =>
    ({ originalUrl, url: originalUrl, baseUrl, route: routePath ? { path: routePath } : undefined }) as never;
  it('uses the matched route under its mount point, else hides identifiers; a 404 is "unmatched"', () => {
    expect(routePattern(req('/api/contracts/2026-000123', '/api/contracts', '/:id'), 200)).toBe('/api/contracts/:id');
    expect(routePattern(req('/api/contracts/2026-000123/submit?x=1'), 503)).toBe('/api/contracts/:id/submit');
    expect(routePattern(req('/wp-admin/setup.php'), 404)).toBe('unmatched');
    expect(routePattern(req('/static/app.js'), 200)).toBe('/static');
  });
});
