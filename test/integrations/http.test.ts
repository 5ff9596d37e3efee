import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IntegrationError, JsonHttpClient, NotFoundError, RequestRejectedError, ServiceUnavailableError } from '../../integrations/http';

/** A bare server answering canned responses by path, to exercise the client's error mapping. */
describe('JsonHttpClient error mapping', () => {
  let server: http.Server;
  let baseUrl: string;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const send = (status: number, body: string, type = 'application/json') => {
        res.writeHead(status, { 'content-type': type });
        res.end(body);
      };
      switch (req.url) {
        case '/prefix/ok':
          return send(200, JSON.stringify({ value: 42 }));
        case '/prefix/echo':
          return req.pipe(res);
        case '/prefix/html':
          return send(200, '<html></html>', 'text/html');
        case '/prefix/missing':
          return send(404, JSON.stringify({ error: { code: 'THING_NOT_FOUND', message: 'no such thing' } }));
        case '/prefix/bad':
          return send(422, JSON.stringify({ error: { code: 'BAD_THING', message: 'bad thing' } }));
        case '/prefix/boom':
          return send(500, 'Internal Server Error', 'text/plain');
        case '/prefix/busy':
          return send(429, '');
        case '/prefix/slow':
          return void setTimeout(() => send(200, '{}'), 2_000);
        default:
          return send(404, '');
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/prefix/`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const client = () => new JsonHttpClient({ service: 'test', baseUrl, timeoutMs: 500 });

  it('returns parsed JSON, keeps the base URL path prefix, and applies the parser', async () => {
    expect(await client().get('/ok')).toEqual({ value: 42 });
    const parsed = await client().get('ok', { parser: { parse: (d) => (d as { value: number }).value * 2 } });
    expect(parsed).toBe(84);
    expect(await client().post('/echo', { a: 'ə' })).toEqual({ a: 'ə' });
  });

  it('maps 404 to NotFoundError and other 4xx to RequestRejectedError, with the remote code', async () => {
    const missing = await client()
      .get('/missing')
      .catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(NotFoundError);
    expect(missing).toMatchObject({ code: 'THING_NOT_FOUND', status: 404, service: 'test', message: 'no such thing' });
    const bad = await client()
      .get('/bad')
      .catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(RequestRejectedError);
    expect(bad).toBeInstanceOf(IntegrationError);
    expect(bad).toMatchObject({ code: 'BAD_THING', status: 422 });
  });

  it('maps 5xx, 429, non-JSON and wrong-shaped answers to ServiceUnavailableError', async () => {
    await expect(client().get('/boom')).rejects.toMatchObject({ name: 'ServiceUnavailableError', reason: 'server_error', status: 500, code: 'HTTP_500' });
    await expect(client().get('/busy')).rejects.toMatchObject({ name: 'ServiceUnavailableError', status: 429 });
    await expect(client().get('/html')).rejects.toMatchObject({ name: 'ServiceUnavailableError', reason: 'invalid_response' });
    const failingParser = {
      parse: () => {
        throw new Error('shape');
      },
    };
    await expect(client().get('/ok', { parser: failingParser })).rejects.toMatchObject({ reason: 'invalid_response' });
  });

  it('times out with ServiceUnavailableError(timeout), per client or per call', async () => {
    const error = await client()
      .get('/slow')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect(error).toMatchObject({ reason: 'timeout', code: 'TIMEOUT' });
    await expect(client().get('/slow', { timeoutMs: 50 })).rejects.toMatchObject({ reason: 'timeout' });
  });

  it('reports a refused connection as ServiceUnavailableError(network)', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const unreachable = new JsonHttpClient({ service: 'gone', baseUrl: `http://127.0.0.1:${port}`, timeoutMs: 1_000 });
    await expect(unreachable.get('/x')).rejects.toMatchObject({ name: 'ServiceUnavailableError', reason: 'network', service: 'gone' });
  });

  it('rejects a base URL without http(s)', () => {
    expect(() => new JsonHttpClient({ service: 'x', baseUrl: '127.0.0.1:4000', timeoutMs: 100 })).toThrow(/http/);
  });
});
