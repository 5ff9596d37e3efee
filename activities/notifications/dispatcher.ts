/**
 * Delivers the outbox (R4.2, R4.3.1): the e-mails and SMS the contract activities queued.
 *
 * One call of `dispatchPendingNotifications`:
 *   1. returns rows stuck in `sending` past their lease (a dispatcher that crashed or hung) to
 *      `pending` (or `failed` once out of attempts);
 *   2. claims up to `limit` due rows (`pending`, `next_attempt_at <= now()`) with
 *      `FOR UPDATE SKIP LOCKED` in one short statement that marks them `sending`, counts the
 *      attempt and gives them a lease and a fresh claim token — two dispatchers never claim the
 *      same row;
 *   3. sends them (a few at a time); for a credentials message the password is decrypted and put
 *      into `{password}` in memory only — the stored subject/body keep the placeholder;
 *   4. records each outcome, fenced by the claim token (a dispatcher that lost its lease cannot
 *      overwrite the row's newer state):
 *        sent   → `sent`, `sent_at`, the provider's id, and `secret_ciphertext` erased;
 *        failed → `last_error`, back to `pending` with `next_attempt_at` = now + 5 s · 2^(attempts−1)
 *                 (at most 15 min), or `failed` after `maxAttempts` (10) or at once when the server
 *                 refused the recipient/content for good. A failed row keeps its encrypted secret,
 *                 so an operator can requeue it (`requeueFailedNotifications`).
 *
 * Short leases (issue 10 item 2). A claim's lease is short (8 s) and renewed every second while the
 * call runs, with the activity's heartbeat; a dispatcher killed with its batch stops renewing, so
 * its rows are free again within seconds (the next call takes them back), not after minutes. A
 * dispatcher that could not renew (the database is away) stops starting sends before its lease ends.
 *
 * Delivery guarantee. Every outbox row is unique by `dedupe_key` (one row per event, recipient and
 * channel), and a row is handed to the mail server/gateway only by the dispatcher holding its claim.
 * So a message is sent exactly once — except when a dispatcher dies (or stalls past its lease)
 * after the server accepted a message and before the row was marked `sent`: then the row returns
 * to `pending` and the message is sent again (at-least-once around that crash window). The second
 * copy carries the same reference: the same Message-ID for e-mail, the same idempotency
 * `reference` for the SMS gateway (whose protocol accepts a reference once), so the gateway drops
 * a duplicate SMS. A dispatcher also stops starting sends well before its lease ends and gives
 * the unsent rows back, so a slow batch does not by itself cause a second copy.
 */
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { valuesPlaceholders } from '../../platform/db';
import type { Logger } from 'pino';
import { decryptSecret } from '../../platform/secret-box';
import { withdrawPaidReminders } from '../payment/reminders';
import { whileHeartbeating } from '../shared/heartbeat';
import { isPermanentDeliveryFailure } from './delivery-error';
import type { DispatchInput, DispatchResult, EmailSender, NotificationActivities, SmsSender } from './types';

export const PASSWORD_PLACEHOLDER = '{password}';

export interface NotificationDispatcherSettings {
  /**
   * How long a claim is exclusive unless renewed; a row still `sending` after it goes back to pending.
   * Renewed every `renewEveryMs` while the call runs. Default 8 s (issue 10 item 2).
   */
  leaseMs: number;
  /** How often the lease is renewed (with the activity's heartbeat); default 1 s. */
  renewEveryMs: number;
  /** Stop starting new sends after this long in one call and give the rest back; default 20 s (< the activity's 1 min timeout). */
  sendBudgetMs: number;
  /** Attempts before a row is marked `failed`; default 10. */
  maxAttempts: number;
  /** Delay after the first failure; doubles with every further failure. Default 5 s. */
  backoffBaseMs: number;
  /** Longest delay between attempts; default 15 min. */
  backoffMaxMs: number;
  /** Messages sent at the same time within one call; default 5. */
  concurrency: number;
}

export const DEFAULT_DISPATCHER_SETTINGS: NotificationDispatcherSettings = {
  leaseMs: 8_000,
  renewEveryMs: 1_000,
  sendBudgetMs: 20_000,
  maxAttempts: 10,
  backoffBaseMs: 5_000,
  backoffMaxMs: 15 * 60_000,
  concurrency: 5,
};

