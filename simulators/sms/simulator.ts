/**
 * SMS gateway SIMULATOR — a stand-in for the SMS provider that delivers the notifications of R4.2
 * and the applicant's login and password of R4.3.1. Not the real service: nothing reaches a phone;
 * the "sent" messages are kept in memory (the last 500) and shown on a page.
 *
 * Wire protocol (what HttpSmsGateway calls; simulated latency/failures apply):
 *   POST /api/v1/messages   headers X-API-Key, Idempotency-Key? (= reference when both are given)
 *        { to, text, sender?, reference? }
 *        202 { messageId, status: "accepted", to, parts, duplicate: false, acceptedAt }
 *        200 the first answer again, duplicate: true, when the key was seen, even before a restart (not sent twice)
 *        409 IDEMPOTENCY_KEY_REUSED when the key was seen with another number or text
 *        400 INVALID_PHONE | INVALID_TEXT | TEXT_TOO_LONG | INVALID_REQUEST, 401 UNAUTHORIZED,
 *        503 SERVICE_UNAVAILABLE (simulated failure; rate set by `failureRate`, default 0.05)
 *
 * The tester's side (no latency, no failures, no API key):
 *   GET    /                          HTML: the "sent" SMS, newest first (+ link to the mail catcher)
 *   GET    /simulator/api/messages?to=   { messages: [...] } newest first
 *   DELETE /simulator/api/messages    forget every message
 *   GET    /health
 *
 * Runs with the others under `npx tsx bin/evk.ts simulators` (and in `npm start`).
 */
import { createHash, randomUUID } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import express, { type Express, type Request, type Response } from 'express';
import {
  escapeHtml,
  jsonErrorHandler,
  jsonNotFound,
  listenOnLoopback,
  sendJsonError,
  simulatedConditions,
  simulatorHeader,
  simulatorPage,
  type RunningSimulator,
  type SimulatedConditions,
} from '../http';
import { E164_PATTERN, MAX_SMS_TEXT_LENGTH, SMS_GATEWAY_API, type SmsAccepted } from '../../integrations/sms/adapter';

export const SMS_SIMULATOR_NAME = 'SMS gateway SIMULATOR';
const SIMULATOR_NOTE = 'SMS gateway SIMULATOR — not the real service; nothing reaches a phone';
export const DEFAULT_SMS_SIMULATOR_API_KEY = 'dev-only-sms-api-key';
/** Slower than the registry: a real gateway queues the message with the operator before it answers. */
export const DEFAULT_SMS_LATENCY_MS: [number, number] = [100, 600];
const DEFAULT_MAX_MESSAGES = 500;

export interface SmsSimulatorOptions extends SimulatedConditions {
  /** The API key callers must send in X-API-Key; default "dev-only-sms-api-key". */
  apiKey?: string;
  /** How many messages are kept (oldest forgotten first); default 500. */
  maxMessages?: number;
  /** The development mail catcher's page, linked from this simulator's page. */
  mailCatcherUrl?: string;
  /** Clock, for tests. */
  now?: () => Date;
  /**
   * Where the idempotency keys seen are kept across restarts (a JSON-lines file, created if
   * missing); without it they are kept in memory for the process's life.
   */
  stateFile?: string;
}

export interface SimulatedSms {
  messageId: string;
  to: string;
  text: string;
  sender: string;
  reference?: string;
  encoding: 'GSM-7' | 'UCS-2';
  parts: number;
  acceptedAt: string;
}

export interface RunningSmsSimulator extends RunningSimulator {
  /** The SMS "sent" so far, newest first. */
  messages(): SimulatedSms[];
  clear(): void;
}

const GSM7_BASIC = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);
const GSM7_EXTENSION = new Set('^{}\\[~]|€');

/** How an SMS is billed: GSM-7 (160 / 153 per part) or, with any other letter (ə, ş, ğ, ı …), UCS-2 (70 / 67). */
export function smsSegments(text: string): { encoding: 'GSM-7' | 'UCS-2'; parts: number } {
  let septets = 0;
  let gsm = true;
  for (const ch of text) {
    if (GSM7_BASIC.has(ch)) septets += 1;
    else if (GSM7_EXTENSION.has(ch)) septets += 2;
    else {
      gsm = false;
      break;
    }
  }
  if (gsm) return { encoding: 'GSM-7', parts: septets <= 160 ? 1 : Math.ceil(septets / 153) };
  const units = text.length; // UTF-16 code units
  return { encoding: 'UCS-2', parts: units <= 70 ? 1 : Math.ceil(units / 67) };
}

/** What the simulator keeps of a key it accepted: enough to answer a repeat as the first time. */
interface SeenKey {
  key: string;
  messageId: string;
  parts: number;
  acceptedAt: string;
  /** sha256 of the number and the text (not the number or text themselves), to tell a repeat from a reuse. */
  fingerprint: string;
}

