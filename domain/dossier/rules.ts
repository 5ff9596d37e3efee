/**
 * R4.5, the dossier of a contract: what may be added (PDF, JPEG or PNG, told by the content, never by
 * the name; at most 10 MB, e-court's limit for one attached document) and who may change it (the
 * contract's lawyer and the bureau head; the applicant and the Bar office only read it).
 */
import type { Actor } from '../shared/actor';
import type { CodeParams } from '../shared/codes';
import type { DossierCode } from './codes';

/** e-court's limit for one attached document. */
export const DOSSIER_MAX_BYTES = 10 * 1024 * 1024;
export const DOSSIER_MAX_MB = DOSSIER_MAX_BYTES / 1024 / 1024;

export const DOSSIER_TYPES = {
  'application/pdf': { ext: 'pdf', magic: [[0x25, 0x50, 0x44, 0x46, 0x2d]] },
  'image/jpeg': { ext: 'jpg', magic: [[0xff, 0xd8, 0xff]] },
  'image/png': { ext: 'png', magic: [[0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]] },
} as const;
export type DossierContentType = keyof typeof DOSSIER_TYPES;

/** The real type of the bytes (PDF, JPEG or PNG), or undefined for anything else. */
export function sniffContentType(data: Uint8Array): DossierContentType | undefined {
  for (const [type, { magic }] of Object.entries(DOSSIER_TYPES)) {
    if (magic.some((m) => data.length >= m.length && m.every((byte, i) => data[i] === byte))) return type as DossierContentType;
  }
  return undefined;
}

/** A file's refusal at the field "file": the field's short code (kept for API callers) and the text's code. */
export interface DossierFileRefusal {
  field: 'file';
  /** `required`, `wrong_type`, `too_large`. */
  short: 'required' | 'wrong_type' | 'too_large';
  code: DossierCode;
  params?: CodeParams;
}

export const tooLarge = (): DossierFileRefusal => ({ field: 'file', short: 'too_large', code: 'dossier.too_large', params: { mb: DOSSIER_MAX_MB } });

/** Why these bytes may not join the dossier, or their type when they may. */
export function checkDossierFile(data: Uint8Array): { refusal: DossierFileRefusal } | { type: DossierContentType } {
  if (data.length === 0) return { refusal: { field: 'file', short: 'required', code: 'dossier.file_empty' } };
  if (data.length > DOSSIER_MAX_BYTES) return { refusal: tooLarge() };
  const type = sniffContentType(data);
  if (!type) return { refusal: { field: 'file', short: 'wrong_type', code: 'dossier.wrong_type' } };
  return { type };
}

/** Who may add to or remove from a dossier: why not, or undefined. Seeing the contract is checked before. */
export function dossierChangeRefusal(actor: Actor, contractStatus: string): { code: DossierCode; kind: 'forbidden' | 'not_allowed_now' } | undefined {
  // Seeing is not enough: the applicant and the Bar office only read the dossier.
  if (actor.kind !== 'lawyer') return { code: 'dossier.lawyer_or_head_only', kind: 'forbidden' };
  if (contractStatus === 'discarded') return { code: 'dossier.draft_deleted', kind: 'not_allowed_now' };
  return undefined;
}

/** A name fit to show and to send back: no folders, no control characters, not too long. */
export function cleanFileName(raw: string | undefined, type: DossierContentType): string {
  let name = raw ?? '';
  name = name.split(/[\\/]/).pop() ?? '';
  name = name
    .replace(/[\p{Cc}\u202a-\u202e\u2066-\u2069]/gu, '') // \p{Cc}: U+0000–U+001F and U+007F–U+009F
    .trim()
    .replace(/^\.+/, '');
  if (name.length > 200) {
    const dot = name.lastIndexOf('.');
    const ext = dot > 0 && name.length - dot <= 10 ? name.slice(dot) : '';
    name = name.slice(0, 200 - ext.length) + ext;
  }
  return name || `document.${DOSSIER_TYPES[type].ext}`;
}
