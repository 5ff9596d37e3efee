/**
 * The e-mail that a message is waiting (R7): it names neither the subject nor the content, only
 * that something is waiting and where. The one place these texts are composed; the caller passes
 * the recipient's language (the account's, issue 11).
 */
import { type Locale, translate } from '../../locales';

export function composeMessageEmail(locale: Locale, context: { url: string; toOffice: boolean }): { subject: string; body: string } {
  const who = context.toOffice ? 'office' : 'lawyer';
  return {
    subject: translate(locale, `messages.email.${who}.subject`),
    body: translate(locale, `messages.email.${who}.body`, { url: context.url }),
  };
}
