/**
 * The web process: the cabinets' pages and the JSON API on one port, wired together here (the
 * composition root). Production code only.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client, Connection } from '@temporalio/client';
import type { Logger } from 'pino';
import { AssignmentGateway } from '../api/assignment/gateway';
import { ProfileGateway } from '../api/profile/gateway';
import { createLoginRateLimit } from '../api/auth/rate-limit';
import { createApiApp } from '../api/http/app';
import { ContractGateway } from '../api/contract/gateway';
import { SeminarGateway } from '../api/seminars/gateway';
import { SigningGateway } from '../api/signing/gateway';
import { ReminderPlanner } from '../activities/calendar/planner';
import { HttpMobileSignatureProvider } from '../integrations/mobile-signature/adapter';
import { HttpPaymentAgent } from '../integrations/payment-agent/adapter';
import { HttpPopulationRegistry } from '../integrations/population-registry/adapter';
import { HttpTaxService } from '../integrations/tax-service/adapter';
import type { ContractTimings } from '../workflows/contract/messages';
import type { Config } from './config';
import { dataConverterFor } from './data-converter';
import type { Knex } from './db';
import { fileStorageFor } from './file-storage';
import { temporalCheck } from './health';
import type { Closable } from './logger';
import { webPages } from '../web/router';

export interface WebHandle extends Closable {
  url: string;
  gateway: ContractGateway;
  client: Client;
}

export async function startWeb(options: {
  config: Config;
  db: Knex;
  databaseUrl: string;
  temporalAddress: string;
  log: Logger;
  port?: number;
  timings?: Partial<ContractTimings>;
}): Promise<WebHandle> {
  const { config, db } = options;
  // Production refuses to start without EVK_PAYLOAD_KEYS (issue 9 item 4); before any port opens.
  const dataConverter = dataConverterFor(config);
  const connection = await Connection.connect({ address: options.temporalAddress });
  const client = new Client({ connection, namespace: config.temporalNamespace, dataConverter });
  const gateway = new ContractGateway({ client, db, taskQueue: config.taskQueue, timings: options.timings });
  const deps = {
    db,
    databaseUrl: options.databaseUrl,
    gateway,
    storage: fileStorageFor(config),
    mobileSignature: new HttpMobileSignatureProvider(config.mobileSignatureUrl),
    registry: new HttpPopulationRegistry(config.populationRegistryUrl),
    taxService: new HttpTaxService(config.taxServiceUrl),
    paymentAgent: new HttpPaymentAgent({ baseUrl: config.paymentAgentUrl, merchantId: config.paymentAgentMerchantId, secret: config.paymentAgentSecret }),
    paymentAgentSecret: config.paymentAgentSecret,
    publicUrl: config.publicUrl,
    barOfficeEmail: config.barOfficeEmail,
    callbackBaseUrl: config.callbackBaseUrl,
    sessionSecret: config.sessionSecret,
    log: options.log,
    mobileSignatureSimulatorUrl: config.mobileSignatureIsSimulator ? config.mobileSignatureUrl : undefined,
    assignments: new AssignmentGateway({ client, db, taskQueue: config.taskQueue }),
    seminars: new SeminarGateway({ client, taskQueue: config.taskQueue }),
    calendar: new ReminderPlanner({ client, taskQueue: config.taskQueue, lateAfterMs: config.calendarLateAfterMs }),
    profiles: new ProfileGateway({ client, db, taskQueue: config.taskQueue, reminderAfterMs: config.profileReminderMs }),
    signing: new SigningGateway({ client, taskQueue: config.taskQueue }),
    temporalUiUrl: config.temporalUiOrigin,
    codecServerUrl: codecServerUrlOf(config),
    loginRateLimit: createLoginRateLimit(config.loginAttemptsPer10Min),
    readinessChecks: { temporal: temporalCheck(connection) },
  };
  // The one place that puts the JSON API and the pages together (api/ never imports web/).
  const api = createApiApp(deps, webPages(deps, deps.loginRateLimit));
  const server = http.createServer(api.app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? config.webPort, config.listenHost, resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    gateway,
    client,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await api.close();
      await connection.close();
    },
  };
}

/** Where the codec server answers, as the operator's browser reaches it: the cabinet's host, its own port. */
function codecServerUrlOf(config: Config): string {
  const publicUrl = new URL(config.publicUrl);
  return `${publicUrl.protocol}//${publicUrl.hostname}:${config.codecServerPort}`;
}
