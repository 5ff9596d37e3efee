/**
 * E-court portal SIMULATOR — a stand-in for the court portal (e-məhkəmə) of R4.6. Not the real service.
 *
 * Wire protocol (what HttpECourt calls; simulated latency/failures apply):
 *   POST /api/v1/cases/:caseNumber/representatives   body ECourtJoinWireBody
 *        200 { joinedAt, courtName, caseNumber, orderNumber, alreadyJoined }
 *        | 400 INVALID_REQUEST | 404 CASE_NOT_FOUND | 422 PARTY_NOT_IN_CASE
 *        | 413 ORDER_TOO_LARGE (the order above ~10 MB)
 *        | 503 SERVICE_UNAVAILABLE (taken down through the control endpoint, or a simulated failure)
 *   Joins are idempotent: the same lawyer, case and order number again answers 200 as before; a new
 *   order number for a joined lawyer is attached to the case (an amended order).
 *
 * Control (tests and demos; not part of the portal):
 *   GET  /simulator/api/cases                 { cases: [...] } with the representatives and orders
 *   POST /simulator/api/cases                 add a case { caseNumber, courtName, subject?, parties }
 *   POST /simulator/api/down | /simulator/api/up   take the portal "down" (every provider call 503) and back
 *   POST /simulator/api/cases/:caseNumber/hearings              schedule a hearing { id?, startsAt, endsAt, room? }
 *   POST /simulator/api/cases/:caseNumber/hearings/:id          reschedule it { startsAt, endsAt, room? } (issue 12)
 *   DELETE /simulator/api/cases/:caseNumber/hearings/:id        withdraw it
 *
 * Hearings (issue 12): GET /api/v1/cases/:caseNumber/hearings   200 { caseNumber, hearings: [{ id, startsAt, endsAt, courtName, room }] }
 *   | 404 CASE_NOT_FOUND | 503. Each seeded case has one hearing some days ahead (10:00–11:00 Baku time).
 *   GET  /simulator/api/status                { down, joins }
 * Also: GET / (HTML list of the cases), GET /health.
 *
 * Runs with the others under `npx tsx bin/evk.ts simulators` (and in `npm start`).
 */
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { DEMO_COURT_CASES, DEMO_UNKNOWN_CASE_NUMBER, type DemoCourtCase, type DemoCourtParty } from '../demo-data';
import {
  escapeHtml,
  jsonErrorHandler,
  jsonNotFound,
  listenOnLoopback,
  sendJsonError,
  simulatedConditions,
  simulatorHeader,
  simulatorPage,
  type RunningSimulator,
  type SimulatedConditions,
} from '../http';
import { ECOURT_ERROR_CODES, ECOURT_MAX_UPLOAD_BYTES, normalizeCaseNumber, type ECourtJoinWireBody } from '../../integrations/e-court/adapter';

export const ECOURT_SIMULATOR_NAME = 'E-court SIMULATOR';
const SIMULATOR_NOTE = 'E-court portal SIMULATOR — not the real service';

export interface ECourtSimulatorOptions extends SimulatedConditions {
  /** The court cases the portal knows; default: DEMO_COURT_CASES. */
  cases?: readonly DemoCourtCase[];
}

interface AttachedOrder {
  orderNumber: string;
  bytes: number;
  attachedAt: string;
}

interface Representative {
  lawyerFin: string;
  licenseNumber: string;
  name: string;
  protectedParty: { fin?: string; voen?: string; name: string };
  joinedAt: string;
  orders: AttachedOrder[];
}

interface SimulatedHearing {
  id: string;
  startsAt: string;
  endsAt: string;
  room?: string;
}

interface SimulatedCase extends DemoCourtCase {
  representatives: Representative[];
  hearings: SimulatedHearing[];
}

/** A seeded case's first hearing: `3 + 2 × index` days from today, 10:00–11:00 in Baku (UTC+4). */
function seededHearing(index: number, now = Date.now()): SimulatedHearing {
  const day = new Date(now + (3 + 2 * index) * 86_400_000).toISOString().slice(0, 10);
  return { id: 'h1', startsAt: new Date(`${day}T10:00:00+04:00`).toISOString(), endsAt: new Date(`${day}T11:00:00+04:00`).toISOString(), room: `${index + 1}` };
}

const isInstant = (v: unknown): v is string => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(v) && !Number.isNaN(Date.parse(v));

