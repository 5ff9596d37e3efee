/**
 * Everything the processes read from the environment: one zod schema, read in one place
 * (`loadConfig`), every variable with its default and what it is for. docs/configuration.md is
 * the same table for people; a test keeps the two in step.
 */
import path from 'node:path';
import { z } from 'zod';
import { PROJECT_ROOT } from './paths';

const ROOT_DIR = PROJECT_ROOT;

/** An empty value counts as unset, as it always has (`FOO= npm start`). */
const unsetIfEmpty = (value: unknown) => (value === '' ? undefined : value);

const positiveInteger = z
  .string()
  .regex(/^\d+$/, 'must be a positive integer')
  .transform(Number)
  .refine((n) => Number.isSafeInteger(n) && n > 0, 'must be a positive integer');
const port = (fallback: number) =>
  z.preprocess(
    unsetIfEmpty,
    positiveInteger.optional().transform((n) => n ?? fallback),
  );
const optionalPort = () => z.preprocess(unsetIfEmpty, positiveInteger.optional());
const positive = port;
const text = () => z.preprocess(unsetIfEmpty, z.string().optional());
const textOr = (fallback: string) =>
  z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .optional()
      .transform((s) => s ?? fallback),
  );
const flag = (fallback: boolean) =>
  z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .transform((raw) => raw.toLowerCase())
      .refine((raw) => ['1', 'true', 'yes', 'on', '0', 'false', 'no', 'off'].includes(raw), 'must be true or false')
      .transform((raw) => ['1', 'true', 'yes', 'on'].includes(raw))
      .optional()
      .transform((b) => b ?? fallback),
  );
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const TEMPORAL_LOG_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'] as const;
export const STORAGE_KINDS = ['local', 's3'] as const;

