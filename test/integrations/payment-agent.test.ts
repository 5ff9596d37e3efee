/**
 * Payment agent adapter + SIMULATOR over real HTTP (R4.3.1, R4.3.2, R4.3.3).
 * The simulator runs on port 0 with zero latency; a tiny express receiver, also on port 0,
 * verifies the agent's server-to-server callbacks with verifyCallback.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpPaymentAgent, PaymentAgentError, type CreatePaymentRequest } from '../../integrations/payment-agent/adapter';
import {
  InMemoryNonceStore,
  PaymentState,
  signCallback,
  verifyCallback,
  type CallbackNotification,
  type VerifyCallbackResult,
} from '../../integrations/payment-agent/protocol';
import { TEST_CARDS, startPaymentAgentSimulator, type RunningPaymentAgentSimulator } from '../../simulators/payment-agent/simulator';
import type { LooseJson } from '../support/http-client';

const SECRET = 'test-payment-agent-secret';
const MERCHANT_ID = 'EVK-BAR';

interface Received {
  path: string;
  rawBody: string;
  headers: Record<string, string>;
  verdict: VerifyCallbackResult;
  answered: number;
}

interface Receiver {
  url: string;
  received: Received[];
  /** path → how many more verified callbacks to answer with 500 */
  failNext: Map<string, number>;
  close(): Promise<void>;
}

