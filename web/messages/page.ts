/**
 * "Mesajlar" (R7): the lawyer's messages at /messages, the Bar office's at /admin/messages — the
 * list (unread marked; the office sees "read by 812 of 2,140"), a thread with its answers and
 * attachments, and the form for a new message or an answer. The forms are plain multipart forms
 * (the files ride along), so they work without JavaScript; a refused form comes back with the
 * message at its field and what was typed kept (the files must be chosen again: browsers never
 * refill a file input). The menu's unread count is set for every page by `messagesCounts`.
 */
import { formatDateTime } from '../../domain/shared/dates';
import { type NextFunction, type Request, type Response, Router } from 'express';
import { currentActor } from '../../api/auth/actor';
import { HttpError, localizedFields } from '../../api/http/errors';
import { uploadsOf } from '../../api/http/upload';
import { readAttachments } from '../../api/messages/routes';
import {
  assertVisibleThread,
  listThreads,
  type MessagesDeps,
  readThread,
  recipientChoices,
  reply,
  startThread,
  type ThreadSummary,
  type ThreadView,
  unreadCount,
} from '../../api/messages/service';
import { ATTACHMENT_MAX_MB, ATTACHMENTS_MAX } from '../../domain/messages';
import type { Actor } from '../../domain/shared/actor';
import type { FieldError } from '../../domain/shared/field-error';
import type { WebDeps } from '../shared/deps';
import { checkFormToken, runMiddleware } from '../shared/multipart';
import { localizeReason, redirectWithAlert, redirectWithNotice, takeAlert } from '../shared/feedback';
import { formBody, formText } from '../shared/form';
import { requirePageActor } from '../shared/guard';
import type { Locale } from '../shared/i18n';
import { renderPage, t } from '../shared/render';

type Side = 'lawyer' | 'admin';
const BASE: Record<Side, string> = { lawyer: '/messages', admin: '/admin/messages' };
const SECTION: Record<Side, string> = { lawyer: 'messages', admin: 'office-messages' };