/** Each variable: its schema, its default as people read it, and what it is for (docs/configuration.md). */
export const CONFIG_VARIABLES = {
  NODE_ENV: {
    schema: textOr('development'),
    default: 'development',
    what: '`production` makes `worker` and `web` refuse to start on a missing, known or short secret (docs/operations.md).',
  },
  EVK_DATA_DIR: {
    schema: text(),
    default: '<repository>/.data',
    what: 'Local state of the embedded services (PostgreSQL cluster, Temporal SQLite file, stored documents).',
  },
  DATABASE_URL: { schema: text(), default: '(embedded PostgreSQL)', what: 'PostgreSQL to use instead of starting the embedded one.' },
  EVK_EMBEDDED_POSTGRES_PORT: { schema: port(54329), default: '54329', what: 'Port of the embedded PostgreSQL (development).' },
  TEMPORAL_ADDRESS: { schema: text(), default: '(Temporal dev server)', what: 'Temporal cluster (host:port) to use instead of starting the dev server.' },
  TEMPORAL_NAMESPACE: { schema: textOr('default'), default: 'default', what: 'Temporal namespace.' },
  EVK_TEMPORAL_PORT: { schema: port(7233), default: '7233', what: 'Port of the Temporal dev server (development).' },
  EVK_TEMPORAL_UI_PORT: { schema: port(8233), default: '8233', what: 'Port of the Temporal dev server’s web UI (development).' },
  EVK_TASK_QUEUE: { schema: textOr('evk-contracts'), default: 'evk-contracts', what: 'Temporal task queue of the worker.' },
  PORT: { schema: port(3000), default: '3000', what: 'Port of the web server (pages and JSON API).' },
  EVK_LISTEN_HOST: { schema: textOr('127.0.0.1'), default: '127.0.0.1', what: 'Address every server listens on; 0.0.0.0 in containers.' },
  EVK_PUBLIC_URL: {
    schema: text(),
    default: 'http://localhost:<PORT>',
    what: 'Public base URL of the web server, in links sent to people and printed on orders.',
  },
  EVK_CALLBACK_BASE_URL: {
    schema: text(),
    default: '<EVK_PUBLIC_URL>',
    what: 'Base URL outside systems call us back on, when it differs from the public one (containers).',
  },
  EVK_SESSION_SECRET: {
    schema: textOr('dev-only-session-secret-change-me'),
    default: 'dev-only-session-secret-change-me',
    what: 'Signs the session cookie; set a long random value in production.',
  },
  EVK_LOGIN_ATTEMPTS_PER_10_MIN: { schema: positive(30), default: '30', what: 'Login attempts allowed per address in 10 minutes (R2.4).' },
  CHROMIUM_PATH: { schema: text(), default: '(a system Chromium)', what: 'Chromium or Chrome that prints the documents.' },
  LOG_LEVEL: {
    schema: z.preprocess(
      unsetIfEmpty,
      z
        .enum(LOG_LEVELS)
        .optional()
        .transform((l) => l ?? 'info'),
    ),
    default: 'info',
    what: 'Level of the structured logs (pino).',
  },
  TEMPORAL_LOG_LEVEL: {
    schema: z.preprocess(
      unsetIfEmpty,
      z
        .enum(TEMPORAL_LOG_LEVELS)
        .optional()
        .transform((l) => l ?? 'WARN'),
    ),
    default: 'WARN',
    what: 'Level of the Temporal worker runtime’s own logs.',
  },
  EVK_SIM_MOBILE_SIGNATURE_PORT: { schema: port(4101), default: '4101', what: 'Port of the mobile-signature simulator (development).' },
  EVK_SIM_POPULATION_REGISTRY_PORT: { schema: port(4102), default: '4102', what: 'Port of the population-registry simulator (development).' },
  EVK_SIM_TAX_SERVICE_PORT: { schema: port(4103), default: '4103', what: 'Port of the tax-service simulator (development).' },
  EVK_SIM_PAYMENT_AGENT_PORT: { schema: port(4104), default: '4104', what: 'Port of the payment-agent simulator (development).' },
  EVK_SIM_SMS_PORT: { schema: port(4105), default: '4105', what: 'Port of the SMS gateway simulator (development).' },
  EVK_SMTP_SINK_PORT: { schema: port(2525), default: '2525', what: 'SMTP port of the development mail sink.' },
  EVK_SIM_MAIL_CATCHER_PORT: { schema: port(4106), default: '4106', what: 'Web page of the development mail sink (the mails it received).' },
  EVK_SIM_ECOURT_PORT: { schema: port(4107), default: '4107', what: 'Port of the e-court portal simulator (development).' },
  EVK_MOBILE_SIGNATURE_URL: {
    schema: text(),
    default: 'http://127.0.0.1:<EVK_SIM_MOBILE_SIGNATURE_PORT>',
    what: 'Mobile-signature provider (R2.3); unset, the local simulator, named on the login page.',
  },
  EVK_POPULATION_REGISTRY_URL: { schema: text(), default: 'http://127.0.0.1:<EVK_SIM_POPULATION_REGISTRY_PORT>', what: 'Population registry (FIN look-ups).' },
  EVK_TAX_SERVICE_URL: { schema: text(), default: 'http://127.0.0.1:<EVK_SIM_TAX_SERVICE_PORT>', what: 'Tax service (VÖEN look-ups).' },
  EVK_PAYMENT_AGENT_URL: { schema: text(), default: 'http://127.0.0.1:<EVK_SIM_PAYMENT_AGENT_PORT>', what: 'Payment agent (R4.3).' },
  EVK_ECOURT_URL: { schema: text(), default: 'http://127.0.0.1:<EVK_SIM_ECOURT_PORT>', what: 'E-court portal (R4.6).' },
  EVK_PAYMENT_AGENT_SECRET: {
    schema: textOr('dev-only-payment-agent-secret'),
    default: 'dev-only-payment-agent-secret',
    what: 'Shared secret that signs the payment agent’s requests and callbacks.',
  },
  EVK_PAYMENT_AGENT_MERCHANT_ID: { schema: textOr('EVK-BAR'), default: 'EVK-BAR', what: 'Our merchant ID at the payment agent.' },
  EVK_PAYMENT_RECONCILE_INTERVAL_MS: {
    schema: positive(15_000),
    default: '15000',
    what: 'How often the worker re-delivers stored, unapplied payment reports and asks the agent about open payments (issue 10 item 1).',
  },
  EVK_INSTALMENT_REMINDER_LEAD_MS: {
    schema: positive(259_200_000),
    default: '259200000',
    what: 'How long before the second instalment is due the applicant is reminded (issue 12; 3 days).',
  },
  EVK_PROFILE_REMINDER_MS: {
    schema: positive(259_200_000),
    default: '259200000',
    what: 'How long a profile change request (R8.2) waits for the Bar office before the office is reminded (3 days).',
  },
  EVK_CALENDAR_LATE_AFTER_MS: {
    schema: positive(60_000),
    default: '60000',
    what: 'A calendar reminder (R8.4) sent more than this after its time, because the system was down, is marked late (issue 12).',
  },
  EVK_COURT_HEARING_SYNC_MS: {
    schema: positive(300_000),
    default: '300000',
    what: 'How often the worker asks e-court for the hearings of the cases lawyers joined (R4.6), for their calendars (issue 12).',
  },
  EVK_SMTP_HOST: { schema: textOr('127.0.0.1'), default: '127.0.0.1', what: 'SMTP server for outgoing mail (R4.2, R4.3.1); the local mail sink by default.' },
  EVK_SMTP_PORT: { schema: optionalPort(), default: '<EVK_SMTP_SINK_PORT>', what: 'SMTP port.' },
  EVK_SMTP_SECURE: { schema: flag(false), default: 'false', what: 'true: TLS from the start (port 465); false: plain, upgraded with STARTTLS when offered.' },
  EVK_SMTP_USER: { schema: text(), default: '(none)', what: 'SMTP user name.' },
  EVK_SMTP_PASS: { schema: text(), default: '(none)', what: 'SMTP password.' },
  EVK_MAIL_FROM: {
    schema: textOr('Elektron Vəkil Kabineti <no-reply@evk.local>'),
    default: 'Elektron Vəkil Kabineti <no-reply@evk.local>',
    what: 'The From of every e-mail.',
  },
  EVK_BAR_OFFICE_EMAIL: {
    schema: text(),
    default: '(none)',
    what: 'The Bar office’s address: told when a lawyer writes to the office (R7) and when a profile change waits too long (R8.2); none: the office sees counts in its menu and queue only.',
  },
  EVK_SMS_GATEWAY_URL: { schema: text(), default: 'http://127.0.0.1:<EVK_SIM_SMS_PORT>', what: 'SMS gateway; the local simulator by default.' },
  EVK_SMS_API_KEY: { schema: textOr('dev-only-sms-api-key'), default: 'dev-only-sms-api-key', what: 'API key of the SMS gateway.' },
  EVK_PAYLOAD_KEYS: {
    schema: text(),
    default: '(dev: generated once into <EVK_DATA_DIR>/payload-keys.json; production: required)',
    what: 'AES-256 keys that encrypt every Temporal payload, as id:base64key[,id:base64key…]; the first encrypts, all decrypt (rotation).',
  },
  EVK_CODEC_SERVER_PORT: { schema: port(4110), default: '4110', what: 'Port of the codec server that decodes payloads for the Temporal UI (operators only).' },
  EVK_WORKER_HEALTH_PORT: {
    schema: port(4111),
    default: '4111',
    what: 'Port of the worker’s own HTTP server: /health/live, /health/ready (database, Temporal) and /metrics (issue 10 item 8).',
  },
  EVK_TEMPORAL_METRICS_PORT: {
    schema: port(4112),
    default: '4112',
    what: 'Port where the worker’s Temporal SDK runtime exports its own Prometheus metrics (/metrics).',
  },
  EVK_WORKER_CACHED_WORKFLOWS: {
    schema: positive(500),
    default: '500',
    what: 'Workflows the worker keeps in memory between their tasks (Temporal’s sticky cache, about 400 KiB each); the others are replayed from their history on their next task (issue 12: thousands of waiting reminders must not fill the worker’s memory).',
  },
  EVK_WORKFLOW_BUNDLE: {
    schema: text(),
    default: '(none: the worker bundles the workflows at start)',
    what: 'A workflow bundle written by `evk bundle-workflows <file>` from the same code; the worker loads it instead of bundling at start (faster restarts).',
  },
  EVK_TEMPORAL_UI_ORIGIN: {
    schema: text(),
    default: 'http://localhost:<EVK_TEMPORAL_UI_PORT>',
    what: 'Origin of the Temporal UI, the only one the codec server answers cross-origin (CORS with credentials).',
  },
  EVK_STORAGE: {
    schema: z.preprocess(
      unsetIfEmpty,
      z
        .enum(STORAGE_KINDS)
        .optional()
        .transform((k) => k ?? 'local'),
    ),
    default: 'local',
    what: 'Where documents, dossier files, message attachments and photos are kept: `local` (a folder, <EVK_DATA_DIR>/files) or `s3` (an S3-compatible object store, for several hosts; docs/operations.md).',
  },
  EVK_S3_ENDPOINT: {
    schema: text(),
    default: '(the AWS endpoint of EVK_S3_REGION)',
    what: 'URL of an S3-compatible server (MinIO, Versity, Ceph…); addressed path-style (http://host:port/bucket/key).',
  },
  EVK_S3_BUCKET: { schema: text(), default: '(none: required with EVK_STORAGE=s3)', what: 'The bucket that holds the files.' },
  EVK_S3_REGION: { schema: textOr('us-east-1'), default: 'us-east-1', what: 'Region of the bucket (signing).' },
  EVK_S3_ACCESS_KEY_ID: {
    schema: text(),
    default: '(the SDK’s own chain: AWS_* variables, instance role)',
    what: 'Access key of the object store; given with EVK_S3_SECRET_ACCESS_KEY.',
  },
  EVK_S3_SECRET_ACCESS_KEY: {
    schema: text(),
    default: '(the SDK’s own chain)',
    what: 'Secret key of the object store: never logged (the logger blanks `secretAccessKey`).',
  },
} as const;

