/**
 * Messages (R7, "Mesajlar"): threads between the Bar office and lawyers, what the JSON routes and
 * the pages call. The rules of who sees and who writes are domain/messages; here are the tables
 * (migrations/016_messages), the attachments' bytes (the storage adapter), the unread counts and
 * read receipts, and the e-mails queued in the outbox in the same transaction as the message.
 *
 * A thread nobody may see answers 404 (`messages.no_such_thread`), as for a contract: its ID says
 * nothing. Read receipts count the lawyers who have read the thread since the office's last message
 * in it, out of the active lawyers it went to at the time of sending.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import {
  type Audience,
  ATTACHMENT_RULE,
  audienceOf,
  bodyErrors,
  checkAttachments,
  isOffice,
  maySeeThread,
  newThreadErrors,
  type NewThreadInput,
  readerOf,
  replyRefusal,
  type ThreadScope,
} from '../../domain/messages';
import type { Actor } from '../../domain/shared/actor';
import { CHECKED_TYPES, type FileRefusal, storedFileName, tooLargeRefusal } from '../../domain/shared/file-content';
import type { FieldError } from '../../domain/shared/field-error';
import type { FileStorage } from '../../platform/file-storage';
import { conflict, fieldRefusal, invalidInput, notFound } from '../http/errors';
import type { Upload } from '../http/upload';
import { composeMessageEmail } from './notifications';

export interface MessagesDeps {
  db: Knex;
  storage: FileStorage;
  publicUrl: string;
  /** Where the e-mail for the Bar office goes when a lawyer writes (EVK_BAR_OFFICE_EMAIL); none: the menu's count only. */
  barOfficeEmail?: string;
}

interface ThreadRow {
  id: string;
  subject: string;
  audience: Audience;
  bureau_id: string | null;
  lawyer_id: string | null;
  started_by_kind: string;
  started_by_id: string;
  created_at: Date;
  last_message_at: Date;
  last_author_kind: string;
  last_author_id: string;
  last_office_message_at: Date | null;
  recipients_count: number;
}

export interface ThreadSummary {
  id: string;
  subject: string;
  audience: Audience;
  bureau?: { id: string; name: string };
  lawyer?: { id: string; name: string };
  lastMessageAt: string;
  unread: boolean;
  url: string;
  /** The Bar office only: "read by {read} of {of}". */
  receipt?: { read: number; of: number };
}

export interface MessageView {
  id: string;
  author: { kind: 'office' | 'lawyer'; id: string; name?: string };
  body: string;
  createdAt: string;
  attachments: { id: string; name: string; contentType: string; sizeBytes: number; url: string }[];
}

export interface ThreadView extends ThreadSummary {
  messages: MessageView[];
  /** Whether the caller may answer here; a lawyer in a broadcast or bureau thread writes to the office instead. */
  mayReply: boolean;
}

const iso = (value: unknown) => (value instanceof Date ? value.toISOString() : String(value));
const fullName = (first: string | null, last: string | null) => [first, last].filter(Boolean).join(' ');

/** The 400 of an attachment that may not be added, at the field "file". */
export const attachmentRefused = (refusal: FileRefusal) => fieldRefusal(refusal.field, refusal.short, refusal.code, refusal.params ?? {});
export const attachmentTooLarge = () => attachmentRefused(tooLargeRefusal(ATTACHMENT_RULE));

const scopeOf = (row: ThreadRow): ThreadScope => ({ audience: row.audience, bureauId: row.bureau_id, lawyerId: row.lawyer_id });

/** The threads a lawyer sees: every broadcast, their bureau's, their own private ones (R2.5). */
function visibleTo(actor: Actor) {
  return (q: Knex.QueryBuilder) => {
    if (isOffice(actor)) return;
    void q.where((w) => {
      void w.where('t.audience', 'all').orWhere('t.lawyer_id', actor.id);
      if (actor.bureauId) void w.orWhere('t.bureau_id', actor.bureauId);
    });
  };
}

