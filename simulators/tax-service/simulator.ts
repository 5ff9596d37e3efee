/**
 * Tax service SIMULATOR — a stand-in for the State Tax Service's taxpayer look-up (R4.1.3).
 * Not the real service.
 *
 * Wire protocol (what HttpTaxService calls; simulated latency/failures apply):
 *   GET /api/v1/taxpayers/:voen   200 TaxPayer | 400 INVALID_VOEN | 404 TAXPAYER_NOT_FOUND
 *                                 | 503 SERVICE_UNAVAILABLE | 504 GATEWAY_TIMEOUT
 * Also: GET / (HTML list of the test companies), GET /health.
 *
 * Failures, so that the UI's fallback to typing the data can be seen and tested:
 *   - by default ~10% of look-ups fail at random with 503 (`failureRate`);
 *   - TAX_SIM_FAILURE_VOEN always fails with 503;
 *   - TAX_SIM_TIMEOUT_VOEN is held for `hangMs` (default 2 minutes, longer than any sensible
 *     client timeout) and then answered 504.
 *
 * Runs with the others under `npx tsx bin/evk.ts simulators` (and in `npm start`).
 */
import express, { type Express, type Request, type Response } from 'express';
import { DEMO_COMPANIES, DEMO_UNKNOWN_VOEN, TAX_SIM_FAILURE_VOEN, TAX_SIM_TIMEOUT_VOEN, isValidVoen } from '../demo-data';
import {
  escapeHtml,
  jsonErrorHandler,
  jsonNotFound,
  listenOnLoopback,
  sendJsonError,
  simulatedConditions,
  simulatorHeader,
  simulatorPage,
  waitUnlessClosed,
  type RunningSimulator,
  type SimulatedConditions,
} from '../http';
import type { TaxPayer } from '../../integrations/tax-service/adapter';

export const TAX_SERVICE_SIMULATOR_NAME = 'Tax service SIMULATOR';
const SIMULATOR_NOTE = 'Tax service SIMULATOR — not the real service';
export const DEFAULT_TAX_FAILURE_RATE = 0.1;
export const DEFAULT_TAX_HANG_MS = 120_000;

export interface TaxServiceSimulatorOptions extends SimulatedConditions {
  /** The taxpayers the service knows; default: DEMO_COMPANIES. */
  taxpayers?: readonly TaxPayer[];
  /** VÖENs the service never answers in time; default [TAX_SIM_TIMEOUT_VOEN]. */
  timeoutVoens?: readonly string[];
  /** VÖENs the service always fails on; default [TAX_SIM_FAILURE_VOEN]. */
  failingVoens?: readonly string[];
  /** How long a timeout VÖEN is held before the 504; default 2 minutes. */
  hangMs?: number;
}

/** The tax service's view of a demo company. */
export function toTaxPayer(company: (typeof DEMO_COMPANIES)[number]): TaxPayer {
  return {
    voen: company.voen,
    name: company.name,
    legalForm: company.legalForm,
    address: company.address,
    email: company.email,
    directorName: company.directorName,
    status: 'active',
    registeredOn: company.registeredOn,
  };
}

