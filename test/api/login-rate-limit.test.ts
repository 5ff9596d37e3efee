/**
 * Login attempts are limited per address (issue 4, "Safe"). The suite itself runs with a high limit
 * (it logs in hundreds of times), so the limiter is checked here on its own, over real HTTP.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLoginRateLimit } from '../../api/auth/rate-limit';

let server: http.Server;
let base: string;

beforeAll(async () => {
  const app = express();
  app.post('/api/auth/applicant/login', createLoginRateLimit(3), (_req, res) => {
    res.status(401).json({ error: { code: 'wrong_credentials', message: 'Wrong login or password.' } });
  });
  app.post('/login/applicant', createLoginRateLimit(3), (_req, res) => {
    res.status(401).send('wrong');
  });
  server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

describe('login rate limit', () => {
  it('R2.4 a fourth attempt within the window is refused with 429 and a reason, as JSON for the API', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await fetch(`${base}/api/auth/applicant/login`, { method: 'POST' })).status);
    expect(statuses).toEqual([401, 401, 401, 429]);
    const refused = await fetch(`${base}/api/auth/applicant/login`, { method: 'POST' });
    expect(await refused.json()).toMatchObject({ error: { code: 'too_many_attempts' } });
    expect(refused.headers.get('ratelimit-policy')).toContain('3');
  });

  it('R2.4 on the login page the refusal is a page in Azerbaijani', async () => {
    for (let i = 0; i < 3; i++) await fetch(`${base}/login/applicant`, { method: 'POST', headers: { accept: 'text/html' } });
    const refused = await fetch(`${base}/login/applicant`, { method: 'POST', headers: { accept: 'text/html' } });
    expect(refused.status).toBe(429);
    expect(await refused.text()).toContain('Çox sayda giriş cəhdi');
  });
});