/** Unread: written since the reader last read it, and not last by the reader (for the office: by no one of the office). */
const unreadSql = `NOT (t.last_author_kind = ? AND (?::boolean OR t.last_author_id = ?))
  AND NOT EXISTS (SELECT 1 FROM message_reads r WHERE r.thread_id = t.id AND r.reader_kind = ? AND r.reader_id = ? AND r.read_at >= t.last_message_at)`;
const unreadBindings = (actor: Actor) => {
  const reader = readerOf(actor);
  return [isOffice(actor) ? 'admin' : 'lawyer', isOffice(actor), actor.id, reader.kind, reader.id];
};

/** The number of threads waiting to be read by this person: one indexed count (the menu's "Mesajlar (3)"). */
export async function unreadCount(db: Knex, actor: Actor): Promise<number> {
  if (isOffice(actor)) return unreadForOffice(db);
  if (actor.kind !== 'lawyer') return 0;
  const row = await db('message_threads as t').modify(visibleTo(actor)).whereRaw(unreadSql, unreadBindings(actor)).count<{ n: string }[]>({ n: '*' }).first();
  return Number(row?.n ?? 0);
}

/** The Bar office's unread threads (lawyers wrote last, the office has not read since), for its menu and dashboard. */
export async function unreadForOffice(db: Knex): Promise<number> {
  const row = await db('message_threads as t')
    .where('t.last_author_kind', 'lawyer')
    .whereRaw(unreadSql, ['admin', true, '', 'office', 'office'])
    .count<{ n: string }[]>({ n: '*' })
    .first();
  return Number(row?.n ?? 0);
}

type ListedRow = ThreadRow & { bureau_name: string | null; first_name: string | null; last_name: string | null; unread: boolean; read_count?: string | number };

function summaryOf(actor: Actor, row: ListedRow): ThreadSummary {
  return {
    id: row.id,
    subject: row.subject,
    audience: row.audience,
    ...(row.bureau_id ? { bureau: { id: row.bureau_id, name: row.bureau_name ?? row.bureau_id } } : {}),
    ...(row.lawyer_id ? { lawyer: { id: row.lawyer_id, name: fullName(row.first_name, row.last_name) || row.lawyer_id } } : {}),
    lastMessageAt: iso(row.last_message_at),
    unread: Boolean(row.unread),
    url: `/api/messages/threads/${row.id}`,
    ...(isOffice(actor) ? { receipt: { read: Number(row.read_count ?? 0), of: row.recipients_count } } : {}),
  };
}

function listQuery(db: Knex, actor: Actor) {
  const columns: (string | Knex.Raw)[] = [
    't.*',
    'b.name as bureau_name',
    'l.first_name',
    'l.last_name',
    db.raw(`(${unreadSql}) AS unread`, unreadBindings(actor)),
  ];
  if (isOffice(actor))
    columns.push(
      db.raw(
        "(SELECT count(*) FROM message_reads r WHERE r.thread_id = t.id AND r.reader_kind = 'lawyer' AND r.read_at >= t.last_office_message_at) AS read_count",
      ),
    );
  return db('message_threads as t')
    .leftJoin('bureaus as b', 'b.id', 't.bureau_id')
    .leftJoin('lawyers as l', 'l.id', 't.lawyer_id')
    .modify(visibleTo(actor))
    .select<ListedRow[]>(columns);
}

/** The threads this person sees, the latest first (at most `limit`). */
export async function listThreads(deps: Pick<MessagesDeps, 'db'>, actor: Actor, limit = 100): Promise<ThreadSummary[]> {
  const rows = await listQuery(deps.db, actor).orderBy('t.last_message_at', 'desc').limit(limit);
  return rows.map((row) => summaryOf(actor, row));
}

/** The thread, if this person may see it; else 404. */
async function visibleThread(db: Knex | Knex.Transaction, actor: Actor, id: string): Promise<ThreadRow> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) throw notFound('messages.no_such_thread');
  const row = await db<ThreadRow>('message_threads').where({ id }).first();
  if (!row || !maySeeThread(actor, scopeOf(row))) throw notFound('messages.no_such_thread');
  return row;
}

