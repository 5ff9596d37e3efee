/**
 * Issue 9 item 9, the smaller ones:
 *   - a NUL byte or bad %-encoding in a query (or a path, or a JSON string) answers 400 naming the
 *     field, never 500; the pages show their 400 page;
 *   - an upload that starts `%PDF-` but is named `invoice.html` is kept and served as `invoice.pdf`
 *     (the stored extension, the served Content-Type and Content-Disposition follow the checked type);
 *   - answers carrying personal data (API JSON, pages, PDFs, dossier files) say `Cache-Control: no-store`;
 *     the static files, /health and the OpenAPI document may be cached.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activeContract, createDraft, expectStatus, loginDemoLawyers } from '../support/api';
import type { HttpClient } from '../support/http-client';
import { completeDraft, startTestSystem, type TestSystem } from '../support/system';

let system: TestSystem;
let lawyer: HttpClient;
let head: HttpClient;
beforeAll(async () => {
  system = await startTestSystem({ web: true });
  ({ lawyer, head } = await loginDemoLawyers(system));
});
afterAll(async () => {
  await system?.close();
});

describe('hostile input answers 400 with the field (issue 9 item 9)', () => {
  it('a NUL or bad %-encoding in the list filter ?name= is a 400 at "name", in JSON and on the page', async () => {
    for (const [query, reason] of [
      ['name=%00', 'common.nul_character'],
      ['name=Eli%00ev', 'common.nul_character'],
      ['name=%E0%A4%A', 'common.bad_encoding'],
      ['scope=mine&name=%', 'common.bad_encoding'],
    ]) {
      const answer = await lawyer.get(`/api/contracts?${query}`);
      expect(answer.status, query).toBe(400);
      expect(answer.body.error.reason, query).toBe(reason);
      expect(answer.body.error.fields[0].field, query).toBe('name');
      expect(answer.body.error.message, query).toMatch(/^name: /);

      const page = await lawyer.get(`/contracts?${query}`, { accept: 'text/html' });
      expect(page.status, `page ${query}`).toBe(400);
      expect(page.headers.get('content-type')).toMatch(/text\/html/);
      expect(page.text).toMatch(/name: /);
    }
    // The same filter, well formed, still works.
    expect((await lawyer.get('/api/contracts?name=%C6%8Fli')).status).toBe(200);
  });

  it('in a path segment or a JSON string, too', async () => {
    const badPath = await lawyer.get('/api/contracts/%E0%A4%A');
    expect(badPath.status).toBe(400);
    expect(badPath.body.error.fields[0].field).toBe('(path)');
    expect((await lawyer.get('/api/contracts/2026-%00')).status).toBe(400);

    const id = await createDraft(lawyer, completeDraft());
    const nul = await lawyer.patch(`/api/contracts/${id}/draft`, { applicant: { lastName: 'Əli\u0000yev' } });
    expect(nul.status).toBe(400);
    expect(nul.body.error.reason).toBe('common.nul_character');
    expect(nul.body.error.fields[0].field).toBe('applicant.lastName');
  });
});

const pdfBytes = () => Buffer.from('%PDF-1.4\n<html><script>alert(1)</script></html>\n%%EOF\n', 'latin1');

describe('an upload is named after its checked type (issue 9 item 9)', () => {
  it('a PDF named invoice.html is stored, listed and served as invoice.pdf, application/pdf', async () => {
    const id = await createDraft(lawyer, completeDraft());
    const response = await fetch(`${lawyer.baseUrl}/api/contracts/${id}/dossier`, {
      method: 'POST',
      headers: { 'content-type': 'text/html', 'x-file-name': 'invoice.html', cookie: `evk.sid=${lawyer.cookie('evk.sid')}` },
      body: new Uint8Array(pdfBytes()),
    });
    const added = (await response.json()) as { file: { id: string; name: string; contentType: string; url: string } };
    expect(response.status).toBe(201);
    expect(added.file).toMatchObject({ name: 'invoice.pdf', contentType: 'application/pdf' });
    const row = await system.db('dossier_files').where({ id: added.file.id }).first();
    expect(row.original_name).toBe('invoice.pdf');
    expect(row.storage_key).toMatch(/\.pdf$/);

    const served = await lawyer.getBytes(added.file.url);
    expect(served.headers.get('content-type')).toBe('application/pdf');
    expect(served.headers.get('content-disposition')).toMatch(/^attachment; filename="invoice\.pdf"; filename\*=UTF-8''invoice\.pdf$/);
    expect(served.headers.get('x-content-type-options')).toBe('nosniff');
  });
});

describe('Cache-Control: no-store on personal data (issue 9 item 9)', () => {
  it('API JSON, pages, PDFs and dossier files are no-store; static files, /health and the OpenAPI document are not', async () => {
    const { id, details } = await activeContract(system, { lawyer, head });
    const version = details.documents[0];
    const noStore = (h: Headers) => (h.get('cache-control') ?? '').split(',').map((p) => p.trim());

    for (const path of ['/api/contracts', `/api/contracts/${id}`, `/api/contracts/${id}/dossier`, '/api/auth/me', '/api/lookups/institutions']) {
      const answer = await lawyer.get(path);
      expectStatus(answer, 200, path);
      expect(noStore(answer.headers), path).toContain('no-store');
    }
    for (const path of ['/projects', `/contracts/${id}`, '/contracts', '/login']) {
      const page = await lawyer.get(path, { accept: 'text/html' });
      expect(page.status, path).toBeLessThan(400);
      expect(noStore(page.headers), path).toContain('no-store');
    }
    for (const url of [version.contractUrl, version.orderUrl]) {
      const pdf = await lawyer.getBytes(url);
      expect(pdf.status, url).toBe(200);
      expect(noStore(pdf.headers), url).toContain('no-store');
    }
    // Errors carry the same header: a 404 says nothing worth caching either.
    expect(noStore((await lawyer.get('/api/contracts/2026-999999')).headers)).toContain('no-store');

    for (const path of ['/health', '/api/openapi.json', '/static/style.css']) {
      const answer = await lawyer.get(path);
      expect(answer.status, path).toBe(200);
      expect(noStore(answer.headers), path).not.toContain('no-store');
    }
  });
});
