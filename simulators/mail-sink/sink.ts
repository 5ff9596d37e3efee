/**
 * Development mail sink — a stand-in for the Bar's mail relay, so that the e-mails of R4.2 and the
 * applicant's credentials of R4.3.1 can be read on a developer's machine. Not a mail server: it
 * accepts every message without authentication (on 127.0.0.1 unless EVK_LISTEN_HOST says otherwise),
 * delivers nothing, and keeps the last 500 messages in memory.
 *
 *   SMTP (smtpPort): plain SMTP, no AUTH, no STARTTLS; every sender and recipient is accepted.
 *   Web (webPort, optional) — the "development mail catcher":
 *     GET    /               HTML: the caught mails, newest first (subject, from, to, time, body)
 *     GET    /api/messages?to=   { messages: [...] } newest first
 *     DELETE /api/messages   forget every message
 *     GET    /health
 *
 * Runs with the others under `npx tsx bin/evk.ts simulators` (and in `npm start`).
 */
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import express, { type Express } from 'express';
import { SMTPServer } from 'smtp-server';
import { escapeHtml, jsonErrorHandler, jsonNotFound, listenHost, listenOnLoopback, simulatorHeader, simulatorPage, type RunningSimulator } from '../http';
import { type AddressObject, simpleParser } from 'mailparser';

export const MAIL_SINK_NAME = 'Development mail sink (SIMULATOR)';
const SIMULATOR_NOTE = 'Development mail sink — not a real mail server; nothing is delivered';
const DEFAULT_MAX_MESSAGES = 500;
const MAX_MESSAGE_BYTES = 5 * 1024 * 1024;

export interface CaughtMail {
  /** The sink's own id of the mail. */
  id: string;
  /** The Message-ID header, e.g. "<outbox-42@evk.local>". */
  messageId?: string;
  /** SMTP envelope. */
  envelopeFrom: string;
  envelopeTo: string[];
  /** Headers, decoded. */
  from: string;
  to: string;
  subject: string;
  /** Plain-text body, decoded (LF line ends). */
  text: string;
  receivedAt: string;
  size: number;
  /**
   * A mail with this Message-ID reached these recipients before (issue 10 item 3): SMTP cannot refuse
   * a copy our dispatcher sent again after a crash, but a mail store that de-duplicates by Message-ID
   * shows it once. The sink keeps the copy and marks it, so the repeats can be counted.
   */
  repeat: boolean;
}

export interface MailSinkOptions {
  /** SMTP port; 0 = any free port. */
  smtpPort: number;
  /** When given, also serve the mail catcher page on this port (0 = any free port). */
  webPort?: number;
  /** How many mails are kept (oldest forgotten first); default 500. */
  maxMessages?: number;
  /** The SMS simulator's page, linked from the mail catcher page. */
  smsSimulatorUrl?: string;
}

export interface RunningMailSink {
  /** The SMTP port actually listened on. */
  smtpPort: number;
  /** The mail catcher page, when a webPort was given. */
  url?: string;
  /** The caught mails, newest first. */
  messages(): CaughtMail[];
  clear(): void;
  /** Stops SMTP (dropping open connections) and the web page. */
  close(): Promise<void>;
}

function createStore(maxMessages: number) {
  const mails: CaughtMail[] = []; // oldest first
  const seen = new Set<string>(); // Message-ID and recipients of every mail caught, not only the listed ones
  return {
    add(caught: Omit<CaughtMail, 'repeat'>) {
      const key = caught.messageId ? `${caught.messageId} ${[...caught.envelopeTo].sort().join(',')}` : undefined;
      const mail: CaughtMail = { ...caught, repeat: key !== undefined && seen.has(key) };
      if (key) seen.add(key);
      mails.push(mail);
      if (mails.length > maxMessages) mails.splice(0, mails.length - maxMessages);
    },
    newestFirst: () => [...mails].reverse().map((m) => ({ ...m, envelopeTo: [...m.envelopeTo] })),
    clear: () => {
      mails.length = 0;
      seen.clear();
    },
  };
}
type MailStore = ReturnType<typeof createStore>;

