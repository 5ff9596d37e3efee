import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PEOPLE, DEMO_UNKNOWN_FIN } from '../../simulators/demo-data';
import { RequestRejectedError, ServiceUnavailableError } from '../../integrations/http';
import type { RunningSimulator } from '../../simulators/http';
import { HttpPopulationRegistry, type RegistryPerson } from '../../integrations/population-registry/adapter';
import { startPopulationRegistrySimulator } from '../../simulators/population-registry/simulator';

describe('population registry adapter against its simulator', () => {
  let sim: RunningSimulator;
  let registry: HttpPopulationRegistry;

  beforeAll(async () => {
    sim = await startPopulationRegistrySimulator(0, { latencyMs: [0, 0] });
    registry = new HttpPopulationRegistry(sim.url, 2_000);
  });

  afterAll(async () => {
    await sim?.close();
  });

  it("R4.1.2 a citizen's FIN fills all personal data from the registry", async () => {
    const demo = DEMO_PEOPLE[0];
    const person = await registry.findByFin(demo.fin);
    const { demoContact: _contact, ...expected } = demo;
    expect(person).toEqual(expected);
    expect(person?.lastName).toBe('Əliyeva');
  });

  it('R4.1.2 every demo citizen is found, FIN input is trimmed and upper-cased', async () => {
    for (const demo of DEMO_PEOPLE) expect((await registry.findByFin(demo.fin))?.fin).toBe(demo.fin);
    expect((await registry.findByFin(` ${DEMO_PEOPLE[2].fin.toLowerCase()} `))?.fin).toBe(DEMO_PEOPLE[2].fin);
  });

  it('R4.1.2 an unknown FIN gives null, so the lawyer types the data', async () => {
    expect(await registry.findByFin(DEMO_UNKNOWN_FIN)).toBeNull();
  });

  it('R4.1.2 a malformed FIN is rejected with INVALID_FIN', async () => {
    const error = await registry.findByFin('AB-12').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RequestRejectedError);
    expect(error).toMatchObject({ code: 'INVALID_FIN', status: 400, service: 'population-registry' });
  });

  it('the HTML page and every JSON answer say SIMULATOR', async () => {
    const page = await fetch(`${sim.url}/`);
    expect(page.headers.get('x-evk-simulator')).toMatch(/SIMULATOR/);
    const html = await page.text();
    expect(html).toContain('SIMULATOR');
    expect(html).toContain(DEMO_PEOPLE[0].fin);
    const json = await (await fetch(`${sim.url}/api/v1/persons/${DEMO_PEOPLE[0].fin}`)).json();
    expect(json).toMatchObject({ simulator: expect.stringMatching(/SIMULATOR/) });
  });

  it('seed data can be overridden', async () => {
    const custom: RegistryPerson = {
      fin: 'TEST123',
      firstName: 'Nərmin',
      lastName: 'Babayeva',
      patronymic: 'Elşən qızı',
      birthDate: '1995-03-08',
      birthPlace: 'Bakı şəhəri',
      gender: 'female',
      citizenship: 'AZ',
      address: 'Bakı şəhəri',
      identityDocument: { type: 'identity_card', series: 'AA', number: '7654321', issuedOn: '2020-01-01', expiresOn: '2030-01-01', issuedBy: 'DİN' },
    };
    const other = await startPopulationRegistrySimulator(0, { latencyMs: [0, 0], people: [custom] });
    try {
      const client = new HttpPopulationRegistry(other.url, 2_000);
      expect(await client.findByFin('TEST123')).toEqual(custom);
      expect(await client.findByFin(DEMO_PEOPLE[0].fin)).toBeNull();
    } finally {
      await other.close();
    }
  });
});

describe('population registry unavailable', () => {
  it('R4.1.2 a failing registry surfaces as ServiceUnavailableError', async () => {
    const sim = await startPopulationRegistrySimulator(0, { latencyMs: [0, 0], failureRate: 1 });
    try {
      const error = await new HttpPopulationRegistry(sim.url, 2_000).findByFin(DEMO_PEOPLE[0].fin).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ServiceUnavailableError);
      expect(error).toMatchObject({ reason: 'server_error', status: 503 });
    } finally {
      await sim.close();
    }
  });

  it('R4.1.2 a registry slower than the client timeout surfaces as ServiceUnavailableError(timeout)', async () => {
    const sim = await startPopulationRegistrySimulator(0, { latencyMs: [2_000, 2_000] });
    try {
      const started = Date.now();
      await expect(new HttpPopulationRegistry(sim.url, 100).findByFin(DEMO_PEOPLE[0].fin)).rejects.toMatchObject({
        name: 'ServiceUnavailableError',
        reason: 'timeout',
      });
      expect(Date.now() - started).toBeLessThan(1_500);
    } finally {
      await sim.close();
    }
  });

  it('R4.1.2 an unreachable registry surfaces as ServiceUnavailableError(network)', async () => {
    const sim = await startPopulationRegistrySimulator(0, { latencyMs: [0, 0] });
    await sim.close();
    await expect(new HttpPopulationRegistry(sim.url, 2_000).findByFin(DEMO_PEOPLE[0].fin)).rejects.toMatchObject({
      name: 'ServiceUnavailableError',
      reason: 'network',
    });
  });
});
