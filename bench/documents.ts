/**
 * Figure 3: PDFs. The contract and order HTML of the sample data (test/documents/fixtures.ts),
 * rendered once, then printed M times per variant, alternating contract and order:
 *   - by the warm PdfRenderer as the worker uses it (footer with page numbers, JavaScript off,
 *     network blocked, fonts awaited, dates and structure IDs normalised), one at a time and two
 *     at a time (the worker's maxConcurrent);
 *   - by a bare puppeteer page (launched once; per document a new page, setContent, pdf), one at
 *     a time, with the same Chromium and its default process model (PRINTING_CHROMIUM_ARGS: the
 *     floors of issue 14; the renderer adds `--single-process`);
 *   - by the same bare page with the renderer's footer and margins, to tell the footer's cost
 *     from the rest of the renderer's work;
 *   - by one bare page kept open and reused for every document, to show what opening and
 *     closing a page per document costs (the floor of issue 14: the renderer should be no slower);
 *   - by the warm PdfRenderer fed the HTML with the fonts embedded, as every document was before
 *     issue 14 (~215 KB each), to show what loading the fonts once per page saves.
 * Since issue 14 the documents' HTML carries no fonts (the renderer's pages have them loaded); the
 * bare variants print the standalone HTML (`embedFonts`, the fonts as base64 `@font-face`), which is
 * what a plain page needs to print the same document.
 * The variants take turns in blocks (all browsers stay open), so that other load on the machine
 * falls on all of them alike. Each also reports the CPU that Chromium and this process spent per PDF.
 */
import puppeteer, { type Page, type PDFOptions } from 'puppeteer';
import { CHROMIUM_ARGS } from '../platform/chromium';
import { contractFooterLabel, orderFooterLabel, renderContractHtml, renderOrderHtml } from '../documents/contract-documents';
import { embedFonts } from '../documents/fonts';
import { PdfRenderer, printableHtml, PRINTING_CHROMIUM_ARGS, printOptions, type RenderPdfOptions } from '../documents/pdf-renderer';
import { sampleContract, sampleOrder } from '../test/documents/fixtures';
import { cpuSince, cpuSnapshot, type CpuReport } from './cpu';
import { whileRunning } from './infra';
import { runPool, summarize, type Summary } from './stats';

export interface RendererFigures {
  documents: number;
  concurrency: number;
  /** Time spent rendering (the sum of this variant's blocks). */
  wallSeconds: number;
  pdfsPerSecond: number;
  msPerDocument: Summary;
  averageBytes: number;
  /** CPU per PDF, ms, by process group (chromium, node). */
  cpuMsPerDocument: Record<string, number>;
}

export interface DocumentsResult {
  documents: number;
  blocks: number;
  /** The HTML the renderer gets (no fonts since issue 14). */
  htmlBytes: { contract: number; order: number };
  /** The same with the fonts embedded (`embedFonts`), as the bare variants print it and as it was before issue 14. */
  standaloneHtmlBytes: { contract: number; order: number };
  chromiumVersion: string;
  pdfRenderer: RendererFigures;
  pdfRendererParallel: RendererFigures;
  barePuppeteer: RendererFigures;
  barePuppeteerWithFooter: RendererFigures;
  barePuppeteerReusedPage: RendererFigures;
  /** PdfRenderer printing the standalone HTML (fonts in every document, as before issue 14). */
  pdfRendererFontsInHtml: RendererFigures;
  /** The phase's CPU, summed over the measured blocks (each read while its browser was open). */
  cpu: CpuReport;
}

interface Doc {
  html: string;
  /** `html` with the fonts embedded, for a page the renderer did not set up. */
  standalone: string;
  options: RenderPdfOptions;
}

interface Variant {
  concurrency: number;
  /** Documents over the whole run (the comparisons that explain use half, to keep the run short). */
  total: number;
  render: (doc: Doc) => Promise<Buffer>;
  ms: number[];
  bytes: number;
  wallMs: number;
  cpu: CpuReport[];
}

function variant(total: number, concurrency: number, render: (doc: Doc) => Promise<Buffer>): Variant {
  return { concurrency, total, render, ms: [], bytes: 0, wallMs: 0, cpu: [] };
}

/** Renders `count` documents starting at `offset` (so contract and order alternate across blocks). */
async function block(v: Variant, docs: Doc[], offset: number, count: number, measured: boolean): Promise<void> {
  const cpuBefore = cpuSnapshot();
  const started = performance.now();
  const ms: number[] = [];
  let bytes = 0;
  await runPool(count, v.concurrency, async (i) => {
    const t = performance.now();
    const pdf = await v.render(docs[(offset + i) % docs.length]);
    ms.push(performance.now() - t);
    bytes += pdf.length;
  });
  if (!measured) return;
  v.wallMs += performance.now() - started;
  v.cpu.push(cpuSince(cpuBefore));
  v.ms.push(...ms);
  v.bytes += bytes;
}

function figures(v: Variant): RendererFigures {
  const n = v.ms.length;
  const cpu = sumCpu(v.cpu);
  const perDoc = (group: string) => Math.round(((cpu.bySeconds[group] ?? 0) * 1000) / n);
  return {
    documents: n,
    concurrency: v.concurrency,
    wallSeconds: Math.round(v.wallMs / 10) / 100,
    pdfsPerSecond: Math.round((n / (v.wallMs / 1000)) * 100) / 100,
    msPerDocument: summarize(v.ms),
    averageBytes: Math.round(v.bytes / n),
    cpuMsPerDocument: { chromium: perDoc('chromium'), node: perDoc('node') },
  };
}

