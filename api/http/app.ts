/**
 * The HTTP application: the shared middleware (logs, security headers, sessions, errors), the
 * JSON API under /api and its OpenAPI document. The cabinets' pages are not part of it: the
 * composition root (platform/web-server.ts) hands them in as a `PageMount`, so api/ never imports
 * web/. It reaches Temporal only through the gateways.
 */
import express, { type ErrorRequestHandler, type Express, type RequestHandler, type Router } from 'express';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import type { MobileSignatureProvider } from '../../integrations/mobile-signature/adapter';
import type { PaymentAgent } from '../../integrations/payment-agent/adapter';
import type { PopulationRegistry } from '../../integrations/population-registry/adapter';
import type { TaxService } from '../../integrations/tax-service/adapter';
import type { FileStorage } from '../../platform/file-storage';
import { accountRouter } from '../account/routes';
import { authRouter } from '../auth/routes';
import type { ContractGateway } from '../contract/gateway';
import { contractsRouter } from '../contract/routes';
import type { AssignmentGateway } from '../assignment/gateway';
import { assignmentsRouter } from '../assignment/routes';
import { dossierRouter } from '../dossier/routes';
import { messagesRouter } from '../messages/routes';
import type { ProfileGateway } from '../profile/gateway';
import { officeProfileRouter, profileRouter } from '../profile/routes';
import type { DevelopmentHoursSource } from '../profile/service';
import { databaseCheck, type HealthCheck, healthRouter } from '../../platform/health';
import { contractIdOfPath, httpLogSerializers, withLogContext } from '../../platform/logger';
import { httpMetrics, webMetricsExport } from '../../platform/metrics';
import { crossSiteGuard } from './cross-site';
import { errorHandler, notFound } from './errors';
import { rejectBadUrls, rejectNulInBodies } from './input';
import { lookupsRouter } from '../lookup/routes';
import { buildOpenApiDocument } from './openapi';
import { paymentsRouter, paymentCallbackRouter, verificationRouter } from '../payment/routes';
import { securityHeaders } from './security';
import { securityEventsRouter } from '../security/routes';
import type { SeminarGateway } from '../seminars/gateway';
import { seminarsRouter } from '../seminars/routes';
import { officeRouter } from '../office/routes';
import { statisticsRouter } from '../statistics/routes';
import type { SigningGateway } from '../signing/gateway';
import { signingRouter } from '../signing/routes';
import { verifyRouter } from '../verify/routes';
import type { ReminderPlanner } from '../../activities/calendar/planner';
import { calendarRouter } from '../calendar/routes';
import { recordAccessRefusals } from './access-refusals';
import { sessions } from './sessions';

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
  /** The Bar office's address for "a message is waiting" (R7, EVK_BAR_OFFICE_EMAIL). */
  barOfficeEmail?: string;
  /** Base URL the payment agent calls back (defaults to publicUrl). */
  callbackBaseUrl?: string;
  sessionSecret: string;
  log: Logger;
  /** Secure cookies need HTTPS; off for http://localhost. */
  secureCookies?: boolean;
  /** Shown on the login page while the mobile-signature provider is the local simulator. */
  mobileSignatureSimulatorUrl?: string;
  /** Limits login attempts per address (R2.4); one instance for the API and the login pages. */
  loginRateLimit?: RequestHandler;
  /** For the operator's page: the Temporal UI and the codec server that decodes its payloads (issue 9 item 4). */
  temporalUiUrl?: string;
  codecServerUrl?: string;
  /** What /health/ready checks besides the database (startWeb adds Temporal), issue 10 item 8. */
  readinessChecks?: Record<string, HealthCheck>;
  /** State-funded assignments (R5); startWeb always gives it. */
  assignments?: AssignmentGateway;
  /** The seminars' reminders (R3.1); startWeb always gives it. */
  seminars?: SeminarGateway;
  /** The calendar's reminders (R8.4, issue 12); startWeb always gives it. */
  calendar?: ReminderPlanner;
  /** Profile change requests (R8.2); startWeb always gives it. */
  profiles?: ProfileGateway;
  /** Professional development hours per year for the profile (R3.1 seminars), when that area is wired in. */
  developmentHoursOf?: DevelopmentHoursSource;
  /** The order's electronic signature (issue 13); startWeb always gives it. */
  signing?: SigningGateway;
}