async function listen(server: http.Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function closeServer(server: http.Server): Promise<void> {
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

async function startReceiver(): Promise<Receiver> {
  const nonces = new InMemoryNonceStore();
  const received: Received[] = [];
  const failNext = new Map<string, number>();
  let base = '';
  const app = express();
  app.post('/cb/:name', express.text({ type: () => true }), async (req, res) => {
    const rawBody = typeof req.body === 'string' ? req.body : '';
    const verdict = await verifyCallback({
      secret: SECRET,
      url: `${base}${req.originalUrl}`,
      rawBody,
      headers: req.headers,
      isNonceFresh: (nonce, expiresAt) => nonces.remember(nonce, expiresAt),
    });
    let answered = 200;
    if (!verdict.ok) {
      answered = { bad_signature: 401, replayed: 409, stale: 400, malformed: 400 }[verdict.reason];
    } else if ((failNext.get(req.path) ?? 0) > 0) {
      failNext.set(req.path, failNext.get(req.path)! - 1);
      answered = 500;
    }
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
    received.push({ path: req.path, rawBody, headers, verdict, answered });
    res.status(answered).json(verdict.ok ? { ok: true } : { ok: false, reason: verdict.reason });
  });
  app.get('/return', (_req, res) => {
    res.send('back at EVK');
  });
  const server = http.createServer(app);
  base = await listen(server);
  return { url: base, received, failNext, close: () => closeServer(server) };
}

let sim: RunningPaymentAgentSimulator;
let receiver: Receiver;
let agent: HttpPaymentAgent;
let seq = 0;

beforeAll(async () => {
  sim = await startPaymentAgentSimulator(0, {
    secret: SECRET,
    merchantId: MERCHANT_ID,
    latencyMs: [0, 0],
    callbackDelayMs: 0,
    callbackRetryDelaysMs: [50, 100, 200],
  });
  receiver = await startReceiver();
  agent = new HttpPaymentAgent({ baseUrl: sim.url, merchantId: MERCHANT_ID, secret: SECRET, timeoutMs: 5000 });
});

afterAll(async () => {
  await sim?.close();
  await receiver?.close();
});

function request(name: string, overrides: Partial<CreatePaymentRequest> = {}): CreatePaymentRequest {
  seq += 1;
  return {
    externalId: `contract-${name}-${seq}-${Date.now()}`,
    amountQepik: 2050,
    description: { az: `Müqavilə №${seq} üzrə vəkil haqqı`, en: `Lawyer's fee under contract No ${seq}` },
    language: 'az',
    returnUrl: `${receiver.url}/return?case=${seq}`,
    callbackUrl: `${receiver.url}/cb/${name}`,
    ...overrides,
  };
}

async function waitFor<T>(probe: () => T | undefined | false, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('waitFor: timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Verified callbacks of one payment, in arrival order. */
function accepted(paymentId: string): { notification: CallbackNotification; received: Received }[] {
  return receiver.received
    .filter((r) => r.verdict.ok && r.verdict.notification.PaymentId === paymentId && r.answered === 200)
    .map((r) => ({ notification: (r.verdict as { notification: CallbackNotification }).notification, received: r }));
}

async function waitForCallbacks(paymentId: string, count: number) {
  await waitFor(() => accepted(paymentId).length >= count);
  await sim.simulator.settled();
  return accepted(paymentId);
}

async function page(path: string): Promise<{ status: number; body: string }> {
  const res = await fetch(`${sim.url}${path}`);
  return { status: res.status, body: await res.text() };
}

async function postForm(path: string, form: Record<string, string>) {
  const res = await fetch(`${sim.url}${path}`, { method: 'POST', body: new URLSearchParams(form), redirect: 'manual' });
  return { status: res.status, location: res.headers.get('location'), body: await res.text() };
}

async function postJson(path: string, body: unknown) {
  const res = await fetch(`${sim.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, LooseJson> };
}

/** The "return to the site" link of a result page, decoded. */
function returnLink(body: string): URL {
  const m = /<a href="([^"]+)" data-action="return">/.exec(body);
  if (!m) throw new Error('no return link on the page');
  return new URL(m[1].replace(/&#x3D;/g, '=').replace(/&amp;/g, '&'));
}

const futureExpiry = `12/${String((new Date().getUTCFullYear() + 2) % 100).padStart(2, '0')}`;
const card = (cardNumber: string) => ({ cardNumber, expiry: futureExpiry, cvv: '123', holder: 'AYSEL MAMMADOVA', lang: 'az' });

describe('payment agent simulator and adapter', () => {
  it('R4.3.1 create → payment page (az first, en on request) → card success → 303 to returnUrl and exactly one signed callback', async () => {
    const req = request('card-ok');
    const created = await agent.createPayment(req);
    expect(created.terminalCode).toMatch(/^EVK-\d{4,}$/);
    expect(created.paymentPageUrl).toBe(`${sim.url}/pay/${created.agentPaymentId}`);

    const az = await page(`/pay/${created.agentPaymentId}`);
    expect(az.status).toBe(200);
    expect(az.body).toContain('<html lang="az">');
    expect(az.body).toContain('SİMULYATOR');
    expect(az.body).toContain('20.50 AZN');
    expect(az.body).toContain(req.description.az);
    expect(az.body).toContain('data-method="card"');
    expect(az.body).toContain('data-method="terminal"');
    const en = await page(`/pay/${created.agentPaymentId}?lang=en`);
    expect(en.body).toContain('SIMULATOR');
    expect(en.body).toContain('Lawyer&#x27;s fee under contract');
    const cardPage = await page(`/pay/${created.agentPaymentId}?method=card`);
    expect(cardPage.body).toContain('4169 7388 0000 0004');
    expect(cardPage.body).toContain('4000 0000 0000 0002');
    expect(cardPage.body).toContain('4000 0000 0000 0119');

    const paid = await postForm(`/pay/${created.agentPaymentId}/card`, card('4169 7388 0000 0004'));
    expect(paid.status).toBe(303);
    const back = new URL(paid.location!);
    expect(`${back.origin}${back.pathname}`).toBe(`${receiver.url}/return`);
    expect(back.searchParams.get('case')).toBe(String(seq));
    expect(back.searchParams.get('payment')).toBe(created.agentPaymentId);
    expect(back.searchParams.get('state')).toBe(String(PaymentState.Paid));

    const callbacks = await waitForCallbacks(created.agentPaymentId, 1);
    expect(callbacks).toHaveLength(1);
    expect(receiver.received.filter((r) => r.path === '/cb/card-ok')).toHaveLength(1);
    expect(callbacks[0].notification).toMatchObject({
      ExternalId: req.externalId,
      PaymentId: created.agentPaymentId,
      Price: 2050,
      Debt: 0,
      Currency: 'AZN',
      PaymentAttempt: 1,
      State: PaymentState.Paid,
      Method: 'card',
    });

    const status = await agent.getPayment(created.agentPaymentId);
    expect(status).toMatchObject({ state: PaymentState.Paid, paidQepik: 2050, debtQepik: 0, method: 'card', externalId: req.externalId });

    const after = await page(`/pay/${created.agentPaymentId}`);
    expect(after.body).toContain('data-notice="paid"');
    expect(after.body).not.toContain('<form');
    const again = await postForm(`/pay/${created.agentPaymentId}/card`, card('4169 7388 0000 0004'));
    expect(again.status).toBe(409);
    await sim.simulator.settled();
    expect(accepted(created.agentPaymentId)).toHaveLength(1);
  });

  it('R4.3.3 the same ExternalId and amount returns the same open payment; a new amount replaces an unpaid one, not a partly paid one', async () => {
    const req = request('idem');
    const first = await agent.createPayment(req);
    const second = await agent.createPayment({ ...req, language: 'en' });
    expect(second.agentPaymentId).toBe(first.agentPaymentId);
    expect(second.terminalCode).toBe(first.terminalCode);
    expect(second.paymentPageUrl).toBe(`${first.paymentPageUrl}?lang=en`);

    const replaced = await agent.createPayment({ ...req, amountQepik: 3000 });
    expect(replaced.agentPaymentId).not.toBe(first.agentPaymentId);
    expect((await agent.getPayment(first.agentPaymentId)).state).toBe(PaymentState.Canceled);

    const partly = await postJson('/api/test/terminal', { code: replaced.terminalCode, amountQepik: 1000 });
    expect(partly.body.outcome).toBe('partially_paid');
    const refused = await agent.createPayment({ ...req, amountQepik: 4000 }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(PaymentAgentError);
    expect(refused).toMatchObject({ kind: 'rejected', details: { status: 409, code: 'external_id_conflict' } });
    expect((refused as PaymentAgentError).retryable).toBe(false);
    await waitForCallbacks(replaced.agentPaymentId, 1);
  });

  it('R4.3.1 the card form checks Luhn, expiry, CVV and holder, shows errors next to the fields and keeps the values', async () => {
    const created = await agent.createPayment(request('card-form'));
    const res = await postForm(`/pay/${created.agentPaymentId}/card`, {
      cardNumber: '4169 7388 0000 0005',
      expiry: '01/20',
      cvv: '12',
      holder: '',
      lang: 'az',
    });
    expect(res.status).toBe(422);
    expect(res.body).toMatch(/data-error="cardNumber">Kartın nömrəsi səhvdir/);
    expect(res.body).toMatch(/data-error="expiry">Kartın müddəti bitib/);
    expect(res.body).toMatch(/data-error="cvv">CVV 3 rəqəmdən/);
    expect(res.body).toMatch(/data-error="holder">Kart sahibinin adını/);
    expect(res.body).toContain('value="4169 7388 0000 0005"');
    expect(res.body).toContain('value="01/20"');

    const en = await postForm(`/pay/${created.agentPaymentId}/card`, { ...card('4169738800000004'), expiry: '13/40', lang: 'en' });
    expect(en.status).toBe(422);
    expect(en.body).toMatch(/data-error="expiry">Enter the date as MM\/YY/);
    expect(en.body).not.toContain('data-error="cardNumber"');

    const json = await postJson(`/api/test/payments/${created.agentPaymentId}/pay-card`, { cardNumber: '1234 5678 9012 3456' });
    expect(json.status).toBe(422);
    expect(json.body.errors).toEqual({ cardNumber: 'card_number_invalid' });

    await sim.simulator.settled();
    expect(receiver.received.filter((r) => r.path === '/cb/card-form')).toHaveLength(0);
    expect((await agent.getPayment(created.agentPaymentId)).state).toBe(PaymentState.Created);
  });

  it('R4.3.1 a declined card: "Kart rədd edildi", callback State 4 (insufficient_funds); another card then pays', async () => {
    const created = await agent.createPayment(request('declined'));
    const res = await postForm(`/pay/${created.agentPaymentId}/card`, card(TEST_CARDS.declined));
    expect(res.status).toBe(200);
    expect(res.body).toContain('Kart rədd edildi');
    expect(res.body).toContain('data-notice="declined"');
    expect(returnLink(res.body).searchParams.get('state')).toBe(String(PaymentState.Declined));
    expect(returnLink(res.body).searchParams.get('payment')).toBe(created.agentPaymentId);
    expect(res.body).toContain(`value="${TEST_CARDS.declined}"`);

    const [declined] = await waitForCallbacks(created.agentPaymentId, 1);
    expect(declined.notification).toMatchObject({
      State: PaymentState.Declined,
      StateReason: 'insufficient_funds',
      Debt: 2050,
      PaymentAttempt: 1,
      Method: 'card',
    });

    const retry = await postJson(`/api/test/payments/${created.agentPaymentId}/pay-card`, { cardNumber: TEST_CARDS.success });
    expect(retry.body).toMatchObject({ outcome: 'paid', state: PaymentState.Paid });
    expect(retry.body.redirectUrl).toContain(`payment=${created.agentPaymentId}`);
    const callbacks = await waitForCallbacks(created.agentPaymentId, 2);
    expect(callbacks.map((c) => [c.notification.State, c.notification.PaymentAttempt])).toEqual([
      [PaymentState.Declined, 1],
      [PaymentState.Paid, 2],
    ]);
  });

  it('R4.3.1 a card that times out: the page says the payment timed out, state Expired (6), callback sent, payment closed', async () => {
    const req = request('timeout');
    const created = await agent.createPayment(req);
    const res = await postForm(`/pay/${created.agentPaymentId}/card`, card(TEST_CARDS.timeout));
    expect(res.status).toBe(200);
    expect(res.body).toContain('Ödəniş vaxtı bitdi');
    expect(res.body).toContain('data-notice="expired"');
    expect(returnLink(res.body).searchParams.get('state')).toBe(String(PaymentState.Expired));

    const [expired] = await waitForCallbacks(created.agentPaymentId, 1);
    expect(expired.notification).toMatchObject({ State: PaymentState.Expired, StateReason: 'timeout', Debt: 2050 });
    expect((await agent.getPayment(created.agentPaymentId)).state).toBe(PaymentState.Expired);

    const late = await postJson(`/api/test/payments/${created.agentPaymentId}/pay-card`, { cardNumber: TEST_CARDS.success });
    expect(late.status).toBe(409);
    const terminal = await postJson('/api/test/terminal', { code: created.terminalCode, amountQepik: 2050 });
    expect(terminal.body.errors).toEqual({ code: 'not_payable' });

    const fresh = await agent.createPayment(req);
    expect(fresh.agentPaymentId).not.toBe(created.agentPaymentId);
  });

  it('R4.3.2 terminal: the page shows the code and instructions; paying the code at the terminal screen pays and sends one callback', async () => {
    const req = request('terminal');
    const created = await agent.createPayment(req);
    const info = await page(`/pay/${created.agentPaymentId}?method=terminal`);
    expect(info.body).toContain(created.terminalCode);
    expect(info.body).toContain('Elektron pul kisələri');
    expect(info.body).toContain('PulPal');

    const screen = await page('/terminal');
    expect(screen.status).toBe(200);
    expect(screen.body).toContain('SİMULYATOR');
    const unknown = await page('/terminal?code=EVK-1');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toContain('data-error="code"');

    const lookup = await page(`/terminal?code=${encodeURIComponent(created.terminalCode.toLowerCase())}`);
    expect(lookup.status).toBe(200);
    expect(lookup.body).toContain('value="20.50"');
    expect(lookup.body).toContain(req.description.az);

    const res = await postForm('/terminal', { code: created.terminalCode, amount: '20.50', lang: 'az' });
    expect(res.status).toBe(200);
    expect(res.body).toContain('data-notice="receipt"');
    expect(res.body).toContain(`data-state="${PaymentState.Paid}"`);

    const callbacks = await waitForCallbacks(created.agentPaymentId, 1);
    expect(callbacks).toHaveLength(1);
    expect(callbacks[0].notification).toMatchObject({ State: PaymentState.Paid, Method: 'terminal', Debt: 0, Price: 2050, ExternalId: req.externalId });
    expect(await agent.getPayment(created.agentPaymentId)).toMatchObject({ state: PaymentState.Paid, method: 'terminal', paidQepik: 2050 });
  });

  it('R4.3.3 partial terminal payment (PartiallyPaid with Debt), overpay refused, then the balance (Paid)', async () => {
    const created = await agent.createPayment(request('partial'));
    const first = await postJson('/api/test/terminal', { code: created.terminalCode, amountQepik: 1000 });
    expect(first.body).toMatchObject({ outcome: 'partially_paid', state: PaymentState.PartiallyPaid, amountQepik: 1000, debtQepik: 1050 });
    const [partial] = await waitForCallbacks(created.agentPaymentId, 1);
    expect(partial.notification).toMatchObject({ State: PaymentState.PartiallyPaid, Price: 2050, Debt: 1050, PaymentAttempt: 1, Method: 'terminal' });
    expect(await agent.getPayment(created.agentPaymentId)).toMatchObject({ state: PaymentState.PartiallyPaid, paidQepik: 1000, debtQepik: 1050 });

    const over = await postJson('/api/test/terminal', { code: created.terminalCode, amountQepik: 1051 });
    expect(over.status).toBe(422);
    expect(over.body).toMatchObject({ errors: { amount: 'amount_overpay' }, maxQepik: 1050 });
    const overForm = await postForm('/terminal', { code: created.terminalCode, amount: '20.50', lang: 'az' });
    expect(overForm.status).toBe(422);
    expect(overForm.body).toMatch(/data-error="amount">Məbləğ borcdan çoxdur: ən çoxu 10.50 AZN/);
    expect(overForm.body).toContain('value="20.50"');

    const pagePartial = await page(`/pay/${created.agentPaymentId}`);
    expect(pagePartial.body).toContain('data-field="debt">10.50 AZN');

    const rest = await postForm('/terminal', { code: created.terminalCode, amount: '10,50', lang: 'az' });
    expect(rest.status).toBe(200);
    const callbacks = await waitForCallbacks(created.agentPaymentId, 2);
    expect(callbacks.map((c) => [c.notification.State, c.notification.Debt, c.notification.PaymentAttempt])).toEqual([
      [PaymentState.PartiallyPaid, 1050, 1],
      [PaymentState.Paid, 0, 2],
    ]);
    expect((await agent.getPayment(created.agentPaymentId)).paidQepik).toBe(2050);
  });

  it('R4.3.3 a callback with a tampered body, URL, signature or secret is rejected (bad_signature)', async () => {
    const created = await agent.createPayment(request('tamper'));
    await postJson(`/api/test/payments/${created.agentPaymentId}/pay-card`, { cardNumber: TEST_CARDS.success });
    const [genuine] = await waitForCallbacks(created.agentPaymentId, 1);
    const { rawBody, headers } = genuine.received;
    const url = `${receiver.url}/cb/tamper`;
    const check = (over: { rawBody?: string; url?: string; secret?: string; headers?: Record<string, string> }) =>
      verifyCallback({
        secret: over.secret ?? SECRET,
        url: over.url ?? url,
        rawBody: over.rawBody ?? rawBody,
        headers: over.headers ?? headers,
        isNonceFresh: (n, e) => new InMemoryNonceStore().remember(n, e),
      });

    expect((await check({})).ok).toBe(true);
    const cheaper = rawBody.replace('"Price":2050', '"Price":1');
    expect(cheaper).not.toBe(rawBody);
    expect(await check({ rawBody: cheaper })).toEqual({ ok: false, reason: 'bad_signature' });
    expect(await check({ url: `${receiver.url}/cb/other` })).toEqual({ ok: false, reason: 'bad_signature' });
    expect(await check({ secret: 'another-secret' })).toEqual({ ok: false, reason: 'bad_signature' });
    const sig = headers['x-signature'];
    const flipped = (sig[0] === 'a' ? 'b' : 'a') + sig.slice(1);
    expect(await check({ headers: { ...headers, 'x-signature': flipped } })).toEqual({ ok: false, reason: 'bad_signature' });
    expect(await check({ headers: { ...headers, 'x-signature': 'zz' } })).toEqual({ ok: false, reason: 'bad_signature' });
    const { 'x-nonce': _dropped, ...noNonce } = headers;
    expect(await check({ headers: noNonce })).toMatchObject({ ok: false, reason: 'malformed' });

    // Over HTTP: the receiver answers 401 to a forged body.
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-signature': sig, 'x-nonce': headers['x-nonce'], 'x-timestamp': headers['x-timestamp'] },
      body: cheaper,
    });
    expect(res.status).toBe(401);
    expect(accepted(created.agentPaymentId)).toHaveLength(1);
  });

  it('R4.3.3 a replayed callback (same nonce) is rejected, so the same payment is not taken twice', async () => {
    const created = await agent.createPayment(request('replay'));
    await postJson(`/api/test/payments/${created.agentPaymentId}/pay-card`, { cardNumber: TEST_CARDS.success });
    const [genuine] = await waitForCallbacks(created.agentPaymentId, 1);
    const { rawBody, headers } = genuine.received;

    const res = await fetch(`${receiver.url}/cb/replay`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-signature': headers['x-signature'],
        'x-nonce': headers['x-nonce'],
        'x-timestamp': headers['x-timestamp'],
      },
      body: rawBody,
    });
    expect(res.status).toBe(409);
    expect(receiver.received.at(-1)!.verdict).toEqual({ ok: false, reason: 'replayed' });
    expect(accepted(created.agentPaymentId)).toHaveLength(1);

    const store = new InMemoryNonceStore();
    const args = { secret: SECRET, url: `${receiver.url}/cb/replay`, rawBody, headers, isNonceFresh: (n: string, e: Date) => store.remember(n, e) };
    expect((await verifyCallback(args)).ok).toBe(true);
    expect(await verifyCallback(args)).toEqual({ ok: false, reason: 'replayed' });
  });

  it('R4.3.3 a callback with a stale (or far-future) timestamp is rejected', async () => {
    const url = `${receiver.url}/cb/stale`;
    const body: CallbackNotification = {
      ExternalId: 'contract-stale',
      PaymentId: 'pp_stale',
      Price: 2050,
      Debt: 0,
      Currency: 'AZN',
      PaymentAttempt: 1,
      State: PaymentState.Paid,
      Method: 'card',
      Timestamp: new Date().toISOString(),
    };
    const rawBody = JSON.stringify(body);
    const now = Math.floor(Date.now() / 1000);
    const verify = (timestamp: number) =>
      verifyCallback({
        secret: SECRET,
        url,
        rawBody,
        headers: { ...signCallback({ secret: SECRET, url, rawBody, timestamp }) },
        isNonceFresh: (n, e) => new InMemoryNonceStore().remember(n, e),
      });
    expect(await verify(now - 301)).toMatchObject({ ok: false, reason: 'stale' });
    expect(await verify(now + 301)).toMatchObject({ ok: false, reason: 'stale' });
    expect(await verify(now - 290)).toMatchObject({ ok: true, notification: body });

    const old = signCallback({ secret: SECRET, url, rawBody, timestamp: now - 3600 });
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...old }, body: rawBody });
    expect(res.status).toBe(400);
    expect(receiver.received.at(-1)!.verdict).toMatchObject({ ok: false, reason: 'stale' });
  });

  it('R4.3.3 the callback is retried with backoff (fresh nonce) when the receiver first answers 500', async () => {
    receiver.failNext.set('/cb/retry', 1);
    const created = await agent.createPayment(request('retry'));
    await postJson(`/api/test/payments/${created.agentPaymentId}/pay-card`, { cardNumber: TEST_CARDS.success });
    const callbacks = await waitForCallbacks(created.agentPaymentId, 1);
    expect(callbacks).toHaveLength(1);

    const hits = receiver.received.filter((r) => r.path === '/cb/retry');
    expect(hits.map((h) => [h.verdict.ok, h.answered])).toEqual([
      [true, 500],
      [true, 200],
    ]);
    expect(hits[0].rawBody).toBe(hits[1].rawBody);
    const n1 = BigInt(hits[0].headers['x-nonce']);
    const n2 = BigInt(hits[1].headers['x-nonce']);
    expect(n2 > n1).toBe(true);

    const log = (await (await fetch(`${sim.url}/api/test/payments/${created.agentPaymentId}/callbacks`)).json()) as {
      status: string;
      attempts: { status?: number; at: string }[];
    }[];
    expect(log).toHaveLength(1);
    expect(log[0].status).toBe('delivered');
    expect(log[0].attempts.map((a) => a.status)).toEqual([500, 200]);
    expect(Date.parse(log[0].attempts[1].at) - Date.parse(log[0].attempts[0].at)).toBeGreaterThanOrEqual(45);
  });

  it('R4.3.3 a callback the receiver keeps refusing is given up after the configured attempts', async () => {
    receiver.failNext.set('/cb/give-up', 10);
    const created = await agent.createPayment(request('give-up'));
    await postJson(`/api/test/payments/${created.agentPaymentId}/pay-card`, { cardNumber: TEST_CARDS.success });
    await waitFor(() => receiver.received.filter((r) => r.path === '/cb/give-up').length >= 4);
    await sim.simulator.settled();
    const log = (await (await fetch(`${sim.url}/api/test/payments/${created.agentPaymentId}/callbacks`)).json()) as { status: string; attempts: unknown[] }[];
    expect(log[0]).toMatchObject({ status: 'failed' });
    expect(log[0].attempts).toHaveLength(4);
    receiver.failNext.delete('/cb/give-up');
  });

  it('R4.3.3 the adapter signs its requests and reports clear errors (bad secret, bad input, unreachable, timeout)', async () => {
    const unsigned = await fetch(`${sim.url}/api/payments/pp_x`);
    expect(unsigned.status).toBe(401);

    const wrongSecret = new HttpPaymentAgent({ baseUrl: sim.url, merchantId: MERCHANT_ID, secret: 'nope' });
    const denied = await wrongSecret.createPayment(request('denied')).catch((e: unknown) => e);
    expect(denied).toMatchObject({ name: 'PaymentAgentError', kind: 'rejected', details: { status: 401, code: 'bad_signature' } });
    expect((denied as PaymentAgentError).retryable).toBe(false);

    const wrongMerchant = new HttpPaymentAgent({ baseUrl: sim.url, merchantId: 'SOMEONE', secret: SECRET });
    await expect(wrongMerchant.getPayment('pp_x')).rejects.toMatchObject({ kind: 'rejected', details: { code: 'unknown_merchant' } });
    await expect(agent.getPayment('pp_does_not_exist')).rejects.toMatchObject({ kind: 'rejected', details: { status: 404 } });
    await expect(agent.createPayment(request('bad', { amountQepik: 20.5 }))).rejects.toMatchObject({ kind: 'invalid_request' });

    const closed = http.createServer();
    const closedUrl = await listen(closed);
    await closeServer(closed);
    const unreachable = await new HttpPaymentAgent({ baseUrl: closedUrl, merchantId: MERCHANT_ID, secret: SECRET }).getPayment('pp_x').catch((e: unknown) => e);
    expect(unreachable).toMatchObject({ kind: 'network' });
    expect((unreachable as PaymentAgentError).retryable).toBe(true);

    const silent = http.createServer(() => undefined);
    const silentUrl = await listen(silent);
    try {
      const slow = new HttpPaymentAgent({ baseUrl: silentUrl, merchantId: MERCHANT_ID, secret: SECRET, timeoutMs: 200 });
      const timedOut = await slow.getPayment('pp_x').catch((e: unknown) => e);
      expect(timedOut).toMatchObject({ kind: 'timeout' });
      expect((timedOut as PaymentAgentError).retryable).toBe(true);
    } finally {
      await closeServer(silent);
    }
  });
});
