/**
 * The dossier, "Sənədlər" (SPEC R4.5), through real HTTP: a lawyer adds scanned files (the type
 * checked from the content, at most 10 MB), everyone who may see the contract lists and downloads
 * them, the lawyer removes them with an audit record left behind, and nobody else reaches them.
 * The generated contract and order versions are part of the same dossier.
 */
import type { DossierFile } from '../../api/dossier/service';
import { deflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileStorageFor } from '../../platform/file-storage';
import { activeContract, createDraft, expectStatus, loginDemoLawyers, submittedContract, webUrl } from '../support/api';
import { HttpClient } from '../support/http-client';
import { startTestSystem, type TestSystem } from '../support/system';

let system: TestSystem;
/** The lawyer and the colleague of bureau "baki-1", its head, and the individual lawyer (another bureau). */
let lawyer: HttpClient;
let colleague: HttpClient;
let head: HttpClient;
let individual: HttpClient;
let anonymous: HttpClient;

beforeAll(async () => {
  system = await startTestSystem({ web: true });
  ({ lawyer, colleague, head, individual } = await loginDemoLawyers(system));
  anonymous = new HttpClient(webUrl(system));
});
afterAll(async () => {
  await system?.close();
});

// ---------------------------------------------------------------- files built here

/** A small but well-formed one-page PDF. */
function tinyPdf(): Buffer {
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

function crc32(data: Buffer): number {
  let crc = ~0;
  for (const byte of data) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return ~crc >>> 0;
}

/** A real 2×2 grey PNG: signature, IHDR, IDAT, IEND with their CRCs. */
function tinyPng(): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const typed = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(typed));
    return Buffer.concat([len, typed, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(2, 0);
  ihdr.writeUInt32BE(2, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // greyscale
  const rows = Buffer.from([0, 0x80, 0x80, 0, 0x80, 0x80]); // filter byte + 2 pixels, twice
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// ---------------------------------------------------------------- the calls

/** "Yadda saxla" over the API: the bytes as the body, the name URI-encoded in X-File-Name. */
async function upload(browser: HttpClient, contractId: string, bytes: Buffer, name: string, contentType = 'application/octet-stream') {
  const sid = browser.cookie('evk.sid');
  const response = await fetch(`${browser.baseUrl}/api/contracts/${contractId}/dossier`, {
    method: 'POST',
    headers: { 'content-type': contentType, 'x-file-name': encodeURIComponent(name), ...(sid ? { cookie: browser.cookieHeader() } : {}) },
    body: new Uint8Array(bytes),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined, text };
}

/** "Yadda saxla" as the page's plain form sends it without JavaScript: multipart, the form token in the body. */
async function uploadByForm(browser: HttpClient, contractId: string, bytes: Buffer, name: string, withToken = true) {
  const page = await browser.get(`/contracts/${contractId}`, { accept: 'text/html' });
  const token = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
  const form = new FormData();
  if (withToken) form.append('_csrf', token);
  form.append('file', new Blob([new Uint8Array(bytes)]), name);
  const sid = browser.cookie('evk.sid');
  const response = await fetch(`${browser.baseUrl}/contracts/${contractId}/dossier`, {
    method: 'POST',
    headers: { accept: 'text/html', ...(sid ? { cookie: browser.cookieHeader() } : {}) },
    body: form,
    redirect: 'manual',
  });
  return { status: response.status, location: response.headers.get('location') ?? '', text: await response.text() };
}

async function dossier(browser: HttpClient, contractId: string) {
  return expectStatus(await browser.get(`/api/contracts/${contractId}/dossier`), 200, 'the dossier').body as {
    files: DossierFile[];
    documents: { kind: string; version: number; name: string; url: string; superseded: boolean }[];
  };
}

describe('the dossier, "Sənədlər" (R4.5)', () => {
  it('stores a PDF and a PNG by their content, lists them with who and when, and gives back the same bytes', async () => {
    const id = await submittedContract(lawyer);
    const pdf = tinyPdf();
    const png = tinyPng();

    const addedPdf = await upload(lawyer, id, pdf, 'Şəxsiyyət vəsiqəsi "skan".pdf', 'application/pdf');
    expect(addedPdf.status, addedPdf.text).toBe(201);
    expect(addedPdf.body.file).toMatchObject({
      name: 'Şəxsiyyət vəsiqəsi "skan".pdf',
      contentType: 'application/pdf',
      sizeBytes: pdf.length,
      addedBy: { kind: 'lawyer', id: 'lawyer-mammadov' },
    });
    // The browser's claim is ignored: a PNG sent as "application/pdf" and named .jpg is stored as a PNG,
    // and (issue 9 item 9) its name follows the checked type: scan.png.
    const addedPng = await upload(lawyer, id, png, 'C:\\Users\\elcin\\scan.jpg', 'application/pdf');
    expect(addedPng.status, addedPng.text).toBe(201);
    expect(addedPng.body.file).toMatchObject({ name: 'scan.png', contentType: 'image/png', sizeBytes: png.length });

    const listed = await dossier(lawyer, id);
    expect(listed.files.map((f) => f.name)).toEqual(['scan.png', 'Şəxsiyyət vəsiqəsi "skan".pdf']);
    for (const f of listed.files) {
      expect(f.addedBy.name).toMatch(/\S+ \S+/);
      expect(Date.now() - Date.parse(f.addedAt)).toBeLessThan(5 * 60_000);
    }
    // Not issued yet: no generated versions.
    expect(listed.documents).toEqual([]);

    const downloaded = await lawyer.getBytes(addedPdf.body.file.url);
    expect(downloaded.status).toBe(200);
    expect(downloaded.bytes.equals(pdf)).toBe(true);
    expect(downloaded.headers.get('content-type')).toBe('application/pdf');
    const disposition = downloaded.headers.get('content-disposition') ?? '';
    expect(disposition).toMatch(/^attachment; filename="[\x20-\x7e]+"; filename\*=UTF-8''/);
    expect(disposition).not.toMatch(/filename="[^"]*"[^;]*"/);
    expect(decodeURIComponent(disposition.split("filename*=UTF-8''")[1])).toBe('Şəxsiyyət vəsiqəsi "skan".pdf');
    const image = await lawyer.getBytes(addedPng.body.file.url);
    expect(image.headers.get('content-type')).toBe('image/png');
    expect(image.bytes.equals(png)).toBe(true);

    // The bytes live in the storage, not in the database or the workflow.
    const row = await system.db('dossier_files').where({ id: addedPdf.body.file.id }).first();
    expect(row.storage_key).toMatch(new RegExp(`^contracts/${id}/dossier/`));
    expect(JSON.stringify((await system.db('contracts').where({ id }).first()).view)).not.toContain(addedPdf.body.file.id);
    const audit = await system.db('dossier_audit').where({ contract_id: id }).orderBy('id');
    expect(audit.map((a) => [a.action, a.actor_id])).toEqual([
      ['added', 'lawyer-mammadov'],
      ['added', 'lawyer-mammadov'],
    ]);
  });

  it('refuses a text file named .pdf, an empty upload and a file over 10 MB, with a clear message, and stores nothing', async () => {
    const id = await createDraft(lawyer);
    const fake = await upload(lawyer, id, Buffer.from('This is not a scan, just text.\n'), 'scan.pdf', 'application/pdf');
    expect(fake.status).toBe(400);
    expect(fake.body.error.message).toMatch(/PDF, JPEG and PNG/);
    expect(fake.body.error.fields[0]).toMatchObject({ field: 'file', code: 'wrong_type' });

    const empty = await upload(lawyer, id, Buffer.alloc(0), 'empty.pdf');
    expect(empty.status).toBe(400);
    expect(empty.body.error.fields[0]).toMatchObject({ field: 'file', code: 'required' });

    const big = Buffer.alloc(10 * 1024 * 1024 + 1, 0x20);
    Buffer.from('%PDF-1.4\n', 'latin1').copy(big);
    const tooLarge = await upload(lawyer, id, big, 'big.pdf');
    expect(tooLarge.status).toBe(400);
    expect(tooLarge.body.error.message).toMatch(/10 MB/);
    expect(tooLarge.body.error.fields[0]).toMatchObject({ field: 'file', code: 'too_large' });

    // Exactly 10 MB is allowed.
    const limit = await upload(lawyer, id, big.subarray(0, 10 * 1024 * 1024), 'limit.pdf');
    expect(limit.status, limit.text).toBe(201);
    expect((await dossier(lawyer, id)).files.map((f) => f.name)).toEqual(['limit.pdf']);
  });

  it('R4.5 "Yadda saxla" works as a plain multipart form, without JavaScript; a refusal comes back on the page; no form token, nothing stored', async () => {
    const id = await submittedContract(lawyer);
    const added = await uploadByForm(lawyer, id, tinyPdf(), 'Etibarnamə.pdf');
    expect(added.status, added.text.slice(0, 300)).toBe(303);
    expect(added.location).toBe(`/contracts/${id}#dossier-h`);
    expect((await dossier(lawyer, id)).files.map((f) => f.name)).toEqual(['Etibarnamə.pdf']);
    const page = await lawyer.get(`/contracts/${id}`, { accept: 'text/html' });
    expect(page.text).toContain('“Etibarnamə.pdf” dosyeyə əlavə edildi.');

    const refused = await uploadByForm(lawyer, id, Buffer.from('not a scan'), 'scan.pdf');
    expect(refused.status).toBe(303);
    const again = await lawyer.get(`/contracts/${id}`, { accept: 'text/html' });
    expect(again.text).toContain('Yalnız PDF, JPEG və PNG faylları əlavə etmək olar');

    const forged = await uploadByForm(lawyer, id, tinyPng(), 'forged.png', false);
    expect(forged.status).toBe(403);
    expect((await dossier(lawyer, id)).files.map((f) => f.name)).toEqual(['Etibarnamə.pdf']);
  });

  it('removal hides the file and deletes its bytes, but the row and the audit record stay', async () => {
    const id = await submittedContract(lawyer);
    const added = await upload(lawyer, id, tinyPdf(), 'power-of-attorney.pdf');
    expect(added.status).toBe(201);
    const fileId = added.body.file.id as string;
    const key = (await system.db('dossier_files').where({ id: fileId }).first()).storage_key;

    const removed = await lawyer.delete(`/api/contracts/${id}/dossier/${fileId}`);
    expect(removed.status, removed.text).toBe(204);
    expect((await dossier(lawyer, id)).files).toEqual([]);
    expect((await lawyer.getBytes(`/api/contracts/${id}/dossier/${fileId}`)).status).toBe(404);
    expect((await lawyer.delete(`/api/contracts/${id}/dossier/${fileId}`)).status).toBe(404);

    const row = await system.db('dossier_files').where({ id: fileId }).first();
    expect(row.removed_at).not.toBeNull();
    expect(row).toMatchObject({ removed_by_kind: 'lawyer', removed_by_id: 'lawyer-mammadov', original_name: 'power-of-attorney.pdf' });
    const audit = await system.db('dossier_audit').where({ file_id: fileId }).orderBy('id');
    expect(audit.map((a) => a.action)).toEqual(['added', 'removed']);
    expect(audit[1]).toMatchObject({ actor_kind: 'lawyer', actor_id: 'lawyer-mammadov' });
    expect(audit[1].detail).toMatchObject({ name: 'power-of-attorney.pdf', sha256: row.sha256 });
    expect(await fileStorageFor(system.config).exists(key)).toBe(false);
  });

  it("another bureau's lawyer and a colleague get 404 for list, upload, download and removal; the head may; nobody anonymous", async () => {
    const id = await submittedContract(lawyer);
    const added = await upload(lawyer, id, tinyPng(), 'photo.png');
    expect(added.status).toBe(201);
    const fileId = added.body.file.id as string;

    for (const [who, browser] of [
      ['the individual lawyer of another bureau', individual],
      ['a colleague of the same bureau', colleague],
    ] as const) {
      expect((await browser.get(`/api/contracts/${id}/dossier`)).status, who).toBe(404);
      expect((await browser.getBytes(`/api/contracts/${id}/dossier/${fileId}`)).status, who).toBe(404);
      expect((await browser.delete(`/api/contracts/${id}/dossier/${fileId}`)).status, who).toBe(404);
      expect((await upload(browser, id, tinyPdf(), 'intruder.pdf')).status, who).toBe(404);
    }
    expect((await anonymous.get(`/api/contracts/${id}/dossier`)).status).toBe(401);
    expect((await anonymous.getBytes(`/api/contracts/${id}/dossier/${fileId}`)).status).toBe(401);

    // A file ID of another contract is not reachable through this contract.
    const other = await submittedContract(individual);
    expect((await individual.getBytes(`/api/contracts/${other}/dossier/${fileId}`)).status).toBe(404);
    expect((await individual.delete(`/api/contracts/${other}/dossier/${fileId}`)).status).toBe(404);

    // Nothing was removed or added by them.
    expect((await dossier(lawyer, id)).files.map((f) => f.id)).toEqual([fileId]);

    // The bureau head sees the bureau's contracts, and so their dossiers.
    expect((await dossier(head, id)).files.map((f) => f.id)).toEqual([fileId]);
    const byHead = await upload(head, id, tinyPdf(), 'head-note.pdf');
    expect(byHead.status, byHead.text).toBe(201);
    expect(byHead.body.file.addedBy).toMatchObject({ kind: 'lawyer', id: 'head-huseynova' });
  });

  it('the generated contract and order appear once the order is issued; the applicant reads but does not change', async () => {
    const { id, applicant } = await activeContract(system, { lawyer, head });
    const added = await upload(lawyer, id, tinyPdf(), 'court-summons.pdf');
    expect(added.status).toBe(201);

    const listed = await dossier(lawyer, id);
    expect(listed.documents.map((d) => [d.kind, d.version])).toEqual([
      ['contract', 1],
      ['order', 1],
    ]);
    for (const d of listed.documents) {
      const pdf = await lawyer.getBytes(d.url);
      expect(pdf.status).toBe(200);
      expect(pdf.bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    }

    const seen = await dossier(applicant, id);
    expect(seen.files.map((f) => f.name)).toEqual(['court-summons.pdf']);
    expect(seen.documents).toHaveLength(2);
    expect((await applicant.getBytes(added.body.file.url)).status).toBe(200);
    expect((await upload(applicant, id, tinyPdf(), 'mine.pdf')).status).toBe(403);
    expect((await applicant.delete(`/api/contracts/${id}/dossier/${added.body.file.id}`)).status).toBe(403);
    expect((await dossier(lawyer, id)).files).toHaveLength(1);
  });
});
