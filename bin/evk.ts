/**
 * One entry point, one sub-command per process:
 *   dev           everything on embedded defaults (what `npm start` runs)
 *   worker | web | simulators   one process against TEMPORAL_ADDRESS and DATABASE_URL
 *   codec-server  decodes Temporal payloads for the Temporal UI, for signed-in operators only
 *   migrate | seed              the database (seed: demo data, refused with NODE_ENV=production)
 *   create-admin --login L --name "N" [--role operator]   a Bar office (or operator) account; prints its one-time activation link
 *   bundle-workflows FILE      writes the workflows' bundle, for EVK_WORKFLOW_BUNDLE (the worker then starts without bundling)
 *   prepare-test  finds or installs what the tests need (the Temporal CLI, versitygw, Chromium)
 *   backup [--to DIR]            one consistent snapshot: PostgreSQL, Temporal's dev state, files, dev keys (issue 10 item 7)
 *   restore --from DIR [--force]  brings a backup back into an empty data folder
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { migrateToLatest } from '../migrations';
import { BackupError, createBackup, restoreBackup } from '../platform/backup';
import { startCodecServer } from '../platform/codec-server';
import { assertProductionReady, ConfigError, loadConfig, type Config } from '../platform/config';
import { connectDatabase } from '../platform/db';
import { createLogger, type Closable } from '../platform/logger';
import { PROJECT_ROOT } from '../platform/paths';
import { ensureSearchAttributes } from '../platform/search-attributes';
import { startWeb } from '../platform/web-server';
import { startWorker, writeWorkflowBundle } from '../platform/worker';
import { SEARCH_ATTRIBUTES } from '../workflows/shared/search-attributes';

// Development parts (embedded PostgreSQL, the Temporal CLI, Chromium's install, simulators and demo
// data) are loaded only by the commands that use them, so `worker` and `web` against real
// infrastructure never load them.
const devParts = {
  postgres: () => import('../platform/dev/embedded-postgres'),
  temporal: () => import('../platform/dev/temporal-dev-server'),
  versitygw: () => import('../platform/dev/versitygw'),
  chromium: () => import('../platform/dev/chromium-install'),
  simulators: () => import('../simulators/start'),
  seed: () => import('../simulators/demo-seed'),
  demo: () => import('../simulators/demo-data'),
  demoContracts: () => import('../simulators/demo-contracts'),
  seminars: () => import('../simulators/demo-seminars'),
};

/** DATABASE_URL when set, else the embedded PostgreSQL (development). */
async function ensureDatabase(config: Config, log: (m: string) => void): Promise<{ url: string; stop: () => Promise<void> }> {
  if (config.databaseUrl) return { url: config.databaseUrl, stop: async () => {} };
  return (await devParts.postgres()).ensureDatabase(config, log);
}

const say = (message: string) => console.log(`[evk] ${message}`);

/** Stops what was started, last first, on Ctrl-C or a fatal error. */
class Lifecycle {
  private readonly parts: { name: string; part: Closable }[] = [];
  private stopping = false;

  add(name: string, part: Closable) {
    this.parts.push({ name, part });
  }

  installSignalHandlers() {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.on(signal, () => {
        void this.stop(0);
      });
    }
  }

  async stop(code: number) {
    if (this.stopping) return;
    this.stopping = true;
    say('stopping…');
    for (const { name, part } of [...this.parts].reverse()) {
      try {
        await part.close();
      } catch (err) {
        console.error(`[evk] ${name} did not stop cleanly:`, err);
      }
    }
    say('stopped. Your data is kept in the data folder; `npm start` picks it up again.');
    process.exit(code);
  }
}

async function prepareDatabase(config: Config, lifecycle: Lifecycle) {
  const database = await ensureDatabase(config, say);
  lifecycle.add('PostgreSQL', { close: database.stop });
  const db = connectDatabase(database.url);
  lifecycle.add('database pool', { close: () => db.destroy() });
  const applied = await migrateToLatest(db);
  if (applied.length > 0) say(`database migrated: ${applied.join(', ')}`);
  await (await devParts.seed()).seedDemoData(db);
  return { db, url: database.url };
}

