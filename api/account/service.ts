/**
 * The person's own account settings (issue 11): the language, Azerbaijani or English, of their
 * pages once signed in and of the e-mails and SMS queued for them. Every signed-in person sets
 * their own only; the session follows at once, and the next login applies it (api/auth/service.ts).
 */
import 'express-session';
import type { Request } from 'express';
import type { Knex } from 'knex';
import { z } from 'zod';
import { ACCOUNT_TABLES, DEFAULT_LANGUAGE, recipientLanguage } from '../../activities/notifications/recipient-language';
import type { Actor } from '../../domain/shared/actor';
import { LOCALES, type Locale } from '../../locales';
import { currentActor } from '../auth/actor';
import { fieldRefusal } from '../http/errors';
// Extends zod with .openapi() before the schema below is made.
import '../http/schemas';
import { saveSession } from '../http/sessions';

declare module 'express-session' {
  interface SessionData {
    /** The language of the pages: the account's once signed in (issue 11). */
    locale?: Locale;
  }
}

export const languageSchema = z.object({ language: z.enum(LOCALES) }).openapi('AccountLanguage');

const hasAccount = (kind: Actor['kind']): kind is keyof typeof ACCOUNT_TABLES => kind in ACCOUNT_TABLES;

/** The account's language; Azerbaijani for anyone without an account row (the system). */
export async function accountLanguage(db: Knex, actor: Pick<Actor, 'kind' | 'id'>): Promise<Locale> {
  return hasAccount(actor.kind) ? recipientLanguage(db, { kind: actor.kind, id: actor.id }) : DEFAULT_LANGUAGE;
}

/** The language asked for, or 400 at the field `language`. */
export function parseLanguage(body: unknown): Locale {
  const parsed = languageSchema.safeParse(body ?? {});
  if (!parsed.success) throw fieldRefusal('language', 'invalid', 'account.language_unknown', { allowed: LOCALES.join(', ') });
  return parsed.data.language;
}

/** The signed-in person sets their own language: kept on the account, and this session speaks it at once. */
export async function setOwnLanguage(req: Request, db: Knex, language: Locale): Promise<Locale> {
  const actor = currentActor(req);
  if (!hasAccount(actor.kind)) return language;
  await db(ACCOUNT_TABLES[actor.kind]).where({ id: actor.id }).update({ language });
  req.session.locale = language;
  await saveSession(req);
  return language;
}
