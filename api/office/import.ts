/**
 * "Siyahını yüklə" (issue 11, R2.1 i): a CSV or XLSX list of lawyers → a preview of every row (what
 * will be added, what changes, why a row is refused), kept on the server under a token for the
 * admin who uploaded it → "Təsdiq et" re-checks the list against the register as it is then and
 * saves every row in one transaction, or nothing. The file's kind is told by its content, not
 * its name: an XLSX is a ZIP package, a CSV is UTF-8 text.
 */
import { randomUUID } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import type { Knex } from 'knex';
import { foldName as fold, IMPORT_MAX_BYTES, IMPORT_MAX_ROWS, type ImportPlan, planImport, type RegisterSnapshot, TEMPLATE_HEADER } from '../../domain/office';
import type { Actor } from '../../domain/shared/actor';
import { badRequest, HttpError, notFound } from '../http/errors';
import { allLawyers, type OfficeDeps, saveEntry, valuesOf } from './lawyers';

/** How long a preview waits for "Təsdiq et". */
export const IMPORT_PREVIEW_MINUTES = 60;

const isZip = (data: Buffer) => data.length > 4 && data.readUInt32LE(0) === 0x04034b50;
const isText = (data: Buffer) => {
  if (data.includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(data);
    return true;
  } catch {
    return false;
  }
};

const unreadable = () => badRequest('register.import_unreadable', [{ field: 'file', code: 'unreadable', reason: 'register.import_unreadable' }]);

/** The sheet's cells as text: the first worksheet of an XLSX, or a CSV separated by commas or semicolons. */
export async function readSheet(data: Buffer): Promise<string[][]> {
  if (data.length === 0) throw badRequest('register.import_file_required', [{ field: 'file', code: 'required', reason: 'register.import_file_required' }]);
  if (data.length > IMPORT_MAX_BYTES)
    throw badRequest('register.import_too_large', [{ field: 'file', code: 'too_large', reason: 'register.import_too_large', params: { mb: 2 } }]);
  let cells: string[][];
  if (isZip(data)) {
    const workbook = new ExcelJS.Workbook();
    try {
      await workbook.xlsx.load(data as unknown as ArrayBuffer);
    } catch {
      throw unreadable();
    }
    const sheet = workbook.worksheets[0];
    if (!sheet) throw unreadable();
    cells = [];
    sheet.eachRow({ includeEmpty: true }, (row, number) => {
      const values: string[] = [];
      for (let c = 1; c <= Math.max(row.cellCount, 1); c++) values.push(cellText(row.getCell(c)));
      cells[number - 1] = values;
    });
    cells = Array.from(cells, (r) => r ?? []);
  } else if (isText(data)) {
    const text = data.toString('utf8').replace(/^\uFEFF/, '');
    const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
    const delimiter = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
    try {
      cells = parse(text, { delimiter, relax_column_count: true, skip_empty_lines: true, trim: true }) as string[][];
    } catch {
      throw unreadable();
    }
  } else throw unreadable();
  if (cells.length < 2) throw badRequest('register.import_no_rows', [{ field: 'file', code: 'empty', reason: 'register.import_no_rows' }]);
  if (cells.length - 1 > IMPORT_MAX_ROWS)
    throw badRequest('register.import_too_many_rows', [
      { field: 'file', code: 'too_many', reason: 'register.import_too_many_rows', params: { max: IMPORT_MAX_ROWS } },
    ]);
  return cells;
}

/** A cell as the list means it: a date as `YYYY-MM-DD`, a number as typed. */
function cellText(cell: ExcelJS.Cell): string {
  const v = cell.value;
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (v === null || v === undefined) return '';
  return cell.text.trim();
}

async function snapshotOf(trx: Knex | Knex.Transaction): Promise<RegisterSnapshot> {
  const lawyers = await allLawyers(trx);
  const bureaus = await trx('bureaus').select<{ id: string; name: string }[]>('id', 'name');
  const bureauIds = new Map<string, string>();
  for (const b of bureaus) bureauIds.set(fold(b.name), b.id);
  for (const b of bureaus) bureauIds.set(fold(b.id), b.id);
  return {
    lawyersByFin: new Map(lawyers.map((l) => [l.fin, { ...valuesOf(l), id: l.id, bureauIndividual: l.bureauIndividual }])),
    licenceHolders: new Map(lawyers.map((l) => [l.licenseNumber, l.id])),
    bureauIds,
  };
}