export interface NotificationActivityDeps {
  db: Knex;
  email: EmailSender;
  sms: SmsSender;
  /** The key the applicant's password was encrypted with (config.sessionSecret). */
  secretKey: string;
  log: Pick<Logger, 'info' | 'warn' | 'error'>;
  settings?: Partial<NotificationDispatcherSettings>;
}

/** The delay before attempt `attempts + 1`, after `attempts` failed ones: base · 2^(attempts−1), capped. */
export function retryDelayMs(
  attempts: number,
  settings: Pick<NotificationDispatcherSettings, 'backoffBaseMs' | 'backoffMaxMs'> = DEFAULT_DISPATCHER_SETTINGS,
): number {
  const exponent = Math.max(0, attempts - 1);
  return Math.min(settings.backoffMaxMs, settings.backoffBaseMs * 2 ** Math.min(exponent, 30));
}

interface ClaimedRow {
  id: number;
  channel: string;
  recipient: string;
  subject: string | null;
  body: string;
  secret_ciphertext: string | null;
  attempts: number;
  /** Migration 014: given once when the row is queued; the message's idempotency key (issue 10 item 3). */
  idempotency_key: string;
}

type Outcome = 'sent' | 'failed' | 'released' | 'lost';

const MAX_ERROR_LENGTH = 1_000;

