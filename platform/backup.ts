/**
 * Issue 10 item 7: one snapshot of everything a contract's story lives in, and its way back.
 *
 *   <backup>/manifest.json      when, which versions, and the SHA-256 of every file below
 *   <backup>/temporal.sqlite    the Temporal dev server's state (SQLite online backup)
 *   <backup>/postgres/          the embedded cluster: a physical base backup with its WAL
 *   <backup>/postgres.dump      or, with DATABASE_URL, `pg_dump --format=custom`
 *   <backup>/files/             stored documents and uploads (EVK_DATA_DIR/files)
 *   <backup>/payload-keys.json  the development payload keys (Temporal's histories are encrypted)
 *
 * The parts are taken in this order on purpose: Temporal first, then PostgreSQL, then the files. A
 * restored workflow is then never ahead of its read model or its documents: at worst it repeats an
 * activity that had already committed, and activities are idempotent (at-least-once, issue 10).
 *
 * The embedded PostgreSQL ships no pg_dump, and a system pg_dump of another major version refuses
 * the server; its own low-level backup API (pg_backup_start / pg_backup_stop, plus the WAL written
 * meanwhile) needs nothing but the server itself. For the SQLite file the `sqlite3` CLI's `.backup`
 * (SQLite's online backup API) copies a consistent image while the dev server writes; without the
 * CLI the file is copied only when no dev server is running on it.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { findOnPath } from './processes';

const execFileAsync = promisify(execFile);
type Log = (message: string) => void;

export const BACKUP_FORMAT = 1;

/** Where the cabinet's database is and how it is taken. */
export type DatabaseSource =
  /** The embedded cluster: its superuser URL and its data folder (a physical base backup). */
  | { kind: 'embedded'; url: string; clusterDir: string }
  /** Any PostgreSQL by URL: `pg_dump` on PATH (it must be of the server's major version or newer). */
  | { kind: 'url'; url: string };

export interface BackupManifest {
  format: typeof BACKUP_FORMAT;
  createdAt: string;
  versions: Record<string, string>;
  postgres: { method: 'base-backup' | 'pg_dump'; serverVersion: string };
  temporal: { method: 'sqlite-online-backup' | 'copy-while-stopped' | 'not-included'; note?: string };
  payloadKeys: 'included' | 'not-included';
  /** Path (relative to the backup folder, '/'-separated) → SHA-256 and size. */
  checksums: Record<string, { sha256: string; bytes: number }>;
}

export class BackupError extends Error {}

export interface BackupOptions {
  dataDir: string;
  to: string;
  database: DatabaseSource;
  /** The dev server's gRPC port: a running server means its SQLite file is copied only online. */
  temporalDevPort: number;
  versions: Record<string, string>;
  log: Log;
}

export async function createBackup(options: BackupOptions): Promise<BackupManifest> {
  const { dataDir, to, database, log } = options;
  if (existsSync(to) && (await fs.readdir(to)).length > 0) throw new BackupError(`${to} is not empty: a backup goes into a new or empty folder`);
  await fs.mkdir(to, { recursive: true, mode: 0o700 });

  const temporal = await backupTemporal(path.join(dataDir, 'temporal.sqlite'), path.join(to, 'temporal.sqlite'), options.temporalDevPort, log);
  const postgres =
    database.kind === 'embedded' ? await baseBackup(database, path.join(to, 'postgres'), log) : await dump(database.url, path.join(to, 'postgres.dump'), log);

  const filesDir = path.join(dataDir, 'files');
  if (existsSync(filesDir)) {
    // A `*.tmp` is a document being written (file-storage.ts writes then renames): not yet stored.
    await copyTree(filesDir, path.join(to, 'files'), (name) => !name.endsWith('.tmp'));
  } else await fs.mkdir(path.join(to, 'files'));
  log('stored files copied');

  const keysFile = path.join(dataDir, 'payload-keys.json');
  const payloadKeys = existsSync(keysFile) ? 'included' : 'not-included';
  if (payloadKeys === 'included') await fs.copyFile(keysFile, path.join(to, 'payload-keys.json'));

  const manifest: BackupManifest = {
    format: BACKUP_FORMAT,
    createdAt: new Date().toISOString(),
    versions: { ...options.versions, node: process.version },
    postgres,
    temporal,
    payloadKeys,
    checksums: await checksumTree(to),
  };
  await fs.writeFile(path.join(to, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });
  log(`backup written to ${to} (${Object.keys(manifest.checksums).length} files)`);
  return manifest;
}