export function createMailCatcherApp(store: MailStore, options: { maxMessages?: number; smsSimulatorUrl?: string } = {}): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(simulatorHeader('Mail sink'));

  app.get('/health', (_req, res) => {
    res.json({ status: 'ok', simulator: SIMULATOR_NOTE });
  });

  app.get('/api/messages', (req, res) => {
    const to = typeof req.query.to === 'string' ? req.query.to.toLowerCase() : undefined;
    const messages = store.newestFirst().filter((m) => !to || m.envelopeTo.some((r) => r.toLowerCase() === to));
    res.json({ messages, simulator: SIMULATOR_NOTE });
  });

  app.delete('/api/messages', (_req, res) => {
    store.clear();
    res.status(204).end();
  });

  app.get('/', (_req, res) => {
    const mails = store.newestFirst();
    const items = mails
      .map(
        (m) => `<article class="mail">
<h2>${escapeHtml(m.subject || '(mövzusuz / no subject)')}${m.repeat ? ' <span class="muted">— təkrar, eyni Message-ID / repeat, same Message-ID</span>' : ''}</h2>
<p class="muted">Kimə / to: <code>${escapeHtml(m.envelopeTo.join(', '))}</code> · Kimdən / from: ${escapeHtml(m.from || m.envelopeFrom)} · ${escapeHtml(m.receivedAt.replace('T', ' ').slice(0, 19))} UTC</p>
<pre>${escapeHtml(m.text)}</pre>
</article>`,
      )
      .join('\n');
    const smsLink = options.smsSimulatorUrl
      ? `<p>Göndərilən SMS-lər / SMS sent: <a href="${escapeHtml(options.smsSimulatorUrl)}">SMS şlüzü simulyatoru / SMS gateway simulator</a></p>`
      : '';
    const body = `<style>
  .mail { background: #fff; border: 1px solid #d5d8dd; border-radius: 4px; padding: 4px 14px; margin: 12px 0; }
  .mail h2 { font-size: 1.05rem; margin: 8px 0 4px; }
  .mail pre { white-space: pre-wrap; font-family: inherit; font-size: .92rem; }
</style>
<h1>İnkişaf poçt tutucusu / Development mail catcher</h1>
<p class="muted">Kabinetin göndərdiyi e-poçtlar heç kimə çatdırılmır, burada göstərilir (ən yenisi yuxarıda, son ${options.maxMessages ?? DEFAULT_MAX_MESSAGES}).<br>
The e-mails the cabinet sends are delivered to nobody; they are listed here, newest first. JSON: <code>GET /api/messages</code>.</p>
${smsLink}
${items || '<p class="muted">Hələ məktub yoxdur / no mail yet</p>'}`;
    res
      .type('html')
      .send(simulatorPage({ title: 'Poçt tutucu', serviceName: 'Mail server / Poçt serveri', body, script: 'setTimeout(() => location.reload(), 5000);' }));
  });

  app.use(jsonNotFound(MAIL_SINK_NAME));
  app.use(jsonErrorHandler(MAIL_SINK_NAME));
  return app;
}

function createSmtpServer(store: MailStore): SMTPServer {
  return new SMTPServer({
    name: 'evk-mail-sink.local',
    banner: 'EVK development mail sink - SIMULATOR, nothing is delivered',
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: MAX_MESSAGE_BYTES,
    logger: false,
    closeTimeout: 500,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', (error) => callback(error));
      stream.on('end', () => {
        if ((stream as unknown as { sizeExceeded?: boolean }).sizeExceeded) {
          callback(Object.assign(new Error('Message exceeds the fixed maximum message size'), { responseCode: 552 }));
          return;
        }
        const raw = Buffer.concat(chunks);
        simpleParser(raw).then(
          (mail) => {
            store.add({
              id: randomUUID(),
              messageId: mail.messageId,
              envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              envelopeTo: session.envelope.rcptTo.map((r) => r.address),
              from: addresses(mail.from),
              to: addresses(mail.to),
              subject: mail.subject ?? '',
              text: (mail.text ?? '').replace(/\r\n/g, '\n').replace(/\n$/, ''),
              receivedAt: new Date().toISOString(),
              size: raw.length,
            });
            callback(null, 'Caught by the EVK development mail sink');
          },
          (error: Error) => callback(error),
        );
      });
    },
  });
}

/** A header's addresses as people write them: `Name <address>`, comma-separated. */
function addresses(header: AddressObject | AddressObject[] | undefined): string {
  const all = (Array.isArray(header) ? header : header ? [header] : []).flatMap((h) => h.value);
  return all.map((a) => (a.name ? `${a.name} <${a.address ?? ''}>` : (a.address ?? ''))).join(', ');
}

/** Starts the SMTP sink (and the mail catcher page when `webPort` is given) on the listen host (127.0.0.1 by default). */
export async function startMailSink(options: MailSinkOptions): Promise<RunningMailSink> {
  const store = createStore(options.maxMessages ?? DEFAULT_MAX_MESSAGES);
  const smtp = createSmtpServer(store);
  await new Promise<void>((resolve, reject) => {
    smtp.once('error', reject);
    smtp.listen(options.smtpPort, listenHost(), () => {
      smtp.off('error', reject);
      resolve();
    });
  });
  // After listening, connection-level errors (a client dropping the socket) must not crash the process.
  smtp.on('error', () => undefined);
  const smtpPort = (smtp.server.address() as AddressInfo).port;
  let web: RunningSimulator | undefined;
  if (options.webPort !== undefined) {
    try {
      web = await listenOnLoopback(createMailCatcherApp(store, options), options.webPort);
    } catch (error) {
      await closeSmtp(smtp);
      throw error;
    }
  }
  return {
    smtpPort,
    url: web?.url,
    messages: () => store.newestFirst(),
    clear: () => store.clear(),
    close: async () => {
      await Promise.all([closeSmtp(smtp), web?.close()]);
    },
  };
}

function closeSmtp(smtp: SMTPServer): Promise<void> {
  return new Promise((resolve) => {
    // Open (pooled) client connections are told 421 and dropped after `closeTimeout`.
    smtp.close(() => resolve());
  });
}