export function smsFingerprint(to: string, text: string): string {
  return createHash('sha256').update(`${to}\n${text}`).digest('hex').slice(0, 32);
}

/**
 * The idempotency keys seen, kept for good (issue 10 item 3): in memory, and — with `stateFile` —
 * appended to that file (one JSON line per key) BEFORE the gateway answers, and read back at start,
 * so a restarted simulator still recognises a repeat. The file holds no number and no text.
 */
function createKeyStore(stateFile: string | undefined) {
  const keys = new Map<string, SeenKey>();
  if (stateFile) {
    mkdirSync(path.dirname(stateFile), { recursive: true });
    if (existsSync(stateFile)) {
      for (const line of readFileSync(stateFile, 'utf8').split('\n')) {
        if (!line.trim()) continue;
        try {
          const seen = JSON.parse(line) as SeenKey;
          if (typeof seen.key === 'string' && typeof seen.messageId === 'string') keys.set(seen.key, seen);
        } catch {
          // A line torn by a kill mid-write: its answer never left, so the sender retries and the key is taken anew.
        }
      }
    }
  }
  return {
    get: (key: string) => keys.get(key),
    remember(seen: SeenKey) {
      keys.set(seen.key, seen);
      if (stateFile) appendFileSync(stateFile, `${JSON.stringify(seen)}\n`);
    },
    size: () => keys.size,
  };
}

function createStore(maxMessages: number, stateFile?: string) {
  const messages: SimulatedSms[] = []; // oldest first, for the page and the tester's API only
  const keys = createKeyStore(stateFile);
  return {
    add(message: SimulatedSms) {
      messages.push(message);
      while (messages.length > maxMessages) messages.shift();
    },
    keys,
    newestFirst: () => [...messages].reverse().map((m) => ({ ...m })),
    /** Forgets the messages listed; the keys seen stay (a repeat is still recognised). */
    clear() {
      messages.length = 0;
    },
  };
}
type SmsStore = ReturnType<typeof createStore>;

function accepted(message: Pick<SimulatedSms, 'messageId' | 'parts' | 'acceptedAt'>, to: string, duplicate: boolean): SmsAccepted & { simulator: string } {
  return {
    messageId: message.messageId,
    status: 'accepted',
    to,
    parts: message.parts,
    duplicate,
    acceptedAt: message.acceptedAt,
    simulator: SIMULATOR_NOTE,
  };
}

