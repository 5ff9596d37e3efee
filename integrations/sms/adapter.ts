/**
 * SMS gateway — R4.2, R4.3.1: the applicant and the bureau head are told by SMS as well as by
 * e-mail; the applicant's login and password may come by SMS.
 *
 * `HttpSmsGateway` speaks the wire protocol of our local simulator (see simulator.ts), which is
 * ours: a real provider (an Azerbaijani SMS aggregator) gets its own class with the same `send`.
 *
 * Wire protocol:
 *   POST /api/v1/messages   header X-API-Key: <key>, Idempotency-Key: <our id of the message>
 *        body { to: "+994501234567", text, sender?: "EVK", reference?: "<the same id>" }
 *        202 { messageId, status: "accepted", to, parts, duplicate: false, acceptedAt }
 *        200 the first answer again, duplicate: true, when the key was accepted before — at any
 *            time before: the gateway keeps the keys it saw (issue 10 item 3), so a message sent
 *            again after our dispatcher crashed between the gateway's answer and marking it sent
 *            reaches the phone once
 *        409 IDEMPOTENCY_KEY_REUSED: the key was seen with another number or text (our bug: a
 *            repeat is always the same message), permanent
 *        400 INVALID_PHONE | INVALID_TEXT | TEXT_TOO_LONG | INVALID_REQUEST, 401 UNAUTHORIZED,
 *        503 SERVICE_UNAVAILABLE (simulated failure)
 * The key travels both as the header (the convention of Stripe and most HTTP APIs) and as the
 * body's `reference` (what SMS aggregators usually call a client message id); a gateway honours
 * either, and both must agree.
 */
import { z } from 'zod';
import { JsonHttpClient, RequestRejectedError } from '../http';

export interface SmsToSend {
  to: string;
  text: string;
  /** Our id of the message, its idempotency key: the gateway accepts the same reference once, ever. */
  reference?: string;
}

export const SMS_GATEWAY_API = {
  messages: '/api/v1/messages',
  apiKeyHeader: 'X-API-Key',
  idempotencyKeyHeader: 'Idempotency-Key',
} as const;

export const DEFAULT_SMS_SENDER = 'EVK';
export const DEFAULT_SMS_TIMEOUT_MS = 10_000;
/** Longest text the gateway takes (it splits it into up to 15 parts). */
export const MAX_SMS_TEXT_LENGTH = 1_000;
export const E164_PATTERN = /^\+[1-9]\d{7,14}$/;

export const smsAcceptedSchema = z.object({
  messageId: z.string().min(1),
  status: z.literal('accepted'),
  to: z.string(),
  parts: z.number().int().positive(),
  duplicate: z.boolean(),
  acceptedAt: z.string(),
});
export type SmsAccepted = z.infer<typeof smsAcceptedSchema>;

/** The gateway refused this message for good (bad number or text): sending it again cannot help. */
export class SmsMessageRejectedError extends RequestRejectedError {
  readonly permanent = true as const;
}

const PERMANENT_CODES = new Set(['INVALID_PHONE', 'INVALID_TEXT', 'TEXT_TOO_LONG', 'INVALID_REQUEST', 'IDEMPOTENCY_KEY_REUSED']);

export interface HttpSmsGatewayOptions {
  baseUrl: string;
  apiKey: string;
  /** Alphanumeric sender id shown on the phone; default "EVK". */
  sender?: string;
  timeoutMs?: number;
}

export class HttpSmsGateway {
  private readonly http: JsonHttpClient;
  private readonly sender: string;

  constructor(options: HttpSmsGatewayOptions) {
    this.http = new JsonHttpClient({
      service: 'sms-gateway',
      baseUrl: options.baseUrl,
      timeoutMs: options.timeoutMs ?? DEFAULT_SMS_TIMEOUT_MS,
      headers: { [SMS_GATEWAY_API.apiKeyHeader]: options.apiKey },
    });
    this.sender = options.sender ?? DEFAULT_SMS_SENDER;
  }

  /**
   * Hands one SMS to the gateway.
   * @throws SmsMessageRejectedError (permanent) for a bad number or text
   * @throws RequestRejectedError for other refusals, e.g. UNAUTHORIZED (a wrong API key: worth retrying once fixed)
   * @throws ServiceUnavailableError when the gateway cannot be reached in time or fails
   */
  async send(message: SmsToSend): Promise<{ messageId: string }> {
    try {
      const accepted = await this.http.post(
        SMS_GATEWAY_API.messages,
        { to: message.to, text: message.text, sender: this.sender, ...(message.reference ? { reference: message.reference } : {}) },
        { parser: smsAcceptedSchema, ...(message.reference ? { headers: { [SMS_GATEWAY_API.idempotencyKeyHeader]: message.reference } } : {}) },
      );
      return { messageId: accepted.messageId };
    } catch (error) {
      if (error instanceof RequestRejectedError && PERMANENT_CODES.has(error.code)) {
        throw new SmsMessageRejectedError(error.service, error.code, error.message, { status: error.status, cause: error });
      }
      throw error;
    }
  }
}
