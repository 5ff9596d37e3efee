import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIG_VARIABLES, loadConfig } from '../../platform/config';

describe('configuration from the environment (platform/config.ts)', () => {
  it('runs on its defaults with nothing set: the local simulators, loopback, port 3000', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      webPort: 3000,
      listenHost: '127.0.0.1',
      publicUrl: 'http://localhost:3000',
      callbackBaseUrl: 'http://localhost:3000',
      loginAttemptsPer10Min: 30,
      logLevel: 'info',
      temporalLogLevel: 'WARN',
      taskQueue: 'evk-contracts',
      mobileSignatureUrl: 'http://127.0.0.1:4101',
      mobileSignatureIsSimulator: true,
      smtpPort: 2525,
      smtpSecure: false,
    });
    expect(config.databaseUrl).toBeUndefined();
  });

  it('derives what depends on other variables, and treats an empty value as unset', () => {
    const config = loadConfig({
      PORT: '8080',
      EVK_MOBILE_SIGNATURE_URL: 'https://asan.example',
      EVK_SMTP_SECURE: 'yes',
      EVK_SMTP_PORT: '465',
      EVK_TASK_QUEUE: '',
    });
    expect(config).toMatchObject({
      publicUrl: 'http://localhost:8080',
      mobileSignatureIsSimulator: false,
      smtpSecure: true,
      smtpPort: 465,
      taskQueue: 'evk-contracts',
    });
  });

  it('refuses a bad number, a bad switch or a bad level, naming the variable', () => {
    expect(() => loadConfig({ PORT: 'abc' })).toThrow(/PORT must be a positive integer, got "abc"/);
    expect(() => loadConfig({ EVK_LOGIN_ATTEMPTS_PER_10_MIN: '-1' })).toThrow(/EVK_LOGIN_ATTEMPTS_PER_10_MIN/);
    expect(() => loadConfig({ EVK_SMTP_PORT: '0' })).toThrow(/EVK_SMTP_PORT/);
    expect(() => loadConfig({ EVK_SMTP_SECURE: 'maybe' })).toThrow(/EVK_SMTP_SECURE must be true or false/);
    expect(() => loadConfig({ LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL/);
  });

  it('docs/configuration.md lists every variable with its default', () => {
    const doc = readFileSync(path.resolve(__dirname, '../../docs/configuration.md'), 'utf8');
    for (const [name, variable] of Object.entries(CONFIG_VARIABLES)) {
      const row = doc.split('\n').find((line) => new RegExp(`^\\|\\s*\`${name}\`\\s*\\|`).test(line)); // table cells may be padded
      expect(row, name).toBeDefined();
      expect(row, name).toContain(variable.default);
    }
  });
});