/** Checks that this person may see the thread (for the routes, before an upload is read). */
export async function assertVisibleThread(deps: Pick<MessagesDeps, 'db'>, actor: Actor, id: string): Promise<void> {
  const row = await visibleThread(deps.db, actor, id);
  const refusal = replyRefusal(actor, scopeOf(row));
  if (refusal) throw conflict(refusal);
}

async function markRead(db: Knex | Knex.Transaction, actor: Actor, threadId: string) {
  const reader = readerOf(actor);
  await db('message_reads')
    .insert({ thread_id: threadId, reader_kind: reader.kind, reader_id: reader.id, read_at: db.fn.now() })
    .onConflict(['thread_id', 'reader_kind', 'reader_id'])
    .merge(['read_at']);
}

/** A thread with its messages in order; reading it marks it read for this person (the office: for the office). */
export async function readThread(deps: Pick<MessagesDeps, 'db'>, actor: Actor, id: string, options: { markRead?: boolean } = {}): Promise<ThreadView> {
  const { db } = deps;
  await visibleThread(db, actor, id);
  const [listed] = await listQuery(db, actor).where('t.id', id);
  if (!listed) throw notFound('messages.no_such_thread');
  const messages = await db('messages as m')
    .leftJoin('lawyers as l', function () {
      this.on('l.id', '=', 'm.author_id').andOn('m.author_kind', '=', db.raw('?', ['lawyer']));
    })
    .where('m.thread_id', id)
    .orderBy('m.seq')
    .select<{ id: string; author_kind: string; author_id: string; body: string; created_at: Date; first_name: string | null; last_name: string | null }[]>(
      'm.id',
      'm.author_kind',
      'm.author_id',
      'm.body',
      'm.created_at',
      'l.first_name',
      'l.last_name',
    );
  const attachments = await db('message_attachments')
    .where({ thread_id: id })
    .orderBy('created_at')
    .select<{ id: string; message_id: string; original_name: string; content_type: string; size_bytes: string | number }[]>(
      'id',
      'message_id',
      'original_name',
      'content_type',
      'size_bytes',
    );
  if (options.markRead !== false) await markRead(db, actor, id);
  const summary = summaryOf(actor, listed);
  return {
    ...summary,
    unread: options.markRead === false ? summary.unread : false,
    mayReply: replyRefusal(actor, scopeOf(listed)) === undefined,
    messages: messages.map((m) => ({
      id: m.id,
      author:
        m.author_kind === 'lawyer'
          ? { kind: 'lawyer' as const, id: m.author_id, name: fullName(m.first_name, m.last_name) || m.author_id }
          : { kind: 'office' as const, id: 'office' },
      body: m.body,
      createdAt: iso(m.created_at),
      attachments: attachments
        .filter((a) => a.message_id === m.id)
        .map((a) => ({
          id: a.id,
          name: a.original_name,
          contentType: a.content_type,
          sizeBytes: Number(a.size_bytes),
          url: `/api/messages/threads/${id}/attachments/${a.id}`,
        })),
    })),
  };
}

/** Who the office may write to: the bureaus and the active lawyers, by name (the form's lists). */
export async function recipientChoices(deps: Pick<MessagesDeps, 'db'>) {
  const bureaus = await deps.db('bureaus').orderBy('name').select<{ id: string; name: string }[]>('id', 'name');
  const lawyers = await deps
    .db('lawyers')
    .where({ on_active_register: true })
    .orderBy(['last_name', 'first_name'])
    .select<{ id: string; first_name: string; last_name: string }[]>('id', 'first_name', 'last_name');
  return { bureaus, lawyers: lawyers.map((l) => ({ id: l.id, name: fullName(l.first_name, l.last_name) })) };
}

/** The active lawyers a thread of the office reaches, as SQL over `lawyers l`. */
function audienceFilter(scope: ThreadScope): { sql: string; bindings: string[] } {
  if (scope.audience === 'bureau') return { sql: 'l.bureau_id = ?', bindings: [scope.bureauId ?? ''] };
  if (scope.audience === 'lawyer') return { sql: 'l.id = ?', bindings: [scope.lawyerId ?? ''] };
  return { sql: 'true', bindings: [] };
}