export interface ImportPreview extends ImportPlan {
  token?: string;
  expiresAt?: string;
}

/** The preview of an uploaded list; kept under a token (only when the header is readable). */
export async function previewImport(deps: OfficeDeps, by: Pick<Actor, 'kind' | 'id'>, data: Buffer): Promise<ImportPreview> {
  const cells = await readSheet(data);
  const plan = planImport(cells, await snapshotOf(deps.db));
  if (plan.missingColumns.length > 0) {
    throw badRequest('register.import_columns_missing', [
      { field: 'file', code: 'columns', reason: 'register.import_columns_missing', params: { columns: plan.missingColumns.join(', ') } },
    ]);
  }
  await deps.db('register_imports').where('expires_at', '<', deps.db.fn.now()).delete();
  const token = randomUUID();
  const expiresAt = new Date(Date.now() + IMPORT_PREVIEW_MINUTES * 60_000);
  await deps.db('register_imports').insert({ token, admin_id: by.id, rows: JSON.stringify(cells), expires_at: expiresAt });
  return { ...plan, token, expiresAt: expiresAt.toISOString() };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

async function cellsOf(db: Knex | Knex.Transaction, by: Pick<Actor, 'id'>, token: string): Promise<string[][]> {
  if (!UUID.test(token)) throw notFound('register.import_not_found');
  const row = await db('register_imports')
    .where({ token, admin_id: by.id })
    .andWhere('expires_at', '>', db.fn.now())
    .first<{ rows: string[][] } | undefined>('rows');
  if (!row) throw notFound('register.import_not_found');
  return row.rows;
}

/** The stored preview again (the page after a refused "Təsdiq et"), checked against the register as it is now. */
export async function storedPreview(deps: OfficeDeps, by: Pick<Actor, 'id'>, token: string): Promise<ImportPreview> {
  const plan = planImport(await cellsOf(deps.db, by, token), await snapshotOf(deps.db));
  return { ...plan, token };
}

/**
 * "Təsdiq et": all or nothing. The register is locked against other writers, the list planned
 * again, and if any row is refused now nothing is saved (409 with the counts).
 */
export async function commitImport(deps: OfficeDeps, by: Pick<Actor, 'kind' | 'id'>, token: string) {
  return deps.db.transaction(async (trx) => {
    const cells = await cellsOf(trx, by, token);
    await trx.raw('LOCK TABLE lawyers IN SHARE ROW EXCLUSIVE MODE');
    const plan = planImport(cells, await snapshotOf(trx));
    if (plan.missingColumns.length > 0 || plan.counts.error > 0)
      throw new HttpError(409, 'not_allowed_now', 'register.import_has_errors', { errors: plan.counts.error });
    for (const row of plan.rows) {
      if (row.action === 'add') await saveEntry(trx, by, row.entry, 'import');
      else if (row.action === 'update') await saveEntry(trx, by, row.entry, 'import', row.lawyerId);
    }
    await trx('register_imports').where({ token }).delete();
    return { added: plan.counts.add, updated: plan.counts.update, unchanged: plan.counts.unchanged };
  });
}

/** The template to fill in: the header and one example row (UTF-8 with a BOM, so spreadsheet programs read the letters). */
export function importTemplateCsv(): string {
  const example = [
    '1AB2C3D',
    '123456',
    'V-0000',
    'Məmmədov',
    'Elçin',
    'Tofiq oğlu',
    'Bakı şəhəri 1 saylı Vəkil Bürosu',
    'bəli',
    '2015-09-01',
    '+994501234567',
    'vekil@example.az',
  ];
  return `\uFEFF${TEMPLATE_HEADER.join(',')}\r\n${example.map((c) => (/[",]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',')}\r\n`;
}
