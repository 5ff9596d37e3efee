/**
 * Structured logs (pino) at LOG_LEVEL (platform/config.ts). Personal data and secrets are never
 * logged (issue 9 item 5, ASVS 16.2.5): requests are logged as method, path (its query values and
 * any path segment that looks like a FIN, VÖEN, phone or e-mail replaced by `[redacted]`), status,
 * time and request ID — never their headers — and pino's `redact` blanks cookies, authorization,
 * CSRF tokens and passwords wherever else they might be handed to the logger.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import pino, { type DestinationStream, type Logger } from 'pino';
import { currentConfig } from './config';

export type { Logger };

export interface Closable {
  close(): Promise<void>;
}

export const REDACTED = '[redacted]';

const SECRET_KEYS = ['password', 'currentPassword', 'newPassword', '_csrf', 'csrfToken', 'token', 'secret', 'secretAccessKey', 'cookie', 'authorization'];
const SECRET_HEADERS = ['cookie', 'set-cookie', 'authorization', 'x-csrf-token', 'proxy-authorization'];

/** What pino blanks wherever it appears, up to three levels down (`{ body: { password } }`, `{ req: { headers: { cookie } } }`). */
export const REDACT_PATHS: string[] = [
  ...SECRET_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`]),
  ...SECRET_HEADERS.flatMap((h) => [`headers["${h}"]`, `*.headers["${h}"]`, `*.*.headers["${h}"]`]),
];

/** Query parameters whose values are never personal (list filters by code, paging): kept in the logged URL. */
const PLAIN_QUERY_KEYS = new Set(['scope', 'archive', 'status', 'caseType', 'institutionId', 'page', 'pageSize', 'section', 'from', 'to', 'lang', 'version']);

/** A path segment that may be a person's identifier: a FIN, a VÖEN or phone number, an e-mail. */
function looksPersonal(segment: string): boolean {
  let s = segment;
  try {
    s = decodeURIComponent(segment);
  } catch {
    // logged as it came, checked as it came
  }
  if (s.includes('@')) return true;
  if (/^\+?\d[\d ]{8,15}$/.test(s)) return true; // phone, VÖEN
  return /^[0-9a-z]{7}$/i.test(s) && /\d/.test(s) && /[a-z]/i.test(s); // FIN
}

/** The personal calendar feed's token (`/api/calendar/feed/<token>.ics`, issue 12) is a key: never logged. */
const isFeedToken = (segments: string[], i: number) => segments[i - 1] === 'feed' && segments[i - 2] === 'calendar';

/** The URL as the log may keep it: `/api/contracts?name=[redacted]&scope=mine`, `/api/lookups/people/[redacted]`. */
export function scrubUrl(url: string | undefined): string {
  if (!url) return '';
  const q = url.indexOf('?');
  const pathPart = q < 0 ? url : url.slice(0, q);
  const path = pathPart
    .split('/')
    .map((segment, i, all) => (looksPersonal(segment) || isFeedToken(all, i) ? REDACTED : segment))
    .join('/');
  if (q < 0) return path;
  const query = url
    .slice(q + 1)
    .split('&')
    .filter((pair) => pair !== '')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const key = eq < 0 ? pair : pair.slice(0, eq);
      if (eq < 0) return key;
      return PLAIN_QUERY_KEYS.has(key) ? pair : `${key}=${REDACTED}`;
    })
    .join('&');
  return `${path}?${query}`;
}

/** pino-http's serializers (they receive pino's request and response objects): only what an operator needs. */
export const httpLogSerializers = {
  req: (req: { id?: unknown; method?: string; url?: string }) => ({ id: req.id, method: req.method, url: scrubUrl(req.url) }),
  res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
  err: errorForLog,
};

/** Fields of a database or HTTP error that quote the values involved (`Key (phone)=(+994…) already exists`). */
const ERROR_FIELDS_WITH_VALUES = ['detail', 'where', 'parameters', 'bindings', 'body', 'config', 'request', 'response'];

/** An error as pino serializes it, without the fields that quote personal data. */
export function errorForLog(err: unknown): unknown {
  // An Error is serialized first; pino-http hands in what pino's serializer already made of it.
  const serialized: unknown = err instanceof Error ? pino.stdSerializers.err(err) : err;
  if (!serialized || typeof serialized !== 'object') return serialized;
  const copy = { ...(serialized as Record<string, unknown>) };
  for (const field of ERROR_FIELDS_WITH_VALUES) delete copy[field];
  return copy;
}

/**
 * What every log line written while a piece of work runs carries (issue 10 item 8): the contract's ID,
 * so one contract's story can be followed across the web and worker processes. Only identifiers of our
 * own (`2026-000123`), never personal data.
 */
export interface LogContext {
  contractId?: string;
}
const logContext = new AsyncLocalStorage<LogContext>();

/** Runs `work` with `context` on every line logged inside it (API requests, activities). */
export function withLogContext<T>(context: LogContext, work: () => T): T {
  return logContext.run({ ...logContext.getStore(), ...context }, work);
}

/** The contract a request is about, from its path (`/api/contracts/:id/…`, `/contracts/:id/…`); not `new`. */
export function contractIdOfPath(path: string): string | undefined {
  const m = /^\/(?:api\/)?contracts\/([^/?#]+)/.exec(path);
  const id = m?.[1];
  return id && id !== 'new' && /^[0-9A-Za-z-]{1,40}$/.test(id) ? id : undefined;
}

/** The contract of an activity's workflow (`contract-<id>`), or undefined for another workflow. */
export function contractIdOfWorkflowId(workflowId: string): string | undefined {
  return workflowId.startsWith('contract-') ? workflowId.slice('contract-'.length) : undefined;
}

/**
 * A logger named for its process. `stream` sends the lines elsewhere than stdout (the log test
 * reads them back).
 */
export function createLogger(name: string, level: string = currentConfig().logLevel, stream?: DestinationStream): Logger {
  const options = {
    name,
    level,
    redact: { paths: REDACT_PATHS, censor: REDACTED },
    serializers: { err: errorForLog },
    mixin: () => ({ ...logContext.getStore() }),
  };
  return stream ? pino(options, stream) : pino(options);
}