export interface RestoreOptions {
  from: string;
  dataDir: string;
  /** Where the database goes when it is not the embedded cluster (DATABASE_URL). */
  databaseUrl?: string;
  force?: boolean;
  log: Log;
}

/** Checks the manifest's checksums, then lays the backup into an empty data folder (or, with force, over one). */
export async function restoreBackup(options: RestoreOptions): Promise<BackupManifest> {
  const { from, dataDir, log } = options;
  const manifest = await verifyBackup(from);
  const existing = existsSync(dataDir) ? await fs.readdir(dataDir) : [];
  if (existing.length > 0 && !options.force) {
    throw new BackupError(`${dataDir} is not empty (${existing.slice(0, 5).join(', ')}): restore into an empty data folder, or pass --force to replace it`);
  }
  if (existsSync(path.join(dataDir, 'postgres', 'postmaster.pid'))) {
    throw new BackupError(`${path.join(dataDir, 'postgres')} has a postmaster.pid: stop the PostgreSQL running on it first (or remove a stale file)`);
  }
  for (const name of ['postgres', 'files', 'temporal.sqlite', 'temporal.sqlite-wal', 'temporal.sqlite-shm', 'payload-keys.json']) {
    await fs.rm(path.join(dataDir, name), { recursive: true, force: true });
  }
  await fs.mkdir(dataDir, { recursive: true });

  if (manifest.temporal.method !== 'not-included') await fs.copyFile(path.join(from, 'temporal.sqlite'), path.join(dataDir, 'temporal.sqlite'));
  await copyTree(path.join(from, 'files'), path.join(dataDir, 'files'));
  if (manifest.payloadKeys === 'included') {
    await fs.copyFile(path.join(from, 'payload-keys.json'), path.join(dataDir, 'payload-keys.json'));
    await fs.chmod(path.join(dataDir, 'payload-keys.json'), 0o600);
  }
  if (manifest.postgres.method === 'base-backup') {
    if (options.databaseUrl) throw new BackupError('this backup holds the embedded cluster: restore it without DATABASE_URL');
    const clusterDir = path.join(dataDir, 'postgres');
    await copyTree(path.join(from, 'postgres'), clusterDir);
    await fs.chmod(clusterDir, 0o700); // PostgreSQL refuses a data folder others can read
    log('PostgreSQL base backup laid out: the cluster replays its WAL on its next start');
  } else {
    if (!options.databaseUrl) throw new BackupError('this backup is a pg_dump: set DATABASE_URL to the (empty) database to restore it into');
    await restoreDump(path.join(from, 'postgres.dump'), options.databaseUrl, options.force ?? false, log);
  }
  log(`restored ${from} into ${dataDir}`);
  return manifest;
}

/** Reads the manifest and checks every file against it: a backup that was changed or cut short is refused. */
export async function verifyBackup(from: string): Promise<BackupManifest> {
  const manifestFile = path.join(from, 'manifest.json');
  if (!existsSync(manifestFile)) throw new BackupError(`${from} holds no manifest.json: not a backup made by \`evk backup\``);
  const manifest = JSON.parse(await fs.readFile(manifestFile, 'utf8')) as BackupManifest;
  if (manifest.format !== BACKUP_FORMAT) throw new BackupError(`backup format ${String(manifest.format)} is not ${String(BACKUP_FORMAT)}`);
  const actual = await checksumTree(from);
  delete actual['manifest.json'];
  const problems: string[] = [];
  for (const [file, expected] of Object.entries(manifest.checksums)) {
    if (!actual[file]) problems.push(`${file} is missing`);
    else if (actual[file].sha256 !== expected.sha256) problems.push(`${file} differs`);
  }
  for (const file of Object.keys(actual)) if (!manifest.checksums[file]) problems.push(`${file} is not in the manifest`);
  if (problems.length > 0) throw new BackupError(`the backup in ${from} does not match its manifest: ${problems.slice(0, 5).join('; ')}`);
  return manifest;
}