type Variables = typeof CONFIG_VARIABLES;
const envSchema = z.object(
  Object.fromEntries(Object.entries(CONFIG_VARIABLES).map(([name, v]) => [name, v.schema])) as { [K in keyof Variables]: Variables[K]['schema'] },
);
type Env = z.infer<typeof envSchema>;

/** The processes' settings, derived from the environment once. */
export interface Config {
  /** NODE_ENV=production: every secret must be set (assertProductionReady). */
  production: boolean;
  rootDir: string;
  /** Local state of the embedded services (PostgreSQL cluster, Temporal SQLite file, stored documents). */
  dataDir: string;
  /** When set, use this PostgreSQL instead of starting the embedded one. */
  databaseUrl?: string;
  embeddedPostgresPort: number;
  /** When set, use this Temporal cluster instead of starting the dev server. */
  temporalAddress?: string;
  temporalNamespace: string;
  temporalDevPort: number;
  temporalUiPort: number;
  taskQueue: string;
  webPort: number;
  /** Where every server listens: loopback unless EVK_LISTEN_HOST says otherwise (containers). */
  listenHost: string;
  /** Public base URL of the web server, used in links sent to people and printed on orders. */
  publicUrl: string;
  /** Base URL outside systems call us back on, when it differs from the public one (containers). */
  callbackBaseUrl: string;
  sessionSecret: string;
  loginAttemptsPer10Min: number;
  chromiumPath?: string;
  logLevel: (typeof LOG_LEVELS)[number];
  temporalLogLevel: (typeof TEMPORAL_LOG_LEVELS)[number];
  simulators: {
    mobileSignaturePort: number;
    populationRegistryPort: number;
    taxServicePort: number;
    paymentAgentPort: number;
    smsPort: number;
    /** The development mail sink's SMTP port (simulators/mail-sink). */
    smtpPort: number;
    /** The development mail catcher's web page (the mails the sink received). */
    mailCatcherPort: number;
    /** The e-court portal simulator (R4.6). */
    eCourtPort: number;
  };
  /** Base URLs of the outside systems; default to the local simulators. */
  mobileSignatureUrl: string;
  /** No EVK_MOBILE_SIGNATURE_URL: the login page names the local simulator. */
  mobileSignatureIsSimulator: boolean;
  populationRegistryUrl: string;
  taxServiceUrl: string;
  paymentAgentUrl: string;
  /** The e-court portal (R4.6); defaults to the local simulator. */
  eCourtUrl: string;
  paymentAgentSecret: string;
  paymentAgentMerchantId: string;
  /** Turns of the payment reconciliation (issue 10 item 1), ms. */
  paymentReconcileIntervalMs: number;
  /** How long a profile change request waits before the office is reminded, ms (R8.2). */
  profileReminderMs: number;
  /** How long before the second instalment's due time the applicant is reminded, ms (issue 12). */
  instalmentReminderLeadMs: number;
  /** Calendar reminders later than this are marked late, ms (issue 12). */
  calendarLateAfterMs: number;
  /** How often the hearings of joined court cases are synced into the calendars, ms (issue 12). */
  courtHearingSyncMs: number;
  /** The Bar office's address for messages written to it (R7) and profile-change reminders (R8.2); none: counts only. */
  barOfficeEmail?: string;
  /** Outgoing mail (R4.2, R4.3.1): SMTP server; defaults to the local development mail sink. */
  smtpHost: string;
  smtpPort: number;
  /** true = TLS from the start (port 465); false = plain, upgraded with STARTTLS when offered. */
  smtpSecure: boolean;
  smtpUser?: string;
  smtpPass?: string;
  /** The From of every e-mail. */
  mailFrom: string;
  /** SMS gateway base URL; defaults to the local SMS gateway simulator. */
  smsGatewayUrl: string;
  smsApiKey: string;
  /** EVK_PAYLOAD_KEYS as given; read through payloadKeysFrom (platform/payload-codec.ts). */
  payloadKeys?: string;
  codecServerPort: number;
  /** The worker's health and metrics server (issue 10 item 8). */
  workerHealthPort: number;
  /** The Temporal SDK runtime's Prometheus exporter, in the worker process. */
  temporalMetricsPort: number;
  /** EVK_WORKER_CACHED_WORKFLOWS: the worker's sticky cache, in workflows. */
  workerCachedWorkflows: number;
  /** EVK_WORKFLOW_BUNDLE: a prebuilt workflow bundle the worker loads instead of bundling. */
  workflowBundlePath?: string;
  /** The Temporal UI's origin, allowed by the codec server's CORS. */
  temporalUiOrigin: string;
  /** Where files are kept (platform/file-storage.ts): the local folder, or an S3-compatible bucket. */
  storage: { kind: 'local' } | { kind: 's3'; s3: S3Settings };
}

