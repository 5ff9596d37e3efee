/**
 * Issue 14 (PDF, warm renderer): the documents' HTML carries no fonts; the renderer's pages have
 * Noto Sans loaded once. The PDFs must come out as they did when every HTML embedded the fonts:
 * - byte for byte the same file as a plain puppeteer page (no renderer, no page fonts) printing the
 *   HTML with the fonts embedded (`embedFonts`) with the same page setup and normalisation;
 * - the same extracted text, byte for byte, as main's renderer printed before the change
 *   (text-before-issue-14.json; the extracted text does not change with the Chromium build), but for
 *   the footer's lines: since the footer is printed in CSS margin boxes, which Chromium paints before
 *   the page's content, a text extractor that follows the file's order meets the footer first;
 * - the same text in the same places as when Chromium's footer template printed the footer: every
 *   text run of both documents, compared with a print of the same HTML with that template;
 * - the fonts really embedded: every font of the file is Noto Sans (regular or bold, also the
 *   footer's: a missing font would show as DejaVu) with its font program inside the file.
 */
import fs from 'node:fs';
import path from 'node:path';
import puppeteer, { type Browser } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  contractFooterLabel,
  orderFooterLabel,
  renderContractHtml,
  renderContractPdf,
  renderOrderHtml,
  renderOrderPdf,
} from '../../documents/contract-documents';
import { embedFonts, fontFaceCss, fontFaces } from '../../documents/fonts';
import { DEFAULT_CHROMIUM_ARGS, normalizePdf, PdfRenderer, printableHtml, printOptions, type RenderPdfOptions } from '../../documents/pdf-renderer';
import { sampleContract, sampleOrder } from './fixtures';
import { pdfFonts, pdfPages, pdfText, pdfTextRuns, type TextRun } from './pdf-reading';

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const BEFORE = JSON.parse(fs.readFileSync(path.join(__dirname, 'text-before-issue-14.json'), 'utf8')) as { contract: string; order: string };

/** The sizes of the font programs (/FontFile, /FontFile2, /FontFile3 streams) the file's font descriptors point to. */
function fontProgramBytes(pdf: Buffer): number[] {
  const raw = pdf.toString('latin1');
  const lengthOf = (objectNumber: string) => {
    const body = new RegExp(`(?:^|\\s)${objectNumber} 0 obj\\s*<<([\\s\\S]*?)>>\\s*stream`).exec(raw)?.[1] ?? '';
    return Number(/\/Length\s+(\d+)/.exec(body)?.[1] ?? 0);
  };
  return [...raw.matchAll(/\/FontFile[23]?\s+(\d+)\s+0\s+R/g)].map((m) => lengthOf(m[1]));
}

