/**
 * Importing a list of lawyers (issue 11, R2.1 i): the cells of a CSV or XLSX sheet become entries;
 * each row is checked like the form (and against the other rows: a FIN or licence twice), and
 * matched with the register by FIN, so the preview says for every row what will be added, what
 * changed, or why it is refused. "Təsdiq et" saves all rows or none.
 */
import type { FieldError } from '../shared/field-error';
import {
  type FieldChange,
  INDIVIDUAL_BUREAU,
  type LawyerField,
  type LawyerInput,
  type LawyerValues,
  lawyerChanges,
  lawyerProblems,
  normalizeLawyer,
} from './lawyer';

export const IMPORT_MAX_ROWS = 5000;
export const IMPORT_MAX_BYTES = 2 * 1024 * 1024;

/** The columns, by the names the template uses in both languages (case, spaces and marks ignored). */
export const IMPORT_COLUMNS: Record<LawyerField, string[]> = {
  fin: ['fin', 'fİn'],
  mobileSignatureUserId: ['user_id', 'mobile_signature_user_id', 'istifadəçi id', 'asan imza id'],
  licenseNumber: ['licence', 'license', 'license_number', 'licence_number', 'vəsiqə', 'vəsiqə nömrəsi', 'lisenziya'],
  lastName: ['last_name', 'surname', 'soyad'],
  firstName: ['first_name', 'name', 'ad'],
  patronymic: ['patronymic', 'ata adı'],
  bureauId: ['bureau', 'büro', 'bureau_id'],
  isHead: ['head', 'is_head', 'müdir', 'rəhbər'],
  practisingSince: ['practising_since', 'practicing_since', 'fəaliyyətə başlama tarixi', 'fəaliyyət tarixi'],
  phone: ['phone', 'telefon'],
  email: ['email', 'e-mail', 'e-poçt'],
};
/** The columns a list must have; the others may be left out (blank). */
export const REQUIRED_COLUMNS: LawyerField[] = ['fin', 'mobileSignatureUserId', 'licenseNumber', 'lastName', 'firstName', 'bureauId'];

/** The template's header line (English names: the same in both languages' files). */
export const TEMPLATE_HEADER = ['fin', 'user_id', 'licence', 'last_name', 'first_name', 'patronymic', 'bureau', 'head', 'practising_since', 'phone', 'email'];

/** For matching a header or a bureau's name: case, spaces, dashes and the dotted/dotless i ignored. */
export const foldName = (s: string) =>
  s
    .normalize('NFC')
    .toLocaleLowerCase('az')
    .replace(/ı/g, 'i')
    .replace(/[\s_-]+/g, ' ')
    .trim();
const fold = foldName;
const HEADER_INDEX = new Map<string, LawyerField>(
  Object.entries(IMPORT_COLUMNS).flatMap(([field, names]) => names.map((n) => [fold(n), field as LawyerField] as const)),
);

/** "bəli", "yes", "1", "x", "true" mark the head. */
const isYes = (cell: string) => ['bəli', 'beli', 'yes', 'y', '1', 'x', 'true', 'hə'].includes(fold(cell));

/** The register as the plan needs it: lawyers by FIN, licence holders, bureaus by ID or name. */
export interface RegisterSnapshot {
  lawyersByFin: Map<string, LawyerValues & { id: string; bureauIndividual: boolean }>;
  licenceHolders: Map<string, string>;
  /** Folded bureau ID and folded name → ID. */
  bureauIds: Map<string, string>;
}

export type ImportAction = 'add' | 'update' | 'unchanged' | 'error';

export interface PlannedRow {
  /** The line in the file (the header is line 1). */
  line: number;
  entry: LawyerInput;
  action: ImportAction;
  lawyerId?: string;
  changes: FieldChange[];
  errors: FieldError[];
}

export interface ImportPlan {
  rows: PlannedRow[];
  /** Columns the header lacks (nothing can be read then). */
  missingColumns: LawyerField[];
  counts: Record<ImportAction, number>;
}

/** The header's columns: which field each cell is. */
export function columnsOf(header: string[]): { fields: (LawyerField | undefined)[]; missing: LawyerField[] } {
  const fields = header.map((h) => HEADER_INDEX.get(fold(h)));
  return { fields, missing: REQUIRED_COLUMNS.filter((f) => !fields.includes(f)) };
}

