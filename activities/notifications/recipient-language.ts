/**
 * Issue 11: the language an e-mail or SMS is written in is its recipient's — the language of the
 * account (migrations/020_account_language), read when the message is queued, since the outbox
 * keeps the composed text. An applicant whose cabinet does not exist yet (it is opened when the
 * contract is submitted, in Azerbaijani) and anyone without an account get Azerbaijani, the
 * cabinet's first language: the lawyer's own language says nothing about the applicant's.
 */
import type { Knex } from 'knex';
import { isLocale, type Locale } from '../../locales';

export const DEFAULT_LANGUAGE: Locale = 'az';

/** The kinds of account that carry a language, and their tables (operators are rows of `admins`). */
export const ACCOUNT_TABLES = { lawyer: 'lawyers', applicant: 'applicant_accounts', admin: 'admins', operator: 'admins' } as const;
export type LanguageAccountKind = keyof typeof ACCOUNT_TABLES;

/** Who a message is for: an account by its ID, or an applicant's cabinet by the contact it is keyed by (`email:…`, `phone:…`). */
export type Recipient = { kind: LanguageAccountKind; id: string } | { kind: 'cabinet'; contact: string | undefined };

/** An account row's language, or the default when it has none (or one we no longer offer). */
export function accountLanguage(row: { language?: string | null } | undefined): Locale {
  const language = row?.language;
  return isLocale(language) ? language : DEFAULT_LANGUAGE;
}

export async function recipientLanguage(db: Knex | Knex.Transaction, recipient: Recipient): Promise<Locale> {
  const row: { language?: string } | undefined =
    recipient.kind === 'cabinet'
      ? recipient.contact
        ? await db('applicant_accounts').where({ contact: recipient.contact }).first('language')
        : undefined
      : await db(ACCOUNT_TABLES[recipient.kind]).where({ id: recipient.id }).first('language');
  return accountLanguage(row);
}
