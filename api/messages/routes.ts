/**
 * Messages' JSON API (R7): thin routes over api/messages/service.ts. Sending and answering take a
 * JSON body, or a multipart form with the same fields and up to three files in "file" (PDF, JPEG
 * or PNG by content, at most 10 MB each). Only lawyers and the Bar office; a thread the caller may
 * not see is 404.
 */
import { type NextFunction, type Request, type Response, Router } from 'express';
import { z } from 'zod';
import { ATTACHMENT_MAX_BYTES, ATTACHMENTS_MAX } from '../../domain/messages';
import { currentActor, requireActor } from '../auth/actor';
import { sendStoredFile } from '../http/download';
import { fieldRefusal } from '../http/errors';
import { parseBody } from '../http/schemas';
import { uploadReader, uploadsOf } from '../http/upload';
import {
  assertVisibleThread,
  attachmentTooLarge,
  listThreads,
  type MessagesDeps,
  readAttachment,
  readThread,
  reply,
  startThread,
  unreadCount,
} from './service';

const text = (max: number) => z.string().max(max);

/** A new thread: the office names `to` (all, bureau with bureauId, lawyer with lawyerId); a lawyer writes to the office. */
export const newThreadSchema = z
  .object({ subject: text(1000), body: text(100_000), to: text(20).optional(), bureauId: text(100).optional(), lawyerId: text(100).optional() })
  .openapi('NewMessageThread');
export const replySchema = z.object({ body: text(100_000) }).openapi('MessageReply');

/** Reads the attachments of a multipart form (JSON bodies pass through untouched). */
export const readAttachments = () =>
  uploadReader({
    field: 'file',
    maxBytes: ATTACHMENT_MAX_BYTES,
    maxFiles: ATTACHMENTS_MAX,
    maxFieldBytes: 100_000,
    tooLarge: attachmentTooLarge,
    tooMany: () => fieldRefusal('file', 'too_large', 'messages.too_many_files', { max: ATTACHMENTS_MAX }),
  });

export function messagesRouter(deps: MessagesDeps): Router {
  const router = Router();
  const people = requireActor('lawyer', 'admin');
  const id = (req: Request) => String(req.params.id);

  router.get('/unread', people, async (req, res) => {
    res.json({ unread: await unreadCount(deps.db, currentActor(req)) });
  });

  router.get('/threads', people, async (req, res) => {
    res.json({ threads: await listThreads(deps, currentActor(req)) });
  });

  router.post('/threads', people, readAttachments(), async (req, res) => {
    const input = parseBody(newThreadSchema, req.body);
    const actor = currentActor(req);
    const { id: threadId } = await startThread(deps, actor, { ...input, subject: input.subject, body: input.body }, uploadsOf(res));
    res.status(201).json({ thread: await readThread(deps, actor, threadId, { markRead: false }) });
  });

  router.get('/threads/:id', people, async (req, res) => {
    res.json({ thread: await readThread(deps, currentActor(req), id(req)) });
  });

  /** Checks who asks before the body is read. */
  const mayAnswer = async (req: Request, _res: Response, next: NextFunction) => {
    await assertVisibleThread(deps, currentActor(req), id(req));
    next();
  };

  router.post('/threads/:id/messages', people, mayAnswer, readAttachments(), async (req, res) => {
    const { body } = parseBody(replySchema, req.body);
    const actor = currentActor(req);
    const message = await reply(deps, actor, id(req), body, uploadsOf(res));
    res.status(201).json({ message, thread: await readThread(deps, actor, id(req), { markRead: false }) });
  });

  router.get('/threads/:id/attachments/:attachmentId', people, async (req, res) => {
    sendStoredFile(res, await readAttachment(deps, currentActor(req), id(req), String(req.params.attachmentId)));
  });

  return router;
}
