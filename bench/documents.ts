/**
 * Figure 3: PDFs. The contract and order HTML of the sample data (test/documents/fixtures.ts),
 * rendered once, then printed M times, alternating contract and order:
 *   - by the warm PdfRenderer as the worker uses it (footer with page numbers, JavaScript off,
 *     network blocked, fonts awaited, dates and structure IDs normalised), one at a time and
 *     two at a time (the worker's maxConcurrent);
 *   - by a bare puppeteer page (launched once; per document a new page, setContent, pdf), one at
 *     a time, with the same Chromium and switches.
 */
import puppeteer from 'puppeteer';
import { CHROMIUM_ARGS } from '../platform/chromium';
import { contractFooterLabel, orderFooterLabel, renderContractHtml, renderOrderHtml } from '../documents/contract-documents';
import { DEFAULT_CHROMIUM_ARGS, PdfRenderer, type RenderPdfOptions } from '../documents/pdf-renderer';
import { sampleContract, sampleOrder } from '../test/documents/fixtures';
import { runPool, summarize, type Summary } from './stats';

export interface RendererFigures {
  documents: number;
  concurrency: number;
  wallSeconds: number;
  pdfsPerSecond: number;
  msPerDocument: Summary;
  averageBytes: number;
}

export interface DocumentsResult {
  documents: number;
  htmlBytes: { contract: number; order: number };
  chromiumVersion: string;
  pdfRenderer: RendererFigures;
  pdfRendererParallel: RendererFigures;
  barePuppeteer: RendererFigures;
}

interface Doc {
  html: string;
  options: RenderPdfOptions;
}

async function measure(count: number, concurrency: number, render: (doc: Doc) => Promise<Buffer>, docs: Doc[]): Promise<RendererFigures> {
  const ms: number[] = [];
  let bytes = 0;
  const started = Date.now();
  await runPool(count, concurrency, async (i) => {
    const t = performance.now();
    const pdf = await render(docs[i % docs.length]);
    ms.push(performance.now() - t);
    bytes += pdf.length;
  });
  const wallSeconds = (Date.now() - started) / 1000;
  return {
    documents: count,
    concurrency,
    wallSeconds: Math.round(wallSeconds * 100) / 100,
    pdfsPerSecond: Math.round((count / wallSeconds) * 100) / 100,
    msPerDocument: summarize(ms),
    averageBytes: Math.round(bytes / count),
  };
}

export async function runDocuments(options: { documents: number; chromiumPath: string; log: (m: string) => void }): Promise<DocumentsResult> {
  const { documents, chromiumPath, log } = options;
  const contract = sampleContract();
  const order = sampleOrder();
  const contractHtml = await renderContractHtml(contract);
  const orderHtml = await renderOrderHtml(order);
  const docs: Doc[] = [
    { html: contractHtml, options: { footer: true, footerLabel: contractFooterLabel(contract), creationDate: contract.issuedAt } },
    { html: orderHtml, options: { footer: true, footerLabel: orderFooterLabel(order), creationDate: order.issuedAt } },
  ];
  const args = [...new Set([...DEFAULT_CHROMIUM_ARGS, ...CHROMIUM_ARGS])];

  log(`documents: ${documents} PDFs with the warm PdfRenderer…`);
  const renderer = await PdfRenderer.start({ executablePath: chromiumPath, args: CHROMIUM_ARGS, maxConcurrent: 2 });
  let pdfRenderer: RendererFigures;
  let pdfRendererParallel: RendererFigures;
  try {
    const render = (doc: Doc) => renderer.renderPdf(doc.html, doc.options);
    await measure(2, 1, render, docs); // warm-up
    pdfRenderer = await measure(documents, 1, render, docs);
    pdfRendererParallel = await measure(documents, 2, render, docs);
  } finally {
    await renderer.close();
  }

  log(`documents: ${documents} PDFs with a bare puppeteer page…`);
  const browser = await puppeteer.launch({ headless: true, executablePath: chromiumPath, args });
  let barePuppeteer: RendererFigures;
  let chromiumVersion: string;
  try {
    chromiumVersion = await browser.version();
    const render = async (doc: Doc) => {
      const page = await browser.newPage();
      try {
        await page.setContent(doc.html, { waitUntil: 'load' });
        return Buffer.from(await page.pdf({ format: 'A4', printBackground: true }));
      } finally {
        await page.close();
      }
    };
    await measure(2, 1, render, docs); // warm-up
    barePuppeteer = await measure(documents, 1, render, docs);
  } finally {
    await browser.close();
  }

  return {
    documents,
    htmlBytes: { contract: Buffer.byteLength(contractHtml), order: Buffer.byteLength(orderHtml) },
    chromiumVersion,
    pdfRenderer,
    pdfRendererParallel,
    barePuppeteer,
  };
}
