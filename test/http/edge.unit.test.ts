/**
 * The pure parts of issue 9 items 5 and 9: what the log keeps of a URL and of an object handed to
 * it, which URLs and bodies are refused at the door, and the name a dossier file is kept under.
 */
import { describe, expect, it } from 'vitest';
import { nameOfType } from '../../api/dossier/service';
import { badUrlValue, nulPath } from '../../api/http/input';
import { createLogger, httpLogSerializers, scrubUrl } from '../../platform/logger';

describe('what the log keeps (issue 9 item 5)', () => {
  it('query values are redacted except paging and code-valued filters; FIN, VÖEN, phone and e-mail segments too', () => {
    expect(scrubUrl('/api/contracts?name=%C6%8Fliyev&scope=mine&page=2')).toBe('/api/contracts?name=[redacted]&scope=mine&page=2');
    expect(scrubUrl('/contracts?email=a%40b.az&status=active')).toBe('/contracts?email=[redacted]&status=active');
    expect(scrubUrl('/api/lookups/people/1AB2C3D')).toBe('/api/lookups/people/[redacted]');
    expect(scrubUrl('/api/lookups/companies/9900000271')).toBe('/api/lookups/companies/[redacted]');
    expect(scrubUrl('/x/+994501234567/y/aysel%40mail.az')).toBe('/x/[redacted]/y/[redacted]');
    // Identifiers of our own stay: contract IDs, order numbers, UUIDs, page names.
    expect(scrubUrl('/api/contracts/2026-000123/versions/1/order.pdf')).toBe('/api/contracts/2026-000123/versions/1/order.pdf');
    expect(scrubUrl('/verify/EVO-2026-000001')).toBe('/verify/EVO-2026-000001');
    expect(scrubUrl('/api/contracts/2026-000123/dossier/1b4e28ba-2fa1-11d2-883f-0016d3cca427')).toContain('1b4e28ba-2fa1-11d2-883f-0016d3cca427');
    expect(scrubUrl('/projects')).toBe('/projects');
  });

  it('a request is method, scrubbed URL and ID; a response only its status', () => {
    expect(httpLogSerializers.req({ id: 7, method: 'GET', url: '/api/contracts?name=X', headers: { cookie: 'evk.sid=s%3Alive' } } as never)).toEqual({
      id: 7,
      method: 'GET',
      url: '/api/contracts?name=[redacted]',
    });
    expect(httpLogSerializers.res({ statusCode: 200, headers: { 'set-cookie': 'x' } } as never)).toEqual({ statusCode: 200 });
  });

  it('pino blanks cookies, authorization, CSRF tokens and passwords wherever they are handed in', () => {
    const lines: string[] = [];
    const log = createLogger('t', 'info', { write: (l: string) => void lines.push(l) });
    log.info({
      req: { headers: { cookie: 'evk.sid=s%3Asecret-session', authorization: 'Bearer abc', 'x-csrf-token': 'tok-123' } },
      res: { headers: { 'set-cookie': 'evk.sid=s%3Asecret-session' } },
      body: { password: 'hunter2-hunter2', _csrf: 'tok-456', currentPassword: 'old-one-xyz', newPassword: 'new-one-xyz' },
    });
    const out = lines.join('');
    for (const secret of ['secret-session', 'Bearer abc', 'tok-123', 'tok-456', 'hunter2', 'old-one-xyz', 'new-one-xyz']) expect(out).not.toContain(secret);
    expect(out).toContain('[redacted]');
  });

  it("an error keeps its message and stack, not the database's quote of the values", () => {
    const lines: string[] = [];
    const log = createLogger('t', 'info', { write: (l: string) => void lines.push(l) });
    const err = Object.assign(new Error('duplicate key value violates unique constraint "contact_owners_pkey"'), {
      code: '23505',
      detail: 'Key (contact)=(+994501234567) already exists.',
    });
    log.error({ err }, 'failed');
    const out = lines.join('');
    expect(out).toContain('23505');
    expect(out).toContain('contact_owners_pkey');
    expect(out).not.toContain('+994501234567');
  });
});

describe('refused at the door (issue 9 item 9)', () => {
  it('a NUL or bad %-encoding in a query names the parameter; in the path, "(path)"', () => {
    expect(badUrlValue('/api/contracts?name=%00')).toEqual({ field: 'name', problem: 'nul_character' });
    expect(badUrlValue('/api/contracts?scope=mine&name=%E0%A4%A')).toEqual({ field: 'name', problem: 'bad_encoding' });
    expect(badUrlValue('/api/contracts?na%00me=x')).toEqual({ field: 'name', problem: 'nul_character' });
    expect(badUrlValue('/api/contracts/%E0%A4%A')).toEqual({ field: '(path)', problem: 'bad_encoding' });
    expect(badUrlValue('/api/contracts?name=%C6%8Fli+Veli&page=2')).toBeUndefined();
    expect(badUrlValue('/api/contracts')).toBeUndefined();
  });

  it('a NUL anywhere in a JSON body names its path', () => {
    expect(nulPath({ draft: { applicant: { lastName: 'a\u0000b' } } })).toBe('draft.applicant.lastName');
    expect(nulPath({ evidence: { holders: ['ok', 'b\u0000'] } })).toBe('evidence.holders.1');
    expect(nulPath({ ok: 'yes', n: 1, list: [true, null] })).toBeUndefined();
  });
});

describe("a dossier file's name follows its checked type (issue 9 item 9)", () => {
  it('replaces a wrong extension, keeps a right one, adds one where there is none', () => {
    expect(nameOfType('invoice.html', 'application/pdf')).toBe('invoice.pdf');
    expect(nameOfType('scan.jpg', 'image/png')).toBe('scan.png');
    expect(nameOfType('photo.JPEG', 'image/jpeg')).toBe('photo.JPEG');
    expect(nameOfType('Etibarnamə.pdf', 'application/pdf')).toBe('Etibarnamə.pdf');
    expect(nameOfType('Ərizə 12.05.2026', 'application/pdf')).toBe('Ərizə 12.05.2026.pdf');
    expect(nameOfType('report', 'image/png')).toBe('report.png');
    expect(nameOfType('run.exe', 'image/jpeg')).toBe('run.jpg');
  });
});