async function prepareTemporal(config: Config, lifecycle: Lifecycle): Promise<{ address: string; uiUrl?: string }> {
  if (config.temporalAddress) {
    say(`using the Temporal cluster at ${config.temporalAddress}`);
    await ensureSearchAttributes(config.temporalAddress, config.temporalNamespace, SEARCH_ATTRIBUTES);
    return { address: config.temporalAddress };
  }
  const { resolveTemporalCli, startTemporalDevServer } = await devParts.temporal();
  const cliPath = await resolveTemporalCli(say);
  const server = await startTemporalDevServer({
    cliPath,
    dbFile: path.join(config.dataDir, 'temporal.sqlite'),
    port: config.temporalDevPort,
    uiPort: config.temporalUiPort,
    namespace: config.temporalNamespace,
    searchAttributes: SEARCH_ATTRIBUTES,
    uiCodecEndpoint: codecServerUrl(config),
    log: say,
  });
  lifecycle.add('Temporal dev server', { close: server.stop });
  return { address: server.address, uiUrl: server.uiUrl };
}

/** Where the Temporal UI reaches the codec server: localhost, the host the session cookie is set for. */
const codecServerUrl = (config: Config) => `http://localhost:${config.codecServerPort}`;

async function dev(config: Config) {
  const lifecycle = new Lifecycle();
  lifecycle.installSignalHandlers();
  try {
    say(`data folder: ${config.dataDir}`);
    const { db, url } = await prepareDatabase(config, lifecycle);
    const temporal = await prepareTemporal(config, lifecycle);
    await (await devParts.chromium()).ensureChromium(say, config.chromiumPath);
    lifecycle.add('simulators', await (await devParts.simulators()).startSimulators(config));
    const log = createLogger('evk');
    lifecycle.add(
      'worker',
      await startWorker({
        config,
        db,
        temporalAddress: temporal.address,
        log,
        opsPort: config.workerHealthPort,
        temporalMetricsPort: config.temporalMetricsPort,
      }),
    );
    const web = await startWeb({ config, db, databaseUrl: url, temporalAddress: temporal.address, log });
    lifecycle.add('web', web);
    // The demo's upcoming seminar gets its reminder workflow, as a published one would (R3.1).
    const demoSeminars = await devParts.seminars();
    await demoSeminars.planDemoSeminarReminders(db, web.client, config.taskQueue).catch((err: unknown) => say(`demo seminar reminders: ${String(err)}`));
    // "Profil": one pending change request with its running workflow for the office's queue (issue 11).
    await (
      await import('../simulators/demo-profile')
    ).startDemoProfileChange({ db, client: web.client, taskQueue: config.taskQueue, reminderAfterMs: config.profileReminderMs });
    // "Təqvim": the demo lawyers' meetings around today (R8.4, issue 12).
    await (await import('../simulators/demo-calendar')).seedDemoCalendar(db).catch((err: unknown) => say(`demo calendar: ${String(err)}`));
    const codec = await startCodecServer({ config, databaseUrl: url, db, log });
    lifecycle.add('codec server', codec);
    const { DEMO_ADMIN, DEMO_OPERATOR } = await devParts.seed();
    printWelcome(config, await devParts.demo(), DEMO_ADMIN, DEMO_OPERATOR, temporal.uiUrl, codec.url);
    // Issue 11: on an empty database, demo contracts through the real path, in the background.
    void (await devParts.demoContracts()).seedDemoContracts({ config, db, gateway: web.gateway, log }).then(
      (r) => r.skipped || say(`demo contracts: ${r.created} created (${JSON.stringify(r.byStage)})${r.failed ? `, ${r.failed} failed (see the log)` : ''}`),
      (err: unknown) => console.error('[evk] demo contracts failed:', err),
    );
  } catch (err) {
    console.error('[evk] could not start:', err);
    await lifecycle.stop(1);
  }
}