export function createSmsSimulatorApp(
  options: SmsSimulatorOptions = {},
  store: SmsStore = createStore(options.maxMessages ?? DEFAULT_MAX_MESSAGES, options.stateFile),
): Express {
  const apiKey = options.apiKey ?? DEFAULT_SMS_SIMULATOR_API_KEY;
  const now = options.now ?? (() => new Date());
  const app = express();
  app.disable('x-powered-by');
  app.use(simulatorHeader('SMS gateway'));
  const provider = simulatedConditions(SMS_SIMULATOR_NAME, { latencyMs: DEFAULT_SMS_LATENCY_MS, ...options }, { failureRate: 0.05 });

  const requireApiKey = (req: Request, res: Response, next: () => void) => {
    if (req.get(SMS_GATEWAY_API.apiKeyHeader) !== apiKey) {
      sendJsonError(res, 401, 'UNAUTHORIZED', `${SMS_SIMULATOR_NAME}: missing or wrong ${SMS_GATEWAY_API.apiKeyHeader} header`);
      return;
    }
    next();
  };

  app.get('/health', (_req, res) => {
    res.json({ status: 'ok', simulator: SIMULATOR_NOTE });
  });

  app.post(SMS_GATEWAY_API.messages, requireApiKey, express.json({ limit: '32kb' }), provider, (req: Request, res: Response) => {
    const body = (req.body ?? {}) as { to?: unknown; text?: unknown; sender?: unknown; reference?: unknown };
    if (typeof body.to !== 'string' || !E164_PATTERN.test(body.to)) {
      sendJsonError(res, 400, 'INVALID_PHONE', `${SMS_SIMULATOR_NAME}: "to" must be an international number such as +994501234567`);
      return;
    }
    if (typeof body.text !== 'string' || body.text.trim() === '') {
      sendJsonError(res, 400, 'INVALID_TEXT', `${SMS_SIMULATOR_NAME}: "text" must be a non-empty string`);
      return;
    }
    if (body.text.length > MAX_SMS_TEXT_LENGTH) {
      sendJsonError(res, 400, 'TEXT_TOO_LONG', `${SMS_SIMULATOR_NAME}: "text" is longer than ${MAX_SMS_TEXT_LENGTH} characters`);
      return;
    }
    if (body.reference !== undefined && (typeof body.reference !== 'string' || body.reference.length === 0 || body.reference.length > 200)) {
      sendJsonError(res, 400, 'INVALID_REQUEST', `${SMS_SIMULATOR_NAME}: "reference" must be a string of 1 to 200 characters`);
      return;
    }
    const header = req.get(SMS_GATEWAY_API.idempotencyKeyHeader);
    if (header !== undefined && (header.length === 0 || header.length > 200 || (body.reference !== undefined && body.reference !== header))) {
      sendJsonError(
        res,
        400,
        'INVALID_REQUEST',
        `${SMS_SIMULATOR_NAME}: the ${SMS_GATEWAY_API.idempotencyKeyHeader} header must be 1 to 200 characters and agree with "reference"`,
      );
      return;
    }
    const key = header ?? body.reference;
    const fingerprint = smsFingerprint(body.to, body.text);
    if (key) {
      const earlier = store.keys.get(key);
      if (earlier && earlier.fingerprint !== fingerprint) {
        sendJsonError(res, 409, 'IDEMPOTENCY_KEY_REUSED', `${SMS_SIMULATOR_NAME}: this idempotency key was used for another message`);
        return;
      }
      if (earlier) {
        res.status(200).json(accepted(earlier, body.to, true));
        return;
      }
    }
    const message: SimulatedSms = {
      messageId: `sim-sms-${randomUUID()}`,
      to: body.to,
      text: body.text,
      sender: typeof body.sender === 'string' && body.sender ? body.sender.slice(0, 11) : 'EVK',
      ...(key ? { reference: key } : {}),
      ...smsSegments(body.text),
      acceptedAt: now().toISOString(),
    };
    // The key is on disk before the answer leaves: a crash after this line answers the repeat as a duplicate.
    if (key) store.keys.remember({ key, messageId: message.messageId, parts: message.parts, acceptedAt: message.acceptedAt, fingerprint });
    store.add(message);
    res.status(202).json(accepted(message, body.to, false));
  });

  app.get('/simulator/api/messages', (req, res) => {
    const to = typeof req.query.to === 'string' ? req.query.to : undefined;
    const messages = store.newestFirst().filter((m) => !to || m.to === to);
    res.json({ messages, simulator: SIMULATOR_NOTE });
  });

  app.delete('/simulator/api/messages', (_req, res) => {
    store.clear();
    res.status(204).end();
  });

  app.get('/', (_req, res) => {
    const messages = store.newestFirst();
    const rows = messages
      .map(
        (m) =>
          `<tr><td>${escapeHtml(m.acceptedAt.replace('T', ' ').slice(0, 19))}</td><td><code>${escapeHtml(m.to)}</code></td><td style="white-space: pre-wrap">${escapeHtml(m.text)}</td><td>${m.parts} · ${m.encoding}</td><td class="muted">${escapeHtml(m.sender)}<br>${escapeHtml(m.reference ?? '')}</td></tr>`,
      )
      .join('\n');
    const mailLink = options.mailCatcherUrl
      ? `<p>Göndərilən e-poçtlar / e-mails sent: <a href="${escapeHtml(options.mailCatcherUrl)}">inkişaf poçt tutucusu / development mail catcher</a></p>`
      : '';
    const body = `<h1>SMS şlüzü — göndərilən mesajlar / SMS gateway — messages "sent"</h1>
<p class="muted">Kabinetin göndərdiyi SMS-lər heç bir telefona çatmır, burada göstərilir (son ${options.maxMessages ?? DEFAULT_MAX_MESSAGES}).<br>
The SMS the cabinet sends reach no phone; they are listed here, newest first. JSON: <code>GET /simulator/api/messages</code>.</p>
${mailLink}
<table><thead><tr><th>Vaxt / time (UTC)</th><th>Kimə / to</th><th>Mətn / text</th><th>Hissə / parts</th><th>Göndərən, istinad / sender, reference</th></tr></thead><tbody>
${rows || '<tr><td colspan="5" class="muted">Hələ SMS yoxdur / no SMS yet</td></tr>'}
</tbody></table>`;
    res
      .type('html')
      .send(simulatorPage({ title: 'SMS şlüzü', serviceName: 'SMS gateway / SMS şlüzü', body, script: 'setTimeout(() => location.reload(), 5000);' }));
  });

  app.use(jsonNotFound(SMS_SIMULATOR_NAME));
  app.use(jsonErrorHandler(SMS_SIMULATOR_NAME));
  return app;
}

/** Starts the simulator on the listen host, 127.0.0.1 by default (`port` 0 = any free port). */
export async function startSmsSimulator(port: number, options: SmsSimulatorOptions = {}): Promise<RunningSmsSimulator> {
  const store = createStore(options.maxMessages ?? DEFAULT_MAX_MESSAGES, options.stateFile);
  const running = await listenOnLoopback(createSmsSimulatorApp(options, store), port);
  return { ...running, messages: () => store.newestFirst(), clear: () => store.clear() };
}