/** The cabinets' pages, as the composition root mounts them: static files, the pages, their error page. */
export interface PageMount {
  staticDir: string;
  router: Router;
  errorHandler: ErrorRequestHandler;
}

export function createApiApp(deps: ApiDeps, pages?: PageMount): { app: Express; close(): Promise<void> } {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  // Requests by route pattern and status (issue 10 item 8), counted for every answer, the errors too.
  app.use(httpMetrics());
  // Method, path (query values and personal-looking segments redacted), status, time and request ID;
  // never the headers, whose cookie is a live session (issue 9 item 5).
  app.use(
    pinoHttp({
      logger: deps.log,
      serializers: httpLogSerializers,
      autoLogging: { ignore: (req) => req.url === '/metrics' || req.url === '/health' || req.url?.startsWith('/health/') === true },
      // The request line names the contract it is about (issue 10 item 8).
      customProps: (req) => {
        const contractId = contractIdOfPath(req.url ?? '');
        return contractId ? { contractId } : {};
      },
    }),
  );
  // …and so does every line logged while the request is handled.
  app.use((req, _res, next) => {
    const contractId = contractIdOfPath(req.path);
    if (contractId) withLogContext({ contractId }, next);
    else next();
  });
  app.use(securityHeaders());
  // Health and metrics come before the session, whose store is the database: they answer while it is down.
  app.use(healthRouter({ database: databaseCheck(deps.db), ...deps.readinessChecks }));
  app.get('/metrics', async (_req, res, next) => {
    try {
      const { contentType, body } = await webMetricsExport();
      res.setHeader('Cache-Control', 'no-store');
      res.type(contentType).send(body);
    } catch (err) {
      next(err);
    }
  });

  // Neither the icon nor the static files need (or may touch) the session.
  app.get('/favicon.ico', (_req, res) => {
    res.status(204).end();
  });
  if (pages) app.use('/static', express.static(pages.staticDir, { maxAge: '1h' }));
  // Everything past the static files may carry personal data: no cache keeps it (issue 9 item 9).
  app.use(noStore);
  app.use(rejectBadUrls());

  // The payment agent's callback is verified over the exact bytes it signed, so it is read raw.
  app.use('/api/payment-agent', paymentCallbackRouter(deps));
  // Behind an https public URL the cookies are Secure and `__Host-` (issue 9 item 2).
  const secureCookies = deps.secureCookies ?? deps.publicUrl.startsWith('https://');
  const session = sessions({ databaseUrl: deps.databaseUrl, secret: deps.sessionSecret, secureCookies, log: deps.log });
  app.use(session.middleware);
  // Before any body is read: a state-changing API request from another site, or in a type a foreign
  // form can send, goes no further (issue 9 item 8).
  app.use('/api', crossSiteGuard(deps));
  app.use(express.json({ limit: '256kb' }));
  app.use(rejectNulInBodies());

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
  app.use('/api/profile', profileRouter(deps));
  app.use('/api/office', officeProfileRouter(deps));
  app.use('/api/security-events', securityEventsRouter(deps));
  app.use('/api/account', accountRouter(deps));
  app.use('/api/messages', messagesRouter(deps));
  app.use('/api/seminars', seminarsRouter(deps));
  app.use('/api/office', officeRouter(deps));
  app.use('/api/statistics', statisticsRouter(deps));
  app.use('/api/signing', signingRouter(deps));
  app.use('/', verifyRouter(deps));
  app.use('/api/calendar', calendarRouter(deps));
  app.use('/', verificationRouter(deps));
  app.use('/api', (_req, _res, next) => next(notFound('common.no_such_endpoint')));
  if (pages) app.use(pages.router);
  app.use((_req, _res, next) => next(notFound('common.no_such_page')));
  app.use(recordAccessRefusals(deps));
  if (pages) app.use(pages.errorHandler);
  app.use(errorHandler(deps.log));

  return { app, close: session.close };
}

/** Answers that carry no personal data and may be cached as usual; static files are served before this. */
const CACHEABLE = new Set(['/health', '/api/openapi.json']);

const noStore: RequestHandler = (req, res, next) => {
  if (!CACHEABLE.has(req.path)) res.setHeader('Cache-Control', 'no-store');
  next();
};
