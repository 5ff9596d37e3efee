import { isExecutable } from './processes';

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
 * Path of the Chromium that prints documents: CHROMIUM_PATH when set, else a system browser.
 * Production never installs one; in development `platform/dev/chromium-install.ts` does.
 */
export async function findChromium(configuredPath: string | undefined): Promise<string | undefined> {
  if (configuredPath) {
    if (await isExecutable(configuredPath)) return configuredPath;
    throw new Error(`CHROMIUM_PATH is set to ${configuredPath}, which is not an executable file`);
  }
  for (const candidate of KNOWN_PATHS) {
    if (await isExecutable(candidate)) return candidate;
  }
  return undefined;
}

/** The Chromium to use, or an error that says how to get one. */
export async function requireChromium(configuredPath: string | undefined): Promise<string> {
  const found = await findChromium(configuredPath);
  if (found) return found;
  throw new Error(
    `No Chromium found (looked at ${KNOWN_PATHS.join(', ')}). Install it (Debian/Ubuntu: sudo apt-get install chromium), ` +
      'or set CHROMIUM_PATH to a Chromium or Chrome executable.',
  );
}