/**
 * The e-mails that a message is waiting, in the message's transaction: one per recipient, keyed by
 * message and recipient, so a retried insert adds none. For the office's messages one INSERT …
 * SELECT over the active lawyers of the audience (thousands for a broadcast); for a lawyer's, one to
 * the office's address, if there is one. Returns how many lawyers the office's message went to.
 */
async function queueEmails(trx: Knex.Transaction, deps: MessagesDeps, actor: Actor, threadId: string, scope: ThreadScope, messageId: string): Promise<number> {
  if (!isOffice(actor)) {
    if (!deps.barOfficeEmail) return 0;
    const text = composeMessageEmail('az', { url: `${deps.publicUrl}/admin/messages/${threadId}`, toOffice: true });
    await trx('outbox')
      .insert({
        dedupe_key: `message:${messageId}:office`,
        channel: 'email',
        recipient: deps.barOfficeEmail,
        subject: text.subject,
        body: text.body,
        locale: 'az',
      })
      .onConflict('dedupe_key')
      .ignore();
    return 0;
  }
  // Each lawyer's e-mail in the language of their account (issue 11): both texts, chosen per row.
  const url = `${deps.publicUrl}/messages/${threadId}`;
  const az = composeMessageEmail('az', { url, toOffice: false });
  const en = composeMessageEmail('en', { url, toOffice: false });
  const filter = audienceFilter(scope);
  await trx.raw(
    `INSERT INTO outbox (dedupe_key, channel, recipient, subject, body, locale)
     SELECT 'message:' || ?::text || ':lawyer:' || l.id, 'email', l.email,
            CASE WHEN l.language = 'en' THEN ? ELSE ? END,
            CASE WHEN l.language = 'en' THEN ? ELSE ? END,
            CASE WHEN l.language = 'en' THEN 'en' ELSE 'az' END
       FROM lawyers l
      WHERE l.on_active_register AND coalesce(l.email, '') <> '' AND ${filter.sql}
     ON CONFLICT (dedupe_key) DO NOTHING`,
    [messageId, en.subject, az.subject, en.body, az.body, ...filter.bindings],
  );
  const counted = await trx.raw<{ rows: { n: string }[] }>(`SELECT count(*) AS n FROM lawyers l WHERE l.on_active_register AND ${filter.sql}`, filter.bindings);
  return Number(counted.rows[0]?.n ?? 0);
}

interface CheckedFile {
  id: string;
  key: string;
  name: string;
  type: string;
  data: Buffer;
}

/** Checks the attachments by content and stores their bytes; the caller removes them if the message is not saved. */
async function storeAttachments(deps: MessagesDeps, threadId: string, uploads: readonly Upload[]): Promise<CheckedFile[]> {
  const checked = checkAttachments(uploads.map((u) => u.data));
  if ('refusal' in checked) throw attachmentRefused(checked.refusal);
  const files = uploads.map((u, i) => {
    const type = checked.types[i];
    const id = randomUUID();
    return { id, key: `messages/${threadId}/${id}.${CHECKED_TYPES[type].ext}`, name: storedFileName(u.name, type), type, data: u.data };
  });
  for (const f of files) await deps.storage.put(f.key, f.data);
  return files;
}

async function insertMessage(trx: Knex.Transaction, actor: Actor, threadId: string, body: string, files: CheckedFile[]): Promise<string> {
  const id = randomUUID();
  await trx('messages').insert({ id, thread_id: threadId, author_kind: isOffice(actor) ? 'admin' : 'lawyer', author_id: actor.id, body: body.trim() });
  for (const f of files)
    await trx('message_attachments').insert({
      id: f.id,
      message_id: id,
      thread_id: threadId,
      storage_key: f.key,
      original_name: f.name,
      content_type: f.type,
      size_bytes: f.data.length,
      sha256: createHash('sha256').update(f.data).digest('hex'),
    });
  await markRead(trx, actor, threadId);
  return id;
}

async function withStoredFiles<T>(deps: MessagesDeps, threadId: string, uploads: readonly Upload[], work: (files: CheckedFile[]) => Promise<T>): Promise<T> {
  const files = await storeAttachments(deps, threadId, uploads);
  try {
    return await work(files);
  } catch (err) {
    for (const f of files) await deps.storage.delete(f.key).catch(() => undefined);
    throw err;
  }
}

