/**
 * The statistics' tables as files (R3.2): CSV (UTF-8 with a byte-order mark, so that spreadsheet
 * programs read the Azerbaijani letters) and XLSX (exceljs), one table or all, the same numbers as
 * the page. Money is in manat with two decimals; a cell that a spreadsheet would run as a formula
 * is written as text. exceljs is loaded at the first workbook, not when the server starts.
 */
import type { Period } from '../../domain/statistics';
import type { Figure } from './service';

/** A cell as it reads: counts as integers, money as manat. */
const cellText = (kind: Figure['columns'][number]['kind'], value: number): string => (kind === 'qepik' ? (value / 100).toFixed(2) : String(value));

/** CSV injection: a leading = + - @ (or tab, CR) would make a spreadsheet evaluate the cell. */
const safeText = (text: string) => (/^[=+\-@\t\r]/.test(text) ? `'${text}` : text);

function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Each figure as its title, its header and its rows; figures apart by an empty line. */
export function statisticsCsv(figures: readonly Figure[]): string {
  const lines: string[] = [];
  for (const figure of figures) {
    if (lines.length > 0) lines.push('');
    if (figures.length > 1) lines.push(csvField(safeText(figure.title)));
    lines.push(figure.columns.map((c) => csvField(safeText(c.label))).join(','));
    for (const row of figure.rows) {
      lines.push([csvField(safeText(row.label)), ...row.values.map((v, i) => cellText(figure.columns[i + 1].kind, v))].join(','));
    }
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/** A sheet name Excel accepts: at most 31 characters, none of \ / ? * [ ] :, unique in the book. */
function sheetName(title: string, taken: Set<string>): string {
  const base =
    title
      .replace(/[\\/?*[\]:]/g, ' ')
      .slice(0, 31)
      .trim() || 'Sheet';
  let name = base;
  for (let n = 2; taken.has(name.toLowerCase()); n++) name = `${base.slice(0, 31 - String(n).length - 1)} ${n}`;
  taken.add(name.toLowerCase());
  return name;
}

/** One sheet per figure: the header in bold, numbers as numbers (money with two decimals). */
export async function statisticsXlsx(figures: readonly Figure[], period: Period): Promise<Buffer> {
  const { Workbook } = await import('exceljs');
  const workbook = new Workbook();
  workbook.creator = 'Elektron Vəkil Kabineti';
  workbook.title = `${period.from} – ${period.to}`;
  const taken = new Set<string>();
  for (const figure of figures) {
    const sheet = workbook.addWorksheet(sheetName(figure.title, taken));
    sheet.columns = figure.columns.map((c, i) => ({ header: c.label, key: c.key, width: i === 0 ? 40 : 18 }));
    sheet.getRow(1).font = { bold: true };
    for (const row of figure.rows) {
      sheet.addRow([row.label, ...row.values.map((v, i) => (figure.columns[i + 1].kind === 'qepik' ? v / 100 : v))]);
    }
    figure.columns.forEach((c, i) => {
      if (c.kind === 'qepik') sheet.getColumn(i + 1).numFmt = '0.00';
    });
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** `statistika-2026-01-2026-12.csv`, or with the figure's id for one table. */
export function exportFileName(period: Period, figure: string | undefined, extension: 'csv' | 'xlsx'): string {
  return `statistika-${period.from}-${period.to}${figure ? `-${figure}` : ''}.${extension}`;
}
