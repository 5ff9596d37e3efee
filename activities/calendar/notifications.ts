/**
 * The words of a meeting's reminder (R8.4, issue 12), in the lawyer's language: e-mail and SMS say
 * that a meeting is coming, when and where, and link to that day in the calendar. Never the title or
 * the comment (they may name a client), so the message holds nothing the lawyer did not see coming.
 */
import { bakuDay, formatDate, formatTime } from '../../domain/shared/dates';
import { type Locale, translate } from '../../locales';

export interface ReminderContext {
  startsAt: string;
  place: string | null;
  importance: string;
  url: string;
  late: boolean;
}

/** The meeting's day in the calendar (Baku day), where the lawyer opens it. */
export const calendarDayUrl = (publicUrl: string, startsAt: string) => `${publicUrl}/calendar?view=day&day=${bakuDay(startsAt)}`;

export function composeReminder(locale: Locale, context: ReminderContext): { subject: string; body: string; sms: string } {
  const params = {
    date: formatDate(context.startsAt),
    time: formatTime(context.startsAt),
    place: context.place ?? translate(locale, 'calendar.mail.noPlace'),
    importance: translate(locale, `calendar.importance.${context.importance}`),
    url: context.url,
  };
  const late = context.late ? `${translate(locale, 'calendar.mail.latePrefix')} ` : '';
  return {
    subject: late + translate(locale, 'calendar.mail.subject', params),
    body: late + translate(locale, 'calendar.mail.body', params),
    sms: late + translate(locale, 'calendar.sms.body', params),
  };
}
