/**
 * The demo's messages (R7, issue 11), so that "Mesajlar" shows something at once: a broadcast of
 * the Bar office (read by the head of "baki-1"), a message to the bureau "baki-1", and a lawyer's
 * thread with the office — Elçin Məmmədov's question with a PDF attached, and the office's answer,
 * still unread by him (his menu says "Mesajlar (n)"). Fixed IDs: seeding again changes nothing.
 * Development only; no e-mail is queued for these.
 */
import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import type { FileStorage } from '../platform/file-storage';

const BROADCAST = '6d3f0c1e-0000-4000-8000-000000000001';
const BUREAU = '6d3f0c1e-0000-4000-8000-000000000002';
const PRIVATE = '6d3f0c1e-0000-4000-8000-000000000003';
const ATTACHMENT = '6d3f0c1e-0000-4000-8000-0000000000a1';
const ATTACHMENT_KEY = `messages/${PRIVATE}/${ATTACHMENT}.pdf`;

/** A small, well-formed one-page PDF. */
function demoPdf(): Buffer {
  const objects = ['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [3 0 R] /Count 1 >>', '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>'];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(body.length);
    body += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

const ago = (db: Knex, hours: number) => db.raw(`now() - interval '${hours} hours'`);

export async function seedDemoMessages(db: Knex, storage: FileStorage): Promise<void> {
  if (await db('message_threads').where({ id: BROADCAST }).first('id')) return;
  const pdf = demoPdf();
  await storage.put(ATTACHMENT_KEY, pdf);
  await db.transaction(async (trx) => {
    const active = Number((await trx('lawyers').where({ on_active_register: true }).count<{ n: string }[]>({ n: '*' }))[0].n);
    const baki = Number((await trx('lawyers').where({ on_active_register: true, bureau_id: 'baki-1' }).count<{ n: string }[]>({ n: '*' }))[0].n);
    const office = { kind: 'admin', id: 'admin-bar-office' };
    const thread = (id: string, subject: string, audience: string, hours: number, more: Record<string, unknown>) => ({
      id,
      subject,
      audience,
      started_by_kind: office.kind,
      started_by_id: office.id,
      created_at: ago(trx, hours),
      last_message_at: ago(trx, hours),
      last_author_kind: office.kind,
      last_author_id: office.id,
      last_office_message_at: ago(trx, hours),
      ...more,
    });
    await trx('message_threads').insert([
      thread(BROADCAST, 'Vəkillərin ümumi yığıncağı 15 dekabrda', 'all', 48, { recipients_count: active }),
      thread(BUREAU, 'Ödəniş agenti ilə müqavilənin yenilənməsi', 'bureau', 30, { bureau_id: 'baki-1', recipients_count: baki }),
      thread(PRIVATE, 'Lisenziyanın yenilənməsi', 'lawyer', 26, {
        lawyer_id: 'lawyer-mammadov',
        started_by_kind: 'lawyer',
        started_by_id: 'lawyer-mammadov',
        last_message_at: ago(trx, 2),
        last_office_message_at: ago(trx, 2),
        recipients_count: 1,
      }),
    ]);
    const message = (id: string, threadId: string, author: { kind: string; id: string }, body: string, hours: number) => ({
      id,
      thread_id: threadId,
      author_kind: author.kind,
      author_id: author.id,
      body,
      created_at: ago(trx, hours),
    });
    const elcin = { kind: 'lawyer', id: 'lawyer-mammadov' };
    await trx('messages').insert(
      message(
        '6d3f0c1e-0000-4000-8000-000000000101',
        BROADCAST,
        office,
        'Hörmətli həmkarlar,\n\nVəkillərin ümumi yığıncağı 15 dekabr saat 11:00-da Kollegiyanın binasında keçiriləcək. Gündəlik əlavə olunacaq.',
        48,
      ),
    );
    await trx('messages').insert(
      message(
        '6d3f0c1e-0000-4000-8000-000000000102',
        BUREAU,
        office,
        'Ödəniş agenti ilə müqavilənizin müddəti 31 dekabrda bitir. Yeni müqavilənin surətini aparata göndərin.',
        30,
      ),
    );
    await trx('messages').insert(
      message(
        '6d3f0c1e-0000-4000-8000-000000000103',
        PRIVATE,
        elcin,
        'Lisenziyamın yenilənmiş surətini əlavə edirəm. Reyestrdə dəyişiklik edilməsini xahiş edirəm.',
        26,
      ),
    );
    await trx('messages').insert(message('6d3f0c1e-0000-4000-8000-000000000104', PRIVATE, office, 'Surət alındı, reyestr yeniləndi. Təşəkkür edirik.', 2));
    await trx('message_attachments').insert({
      id: ATTACHMENT,
      message_id: '6d3f0c1e-0000-4000-8000-000000000103',
      thread_id: PRIVATE,
      storage_key: ATTACHMENT_KEY,
      original_name: 'Lisenziya.pdf',
      content_type: 'application/pdf',
      size_bytes: pdf.length,
      sha256: createHash('sha256').update(pdf).digest('hex'),
      created_at: ago(trx, 26),
    });
    await trx('message_reads').insert([
      { thread_id: BROADCAST, reader_kind: 'lawyer', reader_id: 'head-huseynova', read_at: ago(trx, 40) },
      { thread_id: PRIVATE, reader_kind: 'office', reader_id: 'office', read_at: ago(trx, 2) },
      { thread_id: PRIVATE, reader_kind: 'lawyer', reader_id: 'lawyer-mammadov', read_at: ago(trx, 26) },
    ]);
  });
}
