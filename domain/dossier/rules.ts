/**
 * R4.5, the dossier of a contract: what may be added (PDF, JPEG or PNG, told by the content, never by
 * the name; at most 10 MB, e-court's limit for one attached document) and who may change it (the
 * contract's lawyer and the bureau head; the applicant and the Bar office only read it).
 */
import type { Actor } from '../shared/actor';
import {
  CHECKED_TYPES,
  type CheckedContentType,
  checkFileContent,
  cleanFileName,
  type FileRefusal,
  type FileRule,
  sniffContentType,
  tooLargeRefusal,
} from '../shared/file-content';
import type { DossierCode } from './codes';

/** e-court's limit for one attached document. */
export const DOSSIER_MAX_BYTES = 10 * 1024 * 1024;
export const DOSSIER_MAX_MB = DOSSIER_MAX_BYTES / 1024 / 1024;

/** The dossier takes every checked type (domain/shared/file-content.ts). */
export const DOSSIER_TYPES = CHECKED_TYPES;
export type DossierContentType = CheckedContentType;
export { sniffContentType, cleanFileName };

const DOSSIER_FILE_RULE: FileRule<DossierCode> = {
  field: 'file',
  maxBytes: DOSSIER_MAX_BYTES,
  types: Object.keys(CHECKED_TYPES) as CheckedContentType[],
  codes: { empty: 'dossier.file_empty', wrongType: 'dossier.wrong_type', tooLarge: 'dossier.too_large' },
};

/** A file's refusal at the field "file". */
export type DossierFileRefusal = FileRefusal<DossierCode> & { field: 'file' };

export const tooLarge = (): DossierFileRefusal => ({ ...tooLargeRefusal(DOSSIER_FILE_RULE), field: 'file' });

/** Why these bytes may not join the dossier, or their type when they may. */
export function checkDossierFile(data: Uint8Array): { refusal: DossierFileRefusal } | { type: DossierContentType } {
  const checked = checkFileContent(data, DOSSIER_FILE_RULE);
  return 'refusal' in checked ? { refusal: { ...checked.refusal, field: 'file' } } : checked;
}

/** Who may add to or remove from a dossier: why not, or undefined. Seeing the contract is checked before. */
export function dossierChangeRefusal(actor: Actor, contractStatus: string): { code: DossierCode; kind: 'forbidden' | 'not_allowed_now' } | undefined {
  // Seeing is not enough: the applicant and the Bar office only read the dossier.
  if (actor.kind !== 'lawyer') return { code: 'dossier.lawyer_or_head_only', kind: 'forbidden' };
  if (contractStatus === 'discarded') return { code: 'dossier.draft_deleted', kind: 'not_allowed_now' };
  return undefined;
}
