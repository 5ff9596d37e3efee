import { spawn } from 'node:child_process';
import { findOnPath, isExecutable, pipeLines } from './processes';

type Log = (msg: string) => void;

/** Flags for headless printing in containers and CI: no sandbox (we run as root), no background traffic. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-dev-shm-usage',
  '--disable-sync',
];

const KNOWN_PATHS = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

/**
 * Path of the Chromium that prints documents: CHROMIUM_PATH when set, else a system browser,
 * else (as root on Debian/Ubuntu) Debian's chromium package installed with apt-get.
 */
export async function resolveChromium(log: Log, configuredPath: string | undefined = process.env.CHROMIUM_PATH || undefined): Promise<string> {
  if (configuredPath) {
    if (await isExecutable(configuredPath)) return configuredPath;
    throw new Error(`CHROMIUM_PATH is set to ${configuredPath}, which is not an executable file`);
  }
  for (const candidate of KNOWN_PATHS) {
    if (await isExecutable(candidate)) return candidate;
  }

  const aptGet = await findOnPath('apt-get');
  if (process.getuid?.() === 0 && aptGet) {
    log('No Chromium found: installing Debian\'s "chromium" package with apt-get (once)…');
    await runApt(aptGet, ['update'], log);
    await runApt(aptGet, ['install', '-y', 'chromium'], log);
    if (await isExecutable('/usr/bin/chromium')) return '/usr/bin/chromium';
    throw new Error('apt-get installed "chromium" but /usr/bin/chromium is still missing');
  }
  throw new Error(
    `No Chromium found (looked at ${KNOWN_PATHS.join(', ')}). Install it (Debian/Ubuntu: sudo apt-get install chromium), ` +
      'or set CHROMIUM_PATH to a Chromium or Chrome executable.',
  );
}

async function runApt(aptGet: string, args: string[], log: Log): Promise<void> {
  log(`  apt-get ${args.join(' ')}`);
  const child = spawn(aptGet, ['-q', ...args], {
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const recent: string[] = [];
  // apt prints hundreds of lines; show the packages being set up, warnings and errors.
  const onLine = (line: string) => {
    recent.push(line);
    if (recent.length > 30) recent.shift();
    if (/^(Setting up |E: |W: |Err:)/.test(line)) log(`    ${line}`);
  };
  pipeLines(child.stdout, onLine);
  pipeLines(child.stderr, onLine);
  const code = await new Promise<number | null>((resolve) => {
    child.once('error', () => resolve(null));
    child.once('close', (exitCode) => resolve(exitCode));
  });
  if (code !== 0) {
    throw new Error(`apt-get ${args.join(' ')} failed (exit code ${code}):\n${recent.map((l) => `  ${l}`).join('\n')}`);
  }
}