export interface RunningECourtSimulator extends RunningSimulator {
  /** Takes the portal down (every provider call answers 503) or brings it back up. */
  setDown(down: boolean): void;
  /** Adds (or replaces) a court case. */
  addCase(courtCase: DemoCourtCase): void;
  /** The case as the portal holds it now, with its representatives and their orders. */
  caseOf(caseNumber: string): SimulatedCase | undefined;
  /** How many join calls reached the portal (including refused ones and those answered 503 while down). */
  joinCalls(): number;
  /** Schedules or reschedules a hearing of a case (issue 12); false when the case is unknown. */
  scheduleHearing(caseNumber: string, hearing: SimulatedHearing): boolean;
}

const fold = (s: string) =>
  s
    .replace(/İ/g, 'i')
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9əıöüşçğ]+/g, ' ')
    .trim();

/** The party of the case that is this protected party: by FIN, by VÖEN, or (no identifier) by name. */
function findParty(courtCase: DemoCourtCase, party: { fin?: string; voen?: string; name: string }): DemoCourtParty | undefined {
  const fin = party.fin?.toUpperCase();
  if (fin) return courtCase.parties.find((p) => p.fin === fin);
  if (party.voen) return courtCase.parties.find((p) => p.voen === party.voen);
  return courtCase.parties.find((p) => !p.fin && !p.voen && fold(p.name) === fold(party.name));
}

function isJoinBody(body: unknown): body is ECourtJoinWireBody {
  const b = body as ECourtJoinWireBody | undefined;
  return (
    typeof b?.lawyer?.fin === 'string' &&
    typeof b.lawyer.licenseNumber === 'string' &&
    typeof b.lawyer.name === 'string' &&
    typeof b.protectedParty?.name === 'string' &&
    typeof b.order?.number === 'string' &&
    b.order.number !== '' &&
    typeof b.order.pdfBase64 === 'string'
  );
}