describe('issue 14: fonts loaded once per page, the same PDFs', () => {
  let renderer: PdfRenderer;
  let browser: Browser;
  const docs: { name: 'contract' | 'order'; html: string; options: RenderPdfOptions; pdf: Buffer }[] = [];

  beforeAll(async () => {
    renderer = await PdfRenderer.start({ executablePath: CHROMIUM, maxConcurrent: 1 });
    browser = await puppeteer.launch({ executablePath: CHROMIUM, args: [...DEFAULT_CHROMIUM_ARGS] });
    const contract = sampleContract();
    const order = sampleOrder();
    docs.push(
      {
        name: 'contract',
        html: await renderContractHtml(contract),
        options: { footer: true, footerLabel: contractFooterLabel(contract), creationDate: contract.issuedAt },
        pdf: await renderContractPdf(renderer, contract),
      },
      {
        name: 'order',
        html: await renderOrderHtml(order),
        options: { footer: true, footerLabel: orderFooterLabel(order), creationDate: order.issuedAt },
        pdf: await renderOrderPdf(renderer, order),
      },
    );
  }, 120_000);

  afterAll(async () => {
    await renderer?.close();
    await browser?.close();
  });

  it('the HTML carries no font; embedFonts gives a standalone copy all six faces', () => {
    for (const { name, html } of docs) {
      expect(html, name).not.toContain('@font-face');
      expect(html, name).not.toContain('base64,d09G'); // "wOF2", the start of a woff2 file
      expect(Buffer.byteLength(html), name).toBeLessThan(40_000); // was ~215 KB with the fonts
      const standalone = embedFonts(html);
      expect(standalone.match(/@font-face\{font-family:'Noto Sans'/g)).toHaveLength(fontFaces().length);
      expect(standalone.indexOf('@font-face')).toBeLessThan(standalone.indexOf('</head>'));
    }
  });

  it('the PDFs are byte for byte those a plain page prints from the HTML with the fonts embedded', async () => {
    const page = await browser.newPage();
    try {
      await page.setJavaScriptEnabled(false);
      for (const { name, html, options, pdf } of docs) {
        await page.setContent(embedFonts(printableHtml(html, options)), { waitUntil: 'load' });
        await page.evaluate(() => document.fonts.ready.then(() => undefined));
        const plain = normalizePdf(Buffer.from(await page.pdf(printOptions())), options);
        expect(pdf.equals(plain), `${name}: ${pdf.length} bytes against ${plain.length}`).toBe(true);
      }
    } finally {
      await page.close();
    }
  });

  it('the text extracts byte for byte as before issue 14 but for the footer, also from a page that printed other documents first', async () => {
    const footerLine = /Səhifə \d+ \/ \d+/;
    const body = (text: string) => text.split('\n').filter((line) => !footerLine.test(line));
    for (const { name, pdf } of docs) {
      const text = await pdfText(pdf);
      expect(body(text), name).toEqual(body(BEFORE[name]));
      expect(text.split('\n').filter((line) => footerLine.test(line)).length, name).toBe(
        BEFORE[name].split('\n').filter((line) => footerLine.test(line)).length,
      );
    }
    // The same page again (maxConcurrent 1: one warm page), after both documents: fonts still there.
    expect(body(await pdfText(await renderContractPdf(renderer, sampleContract())))).toEqual(body(BEFORE.contract));
    expect(renderer.stats.launches).toBe(1);
  });

  it('every page ends with its footer: the label on the left, "Səhifə N / M" on the right, in the bottom margin', async () => {
    for (const { name, pdf, options } of docs) {
      const pages = await pdfPages(pdf);
      expect(pages.length, name).toBe(name === 'contract' ? 3 : 1);
      pages.forEach((lines, i) => {
        const last = lines[lines.length - 1];
        expect(last.text, `${name} page ${i + 1}`).toBe(`${options.footerLabel} Səhifə ${i + 1} / ${pages.length}`);
        expect(last.y, `${name} page ${i + 1}`).toBeLessThan(57); // below the 20 mm bottom margin's top (56.7 pt)
      });
    }
  });

  it('a footer label is printed as written: quotes, a backslash and markup stay text', async () => {
    const label = 'Sənəd "A" \\ </style><b>x</b> ə\'s';
    const pdf = await renderer.renderPdf('<!DOCTYPE html><html><head><meta charset="utf-8"></head><body><p>Mətn</p></body></html>', { footerLabel: label });
    const [lines] = await pdfPages(pdf);
    expect(lines.map((line) => line.text)).toEqual(['Mətn', `${label} Səhifə 1 / 1`]);
  });

  it("the text sits where Chromium's footer template printed it before: every run of text, the footer's too, in the same place", async () => {
    // The footer as it was printed until the margin boxes (a document of its own per page, with its own regular weight).
    const templateFooter = (label: string) =>
      `<style>${fontFaceCss([400])}</style>` +
      `<div style="font-family:'Noto Sans';font-size:7.5pt;color:#555;width:100%;margin:0 17mm 0 20mm;` +
      `display:flex;justify-content:space-between;-webkit-print-color-adjust:exact;">` +
      `<span>${label}</span><span>Səhifə <span class="pageNumber"></span> / <span class="totalPages"></span></span></div>`;
    const page = await browser.newPage();
    try {
      await page.setJavaScriptEnabled(false);
      for (const { name, html, options, pdf } of docs) {
        await page.setContent(embedFonts(html), { waitUntil: 'load' });
        await page.evaluate(() => document.fonts.ready.then(() => undefined));
        const before = Buffer.from(
          await page.pdf({
            ...printOptions(),
            displayHeaderFooter: true,
            headerTemplate: '<span></span>',
            footerTemplate: templateFooter(options.footerLabel ?? ''),
          }),
        );
        // In reading order by place (page, line from the top, left to right), whatever order the file has them in.
        const byPlace = (a: TextRun, b: TextRun) => a.page - b.page || (Math.abs(a.y - b.y) > 1 ? b.y - a.y : a.x - b.x);
        const was = (await pdfTextRuns(before)).sort(byPlace);
        const now = (await pdfTextRuns(pdf)).sort(byPlace);
        expect(now.map((r) => r.text).join(''), name).toBe(was.map((r) => r.text).join(''));
        expect(now.length, name).toBe(was.length);
        now.forEach((run, i) => {
          const where = `${name}: "${run.text}" on page ${run.page}`;
          expect(run.page, where).toBe(was[i].page);
          expect(run.size, where).toBe(was[i].size);
          expect(Math.abs(run.x - was[i].x), where).toBeLessThan(0.05);
          expect(Math.abs(run.y - was[i].y), where).toBeLessThan(0.05);
        });
      }
    } finally {
      await page.close();
    }
  });

  it('the fonts are embedded: Noto Sans regular and bold only (the footer too), each with its font program in the file', () => {
    for (const { name, pdf } of docs) {
      const fonts = pdfFonts(pdf);
      expect(fonts.length, name).toBeGreaterThan(0);
      for (const font of fonts) expect(font.name, name).toMatch(/^[A-Z]{6}\+NotoSans-(Regular|Bold)$/);
      for (const font of fonts) expect(font.embedded, `${name}: ${font.name}`).toBe(true);
      const programs = fontProgramBytes(pdf);
      expect(programs.length, name).toBeGreaterThan(0);
      // A subset may be small (the cyrillic one holds "№" only: ~1 KB), but none is empty, and together they are the glyphs.
      for (const bytes of programs) expect(bytes, name).toBeGreaterThan(200);
      expect(
        programs.reduce((sum, bytes) => sum + bytes, 0),
        name,
      ).toBeGreaterThan(10_000);
    }
  });
});
