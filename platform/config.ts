import path from 'node:path';

/** Everything the processes read from the environment, in one place, with the embedded defaults. */
export interface Config {
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
  /** Public base URL of the web server, used in links sent to people and printed on orders. */
  publicUrl: string;
  /** Base URL outside systems call us back on, when it differs from the public one (containers). */
  callbackBaseUrl: string;
  sessionSecret: string;
  chromiumPath?: string;
  simulators: {
    mobileSignaturePort: number;
    populationRegistryPort: number;
    taxServicePort: number;
    paymentAgentPort: number;
    smsPort: number;
    /** The development mail sink's SMTP port (integrations/mail-sink). */
    smtpPort: number;
    /** The development mail catcher's web page (the mails the sink received). */
    mailCatcherPort: number;
    /** The e-court portal simulator (R4.6). */
    eCourtPort: number;
  };
  /** Base URLs of the outside systems; default to the local simulators. */
  mobileSignatureUrl: string;
  populationRegistryUrl: string;
  taxServiceUrl: string;
  paymentAgentUrl: string;
  /** The e-court portal (R4.6); defaults to the local simulator. */
  eCourtUrl: string;
  paymentAgentSecret: string;
  paymentAgentMerchantId: string;
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
}

function num(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return value;
}

function bool(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  throw new Error(`${name} must be true or false, got "${raw}"`);
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const rootDir = path.resolve(__dirname, '..');
  const dataDir = path.resolve(env.EVK_DATA_DIR ?? path.join(rootDir, '.data'));
  const webPort = num(env, 'PORT', 3000);
  const simulators = {
    mobileSignaturePort: num(env, 'EVK_SIM_MOBILE_SIGNATURE_PORT', 4101),
    populationRegistryPort: num(env, 'EVK_SIM_POPULATION_REGISTRY_PORT', 4102),
    taxServicePort: num(env, 'EVK_SIM_TAX_SERVICE_PORT', 4103),
    paymentAgentPort: num(env, 'EVK_SIM_PAYMENT_AGENT_PORT', 4104),
    smsPort: num(env, 'EVK_SIM_SMS_PORT', 4105),
    smtpPort: num(env, 'EVK_SMTP_SINK_PORT', 2525),
    mailCatcherPort: num(env, 'EVK_SIM_MAIL_CATCHER_PORT', 4106),
    eCourtPort: num(env, 'EVK_SIM_ECOURT_PORT', 4107),
  };
  return {
    rootDir,
    dataDir,
    databaseUrl: env.DATABASE_URL || undefined,
    embeddedPostgresPort: num(env, 'EVK_EMBEDDED_POSTGRES_PORT', 54329),
    temporalAddress: env.TEMPORAL_ADDRESS || undefined,
    temporalNamespace: env.TEMPORAL_NAMESPACE || 'default',
    temporalDevPort: num(env, 'EVK_TEMPORAL_PORT', 7233),
    temporalUiPort: num(env, 'EVK_TEMPORAL_UI_PORT', 8233),
    taskQueue: env.EVK_TASK_QUEUE || 'evk-contracts',
    webPort,
    publicUrl: env.EVK_PUBLIC_URL || `http://localhost:${webPort}`,
    callbackBaseUrl: env.EVK_CALLBACK_BASE_URL || env.EVK_PUBLIC_URL || `http://localhost:${webPort}`,
    sessionSecret: env.EVK_SESSION_SECRET || 'dev-only-session-secret-change-me',
    chromiumPath: env.CHROMIUM_PATH || undefined,
    simulators,
    mobileSignatureUrl: env.EVK_MOBILE_SIGNATURE_URL || `http://127.0.0.1:${simulators.mobileSignaturePort}`,
    populationRegistryUrl: env.EVK_POPULATION_REGISTRY_URL || `http://127.0.0.1:${simulators.populationRegistryPort}`,
    taxServiceUrl: env.EVK_TAX_SERVICE_URL || `http://127.0.0.1:${simulators.taxServicePort}`,
    paymentAgentUrl: env.EVK_PAYMENT_AGENT_URL || `http://127.0.0.1:${simulators.paymentAgentPort}`,
    eCourtUrl: env.EVK_ECOURT_URL || `http://127.0.0.1:${simulators.eCourtPort}`,
    paymentAgentSecret: env.EVK_PAYMENT_AGENT_SECRET || 'dev-only-payment-agent-secret',
    paymentAgentMerchantId: env.EVK_PAYMENT_AGENT_MERCHANT_ID || 'EVK-BAR',
    smtpHost: env.EVK_SMTP_HOST || '127.0.0.1',
    smtpPort: num(env, 'EVK_SMTP_PORT', simulators.smtpPort),
    smtpSecure: bool(env, 'EVK_SMTP_SECURE', false),
    smtpUser: env.EVK_SMTP_USER || undefined,
    smtpPass: env.EVK_SMTP_PASS || undefined,
    mailFrom: env.EVK_MAIL_FROM || 'Elektron Vəkil Kabineti <no-reply@evk.local>',
    smsGatewayUrl: env.EVK_SMS_GATEWAY_URL || `http://127.0.0.1:${simulators.smsPort}`,
    smsApiKey: env.EVK_SMS_API_KEY || 'dev-only-sms-api-key',
  };
}
