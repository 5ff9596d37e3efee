/**
 * The profile's e-mails (R8.2, issue 11), composed in one place from the locale texts
 * (locales/<language>/profile.json): they say that something happened and link to it, never the
 * values asked for nor the reason (those are read in the cabinet).
 */
import { type Locale, translate } from '../../locales';
import type { ProfileChangeStatus } from '../../domain/profile';

export type ProfileMessage =
  { kind: 'decision'; status: Exclude<ProfileChangeStatus, 'pending' | 'withdrawn'>; profileUrl: string } | { kind: 'office_reminder'; queueUrl: string };

/** The subject and body of a profile e-mail in `locale` (the caller picks the account's language; 'az' for now). */
export function composeProfileMessage(locale: Locale, message: ProfileMessage): { subject: string; body: string } {
  const key = message.kind === 'decision' ? `profile.mail.${message.status}` : 'profile.mail.office_reminder';
  return { subject: translate(locale, `${key}.subject`, message), body: translate(locale, `${key}.body`, message) };
}
