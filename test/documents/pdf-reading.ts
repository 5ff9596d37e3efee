/**
 * Reading a PDF back in a test, with npm libraries only (no poppler on a fresh machine):
 * text and metadata through unpdf (it bundles pdf.js), fonts from the file's font descriptors.
 */
import { extractText, getDocumentProxy, getMeta } from 'unpdf';

export interface PdfInfo {
  pages: number;
  /** /CreationDate as an ISO instant, e.g. "2026-11-28T10:15:00.000Z". */
  creationDate: string | undefined;
  /** Page 1's media box in points. */
  pageSize: { width: number; height: number };
}

/** A4 is 595.28 × 841.89 pt; Chromium writes 595.92 × 841.92. */
export function isA4({ width, height }: { width: number; height: number }): boolean {
  return Math.abs(width - 595.28) < 2 && Math.abs(height - 841.89) < 2;
}

/** The text of every page, one line per printed line, pages separated by a line break. */
export async function pdfText(pdf: Buffer): Promise<string> {
  const { text } = await extractText(new Uint8Array(pdf), { mergePages: true });
  return text;
}

export async function pdfInfo(pdf: Buffer): Promise<PdfInfo> {
  const doc = await getDocumentProxy(new Uint8Array(pdf));
  try {
    const { info } = await getMeta(doc, { parseDates: true });
    const created: unknown = info.CreationDate;
    const [x0, y0, x1, y1] = (await doc.getPage(1)).view;
    return {
      pages: doc.numPages,
      creationDate: created instanceof Date ? created.toISOString() : undefined,
      pageSize: { width: x1 - x0, height: y1 - y0 },
    };
  } finally {
    await doc.destroy();
  }
}

export interface PdfFont {
  /** The font's /BaseFont, e.g. "AAAAAA+NotoSans-Regular" (subset tag + name), as pdffonts lists it. */
  name: string;
  /** Its font descriptor carries the font program (/FontFile, /FontFile2 or /FontFile3). */
  embedded: boolean;
}

/**
 * The fonts the PDF uses, read from its /Type /Font objects (Type0 fonts and their CID fonts alike)
 * and their /FontDescriptor objects. A standard font that is not embedded (Helvetica, say) has no
 * descriptor and comes out as not embedded. Chromium's Skia writes these objects uncompressed; a
 * file that packs objects into object streams could hide some, so such a file is refused.
 */
export function pdfFonts(pdf: Buffer): PdfFont[] {
  const raw = pdf.toString('latin1');
  if (raw.includes('/ObjStm')) throw new Error('PDF uses object streams: fonts cannot be read from the raw file');
  const objects = raw.split(/\bendobj\b/);
  const embedded = new Set<string>();
  for (const body of objects) {
    if (!/\/Type\s*\/FontDescriptor\b/.test(body)) continue;
    const name = nameEntry(body, 'FontName');
    if (name && /\/FontFile[23]?\s/.test(body)) embedded.add(name);
  }
  const fonts: PdfFont[] = [];
  for (const body of objects) {
    if (!/\/Type\s*\/Font\b/.test(body)) continue;
    const name = nameEntry(body, 'BaseFont');
    if (!name) throw new Error('A font without /BaseFont');
    fonts.push({ name, embedded: embedded.has(name) });
  }
  return fonts;
}

function nameEntry(body: string, key: string): string | undefined {
  return new RegExp(`/${key}\\s*/([^\\s/<>[\\]()]+)`).exec(body)?.[1];
}

/** One printed line of a page: its text and its baseline's height from the page's bottom, in points. */
export interface PdfLine {
  text: string;
  y: number;
}

/** A run of text as the file draws it: its page (from 1), its origin in points from the page's bottom left, its font size and width. */
export interface TextRun {
  page: number;
  text: string;
  x: number;
  y: number;
  size: number;
  width: number;
}

/** pdf.js's non-blank text items of every page, in the file's order, and the number of pages. */
async function readRuns(pdf: Buffer): Promise<{ pages: number; runs: TextRun[] }> {
  const doc = await getDocumentProxy(new Uint8Array(pdf));
  try {
    const runs: TextRun[] = [];
    for (let n = 1; n <= doc.numPages; n++) {
      for (const item of (await (await doc.getPage(n)).getTextContent()).items) {
        if (!('str' in item) || item.str.trim() === '') continue;
        const [a, b, , , x, y] = item.transform as number[];
        runs.push({ page: n, text: item.str, x, y, size: Math.hypot(a, b), width: item.width });
      }
    }
    return { pages: doc.numPages, runs };
  } finally {
    await doc.destroy();
  }
}

/** Every non-blank run of text of every page, in the file's order. */
export async function pdfTextRuns(pdf: Buffer): Promise<TextRun[]> {
  return (await readRuns(pdf)).runs;
}

/**
 * The lines of every page (issue 13: page breaks are checked by text position): pdf.js's text items
 * grouped by their baseline, top of the page first, each line's items left to right.
 */
export async function pdfPages(pdf: Buffer): Promise<PdfLine[][]> {
  const { pages, runs } = await readRuns(pdf);
  return Array.from({ length: pages }, (_, i) => {
    const rows = new Map<number, TextRun[]>();
    for (const run of runs.filter((r) => r.page === i + 1)) {
      const y = Math.round(run.y);
      const key = [...rows.keys()].find((k) => Math.abs(k - y) <= 1) ?? y;
      rows.set(key, [...(rows.get(key) ?? []), run]);
    }
    return [...rows.entries()].sort((a, b) => b[0] - a[0]).map(([y, items]) => ({ y, text: joinRuns(items.sort((a, b) => a.x - b.x)) }));
  });
}

/** Runs of one line: Chromium splits words at some letters (ə, ş, İ), so a space only where there is a gap. */
function joinRuns(items: TextRun[]): string {
  let text = '';
  let end: number | undefined;
  for (const item of items) {
    if (end !== undefined && item.x - end > 1.5) text += ' ';
    text += item.text;
    end = item.x + item.width;
  }
  return text.replace(/\s+/g, ' ').trim();
}