function printWelcome(
  config: Config,
  { DEMO_LAWYERS, DEMO_LAWYER_WITHOUT_AGENT_CONTRACT, DEMO_UNLISTED_SIGNATURE_HOLDER }: Awaited<ReturnType<typeof devParts.demo>>,
  DEMO_ADMIN: { login: string; password: string },
  DEMO_OPERATOR: { login: string; password: string },
  temporalUi: string | undefined,
  codecServer: string,
) {
  const s = config.simulators;
  const lines = [
    '',
    'Elektron Vəkil Kabineti is running.',
    `  Cabinet and API     ${config.publicUrl}   (OpenAPI: ${config.publicUrl}/api/openapi.json)`,
    temporalUi ? `  Temporal UI         ${temporalUi}` : `  Temporal            ${config.temporalAddress}`,
    `  Codec server        ${codecServer}   decodes payloads for the Temporal UI, for a signed-in operator only`,
    `  SIMULATORS (not real systems):`,
    `    ASAN İmza phone   http://127.0.0.1:${s.mobileSignaturePort}/   confirm logins here`,
    `    Payment agent     http://127.0.0.1:${s.paymentAgentPort}/   test cards and the terminal`,
    `    Population reg.   http://127.0.0.1:${s.populationRegistryPort}/`,
    `    Tax service       http://127.0.0.1:${s.taxServicePort}/`,
    `    SMS gateway       http://127.0.0.1:${s.smsPort}/   SMS the system sent`,
    `    Mail catcher      http://127.0.0.1:${s.mailCatcherPort}/   e-mails the system sent (SMTP on ${s.smtpPort})`,
    `    E-court           http://127.0.0.1:${s.eCourtPort}/   court cases to join ("İşi göndər")`,
    '',
    '  Demo lawyers (log in with phone + user ID, then confirm on the ASAN İmza simulator):',
    ...DEMO_LAWYERS.map((l) => `    ${l.phone}  ${l.mobileSignatureUserId}  ${l.firstName} ${l.lastName}${l.isHead ? ' (bureau head)' : ''}`),
    `    ${DEMO_LAWYER_WITHOUT_AGENT_CONTRACT.phone}  ${DEMO_LAWYER_WITHOUT_AGENT_CONTRACT.mobileSignatureUserId}  refused: bureau has no payment-agent contract (R2.1)`,
    `    ${DEMO_UNLISTED_SIGNATURE_HOLDER.phone}  ${DEMO_UNLISTED_SIGNATURE_HOLDER.userId}  refused: not on the Bar's active list (R2.1)`,
    `  Bar office: login "${DEMO_ADMIN.login}", password "${DEMO_ADMIN.password}"`,
    `  Operator (Temporal UI): sign in at ${config.publicUrl}/login/admin with "${DEMO_OPERATOR.login}" / "${DEMO_OPERATOR.password}",`,
    `    then in the Temporal UI: Codec Server → "Use my browser setting", endpoint ${codecServer}, "Include cross-origin credentials"`,
    '  Ctrl-C stops everything; data stays in the data folder.',
    '',
  ];
  console.log(lines.join('\n'));
}

async function single(config: Config, command: string) {
  const lifecycle = new Lifecycle();
  lifecycle.installSignalHandlers();
  const log = createLogger(`evk-${command}`);
  const needsDatabase = ['worker', 'web', 'codec-server', 'migrate', 'seed', 'create-admin'].includes(command);
  let database: { db: ReturnType<typeof connectDatabase>; url: string } | undefined;
  if (needsDatabase) {
    const handle = await ensureDatabase(config, say);
    lifecycle.add('PostgreSQL', { close: handle.stop });
    const db = connectDatabase(handle.url);
    lifecycle.add('database pool', { close: () => db.destroy() });
    database = { db, url: handle.url };
  }
  const temporalAddress = config.temporalAddress ?? `127.0.0.1:${config.temporalDevPort}`;
  switch (command) {
    case 'migrate':
      say(`applied: ${(await migrateToLatest(database!.db)).join(', ') || 'nothing, already up to date'}`);
      if (config.storage.kind === 's3') {
        const { ensureBucket } = await import('../platform/storage/s3');
        say(`storage bucket ${config.storage.s3.bucket}: ${await ensureBucket(config.storage.s3)}`);
      }
      return lifecycle.stop(0);
    case 'seed':
      await (await devParts.seed()).seedDemoData(database!.db);
      say('demo data seeded');
      return lifecycle.stop(0);
    case 'create-admin': {
      // Issue 9 item 2: the first (or any) Bar office account, never with a default password.
      const login = option('login');
      const name = option('name');
      const role = option('role') ?? 'bar_office';
      if (!login || !name || (role !== 'bar_office' && role !== 'operator')) {
        console.error('usage: evk create-admin --login <login> --name "<full name>" [--role bar_office|operator]');
        return lifecycle.stop(2);
      }
      const { createAdminAccount } = await import('../api/auth/service');
      const created = await createAdminAccount({ db: database!.db, log, publicUrl: config.publicUrl }, { login, fullName: name, role });
      say(`${role === 'operator' ? 'Operator' : 'Bar office'} account "${created.login}" created (${created.id}).`);
      say(`Open this one-time link within 24 hours to set its password (it works once): ${created.activationUrl}`);
      return lifecycle.stop(0);
    }
    case 'worker':
      lifecycle.add(
        'worker',
        await startWorker({
          config,
          db: database!.db,
          temporalAddress,
          log,
          opsPort: config.workerHealthPort,
          temporalMetricsPort: config.temporalMetricsPort,
        }),
      );
      say(`worker polling task queue ${config.taskQueue} on ${temporalAddress}; health and metrics on port ${config.workerHealthPort}`);
      return;
    case 'web': {
      const web = await startWeb({ config, db: database!.db, databaseUrl: database!.url, temporalAddress, log });
      lifecycle.add('web', web);
      say(`web and API on ${web.url}`);
      return;
    }
    case 'codec-server': {
      const codec = await startCodecServer({ config, databaseUrl: database!.url, db: database!.db, log });
      lifecycle.add('codec server', codec);
      say(`codec server on ${codec.url} (CORS for ${config.temporalUiOrigin}; operators only)`);
      return;
    }
    case 'simulators':
      lifecycle.add('simulators', await (await devParts.simulators()).startSimulators(config));
      say('simulators running');
      return;
  }
}

