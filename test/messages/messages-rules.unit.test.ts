/** The rules of messages (R7, R2.5; issue 11): who sees a thread, who answers in it, what a message and its files may be. */
import { describe, expect, it } from 'vitest';
import { ATTACHMENT_MAX_BYTES, checkAttachments, maySeeThread, newThreadErrors, replyRefusal } from '../../domain/messages';
import type { Actor } from '../../domain/shared/actor';

const office: Actor = { kind: 'admin', id: 'admin-1' };
const elcin: Actor = { kind: 'lawyer', id: 'lawyer-mammadov', bureauId: 'baki-1' };
const head: Actor = { kind: 'lawyer', id: 'head-huseynova', bureauId: 'baki-1', isHead: true };
const other: Actor = { kind: 'lawyer', id: 'individual-quliyev', bureauId: 'quliyev' };
const applicant: Actor = { kind: 'applicant', id: 'a-1' };
const PDF = Buffer.from('%PDF-1.4\n%%EOF\n', 'latin1');

describe('who sees and who answers a thread (R7, R2.5)', () => {
  it('broadcasts reach every lawyer, a bureau message its bureau, a private thread its lawyer only (not the head)', () => {
    expect([elcin, head, other, office, applicant].map((a) => maySeeThread(a, { audience: 'all' }))).toEqual([true, true, true, true, false]);
    expect([elcin, head, other].map((a) => maySeeThread(a, { audience: 'bureau', bureauId: 'baki-1' }))).toEqual([true, true, false]);
    expect([elcin, head, other, office].map((a) => maySeeThread(a, { audience: 'lawyer', lawyerId: elcin.id }))).toEqual([true, false, false, true]);
  });

  it('a lawyer answers only in a private thread; the office anywhere', () => {
    expect(replyRefusal(elcin, { audience: 'all' })).toBe('messages.reply_to_office_instead');
    expect(replyRefusal(elcin, { audience: 'bureau', bureauId: 'baki-1' })).toBe('messages.reply_to_office_instead');
    expect(replyRefusal(elcin, { audience: 'lawyer', lawyerId: elcin.id })).toBeUndefined();
    expect(replyRefusal(office, { audience: 'all' })).toBeUndefined();
  });
});

describe('what a message may be (R7)', () => {
  it('names each missing field; the office names whom, a lawyer writes to the office only', () => {
    expect(newThreadErrors(office, { subject: ' ', body: '', to: 'bureau' }).map((e) => [e.field, e.code])).toEqual([
      ['subject', 'messages.subject_required'],
      ['body', 'messages.body_required'],
      ['bureauId', 'messages.no_such_bureau'],
    ]);
    expect(newThreadErrors(office, { subject: 'Mövzu', body: 'Mətn' }).map((e) => e.field)).toEqual(['to']);
    expect(newThreadErrors(elcin, { subject: 'Mövzu', body: 'Mətn', to: 'all' }).map((e) => e.code)).toEqual(['messages.lawyers_write_to_office']);
    expect(newThreadErrors(elcin, { subject: 'Mövzu', body: 'Mətn' })).toEqual([]);
  });

  it('attachments are told by content: a text named .pdf, an empty file, one over 10 MB and a fourth file are refused', () => {
    expect(checkAttachments([PDF])).toEqual({ types: ['application/pdf'] });
    expect(checkAttachments([Buffer.from('not a pdf')])).toMatchObject({ refusal: { field: 'file', short: 'wrong_type', code: 'messages.file_wrong_type' } });
    expect(checkAttachments([Buffer.alloc(0)])).toMatchObject({ refusal: { short: 'required', code: 'messages.file_empty' } });
    expect(checkAttachments([Buffer.concat([PDF, Buffer.alloc(ATTACHMENT_MAX_BYTES)])])).toMatchObject({
      refusal: { code: 'messages.file_too_large', params: { mb: 10 } },
    });
    expect(checkAttachments([PDF, PDF, PDF, PDF])).toMatchObject({ refusal: { code: 'messages.too_many_files' } });
  });
});