const localeOf = (res: Response): Locale => (res.locals.locale === 'en' ? 'en' : 'az');
const when = (value: string) => formatDateTime(value);
const sizeText = (bytes: number) => (bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`);
const grouped = (n: number) => n.toLocaleString('en-US');

/** Sets `unreadMessages` for the layout's menu: one indexed count, for signed-in lawyers and the Bar office. */
export function messagesCounts(deps: WebDeps) {
  return async (req: Request, res: Response, next: NextFunction) => {
    const actor = req.session?.actor;
    if (req.method !== 'GET' || !actor || (actor.kind !== 'lawyer' && actor.kind !== 'admin')) return next();
    try {
      res.locals.unreadMessages = await unreadCount(deps.db, currentActor(req));
    } catch {
      // The page says what is wrong with the database itself; the menu goes without its count.
    }
    next();
  };
}

function audienceText(res: Response, side: Side, thread: ThreadSummary): string {
  if (thread.audience === 'all') return t(res, 'messages.audience.all');
  if (thread.audience === 'bureau') return t(res, 'messages.audience.bureau', { name: thread.bureau?.name ?? '' });
  return side === 'admin' ? t(res, 'messages.audience.lawyer', { name: thread.lawyer?.name ?? '' }) : t(res, 'messages.audience.mine');
}

const receiptText = (res: Response, thread: ThreadSummary) =>
  thread.receipt ? t(res, 'messages.readBy', { read: grouped(thread.receipt.read), of: grouped(thread.receipt.of) }) : undefined;

function threadRows(res: Response, side: Side, threads: ThreadSummary[]) {
  return threads.map((th) => ({
    ...th,
    href: `${BASE[side]}/${th.id}`,
    audienceText: audienceText(res, side, th),
    when: when(th.lastMessageAt),
    receiptText: receiptText(res, th),
  }));
}

function threadPage(res: Response, side: Side, thread: ThreadView) {
  return {
    ...thread,
    audienceText: audienceText(res, side, thread),
    receiptText: receiptText(res, thread),
    messages: thread.messages.map((m) => ({
      ...m,
      who: m.author.kind === 'office' ? t(res, 'messages.office') : (m.author.name ?? ''),
      fromOffice: m.author.kind === 'office',
      when: when(m.createdAt),
      attachments: m.attachments.map((a) => ({ ...a, size: sizeText(a.sizeBytes) })),
    })),
  };
}

interface NewForm {
  subject: string;
  body: string;
  to: string;
  bureauId: string;
  lawyerId: string;
}

async function renderNew(req: Request, res: Response, deps: MessagesDeps, side: Side, values: NewForm, errors: FieldError[] = [], status = 200) {
  const choices = side === 'admin' ? await recipientChoices(deps) : undefined;
  renderPage(
    req,
    res,
    'messages/new',
    {
      title: t(res, 'messages.newMessage'),
      section: SECTION[side],
      base: BASE[side],
      office: side === 'admin',
      values,
      errors: localizedFields(localeOf(res), errors),
      filesHint: t(res, 'messages.files', { mb: ATTACHMENT_MAX_MB, max: ATTACHMENTS_MAX }),
      filesAgain: errors.length > 0,
      audiences: ['all', 'bureau', 'lawyer'].map((id) => ({ id, label: t(res, `messages.to.${id}`), selected: values.to === id })),
      bureaus: choices?.bureaus.map((b) => ({ ...b, selected: b.id === values.bureauId })),
      lawyers: choices?.lawyers.map((l) => ({ ...l, selected: l.id === values.lawyerId })),
    },
    status,
  );
}

async function renderThread(
  req: Request,
  res: Response,
  deps: MessagesDeps,
  side: Side,
  id: string,
  form: { body: string; errors?: FieldError[] },
  status = 200,
) {
  const thread = await readThread(deps, currentActor(req), id);
  // Reading it just now took it off the count.
  if (typeof res.locals.unreadMessages === 'number')
    res.locals.unreadMessages = await unreadCount(deps.db, currentActor(req)).catch(() => res.locals.unreadMessages as number);
  renderPage(
    req,
    res,
    'messages/thread',
    {
      title: thread.subject,
      section: SECTION[side],
      base: BASE[side],
      office: side === 'admin',
      thread: threadPage(res, side, thread),
      alert: takeAlert(req),
      values: { body: form.body },
      errors: localizedFields(localeOf(res), form.errors ?? []),
      filesHint: t(res, 'messages.files', { mb: ATTACHMENT_MAX_MB, max: ATTACHMENTS_MAX }),
      filesAgain: (form.errors ?? []).length > 0,
      // The thread's ID, never its subject, goes into the URL.
      newFromHere: `${BASE.lawyer}/new?re=${thread.id}`,
    },
    status,
  );
}

/** A refused form's field errors, or undefined when the refusal is not about the form's fields. */
const formErrors = (err: unknown): FieldError[] | undefined =>
  err instanceof HttpError && err.status === 400 ? (err.fields ?? [{ field: 'body', code: err.reason, params: err.params }]) : undefined;

/**
 * The forms that carry files: mounted before the pages' form-token check, because a multipart
 * form's token is in the body. Who asks is checked first, then the form is read, then its token.
 */
export function messagesForms(deps: WebDeps): Router {
  const router = Router();
  const upload = readAttachments();
  const parse = (req: Request, res: Response) => runMiddleware(upload, req, res);
  const checkToken = checkFormToken;

  /** Reads the form; a refused upload (too large, too many) is kept as the form's error, with the text typed before the file. */
  async function readForm(req: Request, res: Response): Promise<{ fields: Record<string, unknown>; uploadError?: FieldError[] }> {
    let uploadError: FieldError[] | undefined;
    try {
      await parse(req, res);
    } catch (err) {
      uploadError = formErrors(err);
      if (!uploadError) throw err;
    }
    await checkToken(req, res);
    return { fields: formBody(req), uploadError };
  }

  for (const side of ['lawyer', 'admin'] as const) {
    router.post(BASE[side], requirePageActor(side), async (req, res) => {
      const { fields, uploadError } = await readForm(req, res);
      const values: NewForm = {
        subject: formText(fields.subject),
        body: formText(fields.body),
        to: side === 'lawyer' ? 'office' : formText(fields.to),
        bureauId: formText(fields.bureauId),
        lawyerId: formText(fields.lawyerId),
      };
      if (uploadError) return renderNew(req, res, deps, side, values, uploadError, 400);
      try {
        const { id } = await startThread(deps, currentActor(req), values, uploadsOf(res));
        return await redirectWithNotice(req, res, `${BASE[side]}/${id}`, t(res, 'messages.sent'));
      } catch (err) {
        const errors = formErrors(err);
        if (!errors) throw err;
        return renderNew(req, res, deps, side, values, errors, 400);
      }
    });

    router.post(`${BASE[side]}/:id/reply`, requirePageActor(side), async (req, res) => {
      const id = String(req.params.id);
      const actor: Actor = currentActor(req);
      try {
        await assertVisibleThread(deps, actor, id);
      } catch (err) {
        if (err instanceof HttpError && err.status === 409)
          return redirectWithAlert(req, res, `${BASE[side]}/${id}`, localizeReason(res, err.reason, err.params));
        throw err;
      }
      const { fields, uploadError } = await readForm(req, res);
      const body = formText(fields.body);
      if (uploadError) return renderThread(req, res, deps, side, id, { body, errors: uploadError }, 400);
      try {
        await reply(deps, actor, id, body, uploadsOf(res));
        return await redirectWithNotice(req, res, `${BASE[side]}/${id}`, t(res, 'messages.replySent'));
      } catch (err) {
        const errors = formErrors(err);
        if (!errors) throw err;
        return renderThread(req, res, deps, side, id, { body, errors }, 400);
      }
    });
  }
  return router;
}

export function messagesPages(deps: WebDeps): Router {
  const router = Router();
  for (const side of ['lawyer', 'admin'] as const) {
    router.get(BASE[side], requirePageActor(side), async (req, res) => {
      const threads = await listThreads(deps, currentActor(req));
      renderPage(req, res, 'messages/list', {
        title: t(res, 'messages.title'),
        section: SECTION[side],
        base: BASE[side],
        office: side === 'admin',
        alert: takeAlert(req),
        threads: threadRows(res, side, threads),
      });
    });

    router.get(`${BASE[side]}/new`, requirePageActor(side), async (req, res) => {
      // "Aparata mesaj yaz" from a broadcast: the answer's subject is the broadcast's.
      const re = typeof req.query.re === 'string' ? req.query.re : undefined;
      const about = re ? await readThread(deps, currentActor(req), re, { markRead: false }).catch(() => undefined) : undefined;
      const subject = about ? `Re: ${about.subject}`.slice(0, 200) : '';
      await renderNew(req, res, deps, side, { subject, body: '', to: side === 'lawyer' ? 'office' : '', bureauId: '', lawyerId: '' });
    });

    router.get(`${BASE[side]}/:id`, requirePageActor(side), async (req, res) => {
      await renderThread(req, res, deps, side, String(req.params.id), { body: '' });
    });
  }
  return router;
}
