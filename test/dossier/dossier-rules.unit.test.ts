import { describe, expect, it } from 'vitest';
import { checkDossierFile, cleanFileName, DOSSIER_MAX_BYTES, dossierChangeRefusal, sniffContentType } from '../../domain/dossier';

const pdf = Buffer.from('%PDF-1.4\n%…\n', 'latin1');
const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);
const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]);

describe('what may join a dossier (R4.5)', () => {
  it('R4.5 the type is told by the content: PDF, JPEG and PNG, whatever the name says', () => {
    expect(sniffContentType(pdf)).toBe('application/pdf');
    expect(sniffContentType(png)).toBe('image/png');
    expect(sniffContentType(jpeg)).toBe('image/jpeg');
    expect(checkDossierFile(Buffer.from('This is not a scan, just text.\n'))).toEqual({
      refusal: { field: 'file', short: 'wrong_type', code: 'dossier.wrong_type' },
    });
  });

  it('R4.5 an empty file is refused; 10 MB is the most a file may weigh', () => {
    expect(checkDossierFile(Buffer.alloc(0))).toMatchObject({ refusal: { short: 'required', code: 'dossier.file_empty' } });
    const atLimit = Buffer.concat([pdf, Buffer.alloc(DOSSIER_MAX_BYTES - pdf.length)]);
    expect(checkDossierFile(atLimit)).toEqual({ type: 'application/pdf' });
    expect(checkDossierFile(Buffer.concat([atLimit, Buffer.alloc(1)]))).toEqual({
      refusal: { field: 'file', short: 'too_large', code: 'dossier.too_large', params: { mb: 10 } },
    });
  });

  it('R4.5 only lawyers change a dossier (the rules of the contract decide which); not once the draft is deleted', () => {
    expect(dossierChangeRefusal({ kind: 'lawyer', id: 'L1' }, 'active')).toBeUndefined();
    expect(dossierChangeRefusal({ kind: 'applicant', id: 'A1' }, 'active')).toEqual({ code: 'dossier.lawyer_or_head_only', kind: 'forbidden' });
    expect(dossierChangeRefusal({ kind: 'admin', id: 'bar' }, 'active')).toEqual({ code: 'dossier.lawyer_or_head_only', kind: 'forbidden' });
    expect(dossierChangeRefusal({ kind: 'lawyer', id: 'L1' }, 'discarded')).toEqual({ code: 'dossier.draft_deleted', kind: 'not_allowed_now' });
  });

  it('R4.5 a name keeps no folders or control characters and is never empty', () => {
    expect(cleanFileName('C:\\Users\\elcin\\scan.jpg', 'image/png')).toBe('scan.jpg');
    expect(cleanFileName('../../etc/passwd\u202e.pdf', 'application/pdf')).toBe('passwd.pdf');
    expect(cleanFileName('...', 'application/pdf')).toBe('document.pdf');
    expect(cleanFileName(`${'a'.repeat(300)}.pdf`, 'application/pdf')).toHaveLength(200);
  });
});
