/**
 * Security events (OWASP ASVS 16.3), written once here: into `security_events` (migration 008),
 * which the Bar office reads, and into the log. UTC times (PostgreSQL's now()); the detail holds
 * codes and identifiers only — never a password, token, cookie, FIN, name, phone or e-mail.
 */
import type { Knex } from 'knex';
import type { Logger } from 'pino';

export const SECURITY_EVENT_KINDS = [
  'login_succeeded',
  'login_failed',
  /** Too many attempts for an account or an address: refused before the password is checked. */
  'login_throttled',
  'logout',
  'access_refused',
  'cross_site_refused',
  'callback_refused',
  /** The Bar office opened a contract's personal data with a reason (R-audit, issue 9 item 6). */
  'reasoned_access',
  'password_changed',
  'password_reset',
  'account_activated',
  'account_created',
  'sessions_ended',
  /** The payment agent took money back from a contract's payment (issue 9 item 3): the Bar office must see it. */
  'payment_reversed',
  /** The Bar office took a lawyer off the active list (issue 11, R2.1 i): their sessions ended at once. */
  'lawyer_deactivated',
  'lawyer_reactivated',
] as const;
export type SecurityEventKind = (typeof SECURITY_EVENT_KINDS)[number];

export interface SecurityEvent {
  kind: SecurityEventKind;
  /** Who acted or which account the attempt was for: kind and ID only. */
  actor?: { kind: string; id: string };
  /** What it was about, as `contract:<id>`, `account:<kind>:<id>`, `payment:<agent id>`. */
  subject?: string;
  ip?: string;
  /** Codes, identifiers, counts. */
  detail?: Record<string, string | number | boolean | null>;
}

/** Records the event; a failure to record is logged, never thrown at the person being served. */
export async function recordSecurityEvent(db: Knex, log: Pick<Logger, 'info' | 'error'>, event: SecurityEvent): Promise<void> {
  const row = {
    kind: event.kind,
    actor_kind: event.actor?.kind ?? null,
    actor_id: event.actor?.id ?? null,
    subject: event.subject ?? null,
    ip: event.ip ?? null,
    detail: JSON.stringify(event.detail ?? {}),
  };
  log.info({ securityEvent: event.kind, actor: event.actor, subject: event.subject, ip: event.ip, detail: event.detail }, `security event: ${event.kind}`);
  try {
    await db('security_events').insert(row);
  } catch (err) {
    log.error({ err, securityEvent: event.kind }, 'security event could not be stored');
  }
}
