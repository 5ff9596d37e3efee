/**
 * R7, messages between the Bar office and lawyers: who writes to whom, who sees a thread, who may
 * answer in it, and what a message and its attachments may be. Plain functions, no I/O.
 *
 * - The Bar office writes to every lawyer (`all`), to one bureau (`bureau`) or to one lawyer
 *   (`lawyer`); a lawyer writes to the Bar office only, which opens a private `lawyer` thread.
 * - A lawyer sees `all` threads, their bureau's and their own private ones; never another lawyer's
 *   private thread (not even the bureau head). The Bar office sees every thread.
 * - In a private thread both sides answer. In `all` and `bureau` threads only the office writes: a
 *   lawyer's answer there would reach every colleague, so the lawyer writes to the office instead.
 */
import type { Actor } from '../shared/actor';
import type { FieldError } from '../shared/field-error';
import { checkFileContent, type CheckedContentType, type FileRefusal, type FileRule } from '../shared/file-content';
import type { MessagesCode } from './codes';

export const AUDIENCES = ['all', 'bureau', 'lawyer'] as const;
export type Audience = (typeof AUDIENCES)[number];
/** What a sender names as the recipients: the office's three, or a lawyer's `office`. */
export const RECIPIENTS = [...AUDIENCES, 'office'] as const;
export type Recipients = (typeof RECIPIENTS)[number];

export const SUBJECT_MAX = 200;
export const BODY_MAX = 20_000;
/** e-court's limit for one document, as for the dossier. */
export const ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024;
export const ATTACHMENT_MAX_MB = ATTACHMENT_MAX_BYTES / 1024 / 1024;
export const ATTACHMENTS_MAX = 3;

export const ATTACHMENT_RULE: FileRule<MessagesCode> = {
  field: 'file',
  maxBytes: ATTACHMENT_MAX_BYTES,
  types: ['application/pdf', 'image/jpeg', 'image/png'],
  codes: { empty: 'messages.file_empty', wrongType: 'messages.file_wrong_type', tooLarge: 'messages.file_too_large' },
};

/** A thread as the rules need it. */
export interface ThreadScope {
  audience: Audience;
  bureauId?: string | null;
  lawyerId?: string | null;
}

/** What someone typed for a new thread. */
export interface NewThreadInput {
  subject: string;
  body: string;
  to?: string;
  bureauId?: string;
  lawyerId?: string;
}

export const isOffice = (actor: Actor) => actor.kind === 'admin';

/** Whether this person may see this thread (R2.5): the office all, a lawyer what is addressed to them. */
export function maySeeThread(actor: Actor, thread: ThreadScope): boolean {
  if (isOffice(actor)) return true;
  if (actor.kind !== 'lawyer') return false;
  if (thread.audience === 'all') return true;
  if (thread.audience === 'bureau') return Boolean(actor.bureauId) && thread.bureauId === actor.bureauId;
  return thread.lawyerId === actor.id;
}

/** Why this person may not answer in a thread they see, or undefined. */
export function replyRefusal(actor: Actor, thread: ThreadScope): MessagesCode | undefined {
  if (isOffice(actor)) return undefined;
  return thread.audience === 'lawyer' ? undefined : 'messages.reply_to_office_instead';
}

/** The errors of a message's body, at the field "body". */
export function bodyErrors(body: string): FieldError[] {
  const text = body.trim();
  if (!text) return [{ field: 'body', code: 'messages.body_required' }];
  if (text.length > BODY_MAX) return [{ field: 'body', code: 'messages.body_too_long', params: { max: BODY_MAX } }];
  return [];
}

/** The errors of a new thread (subject, body, recipients), each at its field; the existence of a bureau or lawyer is checked by the caller. */
export function newThreadErrors(actor: Actor, input: NewThreadInput): FieldError[] {
  const errors: FieldError[] = [];
  const subject = input.subject.trim();
  if (!subject) errors.push({ field: 'subject', code: 'messages.subject_required' });
  else if (subject.length > SUBJECT_MAX) errors.push({ field: 'subject', code: 'messages.subject_too_long', params: { max: SUBJECT_MAX } });
  errors.push(...bodyErrors(input.body));
  if (isOffice(actor)) {
    if (!AUDIENCES.includes(input.to as Audience)) errors.push({ field: 'to', code: 'messages.audience_required' });
    else if (input.to === 'bureau' && !input.bureauId) errors.push({ field: 'bureauId', code: 'messages.no_such_bureau' });
    else if (input.to === 'lawyer' && !input.lawyerId) errors.push({ field: 'lawyerId', code: 'messages.no_such_lawyer' });
  } else if (input.to && input.to !== 'office') {
    errors.push({ field: 'to', code: 'messages.lawyers_write_to_office' });
  }
  return errors;
}

/** The audience a new thread gets: the office's choice, or a lawyer's private thread with the office. */
export function audienceOf(actor: Actor, input: NewThreadInput): ThreadScope {
  if (!isOffice(actor)) return { audience: 'lawyer', lawyerId: actor.id };
  const audience = input.to as Audience;
  return { audience, bureauId: audience === 'bureau' ? input.bureauId : null, lawyerId: audience === 'lawyer' ? input.lawyerId : null };
}

/** Each attachment checked by its content; the first refusal, or the types in order. */
export function checkAttachments(files: readonly Uint8Array[]): { refusal: FileRefusal<MessagesCode> } | { types: CheckedContentType[] } {
  if (files.length > ATTACHMENTS_MAX)
    return { refusal: { field: 'file', short: 'too_large', code: 'messages.too_many_files', params: { max: ATTACHMENTS_MAX } } };
  const types: CheckedContentType[] = [];
  for (const data of files) {
    const checked = checkFileContent(data, ATTACHMENT_RULE);
    if ('refusal' in checked) return checked;
    types.push(checked.type);
  }
  return { types };
}

/** Who reads a thread for its unread mark: the Bar office reads as one inbox. */
export function readerOf(actor: Actor): { kind: 'office' | 'lawyer'; id: string } {
  return isOffice(actor) ? { kind: 'office', id: 'office' } : { kind: 'lawyer', id: actor.id };
}
