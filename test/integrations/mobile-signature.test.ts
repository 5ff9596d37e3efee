import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_LAWYERS, DEMO_LAWYER_WITHOUT_AGENT_CONTRACT, DEMO_UNLISTED_SIGNATURE_HOLDER } from '../../simulators/demo-data';
import { RequestRejectedError, ServiceUnavailableError } from '../../integrations/http';
import type { RunningSimulator } from '../../simulators/http';
import { HttpMobileSignatureProvider, UnknownSignatureHolderError } from '../../integrations/mobile-signature/adapter';
import { MobileSignatureSimulatorControl, WRONG_PIN1, startMobileSignatureSimulator } from '../../simulators/mobile-signature/simulator';

const head = DEMO_LAWYERS[0];
const lawyer = DEMO_LAWYERS[1];

describe('mobile signature (ASAN İmza) adapter against its simulator', () => {
  let sim: RunningSimulator;
  let provider: HttpMobileSignatureProvider;
  let phone: MobileSignatureSimulatorControl;
  // A controllable clock for the expiry tests.
  let clock = Date.parse('2026-01-15T09:00:00Z');

  beforeAll(async () => {
    sim = await startMobileSignatureSimulator(0, { latencyMs: [0, 0], transactionTtlMs: 180_000, now: () => clock });
    provider = new HttpMobileSignatureProvider(sim.url, 2_000);
    phone = new MobileSignatureSimulatorControl(sim.url);
  });

  afterAll(async () => {
    await sim?.close();
  });

  it('R2.3 starts a login with phone + user ID and gets a 4-digit verification code, pending', async () => {
    const started = await provider.startLogin(head.phone, head.mobileSignatureUserId);
    expect(started.transactionId).toBeTruthy();
    expect(started.verificationCode).toMatch(/^\d{4}$/);
    expect(Date.parse(started.expiresAt)).toBe(clock + 180_000);
    expect(await provider.getLoginStatus(started.transactionId)).toEqual({ status: 'pending' });
  });

  it('R2.3 confirms a login on the phone with PIN1 and learns who signed in', async () => {
    const started = await provider.startLogin(lawyer.phone, lawyer.mobileSignatureUserId);
    const onPhone = await phone.pendingFor(lawyer.phone);
    expect(onPhone?.transactionId).toBe(started.transactionId);
    expect(onPhone?.verificationCode).toBe(started.verificationCode);

    await phone.confirm(started.transactionId, '4821');
    expect(await provider.getLoginStatus(started.transactionId)).toEqual({
      status: 'confirmed',
      person: { fin: lawyer.fin, firstName: lawyer.firstName, lastName: lawyer.lastName, patronymic: lawyer.patronymic },
    });
  });

  it('R2.3 a refused login is reported refused, without a person', async () => {
    const started = await provider.startLogin(head.phone, head.mobileSignatureUserId);
    await phone.refuse(started.transactionId);
    expect(await provider.getLoginStatus(started.transactionId)).toEqual({ status: 'refused' });
  });

  it('R2.3 a wrong PIN1 is rejected and the request stays pending; an answered request cannot be answered again', async () => {
    const started = await provider.startLogin(head.phone, head.mobileSignatureUserId);
    await expect(phone.confirm(started.transactionId, WRONG_PIN1)).rejects.toMatchObject({ code: 'WRONG_PIN1', status: 400 });
    await expect(phone.confirm(started.transactionId, '12')).rejects.toMatchObject({ code: 'INVALID_PIN1' });
    expect((await provider.getLoginStatus(started.transactionId)).status).toBe('pending');
    await phone.confirm(started.transactionId);
    await expect(phone.refuse(started.transactionId)).rejects.toMatchObject({ code: 'TRANSACTION_NOT_PENDING', status: 409 });
    expect((await provider.getLoginStatus(started.transactionId)).status).toBe('confirmed');
  });

  it('R2.3 an unknown phone / user ID pair is refused with a clear error', async () => {
    const wrongUserId = await provider.startLogin(head.phone, '999999').catch((e: unknown) => e);
    expect(wrongUserId).toBeInstanceOf(UnknownSignatureHolderError);
    expect(wrongUserId).toBeInstanceOf(RequestRejectedError);
    expect(wrongUserId).toMatchObject({ code: 'SIGNATURE_HOLDER_NOT_FOUND', status: 404 });
    expect((wrongUserId as Error).message).toMatch(/no mobile-signature SIM/);

    await expect(provider.startLogin('+994500000000', head.mobileSignatureUserId)).rejects.toBeInstanceOf(UnknownSignatureHolderError);
  });

  it('R2.3 malformed phone numbers and user IDs are rejected', async () => {
    await expect(provider.startLogin('0502104517', head.mobileSignatureUserId)).rejects.toMatchObject({ code: 'INVALID_PHONE', status: 400 });
    await expect(provider.startLogin(head.phone, '12345')).rejects.toMatchObject({ code: 'INVALID_USER_ID', status: 400 });
  });

  it('R2.3 a request not answered in time expires and can no longer be confirmed', async () => {
    const started = await provider.startLogin(lawyer.phone, lawyer.mobileSignatureUserId);
    clock += 180_000;
    expect(await provider.getLoginStatus(started.transactionId)).toEqual({ status: 'expired' });
    await expect(phone.confirm(started.transactionId)).rejects.toMatchObject({ code: 'TRANSACTION_NOT_PENDING' });
  });

  it('R2.3 a new login on the same SIM expires the previous pending request', async () => {
    const first = await provider.startLogin(head.phone, head.mobileSignatureUserId);
    const second = await provider.startLogin(head.phone, head.mobileSignatureUserId);
    expect((await provider.getLoginStatus(first.transactionId)).status).toBe('expired');
    expect((await provider.getLoginStatus(second.transactionId)).status).toBe('pending');
    expect((await phone.transactions({ status: 'pending', phone: head.phone })).map((t) => t.transactionId)).toEqual([second.transactionId]);
  });

  it('R2.3 a transaction the provider does not know is reported expired', async () => {
    expect(await provider.getLoginStatus('00000000-0000-0000-0000-000000000000')).toEqual({ status: 'expired' });
  });

  it('R2.1 the provider confirms identity only; people off the Bar list and lawyers without a contract still authenticate', async () => {
    for (const who of [
      { phone: DEMO_UNLISTED_SIGNATURE_HOLDER.phone, userId: DEMO_UNLISTED_SIGNATURE_HOLDER.userId, fin: DEMO_UNLISTED_SIGNATURE_HOLDER.fin },
      {
        phone: DEMO_LAWYER_WITHOUT_AGENT_CONTRACT.phone,
        userId: DEMO_LAWYER_WITHOUT_AGENT_CONTRACT.mobileSignatureUserId,
        fin: DEMO_LAWYER_WITHOUT_AGENT_CONTRACT.fin,
      },
    ]) {
      const started = await provider.startLogin(who.phone, who.userId);
      await phone.confirm(started.transactionId);
      const status = await provider.getLoginStatus(started.transactionId);
      expect(status.status).toBe('confirmed');
      expect(status.person?.fin).toBe(who.fin);
    }
  });

  it('R2.3 the HTML test phone says SIMULATOR, shows the code, and confirms through its form', async () => {
    const started = await provider.startLogin(lawyer.phone, lawyer.mobileSignatureUserId);
    const page = await fetch(`${sim.url}/`);
    expect(page.headers.get('x-evk-simulator')).toMatch(/SIMULATOR/);
    const html = await page.text();
    expect(html).toContain('SIMULATOR');
    expect(html).toContain('SİMULYATOR');
    expect(html).toContain(`data-transaction-id="${started.transactionId}"`);
    expect(html).toContain(`data-verification-code="${started.verificationCode}"`);

    const wrong = await fetch(`${sim.url}/simulator/phone/${started.transactionId}/confirm`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `pin1=${WRONG_PIN1}`,
      redirect: 'manual',
    });
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toContain('wrong PIN1');

    const answer = await fetch(`${sim.url}/simulator/phone/${started.transactionId}/confirm`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'pin1=2468',
      redirect: 'manual',
    });
    expect(answer.status).toBe(303);
    expect(answer.headers.get('location')).toBe('/');
    expect((await provider.getLoginStatus(started.transactionId)).status).toBe('confirmed');
  });

  it('JSON answers name the simulator; unknown routes answer a JSON error', async () => {
    const health = await (await fetch(`${sim.url}/health`)).json();
    expect(health).toMatchObject({ status: 'ok', simulator: expect.stringMatching(/SIMULATOR/) });
    const missing = await fetch(`${sim.url}/api/v1/nothing`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { code: 'ROUTE_NOT_FOUND' } });
    const badJson = await fetch(`${sim.url}/api/v1/login-transactions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' });
    expect(badJson.status).toBe(400);
    expect(await badJson.json()).toMatchObject({ error: { code: 'INVALID_REQUEST' } });
  });
});

describe('mobile signature provider unavailable', () => {
  it('R2.3 a failing provider surfaces as ServiceUnavailableError', async () => {
    const sim = await startMobileSignatureSimulator(0, { latencyMs: [0, 0], failureRate: 1 });
    try {
      const provider = new HttpMobileSignatureProvider(sim.url, 2_000);
      const error = await provider.startLogin(head.phone, head.mobileSignatureUserId).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ServiceUnavailableError);
      expect(error).toMatchObject({ reason: 'server_error', status: 503, code: 'SERVICE_UNAVAILABLE' });
    } finally {
      await sim.close();
    }
  });

  it('R2.3 a provider slower than the client timeout surfaces as ServiceUnavailableError(timeout)', async () => {
    const sim = await startMobileSignatureSimulator(0, { latencyMs: [1_000, 1_000] });
    try {
      const provider = new HttpMobileSignatureProvider(sim.url, 100);
      await expect(provider.startLogin(head.phone, head.mobileSignatureUserId)).rejects.toMatchObject({
        name: 'ServiceUnavailableError',
        reason: 'timeout',
      });
    } finally {
      await sim.close();
    }
  });
});
