/**
 * Issue 9 item 2: production never starts on public defaults. With NODE_ENV=production, `worker`
 * and `web` refuse to start while a secret is unset, one of the repository's published defaults, or
 * too short, naming each in one message; docker-compose.yml requires the secrets instead of
 * defaulting them.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { TEMPORAL_DYNAMIC_CONFIG } from '../../platform/dev/temporal-dev-server';
import { assertProductionReady, CONFIG_VARIABLES, KNOWN_PUBLIC_SECRETS, PRODUCTION_SECRETS, productionProblems } from '../../platform/config';

const ROOT = path.resolve(__dirname, '../..');
const SECRETS = Object.keys(PRODUCTION_SECRETS);
const READY = {
  NODE_ENV: 'production',
  DATABASE_URL: 'postgres://evk:x@db.internal:5432/evk',
  TEMPORAL_ADDRESS: 'temporal.internal:7233',
  EVK_PUBLIC_URL: 'https://kabinet.example.az',
  EVK_SESSION_SECRET: 'Jd0r1oVv3jv8m0D0s3s0n+s3cr3t/long3nough=',
  EVK_PAYMENT_AGENT_SECRET: 'agent-issued-4f9a1c77b2e0',
  EVK_SMS_API_KEY: 'sms-key-8c1d2e3f4a5b6c7d',
  EVK_PAYLOAD_KEYS: 'k1:2cH8V0c9mV3m8q1yq0mJm6b0b9m3mZVb0k1xk0Zb3xQ=',
};

describe('production refuses public defaults (issue 9 item 2)', () => {
  it('names every missing secret and service at once', () => {
    const problems = productionProblems({ NODE_ENV: 'production' });
    for (const name of [...SECRETS, 'DATABASE_URL', 'TEMPORAL_ADDRESS', 'EVK_PUBLIC_URL', 'EVK_PAYLOAD_KEYS'])
      expect(problems.join('\n'), name).toContain(`${name} is not set`);
    expect(() => assertProductionReady({ NODE_ENV: 'production' })).toThrow(/EVK_SESSION_SECRET.*EVK_PAYMENT_AGENT_SECRET.*EVK_SMS_API_KEY/);
  });

  it("refuses each variable's published default, the old compose default, and a short value", () => {
    const defaults = Object.fromEntries(SECRETS.map((name) => [name, CONFIG_VARIABLES[name as keyof typeof CONFIG_VARIABLES].default]));
    expect(productionProblems({ ...READY, ...defaults })).toEqual(SECRETS.map((name) => `${name} is a published default`));
    expect(KNOWN_PUBLIC_SECRETS).toContain('change-me-outside-development');
    expect(productionProblems({ ...READY, EVK_SESSION_SECRET: 'Change-Me-Outside-Development' })).toEqual(['EVK_SESSION_SECRET is a published default']);
    expect(productionProblems({ ...READY, EVK_SESSION_SECRET: 'x'.repeat(31), EVK_SMS_API_KEY: 'k'.repeat(15) })).toEqual([
      'EVK_SESSION_SECRET is shorter than 32 characters',
      'EVK_SMS_API_KEY is shorter than 16 characters',
    ]);
  });

  it('starts when every secret is set; development needs none', () => {
    expect(productionProblems(READY)).toEqual([]);
    expect(() => assertProductionReady(READY)).not.toThrow();
    expect(productionProblems({})).toEqual([]);
    expect(productionProblems({ NODE_ENV: 'development' })).toEqual([]);
  });

  it('`tsx bin/evk.ts web` and `worker` with NODE_ENV=production on the defaults exit non-zero, naming each variable, without a stack trace', async () => {
    const env = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'production',
      EVK_SESSION_SECRET: 'dev-only-session-secret-change-me',
      EVK_PAYMENT_AGENT_SECRET: 'dev-only-payment-agent-secret',
    };
    const runs = ['web', 'worker', 'codec-server'].map(async (command) => {
      const run = promisify(execFile)(path.join(ROOT, 'node_modules/.bin/tsx'), ['bin/evk.ts', command], { cwd: ROOT, env, timeout: 30_000 });
      return {
        command,
        failure: await run.then(
          () => undefined,
          (err: { code?: number; stderr?: string }) => err,
        ),
      };
    });
    for (const { command, failure } of await Promise.all(runs)) {
      expect(failure, command).toBeDefined();
      expect(failure!.code, command).not.toBe(0);
      const stderr = failure!.stderr ?? '';
      expect(stderr).toContain('EVK_SESSION_SECRET is a published default');
      expect(stderr).toContain('EVK_PAYMENT_AGENT_SECRET is a published default');
      expect(stderr).toContain('EVK_SMS_API_KEY is not set');
      expect(stderr).toContain('DATABASE_URL is not set');
      expect(stderr).toContain('EVK_PAYLOAD_KEYS is not set');
      expect(stderr).not.toMatch(/^\s+at /m);
    }
  }, 60_000);
});

/** `${VAR:?message}` and `${VAR:-default}` as docker compose interpolates them. */
function interpolate(value: string, env: Record<string, string | undefined>): string {
  return value.replace(/\$\{(\w+)(?::([?-])([^}]*))?\}/g, (_m, name: string, op?: string, arg?: string) => {
    const set = env[name];
    if (set !== undefined && set !== '') return set;
    if (op === '?') throw new Error(`required variable ${name} is missing a value: ${arg}`);
    return op === '-' ? (arg ?? '') : '';
  });
}