// ------------------------------------------------------------------------------------- Temporal

async function backupTemporal(source: string, target: string, devPort: number, log: Log): Promise<BackupManifest['temporal']> {
  if (!existsSync(source)) {
    log('no Temporal dev server state in the data folder (TEMPORAL_ADDRESS): back up the cluster’s persistence database apart');
    return { method: 'not-included', note: 'Temporal runs elsewhere (TEMPORAL_ADDRESS); its persistence database is backed up apart' };
  }
  const sqlite3 = await findOnPath('sqlite3');
  if (sqlite3) {
    // SQLite's online backup API: a consistent image even while the dev server writes (WAL mode).
    await execFileAsync(sqlite3, [source, '.timeout 10000', `.backup '${target.replace(/'/g, "''")}'`]);
    const { stdout } = await execFileAsync(sqlite3, [target, 'PRAGMA integrity_check;']);
    if (stdout.trim() !== 'ok') throw new BackupError(`the Temporal state copy failed its integrity check: ${stdout.trim()}`);
    log('Temporal dev server state copied (SQLite online backup)');
    return { method: 'sqlite-online-backup' };
  }
  if (await portOpen(`127.0.0.1:${devPort}`)) {
    throw new BackupError(
      `a Temporal dev server is running on port ${devPort} and the sqlite3 CLI (SQLite's online backup) is not installed: ` +
        'install it (apt-get install sqlite3) or stop `evk dev` for the backup',
    );
  }
  // No writer: the file and its write-ahead log together are the database.
  await fs.copyFile(source, target);
  for (const suffix of ['-wal']) if (existsSync(source + suffix)) await fs.copyFile(source + suffix, target + suffix);
  log('Temporal dev server state copied (server stopped)');
  return { method: 'copy-while-stopped' };
}

async function portOpen(address: string): Promise<boolean> {
  const match = /^(.+):(\d+)$/.exec(address);
  if (!match) return false;
  return new Promise((resolve) => {
    const socket = net.connect({ host: match[1], port: Number(match[2]) });
    socket.setTimeout(1_000);
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
  });
}

// ----------------------------------------------------------------------------------- PostgreSQL

/** Runtime folders a base backup leaves out (PostgreSQL's "Making a Base Backup Using the Low Level API"). */
const CLUSTER_SKIP = new Set([
  'postmaster.pid',
  'postmaster.opts',
  'pg_wal',
  'pg_replslot',
  'pg_dynshmem',
  'pg_notify',
  'pg_serial',
  'pg_snapshots',
  'pg_stat_tmp',
  'pg_subtrans',
]);

async function baseBackup(source: { url: string; clusterDir: string }, target: string, log: Log): Promise<BackupManifest['postgres']> {
  const client = new pg.Client({ connectionString: source.url });
  await client.connect();
  try {
    const serverVersion = (await client.query<{ server_version: string }>('SHOW server_version')).rows[0].server_version;
    // Non-exclusive backup: this session must stay open until pg_backup_stop. `true`: checkpoint now.
    await client.query("SELECT pg_backup_start('evk backup', true)");
    let label: { labelfile: string; spcmapfile: string | null };
    try {
      await copyTree(source.clusterDir, target, (name, depth) => !(depth === 0 && CLUSTER_SKIP.has(name)));
    } finally {
      label = (await client.query<{ labelfile: string; spcmapfile: string | null }>('SELECT labelfile, spcmapfile FROM pg_backup_stop(false)')).rows[0];
    }
    // The WAL written from the start to the stop of the backup makes the copied pages consistent.
    for (const dir of ['pg_replslot', 'pg_dynshmem', 'pg_notify', 'pg_serial', 'pg_snapshots', 'pg_stat_tmp', 'pg_subtrans', 'pg_wal/archive_status']) {
      await fs.mkdir(path.join(target, dir), { recursive: true, mode: 0o700 });
    }
    await copyTree(path.join(source.clusterDir, 'pg_wal'), path.join(target, 'pg_wal'), (name, depth) => depth === 0 && /^[0-9A-F]{24}$/.test(name));
    await fs.writeFile(path.join(target, 'backup_label'), label.labelfile);
    if (label.spcmapfile) await fs.writeFile(path.join(target, 'tablespace_map'), label.spcmapfile);
    log(`PostgreSQL ${serverVersion} base backup taken`);
    return { method: 'base-backup', serverVersion };
  } finally {
    await client.end();
  }
}