function sumCpu(reports: CpuReport[]): CpuReport {
  const bySeconds: Record<string, number> = {};
  let wall = 0;
  let busyWeighted = 0;
  for (const r of reports) {
    wall += r.wallSeconds;
    busyWeighted += (r.machineBusy ?? 0) * r.wallSeconds;
    for (const [k, v] of Object.entries(r.bySeconds)) bySeconds[k] = Math.round(((bySeconds[k] ?? 0) + v) * 1000) / 1000;
  }
  const known = reports.every((r) => r.machineBusy !== undefined);
  return { wallSeconds: Math.round(wall * 10) / 10, bySeconds, machineBusy: known && wall > 0 ? Math.round((busyWeighted / wall) * 1000) / 1000 : undefined };
}

export async function runDocuments(options: { documents: number; chromiumPath: string; log: (m: string) => void }): Promise<DocumentsResult> {
  const { documents, chromiumPath, log } = options;
  const contract = sampleContract();
  const order = sampleOrder();
  const contractHtml = await renderContractHtml(contract);
  const orderHtml = await renderOrderHtml(order);
  const docs: Doc[] = [
    {
      html: contractHtml,
      standalone: embedFonts(contractHtml),
      options: { footer: true, footerLabel: contractFooterLabel(contract), creationDate: contract.issuedAt },
    },
    { html: orderHtml, standalone: embedFonts(orderHtml), options: { footer: true, footerLabel: orderFooterLabel(order), creationDate: order.issuedAt } },
  ];

  const renderer = await PdfRenderer.start({ executablePath: chromiumPath, args: CHROMIUM_ARGS, maxConcurrent: 2 });
  let browser: Awaited<ReturnType<typeof puppeteer.launch>> | undefined;
  let reusedPage: Page | undefined;
  let closing: Promise<void> | undefined;
  const closeAll = () =>
    (closing ??= (async () => {
      await reusedPage?.close().catch(() => undefined);
      await browser?.close().catch(() => undefined);
      await renderer.close();
    })());
  const closed = whileRunning(closeAll);
  try {
    browser = await puppeteer.launch({
      headless: true,
      executablePath: chromiumPath,
      // The floors keep the switches of the floor: one process per part, as Chromium runs by default.
      args: [...PRINTING_CHROMIUM_ARGS],
      // Ctrl-C is the bench's to handle (bench/run.ts), not puppeteer's.
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
    });
    const bare = (withFooter: boolean) => async (doc: Doc) => {
      const page = await browser!.newPage();
      try {
        // With the footer: the renderer's page setup and its footer (margin boxes in the HTML, documents/pdf-renderer.ts).
        await page.setContent(withFooter ? printableHtml(doc.standalone, doc.options) : doc.standalone, { waitUntil: 'load' });
        const pdfOptions: PDFOptions = withFooter ? printOptions() : { format: 'A4', printBackground: true };
        return Buffer.from(await page.pdf(pdfOptions));
      } finally {
        await page.close();
      }
    };
    const page = (reusedPage = await browser.newPage());
    const half = Math.max(2, Math.round(documents / 2));
    const variants = {
      pdfRenderer: variant(documents, 1, (doc) => renderer.renderPdf(doc.html, doc.options)),
      pdfRendererParallel: variant(half, 2, (doc) => renderer.renderPdf(doc.html, doc.options)),
      barePuppeteer: variant(documents, 1, bare(false)),
      barePuppeteerWithFooter: variant(half, 1, bare(true)),
      barePuppeteerReusedPage: variant(half, 1, async (doc) => {
        await page.setContent(doc.standalone, { waitUntil: 'load' });
        return Buffer.from(await page.pdf({ format: 'A4', printBackground: true }));
      }),
      pdfRendererFontsInHtml: variant(half, 1, (doc) => renderer.renderPdf(doc.standalone, doc.options)),
    };
    const all = Object.values(variants);

    for (const v of all) await block(v, docs, 0, 2, false); // warm-up
    const blocks = Math.max(1, Math.min(4, Math.floor(half / 2)));
    log(`documents: ${documents} PDFs with PdfRenderer and with bare puppeteer, ${half} each in 3 more ways, taking turns in ${blocks} blocks…`);
    for (let b = 0; b < blocks; b++) {
      for (const v of all) {
        const done = v.ms.length;
        await block(v, docs, done, Math.round(((b + 1) * v.total) / blocks) - done, true);
      }
    }

    return {
      documents,
      blocks,
      htmlBytes: { contract: Buffer.byteLength(contractHtml), order: Buffer.byteLength(orderHtml) },
      standaloneHtmlBytes: { contract: Buffer.byteLength(docs[0].standalone), order: Buffer.byteLength(docs[1].standalone) },
      chromiumVersion: await browser.version(),
      pdfRenderer: figures(variants.pdfRenderer),
      pdfRendererParallel: figures(variants.pdfRendererParallel),
      barePuppeteer: figures(variants.barePuppeteer),
      barePuppeteerWithFooter: figures(variants.barePuppeteerWithFooter),
      barePuppeteerReusedPage: figures(variants.barePuppeteerReusedPage),
      pdfRendererFontsInHtml: figures(variants.pdfRendererFontsInHtml),
      cpu: sumCpu(all.flatMap((v) => v.cpu)),
    };
  } finally {
    await closeAll();
    closed();
  }
}
