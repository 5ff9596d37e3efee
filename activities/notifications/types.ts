/**
 * The notification pipeline's contracts (R4.2, R4.3.1). Types only: the dispatcher workflow imports
 * this file, so it must stay free of runtime imports.
 */

export interface OutgoingEmail {
  to: string;
  subject: string;
  /** Plain text (UTF-8); Azerbaijani letters are sent as they are. */
  text: string;
  /**
   * A stable id of this message on our side (the outbox row). The SMTP sender turns it into the
   * Message-ID, so a copy sent again after a crash is recognisably the same message.
   */
  reference?: string;
}

export interface OutgoingSms {
  /** E.164, e.g. +994501234567. */
  to: string;
  text: string;
  /** A stable id of this message on our side; the gateway accepts a reference once (idempotency key). */
  reference?: string;
}

export interface EmailSender {
  /** Resolves when the SMTP server accepted the message. */
  send(message: OutgoingEmail): Promise<{ messageId: string }>;
}

export interface SmsSender {
  /** Resolves when the gateway accepted the message. */
  send(message: OutgoingSms): Promise<{ messageId: string }>;
}

export interface DispatchInput {
  /** How many due messages one call claims at most. */
  limit: number;
}

export interface DispatchResult {
  /** Messages delivered to the mail server / SMS gateway in this call. */
  sent: number;
  /** Messages whose delivery failed in this call (rescheduled with backoff, or given up). */
  failed: number;
  /** Messages still due after this call (pending with next_attempt_at <= now). */
  remaining: number;
}

/** The activities the notification dispatcher workflow calls. */
export interface NotificationActivities {
  dispatchPendingNotifications(input: DispatchInput): Promise<DispatchResult>;
}

export interface NotificationDispatcherInput {
  /** Messages claimed per activity call; default 50. */
  batchSize?: number;
  /** Pause when there was nothing to send, in ms; default 2000. */
  pollIntervalMs?: number;
  /** Continue as new after this many iterations, to keep the history short; default 200. */
  continueAsNewEvery?: number;
}
