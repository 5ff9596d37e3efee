/** The messages area's operations for the OpenAPI document (R7), spread into api/http/openapi.ts. */
import type { ContractOperation } from '../contract/openapi';
import { newThreadSchema, replySchema } from './routes';

export const MESSAGES_OPERATIONS: ContractOperation[] = [
  { method: 'get', path: '/api/messages/unread', summary: 'How many threads wait to be read by the caller (lawyer or Bar office)', rule: 'R7' },
  {
    method: 'get',
    path: '/api/messages/threads',
    summary:
      'The threads the caller sees, latest first: a lawyer the broadcasts, their bureau’s and their own; the Bar office all, each with receipt {read, of} (lawyers who read it since the office last wrote, of the active lawyers it went to then)',
    rule: 'R7',
  },
  {
    method: 'post',
    path: '/api/messages/threads',
    summary:
      'Start a thread: the Bar office to: all | bureau (bureauId) | lawyer (lawyerId); a lawyer writes to the Bar office. JSON, or multipart with the same fields and up to 3 files in "file" (PDF, JPEG, PNG by content, 10 MB each). Each recipient gets an e-mail that a message is waiting (never its content)',
    body: newThreadSchema,
    rule: 'R7',
  },
  {
    method: 'get',
    path: '/api/messages/threads/{id}',
    summary: 'A thread with its messages in order and their attachments; reading it marks it read',
    rule: 'R7',
  },
  {
    method: 'post',
    path: '/api/messages/threads/{id}/messages',
    summary:
      'Answer in a thread (JSON or multipart with files, as for a new thread); a lawyer answers only in a private thread (409 messages.reply_to_office_instead in a broadcast or bureau thread)',
    body: replySchema,
    rule: 'R7',
  },
  {
    method: 'get',
    path: '/api/messages/threads/{id}/attachments/{attachmentId}',
    summary: 'Download an attachment (Content-Disposition attachment, no-store), for those who see the thread',
    rule: 'R7',
  },
];