/** An S3-compatible bucket (EVK_S3_*); without keys the SDK's own credential chain applies. */
export interface S3Settings {
  endpoint?: string;
  bucket: string;
  region: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

function storageOf(e: Env): Config['storage'] {
  if (e.EVK_STORAGE === 'local') return { kind: 'local' };
  if (!e.EVK_S3_BUCKET) throw new ConfigError('EVK_STORAGE=s3 needs EVK_S3_BUCKET');
  if (!e.EVK_S3_ACCESS_KEY_ID !== !e.EVK_S3_SECRET_ACCESS_KEY)
    throw new ConfigError('EVK_S3_ACCESS_KEY_ID and EVK_S3_SECRET_ACCESS_KEY are set together, or neither');
  const credentials =
    e.EVK_S3_ACCESS_KEY_ID && e.EVK_S3_SECRET_ACCESS_KEY ? { accessKeyId: e.EVK_S3_ACCESS_KEY_ID, secretAccessKey: e.EVK_S3_SECRET_ACCESS_KEY } : undefined;
  return { kind: 's3', s3: { endpoint: e.EVK_S3_ENDPOINT, bucket: e.EVK_S3_BUCKET, region: e.EVK_S3_REGION, ...(credentials ? { credentials } : {}) } };
}

/** A wrong value, named by its variable: `PORT must be a positive integer, got "abc"`. */
export class ConfigError extends Error {}

function parseEnv(env: NodeJS.ProcessEnv): Env {
  const parsed = envSchema.safeParse(env);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const name = String(issue.path[0]);
    return `${name} ${issue.message}, got "${env[name] ?? ''}"`;
  });
  throw new ConfigError(problems.join('; '));
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const e = parseEnv(env);
  const simulators = {
    mobileSignaturePort: e.EVK_SIM_MOBILE_SIGNATURE_PORT,
    populationRegistryPort: e.EVK_SIM_POPULATION_REGISTRY_PORT,
    taxServicePort: e.EVK_SIM_TAX_SERVICE_PORT,
    paymentAgentPort: e.EVK_SIM_PAYMENT_AGENT_PORT,
    smsPort: e.EVK_SIM_SMS_PORT,
    smtpPort: e.EVK_SMTP_SINK_PORT,
    mailCatcherPort: e.EVK_SIM_MAIL_CATCHER_PORT,
    eCourtPort: e.EVK_SIM_ECOURT_PORT,
  };
  const local = (simulatorPort: number) => `http://127.0.0.1:${simulatorPort}`;
  const publicUrl = e.EVK_PUBLIC_URL ?? `http://localhost:${e.PORT}`;
  return {
    production: e.NODE_ENV === 'production',
    rootDir: ROOT_DIR,
    dataDir: path.resolve(e.EVK_DATA_DIR ?? path.join(ROOT_DIR, '.data')),
    databaseUrl: e.DATABASE_URL,
    embeddedPostgresPort: e.EVK_EMBEDDED_POSTGRES_PORT,
    temporalAddress: e.TEMPORAL_ADDRESS,
    temporalNamespace: e.TEMPORAL_NAMESPACE,
    temporalDevPort: e.EVK_TEMPORAL_PORT,
    temporalUiPort: e.EVK_TEMPORAL_UI_PORT,
    taskQueue: e.EVK_TASK_QUEUE,
    webPort: e.PORT,
    listenHost: e.EVK_LISTEN_HOST,
    publicUrl,
    callbackBaseUrl: e.EVK_CALLBACK_BASE_URL ?? publicUrl,
    sessionSecret: e.EVK_SESSION_SECRET,
    loginAttemptsPer10Min: e.EVK_LOGIN_ATTEMPTS_PER_10_MIN,
    chromiumPath: e.CHROMIUM_PATH,
    logLevel: e.LOG_LEVEL,
    temporalLogLevel: e.TEMPORAL_LOG_LEVEL,
    simulators,
    mobileSignatureUrl: e.EVK_MOBILE_SIGNATURE_URL ?? local(simulators.mobileSignaturePort),
    mobileSignatureIsSimulator: e.EVK_MOBILE_SIGNATURE_URL === undefined,
    populationRegistryUrl: e.EVK_POPULATION_REGISTRY_URL ?? local(simulators.populationRegistryPort),
    taxServiceUrl: e.EVK_TAX_SERVICE_URL ?? local(simulators.taxServicePort),
    paymentAgentUrl: e.EVK_PAYMENT_AGENT_URL ?? local(simulators.paymentAgentPort),
    eCourtUrl: e.EVK_ECOURT_URL ?? local(simulators.eCourtPort),
    paymentAgentSecret: e.EVK_PAYMENT_AGENT_SECRET,
    paymentAgentMerchantId: e.EVK_PAYMENT_AGENT_MERCHANT_ID,
    paymentReconcileIntervalMs: e.EVK_PAYMENT_RECONCILE_INTERVAL_MS,
    profileReminderMs: e.EVK_PROFILE_REMINDER_MS,
    instalmentReminderLeadMs: e.EVK_INSTALMENT_REMINDER_LEAD_MS,
    calendarLateAfterMs: e.EVK_CALENDAR_LATE_AFTER_MS,
    courtHearingSyncMs: e.EVK_COURT_HEARING_SYNC_MS,
    barOfficeEmail: e.EVK_BAR_OFFICE_EMAIL,
    smtpHost: e.EVK_SMTP_HOST,
    smtpPort: e.EVK_SMTP_PORT ?? e.EVK_SMTP_SINK_PORT,
    smtpSecure: e.EVK_SMTP_SECURE,
    smtpUser: e.EVK_SMTP_USER,
    smtpPass: e.EVK_SMTP_PASS,
    mailFrom: e.EVK_MAIL_FROM,
    smsGatewayUrl: e.EVK_SMS_GATEWAY_URL ?? local(simulators.smsPort),
    smsApiKey: e.EVK_SMS_API_KEY,
    payloadKeys: e.EVK_PAYLOAD_KEYS,
    codecServerPort: e.EVK_CODEC_SERVER_PORT,
    workerHealthPort: e.EVK_WORKER_HEALTH_PORT,
    temporalMetricsPort: e.EVK_TEMPORAL_METRICS_PORT,
    workerCachedWorkflows: e.EVK_WORKER_CACHED_WORKFLOWS,
    workflowBundlePath: e.EVK_WORKFLOW_BUNDLE,
    temporalUiOrigin: (e.EVK_TEMPORAL_UI_ORIGIN ?? `http://localhost:${e.EVK_TEMPORAL_UI_PORT}`).replace(/\/+$/, ''),
    storage: storageOf(e),
  };
}

