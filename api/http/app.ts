/**
 * The web server: the JSON API under /api, the OpenAPI document, and (later) the cabinets' pages.
 * It reaches Temporal only through the ContractGateway.
 */
import path from 'node:path';
import connectPgSimple from 'connect-pg-simple';
import express, { type Express } from 'express';
import session from 'express-session';
import helmet from 'helmet';
import type { Knex } from 'knex';
import pg from 'pg';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import type { MobileSignatureProvider } from '../../integrations/mobile-signature/adapter';
import type { PaymentAgent } from '../../integrations/payment-agent/adapter';
import type { PopulationRegistry } from '../../integrations/population-registry/adapter';
import type { TaxService } from '../../integrations/tax-service/adapter';
import type { FileStorage } from '../../platform/file-storage';
import { authRouter } from '../auth/routes';
import type { ContractGateway } from '../contract/gateway';
import { contractsRouter } from '../contract/routes';
import type { AssignmentGateway } from '../assignment/gateway';
import { assignmentsRouter } from '../assignment/routes';
import { dossierRouter } from '../dossier/routes';
import { errorHandler, notFound } from './errors';
import { lookupsRouter } from '../lookup/routes';
import { buildOpenApiDocument } from './openapi';
import { paymentsRouter, paymentCallbackRouter, verificationRouter } from '../payment/routes';
import { webErrorHandler, webRouter } from '../../web/router';

export interface ApiDeps {
  db: Knex;
  databaseUrl: string;
  gateway: ContractGateway;
  storage: FileStorage;
  mobileSignature: MobileSignatureProvider;
  registry: PopulationRegistry;
  taxService: TaxService;
  paymentAgent: PaymentAgent;
  paymentAgentSecret: string;
  publicUrl: string;
  /** Base URL the payment agent calls back (defaults to publicUrl). */
  callbackBaseUrl?: string;
  sessionSecret: string;
  log: Logger;
  /** Secure cookies need HTTPS; off for http://localhost. */
  secureCookies?: boolean;
  /** Shown on the login page while the mobile-signature provider is the local simulator. */
  mobileSignatureSimulatorUrl?: string;
  /** State-funded assignments (R5); startWeb always gives it. */
  assignments?: AssignmentGateway;
}

export function createApiApp(deps: ApiDeps): { app: Express; close(): Promise<void> } {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(pinoHttp({ logger: deps.log, autoLogging: { ignore: (req) => req.url === '/health' } }));
  app.use(helmet());

  // Neither the icon nor the static files need (or may touch) the session.
  app.get('/favicon.ico', (_req, res) => {
    res.status(204).end();
  });
  app.use('/static', express.static(path.resolve(__dirname, '..', '..', 'web', 'static'), { maxAge: '1h' }));

  // The payment agent's callback is verified over the exact bytes it signed, so it is read raw.
  app.use('/api/payment-agent', paymentCallbackRouter(deps));
  app.use(express.json({ limit: '256kb' }));

  const sessionPool = new pg.Pool({ connectionString: deps.databaseUrl, max: 4 });
  // An idle connection dropped by a PostgreSQL restart must not bring the web server down.
  sessionPool.on('error', (err) => deps.log.warn({ err }, 'session store connection lost'));
  const PgStore = connectPgSimple(session);
  app.use(
    session({
      store: new PgStore({ pool: sessionPool, tableName: 'session', createTableIfMissing: false }),
      secret: deps.sessionSecret,
      name: 'evk.sid',
      resave: false,
      saveUninitialized: false,
      rolling: true,
      cookie: { httpOnly: true, sameSite: 'lax', secure: deps.secureCookies ?? false, maxAge: 8 * 60 * 60 * 1000 },
    }),
  );

  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  const openApi = buildOpenApiDocument(deps.publicUrl);
  app.get('/api/openapi.json', (_req, res) => {
    res.json(openApi);
  });
  app.use('/api/auth', authRouter(deps));
  app.use('/api/lookups', lookupsRouter(deps));
  app.use('/api/contracts', paymentsRouter(deps));
  app.use('/api/contracts', contractsRouter(deps));
  app.use('/api/contracts', dossierRouter(deps));
  app.use('/api/assignments', assignmentsRouter(deps));
  app.use('/', verificationRouter(deps));
  app.use('/api', (_req, _res, next) => next(notFound('No such API endpoint.')));
  app.use(webRouter(deps));
  app.use((req, _res, next) => next(notFound('No such page.')));
  app.use(webErrorHandler(deps.log));
  app.use(errorHandler(deps.log));

  return {
    app,
    close: async () => {
      await sessionPool.end();
    },
  };
}
