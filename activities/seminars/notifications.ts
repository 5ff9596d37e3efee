/**
 * The e-mails of seminars and conferences (R3.1): a place freed for a waiting lawyer, an event
 * cancelled or moved, the day-before reminder. Composed through one function that takes the
 * language (the texts are `seminar.mail.<kind>.*` in locales/<az|en>/seminars.json) and queued in
 * the outbox once per event, kind and lawyer (the dedupe key), in the caller's transaction; the
 * notification dispatcher sends them. They name the event and link to it, never anything personal.
 */
import { formatDateTime } from '../../domain/shared/dates';
import type { Knex } from 'knex';
import { isLocale, type Locale, translate } from '../../locales';

export const SEMINAR_MAIL_KINDS = ['moved_in', 'cancelled', 'rescheduled', 'reminder'] as const;
export type SeminarMailKind = (typeof SEMINAR_MAIL_KINDS)[number];

export interface SeminarMailContext {
  title: string;
  startsAt: string;
  url: string;
}

/** When an event begins, as its e-mails say it (Baku time). */
export function formatSeminarTime(iso: string): string {
  return formatDateTime(iso);
}

/** The one place a seminar e-mail is worded, in a language. */
export function composeSeminarEmail(kind: SeminarMailKind, locale: Locale, context: SeminarMailContext): { subject: string; body: string } {
  const params = { ...context, startsAt: formatSeminarTime(context.startsAt) };
  return { subject: translate(locale, `seminar.mail.${kind}.subject`, params), body: translate(locale, `seminar.mail.${kind}.body`, params) };
}

export const seminarUrl = (publicUrl: string, seminarId: string) => `${publicUrl}/info/seminars/${seminarId}`;

/**
 * Queues one e-mail of this kind to each of these lawyers who has an address; a second call with the
 * same event key queues nothing again. Returns how many rows were new.
 */
export async function queueSeminarEmails(
  trx: Knex | Knex.Transaction,
  publicUrl: string,
  seminar: { id: string; title: string; startsAt: string },
  kind: SeminarMailKind,
  eventKey: string,
  lawyerIds: string[],
): Promise<number> {
  if (lawyerIds.length === 0) return 0;
  const lawyers = await trx<{ id: string; email: string | null; language: string | null }>('lawyers')
    .whereIn('id', lawyerIds)
    .select('id', 'email', 'language');
  // Each lawyer reads it in their account's language (issue 11).
  const texts = new Map<Locale, ReturnType<typeof composeSeminarEmail>>();
  const textIn = (locale: Locale) => {
    if (!texts.has(locale))
      texts.set(locale, composeSeminarEmail(kind, locale, { title: seminar.title, startsAt: seminar.startsAt, url: seminarUrl(publicUrl, seminar.id) }));
    return texts.get(locale)!;
  };
  let queued = 0;
  for (const lawyer of lawyers) {
    if (!lawyer.email) continue;
    const locale: Locale = isLocale(lawyer.language) ? lawyer.language : 'az';
    const message = textIn(locale);
    const inserted = await trx('outbox')
      .insert({
        dedupe_key: `seminar:${seminar.id}:${kind}:${eventKey}:${lawyer.id}:email`,
        channel: 'email',
        recipient: lawyer.email,
        subject: message.subject,
        body: message.body,
        locale,
      })
      .onConflict('dedupe_key')
      .ignore()
      .returning('id');
    queued += inserted.length;
  }
  return queued;
}
