/**
 * E-mail out through SMTP (R4.2, R4.3.1), with nodemailer. By default the SMTP server is the local
 * development mail sink (integrations/mail-sink); in production, the Bar's mail relay.
 */
import { createTransport } from 'nodemailer';
import type { Config } from '../../platform/config';
import { DeliveryError } from './delivery-error';
import type { EmailSender, OutgoingEmail } from './types';

export interface SmtpEmailSenderOptions {
  host: string;
  port: number;
  /** TLS from the first byte (usually port 465). When false, STARTTLS is used if the server offers it. */
  secure: boolean;
  user?: string;
  pass?: string;
  /** The From header, e.g. "Elektron Vəkil Kabineti <no-reply@evk.local>". */
  from: string;
  /** Domain of the Message-IDs made from references; default: the From address's domain. */
  messageIdDomain?: string;
  /** Keep up to this many SMTP connections open and reuse them; default 3. */
  maxConnections?: number;
  /** Connect, greeting and socket-idle timeouts in ms; default 10 s / 10 s / 30 s. */
  connectionTimeoutMs?: number;
  greetingTimeoutMs?: number;
  socketTimeoutMs?: number;
}

export class SmtpEmailSender implements EmailSender {
  private readonly transport: ReturnType<typeof createPooledTransport>;
  private readonly messageIdDomain: string;

  constructor(private readonly options: SmtpEmailSenderOptions) {
    this.transport = createPooledTransport(options);
    this.messageIdDomain = options.messageIdDomain ?? /@([^>\s]+)>?\s*$/.exec(options.from)?.[1] ?? 'evk.local';
  }

  static fromConfig(config: Config, overrides: Partial<SmtpEmailSenderOptions> = {}): SmtpEmailSender {
    return new SmtpEmailSender({
      host: config.smtpHost,
      port: config.smtpPort,
      secure: config.smtpSecure,
      user: config.smtpUser,
      pass: config.smtpPass,
      from: config.mailFrom,
      ...overrides,
    });
  }

  async send(message: OutgoingEmail): Promise<{ messageId: string }> {
    try {
      const info = await this.transport.sendMail({
        from: this.options.from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        ...(message.reference ? { messageId: `<${message.reference}@${this.messageIdDomain}>` } : {}),
      });
      if (info.rejected.length > 0) {
        throw new DeliveryError(`The mail server refused the recipient ${message.to}: ${info.response}`, { permanent: true, code: 'EENVELOPE' });
      }
      return { messageId: info.messageId };
    } catch (error) {
      if (error instanceof DeliveryError) throw error;
      throw toDeliveryError(error, this.options);
    }
  }

  /** Closes the pooled SMTP connections. */
  close(): void {
    this.transport.close();
  }
}

function createPooledTransport(options: SmtpEmailSenderOptions) {
  return createTransport({
    pool: true,
    host: options.host,
    port: options.port,
    secure: options.secure,
    ...(options.user ? { auth: { user: options.user, pass: options.pass ?? '' } } : {}),
    maxConnections: options.maxConnections ?? 3,
    maxMessages: 100,
    connectionTimeout: options.connectionTimeoutMs ?? 10_000,
    greetingTimeout: options.greetingTimeoutMs ?? 10_000,
    socketTimeout: options.socketTimeoutMs ?? 30_000,
    disableFileAccess: true,
    disableUrlAccess: true,
  });
}

/**
 * Permanent: the server refused the recipient or the message with a 5xx (except 503, "bad sequence",
 * which a new connection fixes), or nodemailer found no valid recipient. Everything else (connection
 * refused, timeouts, 4xx, authentication) is worth retrying: an operator may fix the server or the
 * credentials in the meantime.
 */
function toDeliveryError(error: unknown, options: SmtpEmailSenderOptions): DeliveryError {
  const e = (error ?? {}) as { code?: string; responseCode?: number; message?: string };
  const permanentReply = typeof e.responseCode === 'number' && e.responseCode >= 500 && e.responseCode < 600 && e.responseCode !== 503;
  const permanent = (e.code === 'EENVELOPE' && (permanentReply || e.responseCode === undefined)) || (e.code === 'EMESSAGE' && permanentReply);
  const message = `SMTP ${options.host}:${options.port}: ${e.message ?? String(error)}`;
  return new DeliveryError(message, { permanent, code: e.code, cause: error });
}