async function dump(url: string, target: string, log: Log): Promise<BackupManifest['postgres']> {
  const pgDump = await findOnPath('pg_dump');
  if (!pgDump) throw new BackupError('pg_dump is not on PATH (install the PostgreSQL client of the server’s major version)');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const serverVersion = (await client.query<{ server_version: string }>('SHOW server_version')).rows[0].server_version;
  await client.end();
  // One transaction snapshot for the whole database; the URL goes by environment, never on a command line.
  await execFileAsync(pgDump, ['--format=custom', '--no-owner', `--file=${target}`], { env: { ...process.env, ...pgEnvironment(url) } });
  log(`PostgreSQL ${serverVersion} dumped`);
  return { method: 'pg_dump', serverVersion };
}

async function restoreDump(file: string, url: string, force: boolean, log: Log): Promise<void> {
  const pgRestore = await findOnPath('pg_restore');
  if (!pgRestore) throw new BackupError('pg_restore is not on PATH');
  const args = ['--no-owner', '--exit-on-error', `--dbname=${new URL(url).pathname.slice(1)}`];
  if (force) args.push('--clean', '--if-exists');
  await execFileAsync(pgRestore, [...args, file], { env: { ...process.env, ...pgEnvironment(url) } });
  log('PostgreSQL dump restored');
}

function pgEnvironment(url: string): Record<string, string> {
  const u = new URL(url);
  return {
    PGHOST: u.hostname,
    PGPORT: u.port || '5432',
    PGUSER: decodeURIComponent(u.username),
    PGPASSWORD: decodeURIComponent(u.password),
    PGDATABASE: decodeURIComponent(u.pathname.slice(1)),
  };
}

// ---------------------------------------------------------------------------------------- files

/** Copies a folder; a file that disappears while it is copied (a running server's temporary file) is skipped. */
async function copyTree(source: string, target: string, keep: (name: string, depth: number) => boolean = () => true, depth = 0): Promise<void> {
  await fs.mkdir(target, { recursive: true, mode: 0o700 });
  const entries = await fs.readdir(source, { withFileTypes: true }).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return [];
    throw err;
  });
  for (const entry of entries) {
    if (!keep(entry.name, depth)) continue;
    const from = path.join(source, entry.name);
    const to = path.join(target, entry.name);
    if (entry.isDirectory()) await copyTree(from, to, keep, depth + 1);
    else if (entry.isFile()) {
      await fs.copyFile(from, to).catch((err: NodeJS.ErrnoException) => {
        if (err.code !== 'ENOENT') throw err;
      });
    }
  }
}

async function checksumTree(root: string, prefix = ''): Promise<BackupManifest['checksums']> {
  const result: BackupManifest['checksums'] = {};
  for (const entry of await fs.readdir(path.join(root, prefix), { withFileTypes: true })) {
    const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) Object.assign(result, await checksumTree(root, relative));
    else if (entry.isFile()) {
      const file = path.join(root, relative);
      const hash = createHash('sha256');
      for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
      result[relative] = { sha256: hash.digest('hex'), bytes: (await fs.stat(file)).size };
    }
  }
  return result;
}
