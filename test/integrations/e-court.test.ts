import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_COMPANIES, DEMO_COURT_CASES, DEMO_UNKNOWN_CASE_NUMBER } from '../../simulators/demo-data';
import {
  CourtCaseNotFoundError,
  ECOURT_MAX_UPLOAD_BYTES,
  ECourtRejectedError,
  ECourtUnavailableError,
  HttpECourt,
  NotAPartyToCaseError,
  type ECourtJoinRequest,
} from '../../integrations/e-court/adapter';
import { startECourtSimulator, type RunningECourtSimulator } from '../../simulators/e-court/simulator';

const PDF = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(2000, 0x20), Buffer.from('\n%%EOF\n')]);
const criminal = DEMO_COURT_CASES[0];
const accused = criminal.parties[0];
const lawyer = { fin: '3HT7P1K', licenseNumber: 'VL-000777', name: 'Məmmədov Elçin' };
const request = (overrides: Partial<ECourtJoinRequest> = {}): ECourtJoinRequest => ({
  caseNumber: criminal.caseNumber,
  lawyer,
  protectedParty: { fin: accused.fin, name: accused.name },
  order: { number: 'EVO-2026-000101', pdf: PDF },
  ...overrides,
});

describe('e-court adapter against its simulator (R4.6)', () => {
  let sim: RunningECourtSimulator;
  let eCourt: HttpECourt;

  beforeAll(async () => {
    sim = await startECourtSimulator(0, { latencyMs: [0, 0] });
    eCourt = new HttpECourt(sim.url, 5_000);
  });
  afterAll(async () => {
    await sim?.close();
  });

  it('joins the lawyer to a seeded case and attaches the order; the same order again is idempotent', async () => {
    const first = await eCourt.joinCase(request({ caseNumber: ` ${criminal.caseNumber} ` }));
    expect(first.courtName).toBe(criminal.courtName);
    const again = await eCourt.joinCase(request());
    expect(again.joinedAt).toBe(first.joinedAt);
    const amended = await eCourt.joinCase(request({ order: { number: 'EVO-2026-000102', pdf: PDF } }));
    expect(amended.joinedAt).toBe(first.joinedAt);
    const rep = sim.caseOf(criminal.caseNumber)!.representatives;
    expect(rep).toHaveLength(1);
    expect(rep[0].orders.map((o) => o.orderNumber)).toEqual(['EVO-2026-000101', 'EVO-2026-000102']);
  });

  it('a legal entity is matched by VÖEN', async () => {
    const commercial = DEMO_COURT_CASES.find((c) => c.parties.some((p) => p.voen))!;
    const company = DEMO_COMPANIES.find((c) => c.voen === commercial.parties[0].voen)!;
    await expect(
      eCourt.joinCase(request({ caseNumber: commercial.caseNumber, protectedParty: { voen: company.voen, name: company.name } })),
    ).resolves.toMatchObject({ courtName: commercial.courtName });
  });

  it('an unknown case number and a person who is not a party are typed refusals', async () => {
    await expect(eCourt.joinCase(request({ caseNumber: DEMO_UNKNOWN_CASE_NUMBER }))).rejects.toBeInstanceOf(CourtCaseNotFoundError);
    const error = await eCourt.joinCase(request({ protectedParty: { fin: '9ZZ9ZZ9', name: 'Naməlum Şəxs' } })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotAPartyToCaseError);
    expect(error).toMatchObject({ code: 'PARTY_NOT_IN_CASE', status: 422, service: 'e-court' });
  });

  it('uploads above ~10 MB are refused (by the adapter, and by the portal itself)', async () => {
    const big = Buffer.concat([Buffer.from('%PDF-'), Buffer.alloc(ECOURT_MAX_UPLOAD_BYTES)]);
    await expect(eCourt.joinCase(request({ order: { number: 'EVO-BIG', pdf: big } }))).rejects.toBeInstanceOf(ECourtRejectedError);
    const r = await fetch(`${sim.url}/api/v1/cases/${encodeURIComponent(criminal.caseNumber)}/representatives`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        lawyer,
        protectedParty: { fin: accused.fin, name: accused.name },
        order: { number: 'EVO-BIG', pdfBase64: big.toString('base64') },
      }),
    });
    expect(r.status).toBe(413);
  });

  it('down (the control endpoint) answers 503 as ECourtUnavailableError, and up again serves', async () => {
    expect((await fetch(`${sim.url}/simulator/api/down`, { method: 'POST' })).ok).toBe(true);
    await expect(eCourt.joinCase(request())).rejects.toBeInstanceOf(ECourtUnavailableError);
    expect((await fetch(`${sim.url}/simulator/api/up`, { method: 'POST' })).ok).toBe(true);
    await expect(eCourt.joinCase(request())).resolves.toMatchObject({ courtName: criminal.courtName });
  });

  it('an unreachable portal is ECourtUnavailableError (retry later)', async () => {
    await expect(new HttpECourt('http://127.0.0.1:9', 1_000).joinCase(request())).rejects.toBeInstanceOf(ECourtUnavailableError);
  });
});