function interpolateAll(node: unknown, env: Record<string, string | undefined>): unknown {
  if (typeof node === 'string') return interpolate(node, env);
  if (Array.isArray(node)) return node.map((n) => interpolateAll(n, env));
  if (node && typeof node === 'object') return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, interpolateAll(v, env)]));
  return node;
}

describe('docker-compose.yml requires the secrets (issue 9 item 2)', () => {
  const text = readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8');
  const compose = parse(text, { merge: true }) as { services: Record<string, { environment?: Record<string, string> }> };
  // The object store's key too (issue 14): compose runs the store and hands its key to the application.
  const secrets = ['POSTGRES_PASSWORD', ...SECRETS, 'EVK_PAYLOAD_KEYS', 'EVK_S3_SECRET_ACCESS_KEY'];

  it('never defaults a secret: each is ${VAR:?…}', () => {
    for (const name of secrets) {
      expect(text, name).toMatch(new RegExp(`\\$\\{${name}:\\?[^}]+\\}`));
      expect(text, name).not.toMatch(new RegExp(`\\$\\{${name}:?-`));
    }
    for (const service of ['web', 'worker']) {
      expect(compose.services[service].environment?.NODE_ENV, service).toBe('production');
      for (const name of SECRETS) expect(compose.services[service].environment?.[name], `${service} ${name}`).toMatch(new RegExp(`^\\$\\{${name}:\\?`));
    }
  });

  it('is refused while a secret is unset, naming it, and accepted once all are set', () => {
    for (const name of secrets) {
      const env = Object.fromEntries(secrets.map((n) => [n, n === name ? undefined : 'x'.repeat(40)]));
      expect(() => interpolateAll(compose, env), name).toThrow(new RegExp(`required variable ${name}`));
    }
    const env = Object.fromEntries(secrets.map((n) => [n, `value-of-${n}-0123456789abcdef0123456789`]));
    const resolved = interpolateAll(compose, env) as typeof compose;
    expect(resolved.services.web.environment?.EVK_SESSION_SECRET).toBe(env.EVK_SESSION_SECRET);
    expect(resolved.services.web.environment?.DATABASE_URL).toContain(env.POSTGRES_PASSWORD);
    // What compose hands the web container passes the process's own production check.
    expect(productionProblems(resolved.services.web.environment)).toEqual([]);
  });
});

describe("docker compose's Temporal gets the dev server's dynamic config (issue 14)", () => {
  it('mounts platform/temporal-dynamic-config.yaml, which holds exactly TEMPORAL_DYNAMIC_CONFIG', () => {
    const compose = parse(readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
      services: Record<string, { environment?: Record<string, string>; volumes?: string[] }>;
    };
    const temporal = compose.services.temporal;
    const file = 'platform/temporal-dynamic-config.yaml';
    const mount = temporal.volumes?.find((v) => v.startsWith(`./${file}:`));
    expect(mount, 'the volume').toBeDefined();
    // The image resolves the path from /etc/temporal.
    expect(`/etc/temporal/${temporal.environment?.DYNAMIC_CONFIG_FILE_PATH}`).toBe(mount!.split(':')[1]);
    const values = parse(readFileSync(path.join(ROOT, file), 'utf8')) as Record<string, { value: unknown }[]>;
    expect(Object.fromEntries(Object.entries(values).map(([key, [setting]]) => [key, setting.value]))).toEqual(TEMPORAL_DYNAMIC_CONFIG);
    expect(TEMPORAL_DYNAMIC_CONFIG['system.enableActivityEagerExecution']).toBe(true);
  });
});
