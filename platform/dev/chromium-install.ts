import { spawn } from 'node:child_process';
import { findChromium, requireChromium } from '../chromium';
import { findOnPath, isExecutable, pipeLines } from '../processes';

type Log = (msg: string) => void;

/**
 * Development and tests: the Chromium to print with, installing Debian's chromium package with
 * apt-get (as root) when none is found.
 */
export async function ensureChromium(log: Log, configuredPath: string | undefined): Promise<string> {
  const found = await findChromium(configuredPath);
  if (found) return found;
  const aptGet = await findOnPath('apt-get');
  if (process.getuid?.() === 0 && aptGet) {
    log('No Chromium found: installing Debian\'s "chromium" package with apt-get (once)…');
    await runApt(aptGet, ['update'], log);
    await runApt(aptGet, ['install', '-y', 'chromium'], log);
    if (await isExecutable('/usr/bin/chromium')) return '/usr/bin/chromium';
    throw new Error('apt-get installed "chromium" but /usr/bin/chromium is still missing');
  }
  return requireChromium(configuredPath);
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
