/**
 * E-mails and SMS (R4.2, R4.3.1): who hears of which event, and the message in a language. The
 * texts are in locales/<az|en>/notifications.json, plain strings with {placeholders}; values are
 * inserted as text, never as markup.
 */
import { hasText, type Locale, translate } from '../../locales';
import type { NotificationEvent } from '../contract/types';

export type Audience = 'applicant' | 'head' | 'lawyer';
export type Channel = 'email' | 'sms';
export type { Locale };

export interface MessageContext {
  contractNumber: string;
  lawyerName: string;
  bureauName: string;
  protectedPartyName: string;
  amountDue: string;
  cabinetUrl: string;
  contractUrl: string;
  login?: string;
  /** The activation page; the one-time token follows it as the `{password}` placeholder (issue 9 item 1). */
  activationUrl?: string;
  reason?: string;
}

type MessageEvent = NotificationEvent | 'cabinet_credentials';

/** Who hears of an event (in this order); the texts are `notification.<event>.<audience>.<subject|email|sms>`. */
const AUDIENCES: Partial<Record<MessageEvent, Audience[]>> = {
  submitted: ['applicant', 'head'],
  cabinet_credentials: ['applicant'],
  rejected: ['lawyer'],
  approved: ['applicant'],
  payment_reminder: ['applicant'],
  order_issued: ['lawyer', 'applicant'],
  amendment_needs_consent: ['applicant'],
  amendment_needs_approval: ['head'],
  amendment_applied: ['lawyer', 'applicant'],
  amendment_rejected: ['lawyer'],
  finished: ['applicant'],
  terminated: ['applicant'],
  restarted: ['applicant'],
  payment_reversed: ['lawyer', 'head'],
};

/** Which audiences hear of an event by SMS as well as e-mail (the rest get e-mail only). */
const SMS_AUDIENCES: Partial<Record<MessageEvent, Audience[]>> = {
  submitted: ['applicant', 'head'],
  cabinet_credentials: ['applicant'],
  approved: ['applicant'],
  payment_reminder: ['applicant'],
  order_issued: ['lawyer'],
  amendment_needs_consent: ['applicant'],
};

export function audiencesOf(event: MessageEvent): Audience[] {
  return AUDIENCES[event] ?? [];
}

export function usesSms(event: MessageEvent, audience: Audience): boolean {
  return SMS_AUDIENCES[event]?.includes(audience) ?? false;
}

export function composeMessage(
  event: MessageEvent,
  audience: Audience,
  channel: Channel,
  locale: Locale,
  context: MessageContext,
): { subject: string; body: string } | undefined {
  if (!AUDIENCES[event]?.includes(audience)) return undefined;
  const key = (part: 'subject' | 'email' | 'sms') => `notification.${event}.${audience}.${part}`;
  if (!hasText(locale, key('subject'))) return undefined;
  // {password} stays a placeholder: the dispatcher fills it from the encrypted secret at sending time.
  const params = { ...context, password: '{password}' };
  return { subject: translate(locale, key('subject'), params), body: translate(locale, key(channel), params) };
}