export function createTaxServiceSimulatorApp(options: TaxServiceSimulatorOptions = {}): Express {
  const taxpayers = new Map<string, TaxPayer>();
  for (const t of options.taxpayers ?? DEMO_COMPANIES.map(toTaxPayer)) taxpayers.set(t.voen, { ...t });
  const timeoutVoens = new Set(options.timeoutVoens ?? [TAX_SIM_TIMEOUT_VOEN]);
  const failingVoens = new Set(options.failingVoens ?? [TAX_SIM_FAILURE_VOEN]);
  const hangMs = options.hangMs ?? DEFAULT_TAX_HANG_MS;

  const app = express();
  app.disable('x-powered-by');
  app.use(simulatorHeader('Tax service'));
  const provider = simulatedConditions(TAX_SERVICE_SIMULATOR_NAME, options, { failureRate: DEFAULT_TAX_FAILURE_RATE });

  app.get('/health', (_req, res) => {
    res.json({ status: 'ok', simulator: SIMULATOR_NOTE });
  });

  app.get('/api/v1/taxpayers/:voen', provider, async (req: Request<{ voen: string }>, res: Response) => {
    const voen = req.params.voen;
    if (!isValidVoen(voen)) {
      sendJsonError(res, 400, 'INVALID_VOEN', `${TAX_SERVICE_SIMULATOR_NAME}: a VÖEN is 10 digits, the 10th 1 or 2, the 9th the check digit`);
      return;
    }
    if (timeoutVoens.has(voen)) {
      if (!(await waitUnlessClosed(hangMs, res))) return;
      sendJsonError(res, 504, 'GATEWAY_TIMEOUT', `${TAX_SERVICE_SIMULATOR_NAME}: the look-up of ${voen} timed out (simulated)`);
      return;
    }
    if (failingVoens.has(voen)) {
      sendJsonError(res, 503, 'SERVICE_UNAVAILABLE', `${TAX_SERVICE_SIMULATOR_NAME}: the look-up of ${voen} failed (simulated)`);
      return;
    }
    const taxpayer = taxpayers.get(voen);
    if (!taxpayer) {
      sendJsonError(res, 404, 'TAXPAYER_NOT_FOUND', `${TAX_SERVICE_SIMULATOR_NAME}: no taxpayer with VÖEN ${voen}`);
      return;
    }
    res.json({ ...taxpayer, simulator: SIMULATOR_NOTE });
  });

  app.get('/', (_req, res) => {
    const rows = [...taxpayers.values()]
      .map(
        (t) =>
          `<tr><td><code>${escapeHtml(t.voen)}</code></td><td>${escapeHtml(t.name)}</td><td>${escapeHtml(t.address)}</td><td>${escapeHtml(t.email ?? '—')}</td><td>${escapeHtml(t.directorName)}</td></tr>`,
      )
      .join('\n');
    const special = [
      ...[...timeoutVoens].map(
        (v) => `<li><code>${escapeHtml(v)}</code> — həmişə gecikir / always times out (held ${Math.round(hangMs / 1000)} s, then 504)</li>`,
      ),
      ...[...failingVoens].map((v) => `<li><code>${escapeHtml(v)}</code> — həmişə xəta / always fails (503)</li>`),
      `<li><code>${escapeHtml(DEMO_UNKNOWN_VOEN)}</code> — düzgün, amma tanınmır / valid but unknown (404)</li>`,
    ].join('\n');
    const failureRate = options.failureRate ?? DEFAULT_TAX_FAILURE_RATE;
    const body = `<h1>Vergi xidməti — test vergi ödəyiciləri / Tax service — test taxpayers</h1>
<p class="muted">VÖEN daxil edildikdə kabinet adı, ünvanı və e-poçtu buradan götürür. Sorğuların təxminən
${Math.round(failureRate * 100)}%-i təsadüfi xəta ilə bitir.<br>The cabinet fetches name, address and e-mail from here by VÖEN.
About ${Math.round(failureRate * 100)}% of look-ups fail at random (503). JSON: <code>GET /api/v1/taxpayers/{VÖEN}</code>.</p>
<table><thead><tr><th>VÖEN</th><th>Ad / name</th><th>Ünvan / address</th><th>E-poçt / e-mail</th><th>Direktor / director</th></tr></thead><tbody>
${rows}
</tbody></table>
<h2>Xüsusi VÖEN-lər / Special VÖENs</h2>
<ul>
${special}
</ul>`;
    res.type('html').send(simulatorPage({ title: 'Vergi xidməti', serviceName: 'Tax service / Vergi xidməti', body }));
  });

  app.use(jsonNotFound(TAX_SERVICE_SIMULATOR_NAME));
  app.use(jsonErrorHandler(TAX_SERVICE_SIMULATOR_NAME));
  return app;
}

/** Starts the simulator on 127.0.0.1 (`port` 0 = any free port). */
export function startTaxServiceSimulator(port: number, options: TaxServiceSimulatorOptions = {}): Promise<RunningSimulator> {
  return listenOnLoopback(createTaxServiceSimulatorApp(options), port);
}
