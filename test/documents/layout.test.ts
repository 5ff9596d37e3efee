/**
 * issue 13: the documents' page breaks, read back from the PDFs by text position per page. A clause
 * and its table stay on one page, the last page is never signatures alone, and the two signature
 * lines of a row sit at one height however long the names. The contract is rendered with
 * assignments of several lengths, so that clause 2.2 falls at every place near a page's foot.
 * With EVK_TEST_SCREENSHOTS=1 the documents are also kept as pictures (test/screenshots/document-*).
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import puppeteer from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderContractHtml, renderContractPdf, renderOrderHtml, renderOrderPdf } from '../../documents/contract-documents';
import { embedFonts } from '../../documents/fonts';
import { PdfRenderer } from '../../documents/pdf-renderer';
import type { ContractDocumentData, OrderDocumentData } from '../../documents/types';
import { sampleContract, sampleOrder } from './fixtures';
import { type PdfLine, pdfPages } from './pdf-reading';

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const SCREENSHOTS_DIR = path.resolve(__dirname, '..', 'screenshots');

const SENTENCE = 'Dindirmələrdə iştirak, işin materialları ilə tanışlıq, vəsatət və şikayətlərin hazırlanması və verilməsi. ';

/** The contract with an assignment of `sentences` sentences, a foreign applicant and a due date. */
function contractWith(sentences: number): ContractDocumentData {
  const base = sampleContract();
  return {
    ...base,
    terms: {
      ...base.terms,
      assignment: SENTENCE.repeat(sentences).trim(),
      price: { ...base.terms.price, secondInstalmentDueOn: '2027-03-15' },
    },
    bureau: { ...base.bureau, headName: 'Hüseynov-Məmmədzadə Tofiq Əli Əsgər oğlu' },
  };
}

const pageOf = (pages: PdfLine[][], pattern: RegExp) => pages.findIndex((lines) => lines.some((l) => pattern.test(l.text)));
const lineOf = (pages: PdfLine[][], pattern: RegExp) => pages.flat().find((l) => pattern.test(l.text));

describe('issue 13: the page breaks and the signature lines of the documents', () => {
  let renderer: PdfRenderer;
  const documents: { name: string; html: string; pages: PdfLine[][] }[] = [];

  beforeAll(async () => {
    renderer = await PdfRenderer.start({ executablePath: CHROMIUM, maxConcurrent: 2 });
    const contracts = [0, 5, 10, 15, 22].map((n) => ({ name: `contract-${n}`, data: contractWith(n) }));
    const rendered = await Promise.all(
      contracts.map(async ({ name, data }) => ({ name, html: await renderContractHtml(data), pages: await pdfPages(await renderContractPdf(renderer, data)) })),
    );
    documents.push(...rendered);
    const order: OrderDocumentData = {
      ...sampleOrder(),
      bureau: contracts[0].data.bureau,
      version: 2,
      supersedesVersion: 1,
      courtCaseNumbers: ['2-1(101)-123/2026'],
    };
    documents.push({ name: 'order', html: await renderOrderHtml(order), pages: await pdfPages(await renderOrderPdf(renderer, order)) });
  }, 120_000);

  afterAll(async () => {
    await renderer?.close();
  });

  it('a clause and its table are on one page (2.2 and its institution, 4.2 and its sum), whatever the assignment; R4.1.6 the due date in 4.3', () => {
    const contracts = documents.filter((d) => d.name.startsWith('contract'));
    // The lengths do move clause 2.2 about the pages.
    expect(new Set(contracts.map((d) => `${pageOf(d.pages, /^2\.2\. /)}:${lineOf(d.pages, /^2\.2\. /)?.y}`)).size).toBe(contracts.length);
    for (const { name, pages } of contracts) {
      expect(pageOf(pages, /^2\.2\. Hüquqi yardım/), name).toBe(pageOf(pages, /^Qurum Bakı şəhəri Nəsimi/));
      expect(pageOf(pages, /^4\.2\. Haqq iki hissədə/), name).toBe(pageOf(pages, /^Cəmi 1000\.00 AZN/));
      expect(pageOf(pages, /^1\.1\. Müraciət edən şəxs/), name).toBe(pageOf(pages, /^E-poçt gulnare/));
      // issue 12: the due date of the remainder is printed in 4.3.
      expect(
        pages
          .flat()
          .map((l) => l.text)
          .join(' '),
        name,
      ).toContain('Qalan məbləğ 15 mart 2027 tarixinədək ödənilir');
    }
  });

  it('the last page is never the signatures alone: the last clause of section 6 is on it', () => {
    for (const { name, pages } of documents.filter((d) => d.name.startsWith('contract'))) {
      const last = pages[pages.length - 1];
      expect(
        last.some((l) => /^6\.\d\. /.test(l.text)),
        name,
      ).toBe(true);
      expect(
        last.some((l) => /^7\. TƏRƏFLƏRİN REKVİZİTLƏRİ/.test(l.text)),
        name,
      ).toBe(true);
    }
  });

  it("the two signature lines of a row sit at one height, and a long head's name does not wrap", () => {
    for (const { name, pages } of documents.filter((d) => d.name.startsWith('contract'))) {
      // Both captions are on one printed line (one height), the lawyer's and the applicant's.
      expect(lineOf(pages, /\(Vəkilin imzası\)/)?.text, name).toContain('(Müraciət edən şəxsin imzası)');
      expect(lineOf(pages, /Hüseynov-Məmmədzadə/)?.text, name).toBe('Hüseynov-Məmmədzadə Tofiq Əli Əsgər oğlu');
    }
    const order = documents.find((d) => d.name === 'order')!.pages;
    expect(order).toHaveLength(1);
    expect(lineOf(order, /^\(imza\)/)?.text).toBe('(imza) (imza, M.Y.)');
    expect(lineOf(order, /Hüseynov-Məmmədzadə/)?.text).toBe('Məmmədova Səbinə Vüqar qızı Hüseynov-Məmmədzadə Tofiq Əli Əsgər oğlu');
  });

  it('R4.6: the re-issued order names the court case; the party is identified by the FIN', () => {
    const order = documents.find((d) => d.name === 'order')!.pages;
    expect(lineOf(order, /^Məhkəmə işinin nömrəsi/)?.text).toBe('Məhkəmə işinin nömrəsi 2-1(101)-123/2026');
    expect(lineOf(order, /^FİN /)?.text).toBe('FİN 5ZK7QPL');
  });

  it('keeps pictures of the documents at A4 when EVK_TEST_SCREENSHOTS=1', async () => {
    if (process.env.EVK_TEST_SCREENSHOTS !== '1') return;
    mkdirSync(SCREENSHOTS_DIR, { recursive: true });
    const browser = await puppeteer.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    try {
      const page = await browser.newPage();
      await page.setJavaScriptEnabled(false);
      await page.setViewport({ width: 794, height: 1123 }); // A4 at 96 dpi
      await page.emulateMediaType('print');
      for (const { name, html } of documents.filter((d) => ['contract-10', 'order'].includes(d.name))) {
        await page.setContent(embedFonts(html), { waitUntil: 'load' }); // issue 14: the renderer adds the fonts; a plain page needs them in the HTML
        await page.addStyleTag({ content: 'body { padding: 18mm 17mm 20mm 20mm; }' }); // the PDF's page margins
        await page.screenshot({ path: path.join(SCREENSHOTS_DIR, `document-${name}.png`), fullPage: true });
      }
    } finally {
      await browser.close();
    }
  });
});
