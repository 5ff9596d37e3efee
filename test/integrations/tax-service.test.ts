import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_COMPANIES, DEMO_UNKNOWN_VOEN, TAX_SIM_FAILURE_VOEN, TAX_SIM_TIMEOUT_VOEN } from '../../simulators/demo-data';
import { RequestRejectedError, ServiceUnavailableError } from '../../integrations/http';
import type { RunningSimulator } from '../../simulators/http';
import { HttpTaxService } from '../../integrations/tax-service/adapter';
import { startTaxServiceSimulator } from '../../simulators/tax-service/simulator';

describe('tax service adapter against its simulator', () => {
  let sim: RunningSimulator;
  let tax: HttpTaxService;

  beforeAll(async () => {
    sim = await startTaxServiceSimulator(0, { latencyMs: [0, 0], failureRate: 0 });
    tax = new HttpTaxService(sim.url, 2_000);
  });

  afterAll(async () => {
    await sim?.close();
  });

  it("R4.1.3 a resident's VÖEN fetches name, address and e-mail", async () => {
    const company = DEMO_COMPANIES[0];
    const taxpayer = await tax.findByVoen(company.voen);
    expect(taxpayer).toEqual({
      voen: company.voen,
      name: company.name,
      legalForm: company.legalForm,
      address: company.address,
      email: company.email,
      directorName: company.directorName,
      status: 'active',
      registeredOn: company.registeredOn,
    });
  });

  it('R4.1.3 every demo company is found; one has no e-mail on record', async () => {
    for (const company of DEMO_COMPANIES) expect((await tax.findByVoen(company.voen))?.name).toBe(company.name);
    const withoutEmail = DEMO_COMPANIES.find((c) => c.email === null);
    expect(withoutEmail).toBeDefined();
    expect((await tax.findByVoen(withoutEmail!.voen))?.email).toBeNull();
  });

  it('R4.1.3 a valid but unknown VÖEN gives null, so the lawyer types the data', async () => {
    expect(await tax.findByVoen(DEMO_UNKNOWN_VOEN)).toBeNull();
  });

  it('R4.1.3 an invalid VÖEN (bad check digit, length, 10th digit) is rejected with INVALID_VOEN', async () => {
    const badCheck = DEMO_COMPANIES[0].voen.slice(0, 8) + String((Number(DEMO_COMPANIES[0].voen[8]) + 1) % 10) + '1';
    for (const voen of [badCheck, '123', '1700234553']) {
      const error = await tax.findByVoen(voen).catch((e: unknown) => e);
      expect(error, voen).toBeInstanceOf(RequestRejectedError);
      expect(error).toMatchObject({ code: 'INVALID_VOEN', status: 400, service: 'tax-service' });
    }
  });

  it('R4.1.3 the special failure VÖEN always fails → ServiceUnavailableError', async () => {
    for (let i = 0; i < 3; i++) {
      const error = await tax.findByVoen(TAX_SIM_FAILURE_VOEN).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ServiceUnavailableError);
      expect(error).toMatchObject({ reason: 'server_error', status: 503, code: 'SERVICE_UNAVAILABLE' });
    }
  });

  it('R4.1.3 the special timeout VÖEN never answers in time → ServiceUnavailableError(timeout) at the client timeout', async () => {
    const impatient = new HttpTaxService(sim.url, 200);
    const started = Date.now();
    const error = await impatient.findByVoen(TAX_SIM_TIMEOUT_VOEN).catch((e: unknown) => e);
    const elapsed = Date.now() - started;
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect(error).toMatchObject({ reason: 'timeout', code: 'TIMEOUT' });
    expect(elapsed).toBeGreaterThanOrEqual(190);
    expect(elapsed).toBeLessThan(2_000);
    // The simulator still serves other requests while it holds that one.
    expect((await tax.findByVoen(DEMO_COMPANIES[1].voen))?.voen).toBe(DEMO_COMPANIES[1].voen);
  });

  it('the HTML page and every JSON answer say SIMULATOR and list the special VÖENs', async () => {
    const page = await fetch(`${sim.url}/`);
    expect(page.headers.get('x-evk-simulator')).toMatch(/SIMULATOR/);
    const html = await page.text();
    expect(html).toContain('SIMULATOR');
    expect(html).toContain(TAX_SIM_TIMEOUT_VOEN);
    expect(html).toContain(TAX_SIM_FAILURE_VOEN);
    const json = await (await fetch(`${sim.url}/api/v1/taxpayers/${DEMO_COMPANIES[0].voen}`)).json();
    expect(json).toMatchObject({ simulator: expect.stringMatching(/SIMULATOR/) });
  });
});

describe('tax service simulated conditions', () => {
  it('R4.1.3 when the held request finally ends, a patient client gets 504 → ServiceUnavailableError(timeout)', async () => {
    const sim = await startTaxServiceSimulator(0, { latencyMs: [0, 0], failureRate: 0, hangMs: 50 });
    try {
      const error = await new HttpTaxService(sim.url, 2_000).findByVoen(TAX_SIM_TIMEOUT_VOEN).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ServiceUnavailableError);
      expect(error).toMatchObject({ reason: 'timeout', status: 504, code: 'GATEWAY_TIMEOUT' });
    } finally {
      await sim.close();
    }
  });

  it('R4.1.3 by default about 10% of look-ups fail at random with 503', async () => {
    let next = 0.05;
    const sim = await startTaxServiceSimulator(0, { latencyMs: [0, 0], random: () => next });
    try {
      const tax = new HttpTaxService(sim.url, 2_000);
      await expect(tax.findByVoen(DEMO_COMPANIES[0].voen)).rejects.toMatchObject({ name: 'ServiceUnavailableError', status: 503 });
      next = 0.5;
      expect(await tax.findByVoen(DEMO_COMPANIES[0].voen)).not.toBeNull();
    } finally {
      await sim.close();
    }
  });

  it('R4.1.3 a slow tax service (latency above the client timeout) → ServiceUnavailableError(timeout)', async () => {
    const sim = await startTaxServiceSimulator(0, { latencyMs: [1_000, 1_000], failureRate: 0 });
    try {
      await expect(new HttpTaxService(sim.url, 100).findByVoen(DEMO_COMPANIES[0].voen)).rejects.toMatchObject({
        name: 'ServiceUnavailableError',
        reason: 'timeout',
      });
    } finally {
      await sim.close();
    }
  });
});