export function createECourtSimulator(options: ECourtSimulatorOptions = {}) {
  const cases = new Map<string, SimulatedCase>();
  const addCase = (c: DemoCourtCase & { hearings?: SimulatedHearing[] }) =>
    cases.set(normalizeCaseNumber(c.caseNumber), {
      ...c,
      caseNumber: normalizeCaseNumber(c.caseNumber),
      parties: c.parties.map((p) => ({ ...p })),
      representatives: [],
      hearings: (c.hearings ?? [seededHearing(cases.size)]).map((h) => ({ ...h })),
    });
  const scheduleHearing = (caseNumber: string, hearing: SimulatedHearing): boolean => {
    const courtCase = cases.get(normalizeCaseNumber(caseNumber));
    if (!courtCase) return false;
    courtCase.hearings = [...courtCase.hearings.filter((h) => h.id !== hearing.id), { ...hearing }];
    return true;
  };
  for (const c of options.cases ?? DEMO_COURT_CASES) addCase(c);
  let down = false;
  let joinCalls = 0;

  const app = express();
  app.disable('x-powered-by');
  app.use(simulatorHeader('E-court'));
  const provider = simulatedConditions(ECOURT_SIMULATOR_NAME, options, { failureRate: 0 });
  const whenUp = (_req: Request, res: Response, next: NextFunction) => {
    if (down)
      return sendJsonError(res, 503, ECOURT_ERROR_CODES.unavailable, `${ECOURT_SIMULATOR_NAME}: the portal is down (taken down through the control endpoint)`);
    next();
  };
  const countJoin = (_req: Request, _res: Response, next: NextFunction) => {
    joinCalls += 1;
    next();
  };

  app.get('/health', (_req, res) => {
    res.json({ status: down ? 'down' : 'ok', simulator: SIMULATOR_NOTE });
  });

  // Base64 makes the body about 4/3 of the PDF: room for a 10 MB order and a little more, to answer 413 ourselves.
  const jsonBody = express.json({ limit: Math.ceil((ECOURT_MAX_UPLOAD_BYTES * 4) / 3) + 2 * 1024 * 1024 });
  app.post('/api/v1/cases/:caseNumber/representatives', countJoin, whenUp, provider, jsonBody, (req: Request<{ caseNumber: string }>, res: Response) => {
    const body: unknown = req.body;
    if (!isJoinBody(body)) {
      sendJsonError(
        res,
        400,
        ECOURT_ERROR_CODES.invalid,
        `${ECOURT_SIMULATOR_NAME}: lawyer {fin, licenseNumber, name}, protectedParty {name, fin|voen} and order {number, pdfBase64} are required`,
      );
      return;
    }
    const pdf = Buffer.from(body.order.pdfBase64, 'base64');
    if (pdf.length > ECOURT_MAX_UPLOAD_BYTES) {
      sendJsonError(
        res,
        413,
        ECOURT_ERROR_CODES.tooLarge,
        `${ECOURT_SIMULATOR_NAME}: the order is ${pdf.length} bytes; uploads are limited to ${ECOURT_MAX_UPLOAD_BYTES}`,
      );
      return;
    }
    if (pdf.length === 0 || pdf.subarray(0, 5).toString('latin1') !== '%PDF-') {
      sendJsonError(res, 400, ECOURT_ERROR_CODES.invalid, `${ECOURT_SIMULATOR_NAME}: the order must be a PDF`);
      return;
    }
    const caseNumber = normalizeCaseNumber(req.params.caseNumber);
    const courtCase = cases.get(caseNumber);
    if (!courtCase) {
      sendJsonError(res, 404, ECOURT_ERROR_CODES.caseNotFound, `${ECOURT_SIMULATOR_NAME}: no court case numbered ${caseNumber}`);
      return;
    }
    if (!findParty(courtCase, body.protectedParty)) {
      sendJsonError(res, 422, ECOURT_ERROR_CODES.notAParty, `${ECOURT_SIMULATOR_NAME}: ${body.protectedParty.name} is not a party to case ${caseNumber}`);
      return;
    }
    const now = new Date().toISOString();
    let rep = courtCase.representatives.find(
      (r) =>
        r.lawyerFin === body.lawyer.fin &&
        (r.protectedParty.fin ?? r.protectedParty.voen ?? r.protectedParty.name) ===
          (body.protectedParty.fin ?? body.protectedParty.voen ?? body.protectedParty.name),
    );
    const alreadyJoined = rep?.orders.some((o) => o.orderNumber === body.order.number) ?? false;
    if (!rep) {
      rep = {
        lawyerFin: body.lawyer.fin,
        licenseNumber: body.lawyer.licenseNumber,
        name: body.lawyer.name,
        protectedParty: { ...body.protectedParty },
        joinedAt: now,
        orders: [],
      };
      courtCase.representatives.push(rep);
    }
    if (!alreadyJoined) rep.orders.push({ orderNumber: body.order.number, bytes: pdf.length, attachedAt: now });
    res.json({ joinedAt: rep.joinedAt, courtName: courtCase.courtName, caseNumber, orderNumber: body.order.number, alreadyJoined, simulator: SIMULATOR_NOTE });
  });

  app.get('/api/v1/cases/:caseNumber/hearings', whenUp, provider, (req: Request<{ caseNumber: string }>, res: Response) => {
    const courtCase = cases.get(normalizeCaseNumber(req.params.caseNumber));
    if (!courtCase) {
      sendJsonError(res, 404, ECOURT_ERROR_CODES.caseNotFound, `${ECOURT_SIMULATOR_NAME}: no court case numbered ${req.params.caseNumber}`);
      return;
    }
    const hearings = [...courtCase.hearings].sort((a, b) => a.startsAt.localeCompare(b.startsAt)).map((h) => ({ ...h, courtName: courtCase.courtName }));
    res.json({ caseNumber: courtCase.caseNumber, hearings, simulator: SIMULATOR_NOTE });
  });

  // Issue 12: a hearing is scheduled, moved (same ID) or withdrawn; the cabinet's periodic sync picks it up.
  const hearingControl = (req: Request<{ caseNumber: string; id?: string }>, res: Response) => {
    const b = (req.body ?? {}) as { id?: unknown; startsAt?: unknown; endsAt?: unknown; room?: unknown };
    const id = req.params.id ?? (typeof b.id === 'string' && b.id !== '' ? b.id : `h${Date.now().toString(36)}`);
    if (!isInstant(b.startsAt) || !isInstant(b.endsAt) || Date.parse(b.endsAt) <= Date.parse(b.startsAt)) {
      sendJsonError(res, 400, ECOURT_ERROR_CODES.invalid, `${ECOURT_SIMULATOR_NAME}: give startsAt and a later endsAt (ISO 8601)`);
      return;
    }
    const hearing = {
      id,
      startsAt: new Date(b.startsAt).toISOString(),
      endsAt: new Date(b.endsAt).toISOString(),
      ...(typeof b.room === 'string' ? { room: b.room } : {}),
    };
    if (!scheduleHearing(req.params.caseNumber, hearing)) {
      sendJsonError(res, 404, ECOURT_ERROR_CODES.caseNotFound, `${ECOURT_SIMULATOR_NAME}: no court case numbered ${req.params.caseNumber}`);
      return;
    }
    res.json(hearing);
  };
  app.post('/simulator/api/cases/:caseNumber/hearings', express.json({ limit: '16kb' }), hearingControl);
  app.post('/simulator/api/cases/:caseNumber/hearings/:id', express.json({ limit: '16kb' }), hearingControl);
  app.delete('/simulator/api/cases/:caseNumber/hearings/:id', (req: Request<{ caseNumber: string; id: string }>, res: Response) => {
    const courtCase = cases.get(normalizeCaseNumber(req.params.caseNumber));
    if (!courtCase) {
      sendJsonError(res, 404, ECOURT_ERROR_CODES.caseNotFound, `${ECOURT_SIMULATOR_NAME}: no court case numbered ${req.params.caseNumber}`);
      return;
    }
    courtCase.hearings = courtCase.hearings.filter((h) => h.id !== req.params.id);
    res.json({ removed: req.params.id });
  });

  app.get('/simulator/api/cases', (_req, res) => {
    res.json({ cases: [...cases.values()] });
  });
  app.post('/simulator/api/cases', express.json({ limit: '64kb' }), (req, res) => {
    const c = req.body as DemoCourtCase & { hearings?: unknown };
    if (typeof c?.caseNumber !== 'string' || typeof c.courtName !== 'string' || !Array.isArray(c.parties)) {
      sendJsonError(res, 400, ECOURT_ERROR_CODES.invalid, `${ECOURT_SIMULATOR_NAME}: give caseNumber, courtName and parties`);
      return;
    }
    addCase({ ...c, subject: c.subject ?? '', hearings: Array.isArray(c.hearings) ? (c.hearings as SimulatedHearing[]) : undefined });
    res.status(201).json(cases.get(normalizeCaseNumber(c.caseNumber)));
  });
  app.post('/simulator/api/down', (_req, res) => {
    down = true;
    res.json({ down });
  });
  app.post('/simulator/api/up', (_req, res) => {
    down = false;
    res.json({ down });
  });
  app.get('/simulator/api/status', (_req, res) => {
    res.json({ down, joins: joinCalls });
  });

  app.get('/', (_req, res) => {
    const rows = [...cases.values()]
      .map(
        (c) =>
          `<tr><td><code>${escapeHtml(c.caseNumber)}</code></td><td>${escapeHtml(c.courtName)}<br><span class="muted">${escapeHtml(c.subject)}</span></td><td>${c.parties
            .map(
              (p) =>
                `${escapeHtml(p.name)} <span class="muted">(${escapeHtml(p.role)}; ${escapeHtml(p.fin ? `FİN ${p.fin}` : p.voen ? `VÖEN ${p.voen}` : '—')})</span>`,
            )
            .join(
              '<br>',
            )}</td><td>${c.representatives.map((r) => `${escapeHtml(r.name)} → ${escapeHtml(r.protectedParty.name)}: ${r.orders.map((o) => escapeHtml(o.orderNumber)).join(', ')}`).join('<br>') || '—'}</td></tr>`,
      )
      .join('\n');
    const body = `<h1>Elektron məhkəmə — test işləri / E-court — test cases</h1>
<p class="muted">Status: <strong>${down ? 'DOWN (503)' : 'up'}</strong>. Məlum olmayan iş nömrəsi nümunəsi / an unknown case number:
<code>${escapeHtml(DEMO_UNKNOWN_CASE_NUMBER)}</code>. JSON: <code>POST /api/v1/cases/{number}/representatives</code>;
control: <code>POST /simulator/api/down</code>, <code>POST /simulator/api/up</code>.</p>
<table><thead><tr><th>İş nömrəsi / case</th><th>Məhkəmə / court</th><th>Tərəflər / parties</th><th>Vəkillər və orderlər / lawyers and orders</th></tr></thead><tbody>
${rows}
</tbody></table>`;
    res.type('html').send(simulatorPage({ title: 'Elektron məhkəmə', serviceName: 'E-court / Elektron məhkəmə', body }));
  });

  app.use(jsonNotFound(ECOURT_SIMULATOR_NAME));
  app.use(jsonErrorHandler(ECOURT_SIMULATOR_NAME));
  return {
    app: app as Express,
    setDown: (value: boolean) => {
      down = value;
    },
    addCase,
    caseOf: (caseNumber: string) => cases.get(normalizeCaseNumber(caseNumber)),
    joinCalls: () => joinCalls,
    scheduleHearing,
  };
}

/** Starts the simulator on 127.0.0.1 (`port` 0 = any free port). */
export async function startECourtSimulator(port: number, options: ECourtSimulatorOptions = {}): Promise<RunningECourtSimulator> {
  const sim = createECourtSimulator(options);
  const running = await listenOnLoopback(sim.app, port);
  return { ...running, setDown: sim.setDown, addCase: sim.addCase, caseOf: sim.caseOf, joinCalls: sim.joinCalls, scheduleHearing: sim.scheduleHearing };
}
