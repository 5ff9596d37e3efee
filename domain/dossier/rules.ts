/**
 * R4.5, the dossier of a contract: what may be added (PDF, JPEG or PNG, told by the content, never by
 * the name; at most 10 MB, e-court's limit for one attached document) and who may change it (the
 * contract's lawyer and the bureau head; the applicant and the Bar office only read it).
 */
import type { Actor } from '../shared/actor';
import type { CodeParams } from '../shared/codes';
import { checkFileContent, FILE_SIGNATURES, type KnownContentType, sniffFileType } from '../shared/file-content';
import type { DossierCode } from './codes';

/** e-court's limit for one attached document. */
export const DOSSIER_MAX_BYTES = 10 * 1024 * 1024;
export const DOSSIER_MAX_MB = DOSSIER_MAX_BYTES / 1024 / 1024;

export const DOSSIER_TYPES = FILE_SIGNATURES;
export type DossierContentType = KnownContentType;

/** The real type of the bytes (PDF, JPEG or PNG), or undefined for anything else. */
export function sniffContentType(data: Uint8Array): DossierContentType | undefined {
  return sniffFileType(data);
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
  const checked = checkFileContent(data, Object.keys(DOSSIER_TYPES) as DossierContentType[], DOSSIER_MAX_BYTES);
  if ('type' in checked) return checked;
  if (checked.refusal === 'required') return { refusal: { field: 'file', short: 'required', code: 'dossier.file_empty' } };
  if (checked.refusal === 'too_large') return { refusal: tooLarge() };
  return { refusal: { field: 'file', short: 'wrong_type', code: 'dossier.wrong_type' } };
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