/** A new thread: the office to all, a bureau or a lawyer; a lawyer to the office. Refusals are 400s at their fields. */
export async function startThread(deps: MessagesDeps, actor: Actor, input: NewThreadInput, uploads: readonly Upload[] = []): Promise<{ id: string }> {
  const errors: FieldError[] = newThreadErrors(actor, input);
  if (errors.length === 0 && isOffice(actor)) {
    if (input.to === 'bureau' && !(await deps.db('bureaus').where({ id: input.bureauId }).first('id')))
      errors.push({ field: 'bureauId', code: 'messages.no_such_bureau' });
    if (input.to === 'lawyer' && !(await deps.db('lawyers').where({ id: input.lawyerId, on_active_register: true }).first('id')))
      errors.push({ field: 'lawyerId', code: 'messages.no_such_lawyer' });
  }
  if (errors.length > 0) throw invalidInput(errors);
  const scope = audienceOf(actor, input);
  const threadId = randomUUID();
  return withStoredFiles(deps, threadId, uploads, (files) =>
    deps.db.transaction(async (trx) => {
      const author = { kind: isOffice(actor) ? 'admin' : 'lawyer', id: actor.id };
      await trx('message_threads').insert({
        id: threadId,
        subject: input.subject.trim(),
        audience: scope.audience,
        bureau_id: scope.bureauId ?? null,
        lawyer_id: scope.lawyerId ?? null,
        started_by_kind: author.kind,
        started_by_id: author.id,
        last_author_kind: author.kind,
        last_author_id: author.id,
        last_office_message_at: isOffice(actor) ? trx.fn.now() : null,
        recipients_count: scope.audience === 'lawyer' ? 1 : 0,
      });
      const messageId = await insertMessage(trx, actor, threadId, input.body, files);
      const recipients = await queueEmails(trx, deps, actor, threadId, scope, messageId);
      if (isOffice(actor)) await trx('message_threads').where({ id: threadId }).update({ recipients_count: recipients });
      return { id: threadId };
    }),
  );
}

/** An answer in a thread the person sees (a lawyer only in a private thread). */
export async function reply(deps: MessagesDeps, actor: Actor, threadId: string, body: string, uploads: readonly Upload[] = []): Promise<{ id: string }> {
  const row = await visibleThread(deps.db, actor, threadId);
  const refusal = replyRefusal(actor, scopeOf(row));
  if (refusal) throw conflict(refusal);
  const errors = bodyErrors(body);
  if (errors.length > 0) throw invalidInput(errors);
  return withStoredFiles(deps, threadId, uploads, (files) =>
    deps.db.transaction(async (trx) => {
      const messageId = await insertMessage(trx, actor, threadId, body, files);
      const recipients = await queueEmails(trx, deps, actor, threadId, scopeOf(row), messageId);
      const office = isOffice(actor);
      await trx('message_threads')
        .where({ id: threadId })
        .update({
          last_message_at: trx.fn.now(),
          last_author_kind: office ? 'admin' : 'lawyer',
          last_author_id: actor.id,
          ...(office ? { last_office_message_at: trx.fn.now(), recipients_count: recipients } : {}),
        });
      return { id: messageId };
    }),
  );
}

/** One attachment of a thread the person sees, with its bytes; else 404. */
export async function readAttachment(deps: Pick<MessagesDeps, 'db' | 'storage'>, actor: Actor, threadId: string, attachmentId: string) {
  await visibleThread(deps.db, actor, threadId);
  const file = /^[0-9a-f-]{36}$/i.test(attachmentId)
    ? ((await deps.db('message_attachments').where({ id: attachmentId, thread_id: threadId }).first()) as
        { storage_key: string; original_name: string; content_type: string } | undefined)
    : undefined;
  const data = file ? await deps.storage.get(file.storage_key) : undefined;
  if (!file || !data) throw notFound('messages.no_such_attachment');
  return { name: file.original_name, contentType: file.content_type, data };
}