export function createNotificationActivities(deps: NotificationActivityDeps): NotificationActivities {
  const { db, log } = deps;
  const settings: NotificationDispatcherSettings = { ...DEFAULT_DISPATCHER_SETTINGS, ...deps.settings };

  /** Rows whose dispatcher vanished mid-send go back to pending (their claim token stays, as a fence). */
  async function recoverExpiredLeases(): Promise<void> {
    const result = await db.raw<{ rows: { id: number; status: string }[] }>(
      `UPDATE outbox
          SET status = CASE WHEN attempts >= ? THEN 'failed' ELSE 'pending' END,
              lease_expires_at = NULL,
              next_attempt_at = now(),
              last_error = 'The dispatcher stopped while sending (its lease expired); the message may or may not have gone out.'
        WHERE status = 'sending' AND lease_expires_at < now()
        RETURNING id, status`,
      [settings.maxAttempts],
    );
    const rows = result.rows;
    if (rows.length > 0) log.warn({ outboxIds: rows.map((r) => r.id) }, 'notifications: took back messages left in "sending" by a stopped dispatcher');
  }

  async function claim(limit: number, token: string): Promise<ClaimedRow[]> {
    const result = await db.raw<{ rows: ClaimedRow[] }>(
      `WITH due AS (
         SELECT id FROM outbox
          WHERE status = 'pending' AND next_attempt_at <= now()
          ORDER BY next_attempt_at, id
          LIMIT ?
          FOR UPDATE SKIP LOCKED
       )
       UPDATE outbox o
          SET status = 'sending',
              claim_token = ?,
              lease_expires_at = now() + ?::double precision * interval '1 millisecond',
              attempts = o.attempts + 1
         FROM due
        WHERE o.id = due.id
       RETURNING o.id, o.channel, o.recipient, o.subject, o.body, o.secret_ciphertext, o.attempts, o.idempotency_key`,
      [limit, token, settings.leaseMs],
    );
    return result.rows.sort((a, b) => a.id - b.id);
  }

  /** Extends the lease of the rows this call still holds; false when the database did not answer. */
  async function renew(token: string): Promise<boolean> {
    try {
      await db.raw(
        `UPDATE outbox SET lease_expires_at = now() + ?::double precision * interval '1 millisecond'
          WHERE claim_token = ? AND status = 'sending'`,
        [settings.leaseMs, token],
      );
      return true;
    } catch (error) {
      log.warn({ error: errorText(error) }, 'notifications: could not renew the lease of the claimed messages');
      return false;
    }
  }

  /**
   * Records sends of one claim (`token`) as they are reported, group-commit style (issue 14): the
   * first is written at once, and those reported while a write is under way go together in the next
   * one, so each send is recorded as soon as a write can take it, in one statement per write, not
   * one per message. Fenced by the token only (not the status): if our lease ran out and the row
   * went back to pending but nobody claimed it again, recording the send still prevents a second copy.
   * Answers, for each send, whether its row was still ours.
   */
  function sendsRecorder(token: string): (row: ClaimedRow, providerMessageId: string) => Promise<boolean> {
    type Mark = { id: number; providerMessageId: string; settle: (ours: boolean) => void; fail: (error: unknown) => void };
    let waiting: Mark[] = [];
    let writing = false;
    const write = async () => {
      writing = true;
      while (waiting.length > 0) {
        const marks = waiting;
        waiting = [];
        try {
          const result = await db.raw<{ rows: { id: number | string }[] }>(
            `UPDATE outbox o
                SET status = 'sent', sent_at = now(), secret_ciphertext = NULL, last_error = NULL,
                    lease_expires_at = NULL, provider_message_id = sent.provider_message_id
               FROM (VALUES ${valuesPlaceholders(marks.length, ['bigint', 'text'])}) AS sent (id, provider_message_id)
              WHERE o.id = sent.id AND o.claim_token = ?
             RETURNING o.id`,
            [...marks.flatMap((m) => [m.id, m.providerMessageId]), token],
          );
          const ours = new Set(result.rows.map((r) => Number(r.id)));
          for (const m of marks) m.settle(ours.has(m.id));
        } catch (error) {
          for (const m of marks) m.fail(error);
        }
      }
      writing = false;
    };
    return (row, providerMessageId) =>
      new Promise<boolean>((settle, fail) => {
        waiting.push({ id: row.id, providerMessageId, settle, fail });
        if (!writing) void write();
      });
  }

  async function markFailed(row: ClaimedRow, token: string, error: string, permanent: boolean): Promise<{ recorded: boolean; gaveUp: boolean }> {
    const gaveUp = permanent || row.attempts >= settings.maxAttempts;
    const updated = await db('outbox')
      .where({ id: row.id, claim_token: token, status: 'sending' })
      .update({
        status: gaveUp ? 'failed' : 'pending',
        last_error: error,
        lease_expires_at: null,
        next_attempt_at: db.raw(`now() + ?::double precision * interval '1 millisecond'`, [gaveUp ? 0 : retryDelayMs(row.attempts, settings)]),
      });
    return { recorded: updated > 0, gaveUp };
  }

  /** Gives a claimed but unsent row back, without counting the attempt. */
  async function release(row: ClaimedRow, token: string): Promise<void> {
    await db('outbox')
      .where({ id: row.id, claim_token: token, status: 'sending' })
      .update({ status: 'pending', attempts: db.raw('attempts - 1'), lease_expires_at: null });
  }

  async function deliver(
    row: ClaimedRow,
    token: string,
    deadline: () => number,
    markSent: (row: ClaimedRow, providerMessageId: string) => Promise<boolean>,
  ): Promise<Outcome> {
    if (Date.now() > deadline()) {
      await release(row, token);
      return 'released';
    }
    let password: string | undefined;
    try {
      if (row.secret_ciphertext) {
        try {
          password = decryptSecret(deps.secretKey, row.secret_ciphertext);
        } catch (error) {
          throw Object.assign(new Error(`The message's secret cannot be decrypted with the configured key (${(error as Error).message}).`), {
            permanent: true,
          });
        }
      }
      // Filled in memory only: the stored subject and body keep the placeholder.
      const fill = (text: string) => (password === undefined ? text : text.split(PASSWORD_PLACEHOLDER).join(password));
      const reference = messageReference(row);
      let messageId: string;
      if (row.channel === 'email') {
        ({ messageId } = await deps.email.send({ to: row.recipient, subject: fill(row.subject ?? ''), text: fill(row.body), reference }));
      } else if (row.channel === 'sms') {
        ({ messageId } = await deps.sms.send({ to: row.recipient, text: fill(row.body), reference }));
      } else {
        throw Object.assign(new Error(`Unknown channel "${row.channel}".`), { permanent: true });
      }
      if (!(await markSent(row, messageId))) {
        log.warn({ outboxId: row.id }, 'notifications: sent, but another dispatcher had taken the message over; it may arrive twice');
        return 'lost';
      }
      return 'sent';
    } catch (error) {
      const permanent = isPermanentDeliveryFailure(error);
      const message = scrub(errorText(error), password);
      const { recorded, gaveUp } = await markFailed(row, token, message, permanent);
      if (!recorded) return 'lost';
      const fields = { outboxId: row.id, channel: row.channel, attempts: row.attempts, error: message };
      if (gaveUp) log.error(fields, 'notifications: gave up on a message');
      else log.warn({ ...fields, retryInMs: retryDelayMs(row.attempts, settings) }, 'notifications: sending failed; will retry');
      return 'failed';
    }
  }

  async function dispatchPendingNotifications(input: DispatchInput): Promise<DispatchResult> {
    const limit = Math.max(1, Math.min(1_000, Math.floor(input.limit)));
    const token = randomUUID();
    let rows: ClaimedRow[] = [];
    // No new send once half the lease since the last renewal that the database confirmed is gone.
    let leaseHeldSince = 0;
    let renewing = false;
    const renewLease = () => {
      if (renewing || rows.length === 0) return;
      renewing = true;
      const startedAt = Date.now();
      void renew(token).then((ok) => {
        if (ok) leaseHeldSince = startedAt;
        renewing = false;
      });
    };
    // Heartbeats every second from the first statement on, and renews the lease once rows are claimed.
    const outcomes = await whileHeartbeating(
      async () => {
        await recoverExpiredLeases();
        // At send time: a payment reminder never goes to someone who has paid (issue 10 item 1).
        await withdrawPaidReminders(db);
        const claimedAt = Date.now();
        rows = await claim(limit, token);
        leaseHeldSince = claimedAt;
        const budgetEnds = Date.now() + settings.sendBudgetMs;
        const deadline = () => Math.min(budgetEnds, leaseHeldSince + settings.leaseMs / 2);
        const results: Outcome[] = [];
        const markSent = sendsRecorder(token);
        let next = 0;
        const lane = async () => {
          while (next < rows.length) {
            const row = rows[next++];
            results.push(await deliver(row, token, deadline, markSent));
          }
        };
        await Promise.all(Array.from({ length: Math.min(settings.concurrency, rows.length) }, lane));
        return results;
      },
      { everyMs: settings.renewEveryMs, onBeat: renewLease },
    );
    const sent = outcomes.filter((o) => o === 'sent').length;
    const failed = outcomes.filter((o) => o === 'failed').length;
    const [{ count }] = await db('outbox').where('status', 'pending').andWhere('next_attempt_at', '<=', db.fn.now()).count<{ count: string }[]>({ count: '*' });
    const remaining = Number(count);
    if (rows.length > 0) log.info({ claimed: rows.length, sent, failed, remaining }, 'notifications: dispatched');
    return { sent, failed, remaining };
  }

  return { dispatchPendingNotifications };
}

