/** Refusals about a contract's dossier (R4.5); texts in locales/<language>/dossier.json. */
export const DOSSIER_CODES = [
  'dossier.file_empty',
  'dossier.wrong_type',
  'dossier.too_large',
  'dossier.lawyer_or_head_only',
  'dossier.draft_deleted',
  'dossier.no_such_file',
] as const;

export type DossierCode = (typeof DOSSIER_CODES)[number];