const option = (name: string) => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? process.argv[at + 1] : undefined;
};

/** Issue 10 item 7: `evk backup [--to DIR]`; the embedded cluster is started (or the running one used) for it. */
async function backup(config: Config) {
  const stamp = new Date()
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  const to = path.resolve(option('to') ?? path.join('backups', `evk-${stamp}`));
  const appVersion = (JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  const versions = { app: appVersion, temporalCli: config.temporalAddress ? 'external' : (await devParts.temporal()).TEMPORAL_CLI_VERSION };
  const database = config.databaseUrl ? undefined : await (await devParts.postgres()).ensureDatabase(config, say);
  try {
    await createBackup({
      dataDir: config.dataDir,
      to,
      database: database
        ? { kind: 'embedded', url: database.url, clusterDir: path.join(config.dataDir, 'postgres') }
        : { kind: 'url', url: config.databaseUrl ?? '' },
      temporalDevPort: config.temporalDevPort,
      versions,
      log: say,
    });
  } finally {
    await database?.stop();
  }
}

/** `evk restore --from DIR [--force]`: then starts the embedded cluster once, so that it replays its WAL and is known to come up. */
async function restore(config: Config) {
  const from = option('from');
  if (!from) {
    console.error('usage: evk restore --from <backup folder> [--force]');
    process.exit(2);
  }
  const manifest = await restoreBackup({
    from: path.resolve(from),
    dataDir: config.dataDir,
    databaseUrl: config.databaseUrl,
    force: process.argv.includes('--force'),
    log: say,
  });
  if (manifest.postgres.method === 'base-backup') {
    const database = await (await devParts.postgres()).ensureDatabase(config, say);
    await database.stop();
  }
  say(`restored the backup of ${manifest.createdAt}; start the worker first, then the web (docs/operations.md)`);
}

async function prepareTest(config: Config) {
  if (!config.temporalAddress) await (await devParts.temporal()).resolveTemporalCli(say);
  // The storage and scale-out tests run a real S3-compatible server (issue 14).
  await (await devParts.versitygw()).resolveVersitygw(say);
  await (await devParts.chromium()).ensureChromium(say, config.chromiumPath);
}

/** The commands a production deployment runs as its long-lived processes (issue 9 item 2). */
const PRODUCTION_PROCESSES = ['worker', 'web', 'codec-server'];

async function main() {
  const command = process.argv[2] ?? 'dev';
  const config = loadConfig();
  if (config.production && command === 'dev')
    throw new ConfigError('`dev` starts development services and demo data; with NODE_ENV=production run `worker` and `web` (docs/operations.md)');
  if (PRODUCTION_PROCESSES.includes(command)) assertProductionReady();
  switch (command) {
    case 'dev':
      return dev(config);
    case 'worker':
    case 'web':
    case 'codec-server':
    case 'simulators':
    case 'migrate':
    case 'seed':
    case 'create-admin':
      return single(config, command);
    case 'prepare-test':
      return prepareTest(config);
    case 'bundle-workflows': {
      const file = process.argv[3];
      if (!file) throw new ConfigError('usage: evk bundle-workflows <file>');
      await writeWorkflowBundle(path.resolve(file));
      return say(`workflow bundle written to ${path.resolve(file)}; set EVK_WORKFLOW_BUNDLE to it`);
    }
    case 'backup':
      return backup(config);
    case 'restore':
      return restore(config);
    default:
      console.error(
        `unknown command "${command}". Use one of: dev, worker, web, codec-server, simulators, migrate, seed, create-admin, bundle-workflows, prepare-test, backup, restore`,
      );
      process.exit(2);
  }
}

main().catch((err) => {
  // A configuration problem is the operator's to fix: its message names each variable, a stack adds nothing.
  if (err instanceof ConfigError || err instanceof BackupError) console.error(`[evk] ${err.message}`);
  else console.error('[evk]', err);
  process.exit(1);
});