/**
 * Puts messages that were given up on back in the queue (after an operator fixed the mail server,
 * the gateway key or the address), with a fresh count of attempts. Returns how many.
 */
export async function requeueFailedNotifications(db: Knex, filter: { ids?: number[]; contractId?: string } = {}): Promise<number> {
  const query = db('outbox').where({ status: 'failed' });
  if (filter.ids) query.whereIn('id', filter.ids);
  if (filter.contractId) query.andWhere({ contract_id: filter.contractId });
  return query.update({ status: 'pending', attempts: 0, next_attempt_at: db.fn.now(), lease_expires_at: null });
}

/**
 * The message's idempotency key on the wire (issue 10 item 3): the SMS gateway's Idempotency-Key and
 * the e-mail's Message-ID `<evk-…@domain>`. The same for every attempt of a row; never the same for
 * two rows, even of two databases (a test run's, a rebuilt cluster's) talking to one gateway.
 */
export function messageReference(row: { idempotency_key: string }): string {
  return `evk-${row.idempotency_key}`;
}

function errorText(error: unknown): string {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  const text = error instanceof Error ? `${error.name}${typeof code === 'string' ? ` [${code}]` : ''}: ${error.message}` : String(error);
  return text.length > MAX_ERROR_LENGTH ? `${text.slice(0, MAX_ERROR_LENGTH - 1)}…` : text;
}

/** An error text must never carry the password into the database or the logs. */
function scrub(text: string, password: string | undefined): string {
  return password ? text.split(password).join('***') : text;
}
