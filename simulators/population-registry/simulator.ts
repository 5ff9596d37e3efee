/**
 * Population registry SIMULATOR — a stand-in for the state population registry (R4.1.2).
 * Not the real service.
 *
 * Wire protocol (what HttpPopulationRegistry calls; simulated latency/failures apply):
 *   GET /api/v1/persons/:fin   200 RegistryPerson | 400 INVALID_FIN | 404 PERSON_NOT_FOUND
 *                              | 503 SERVICE_UNAVAILABLE (simulated failure, off by default)
 * Also: GET / (HTML list of the test citizens), GET /health.
 *
 * Runs with the others under `npx tsx bin/evk.ts simulators` (and in `npm start`).
 */
import express, { type Express, type Request, type Response } from 'express';
import { DEMO_PEOPLE, DEMO_UNKNOWN_FIN, FIN_PATTERN } from '../demo-data';
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
import type { RegistryPerson } from '../../integrations/population-registry/adapter';

export const POPULATION_REGISTRY_SIMULATOR_NAME = 'Population registry SIMULATOR';
const SIMULATOR_NOTE = 'Population registry SIMULATOR — not the real service';

export interface PopulationRegistrySimulatorOptions extends SimulatedConditions {
  /** The citizens the registry knows; default: DEMO_PEOPLE. */
  people?: readonly RegistryPerson[];
}

/** The registry's view of a demo person (drops the demo-only contact details). */
export function toRegistryPerson(person: (typeof DEMO_PEOPLE)[number] | RegistryPerson): RegistryPerson {
  const { fin, firstName, lastName, patronymic, birthDate, birthPlace, gender, citizenship, address, identityDocument } = person;
  return { fin, firstName, lastName, patronymic, birthDate, birthPlace, gender, citizenship, address, identityDocument: { ...identityDocument } };
}

export function createPopulationRegistrySimulatorApp(options: PopulationRegistrySimulatorOptions = {}): Express {
  const people = new Map<string, RegistryPerson>();
  for (const person of options.people ?? DEMO_PEOPLE) people.set(person.fin, toRegistryPerson(person));

  const app = express();
  app.disable('x-powered-by');
  app.use(simulatorHeader('Population registry'));
  const provider = simulatedConditions(POPULATION_REGISTRY_SIMULATOR_NAME, options, { failureRate: 0 });

  app.get('/health', (_req, res) => {
    res.json({ status: 'ok', simulator: SIMULATOR_NOTE });
  });

  app.get('/api/v1/persons/:fin', provider, (req: Request<{ fin: string }>, res: Response) => {
    const fin = req.params.fin;
    if (!FIN_PATTERN.test(fin)) {
      sendJsonError(res, 400, 'INVALID_FIN', `${POPULATION_REGISTRY_SIMULATOR_NAME}: a FIN is 7 Latin capital letters and digits`);
      return;
    }
    const person = people.get(fin);
    if (!person) {
      sendJsonError(res, 404, 'PERSON_NOT_FOUND', `${POPULATION_REGISTRY_SIMULATOR_NAME}: no person with FIN ${fin}`);
      return;
    }
    res.json({ ...person, simulator: SIMULATOR_NOTE });
  });

  app.get('/', (_req, res) => {
    const rows = [...people.values()]
      .map(
        (p) =>
          `<tr><td><code>${escapeHtml(p.fin)}</code></td><td>${escapeHtml(`${p.lastName} ${p.firstName} ${p.patronymic}`)}</td><td>${escapeHtml(p.birthDate)}</td><td>${escapeHtml(p.birthPlace)}</td><td>${escapeHtml(p.address)}</td><td>${escapeHtml(`${p.identityDocument.series} ${p.identityDocument.number}`)}<br><span class="muted">${escapeHtml(`${p.identityDocument.issuedOn} – ${p.identityDocument.expiresOn}`)}</span></td></tr>`,
      )
      .join('\n');
    const body = `<h1>Əhali reyestri — test vətəndaşları / Population registry — test citizens</h1>
<p class="muted">FİN daxil edildikdə kabinet məlumatları buradan götürür. Reyestrdə olmayan FİN nümunəsi:
<code>${escapeHtml(DEMO_UNKNOWN_FIN)}</code>.<br>The cabinet fetches personal data from here by FIN.
A well-formed FIN the registry does not know: <code>${escapeHtml(DEMO_UNKNOWN_FIN)}</code>.
JSON: <code>GET /api/v1/persons/{FIN}</code>.</p>
<table><thead><tr><th>FİN</th><th>Ad / name</th><th>Doğum tarixi / born</th><th>Doğum yeri / birthplace</th><th>Ünvan / address</th><th>Şəxsiyyət vəsiqəsi / ID card</th></tr></thead><tbody>
${rows}
</tbody></table>`;
    res.type('html').send(simulatorPage({ title: 'Əhali reyestri', serviceName: 'Population registry / Əhali reyestri', body }));
  });

  app.use(jsonNotFound(POPULATION_REGISTRY_SIMULATOR_NAME));
  app.use(jsonErrorHandler(POPULATION_REGISTRY_SIMULATOR_NAME));
  return app;
}

/** Starts the simulator on 127.0.0.1 (`port` 0 = any free port). */
export function startPopulationRegistrySimulator(port: number, options: PopulationRegistrySimulatorOptions = {}): Promise<RunningSimulator> {
  return listenOnLoopback(createPopulationRegistrySimulatorApp(options), port);
}