/** The development defaults of the secrets, and other values published in this repository: never a production secret. */
export const KNOWN_PUBLIC_SECRETS: readonly string[] = [
  'dev-only-session-secret-change-me',
  'dev-only-payment-agent-secret',
  'dev-only-sms-api-key',
  'change-me-outside-development',
  'change-me',
  'changeme',
  'secret',
  'password',
  'postgres',
];

/**
 * The secrets production needs, by variable, each with its least length: ours (the session secret)
 * at least 32 characters (`openssl rand -base64 32` gives 44); those the providers issue (the payment
 * agent's shared secret, the SMS key) at least 16.
 */
export const PRODUCTION_SECRETS = { EVK_SESSION_SECRET: 32, EVK_PAYMENT_AGENT_SECRET: 16, EVK_SMS_API_KEY: 16 } as const;

/**
 * What keeps this configuration from running in production (issue 9 item 2), one sentence per
 * variable: a secret unset, one of the repository's public defaults, or too short. Empty when ready
 * or when NODE_ENV is not `production`.
 */
export function productionProblems(env: NodeJS.ProcessEnv = process.env): string[] {
  if (env.NODE_ENV !== 'production') return [];
  const problems: string[] = [];
  for (const [name, least] of Object.entries(PRODUCTION_SECRETS)) {
    const value = env[name] ?? '';
    if (value === '') problems.push(`${name} is not set`);
    else if (KNOWN_PUBLIC_SECRETS.includes(value.trim().toLowerCase())) problems.push(`${name} is a published default`);
    else if (value.length < least) problems.push(`${name} is shorter than ${least} characters`);
  }
  if (!env.DATABASE_URL) problems.push('DATABASE_URL is not set (production never starts the embedded PostgreSQL)');
  if (!env.TEMPORAL_ADDRESS) problems.push('TEMPORAL_ADDRESS is not set (production never starts the Temporal dev server)');
  if (!env.EVK_PUBLIC_URL) problems.push('EVK_PUBLIC_URL is not set (links in messages and on orders, the origin the API accepts)');
  if (!env.EVK_PAYLOAD_KEYS) problems.push('EVK_PAYLOAD_KEYS is not set (the keys that encrypt Temporal payloads; never generated in production)');
  return problems;
}

/** Thrown by assertProductionReady: every problem in one message, without a stack worth printing. */
export class ProductionConfigError extends ConfigError {
  constructor(readonly problems: string[]) {
    super(
      `refusing to start with NODE_ENV=production: ${problems.join('; ')}. ` +
        'A secret of our own is a long random value (openssl rand -base64 32); see docs/operations.md.',
    );
  }
}

/**
 * Refuses to run in production on public defaults (issue 9 item 2): every start path of a
 * production process (`worker`, `web`) calls this before it connects anything.
 */
export function assertProductionReady(env: NodeJS.ProcessEnv = process.env): void {
  const problems = productionProblems(env);
  if (problems.length > 0) throw new ProductionConfigError(problems);
}

let processConfig: Config | undefined;

/**
 * This process's configuration, for the few places that have none handed in (where a server
 * listens, the logger's level). Read from the environment the first time it is asked for.
 */
export function currentConfig(): Config {
  processConfig ??= loadConfig();
  return processConfig;
}