/** The plan for a sheet's cells (first row the header; blank rows skipped). */
export function planImport(cells: string[][], snapshot: RegisterSnapshot): ImportPlan {
  const counts: Record<ImportAction, number> = { add: 0, update: 0, unchanged: 0, error: 0 };
  const [header = [], ...body] = cells;
  const { fields, missing } = columnsOf(header);
  if (missing.length > 0) return { rows: [], missingColumns: missing, counts };
  const seenFins = new Map<string, number>();
  const seenLicences = new Map<string, number>();
  const rows: PlannedRow[] = [];
  const knownBureaus = new Set(snapshot.bureauIds.values());
  body.forEach((cellsOfRow, index) => {
    if (cellsOfRow.every((c) => c.trim() === '')) return;
    const line = index + 2;
    const raw: Record<string, string> = {};
    fields.forEach((field, i) => {
      if (field) raw[field] = (cellsOfRow[i] ?? '').trim();
    });
    const existingByFin = snapshot.lawyersByFin.get(normalizeLawyer(inputOf(raw, '')).fin);
    const bureauCell = raw.bureauId ?? '';
    const individual = ['fərdi', 'ferdi', 'individual'].includes(fold(bureauCell));
    const bureauId = individual
      ? existingByFin?.bureauIndividual
        ? existingByFin.bureauId
        : INDIVIDUAL_BUREAU
      : (snapshot.bureauIds.get(fold(bureauCell)) ?? bureauCell);
    const entry = normalizeLawyer(inputOf(raw, bureauId));
    const existing = snapshot.lawyersByFin.get(entry.fin);
    const errors = lawyerProblems(entry, {
      selfId: existing?.id,
      licenceHolder: snapshot.licenceHolders.get(entry.licenseNumber),
      bureauExists: entry.bureauId === INDIVIDUAL_BUREAU || knownBureaus.has(entry.bureauId),
    });
    const finLine = entry.fin ? seenFins.get(entry.fin) : undefined;
    const licenceLine = entry.licenseNumber ? seenLicences.get(entry.licenseNumber) : undefined;
    if (finLine !== undefined) errors.push({ field: 'fin', code: 'duplicate', reason: 'register.duplicate_in_file', params: { line: finLine } });
    if (licenceLine !== undefined)
      errors.push({ field: 'licenseNumber', code: 'duplicate', reason: 'register.duplicate_in_file', params: { line: licenceLine } });
    if (entry.fin && !seenFins.has(entry.fin)) seenFins.set(entry.fin, line);
    if (entry.licenseNumber && !seenLicences.has(entry.licenseNumber)) seenLicences.set(entry.licenseNumber, line);
    // An update leaves what the list does not say (a column left out) as it is; a listed lawyer is active.
    const after = { ...mergeWith(existing, entry, raw), onActiveRegister: true };
    const changes = errors.length > 0 ? [] : lawyerChanges(existing, after);
    const action: ImportAction = errors.length > 0 ? 'error' : !existing ? 'add' : changes.length > 0 ? 'update' : 'unchanged';
    counts[action] += 1;
    rows.push({ line, entry: existing ? mergeWith(existing, entry, raw) : entry, action, lawyerId: existing?.id, changes, errors });
  });
  return { rows, missingColumns: [], counts };
}

function inputOf(raw: Record<string, string>, bureauId: string): LawyerInput {
  return {
    fin: raw.fin ?? '',
    mobileSignatureUserId: raw.mobileSignatureUserId ?? '',
    licenseNumber: raw.licenseNumber ?? '',
    lastName: raw.lastName ?? '',
    firstName: raw.firstName ?? '',
    patronymic: raw.patronymic ?? '',
    bureauId,
    isHead: isYes(raw.isHead ?? ''),
    practisingSince: raw.practisingSince ?? '',
    phone: raw.phone ?? '',
    email: raw.email ?? '',
  };
}

/** The entry over the register's row: an optional column left out, or a blank cell, keeps the row's value (clearing one is the form's). */
function mergeWith(existing: LawyerValues | undefined, entry: LawyerInput, raw: Record<string, string>): LawyerInput {
  if (!existing) return entry;
  const merged = { ...entry };
  for (const field of ['patronymic', 'practisingSince', 'phone', 'email'] as const) if (!raw[field]) merged[field] = existing[field];
  if (!raw.isHead) merged.isHead = existing.isHead;
  return merged;
}
