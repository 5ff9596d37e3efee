/**
 * HTML → PDF with one warm Chromium (puppeteer), shared by all documents.
 *
 * - One browser process is launched at start and reused; if it crashes or is killed, the next render
 *   launches a new one (and a render caught by the crash is retried once on the new browser).
 * - At most `maxConcurrent` pages render at once, handed out by lane (PageSlots): a document somebody
 *   waits for first, one rendered ahead of need on at most `maxAhead` pages. A page prints up to PAGE_USES
 *   documents, one after the other, then is closed; a page that failed is closed at once.
 * - Fonts (issue 14): every page gets Noto Sans once, when it is opened, as FontFace objects of its
 *   document (documents/fonts.ts). They stay through `setContent` (which reuses the document), so
 *   the documents' HTML carries no fonts and a page decodes each font file once, not per document.
 * - The footer (label, "Səhifə X / Y") is printed by the page itself, in CSS `@page` margin boxes
 *   (`printableHtml`), not by Chromium's footer template, which rendered a document of its own per page.
 * - No network while rendering: JavaScript is off and every request that is not `data:`/`about:` is
 *   aborted, so a document can only contain what its HTML embeds (QR code) and the page's fonts.
 * - Determinism: for the same HTML and the same `creationDate`, the PDF is byte-identical on the
 *   same Chromium build. Two things vary from run to run in Chromium's output and are rewritten in
 *   place (same length, so the xref offsets stay valid): /CreationDate and /ModDate (the current
 *   time → `creationDate`) and the /ID of the tagged PDF's structure elements (DOM node numbers,
 *   which depend on what the renderer process built before → renumbered by rank).
 *   What is not under our control: /Creator (the browser's user agent) and /Producer ("Skia/PDF
 *   mNNN") and Skia's layout/subsetting change with the Chromium version, so bytes differ across
 *   Chromium upgrades; the extracted text does not.
 * - `close()` closes the browser, kills its process group in case anything lingers, and removes the
 *   temporary profile directory.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CHROMIUM_ARGS, chromiumProfilePrefix } from '../platform/chromium';
import { fontFaces, type FontFaceSource } from './fonts';
import puppeteer, { type Browser, type HTTPRequest, type Page, type PDFOptions } from 'puppeteer';

/** The platform's headless flags, and a few more that a printing-only browser does not need. */
export const PRINTING_CHROMIUM_ARGS: readonly string[] = [
  ...CHROMIUM_ARGS,
  '--disable-extensions',
  '--metrics-recording-only',
  '--no-default-browser-check',
  '--mute-audio',
];

/**
 * The renderer's switches: PRINTING_CHROMIUM_ARGS in one process (issue 14, session 23).
 * `--single-process` runs the renderer, the print compositor and the GPU service as threads of the
 * browser process, so a printed page's paint records and the PDF are not copied between processes.
 * That halves Chromium's CPU per PDF here (136 → 72 ms, the same bytes; docs/benchmarks.md). What it
 * costs: a crash of any part ends the whole browser, which the renderer already survives (a new
 * browser, the render retried once); and no process boundary between the documents' HTML and the
 * browser. The sandbox is off anyway (CHROMIUM_ARGS), JavaScript is off, every request but `data:`
 * is aborted, and the HTML is ours, every value escaped. `--no-zygote` goes with it.
 */
export const DEFAULT_CHROMIUM_ARGS: readonly string[] = [...PRINTING_CHROMIUM_ARGS, '--single-process', '--no-zygote'];

export type RendererLog = (message: string, details?: Record<string, unknown>) => void;

export interface PdfRendererOptions {
  executablePath: string;
  /** Extra Chromium switches; merged with DEFAULT_CHROMIUM_ARGS. */
  args?: readonly string[];
  /** Pages rendering at the same time. */
  maxConcurrent?: number;
  /** Of those, pages that `ahead` renders may hold (default: all but one, at least one). */
  maxAhead?: number;
  /** Per-render time limit (page load + PDF), ms. */
  renderTimeoutMs?: number;
  log?: RendererLog;
}

export interface RenderPdfOptions {
  /** Page numbers "Səhifə X / Y" (and `footerLabel`) in the footer of every page. Default true. */
  footer?: boolean;
  /** Text on the left of the footer, e.g. "Müqavilə № 2026-000123 · Versiya 2". Escaped. */
  footerLabel?: string;
  /** Written as the PDF's /CreationDate and /ModDate (default: 2000-01-01T00:00:00Z), for reproducible files. */
  creationDate?: string | Date;
  /** `ahead` for a document rendered before anyone waits for it: it yields to every `now` one (default). */
  lane?: RenderLane;
  /** For an `ahead` render: resolves when somebody starts waiting for it; a render still without a page then goes as a `now` one. */
  hurry?: Promise<void>;
}

/** A4 with the margins of an office document; the footer sits in the bottom margin. */
const PAGE_MARGIN = { top: '18mm', bottom: '20mm', left: '20mm', right: '17mm' } as const;
const DEFAULT_CREATION_DATE = '2000-01-01T00:00:00Z';

/**
 * Which documents go first (issue 14): `now` is a document somebody waits for (the order on the
 * payment path, a signed copy); `ahead` is one rendered before it is needed (the contract prepared
 * at approval). An `ahead` render waits behind every `now` one, and holds at most `maxAhead` pages,
 * so a `now` render always finds a page free of them soon.
 */
export type RenderLane = 'now' | 'ahead';

/**
 * The worker's renderer pages (issue 14): three, of which contracts prepared at approval hold one at
 * most, so two are always there for the documents somebody waits for: the order, and the contract
 * rendered at payment beside it when no prepared copy is ready. With two pages and one for
 * preparations, an order waited 90–150 ms p50 for a page at 10 contracts in flight; with three, none
 * at p50 (docs/benchmarks.md, session 29).
 */
export const WORKER_RENDERER_PAGES = { maxConcurrent: 3, maxAhead: 1 } as const;

/** The renderer's pages as slots, handed out by lane: `now` first, `ahead` on at most `maxAhead` of them. */
export class PageSlots {
  private active = 0;
  private activeAhead = 0;
  private readonly waiting: Record<RenderLane, (() => void)[]> = { now: [], ahead: [] };
  constructor(
    private readonly max: number,
    private readonly maxAhead: number,
  ) {}
  /**
   * A page in `lane`; answers the lane it was taken in, which `release` is given back. `hurry`, for an
   * `ahead` ask: once it resolves (somebody now waits for that document), an ask still waiting moves
   * to the `now` lane, behind the `now` asks already waiting.
   */
  async acquire(lane: RenderLane, hurry?: Promise<void>): Promise<RenderLane> {
    if (this.canStart(lane)) {
      this.take(lane);
      return lane;
    }
    return new Promise<RenderLane>((resolve) => {
      const waiter = () => resolve(lane);
      this.waiting[lane].push(waiter);
      if (lane !== 'ahead' || !hurry) return;
      void hurry.then(() => {
        const index = this.waiting.ahead.indexOf(waiter);
        if (index < 0) return;
        this.waiting.ahead.splice(index, 1);
        if (this.canStart('now')) {
          this.take('now');
          resolve('now');
        } else this.waiting.now.push(() => resolve('now'));
      });
    });
  }
  release(lane: RenderLane): void {
    this.active--;
    if (lane === 'ahead') this.activeAhead--;
    for (const next of ['now', 'ahead'] as const) {
      const waiter = this.waiting[next][0];
      if (waiter && this.canStart(next)) {
        this.waiting[next].shift();
        this.take(next);
        waiter();
        return;
      }
    }
  }
  /** Renders waiting for a page, by lane. */
  get queued(): Record<RenderLane, number> {
    return { now: this.waiting.now.length, ahead: this.waiting.ahead.length };
  }
  private canStart(lane: RenderLane): boolean {
    if (this.active >= this.max) return false;
    return lane === 'now' ? true : this.waiting.now.length === 0 && this.activeAhead < this.maxAhead;
  }
  private take(lane: RenderLane): void {
    this.active++;
    if (lane === 'ahead') this.activeAhead++;
  }
}

interface Instance {
  browser: Browser;
  pid?: number;
  userDataDir: string;
  /** Pages set up for printing and free now: opening a page costs more than printing on one. */
  idlePages: { page: Page; uses: number }[];
}

/** A page prints this many documents, then is closed, so nothing a page accumulates can grow for long. */
const PAGE_USES = 50;

/**
 * A CSS string literal of any text: every character that could end the string, the rule or the
 * `<style>` element (quotes, backslash, `<`, `>`, `&`, line breaks) is written as a hex escape.
 */
function cssString(text: string): string {
  return `"${text.replace(/[\\"'<>&\r\n\f\u2028\u2029]/g, (c) => `\\${c.charCodeAt(0).toString(16)} `)}"`;
}

/** The footer's text: the regular weight, small and grey, on the baseline where it always was. */
const FOOTER_TEXT = "font-family:'Noto Sans';font-weight:400;font-size:7.5pt;color:#555;vertical-align:bottom;padding-bottom:5.265mm;";

/**
 * The footer of every page (issue 14): the document's label on the left, "Səhifə X / Y" on the right,
 * printed by the page itself in CSS margin boxes (`@page { @bottom-left … }`, Chromium 131+).
 * Chromium's `footerTemplate` rendered a second document for every page, with its own copy of the
 * regular weight (about 100 KB of base64 CSS sent with every print): about a fifth of a PDF's Chromium
 * time. The margin boxes use the page's fonts. The padding and the sub-millimetre side margins place
 * the text where the footer template put it (the same baseline, within 0.02 pt across; checked by
 * test/documents/fonts-once.test.ts against a print with the old template).
 */
function footerCss(label: string | undefined): string {
  return (
    `@page{@bottom-left{content:${cssString(label ?? '')};${FOOTER_TEXT}margin-left:0.243mm}` +
    `@bottom-right{content:"Səhifə " counter(page) " / " counter(pages);${FOOTER_TEXT}margin-right:0.155mm}}`
  );
}

/** The HTML as it is printed: with the footer's `@page` rules in its `<head>` unless `footer` is false. */
export function printableHtml(html: string, options: RenderPdfOptions): string {
  if (!(options.footer ?? true)) return html;
  const style = `<style>${footerCss(options.footerLabel)}</style>`;
  const head = html.search(/<\/head>/i);
  return head >= 0 ? html.slice(0, head) + style + html.slice(head) : style + html;
}

/** PDF date string digits "YYYYMMDDHHmmSS" (UTC) of a date. */
function pdfDateDigits(value: string | Date): string {
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) throw new Error(`Not a date: ${String(value)}`);
  return date.toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

/** Overwrites the 14 digits of /CreationDate and /ModDate in place (same length: xref stays valid). */
export function setPdfDates(pdf: Buffer, value: string | Date): Buffer {
  const digits = Buffer.from(pdfDateDigits(value), 'latin1');
  for (const key of ['/CreationDate (D:', '/ModDate (D:']) {
    let at = pdf.indexOf(key, 0, 'latin1');
    while (at >= 0) {
      const start = at + key.length;
      const current = pdf.subarray(start, start + 14).toString('latin1');
      if (/^\d{14}$/.test(current)) digits.copy(pdf, start);
      at = pdf.indexOf(key, start, 'latin1');
    }
  }
  return pdf;
}

/**
 * Tagged PDFs (kept for accessibility) give each structure element an /ID "(node00000123)" taken
 * from Chromium's DOM node counter, which depends on what else the renderer process has built
 * (other pages, earlier renders). Renumbers them by rank, in place and with the same width, so the
 * order (and so the sorted /IDTree) is kept and the same document always gets the same IDs.
 */
export function normalizeStructureIds(pdf: Buffer): Buffer {
  const text = pdf.toString('latin1');
  const pattern = /\(node(\d{1,12})\)/g;
  const ids = new Set<string>();
  for (const m of text.matchAll(pattern)) ids.add(m[1]);
  if (ids.size === 0) return pdf;
  const rank = new Map<string, number>();
  [...ids].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0)).forEach((id, i) => rank.set(id, i + 1));
  for (const m of text.matchAll(pattern)) {
    const digits = m[1];
    const renumbered = String(rank.get(digits)).padStart(digits.length, '0');
    if (renumbered.length !== digits.length) continue; // cannot happen: rank <= count of ids <= 10^width
    pdf.write(renumbered, (m.index ?? 0) + '(node'.length, 'latin1');
  }
  return pdf;
}

/** What a page shows before its first document: the fonts are added to this document, which `setContent` keeps. */
const BLANK_PAGE = '<!DOCTYPE html><html><head><meta charset="utf-8"></head><body></body></html>';

/**
 * Adds the documents' fonts to the page's document and waits until each is decoded. Runs with
 * JavaScript off: DevTools' evaluation is not page script. The sources are `data:` URLs, so
 * nothing is fetched.
 */
async function installFonts(page: Page): Promise<void> {
  const loaded = await page.evaluate(async (sources: readonly FontFaceSource[]) => {
    for (const f of sources) {
      const face = new FontFace(f.family, `url(${f.url}) format('woff2')`, {
        style: 'normal',
        weight: String(f.weight),
        unicodeRange: f.unicodeRange,
        display: 'block',
      });
      (document.fonts as unknown as Set<FontFace>).add(face);
      await face.load();
    }
    return [...(document.fonts as unknown as Set<FontFace>)].filter((face) => face.status === 'loaded').length;
  }, fontFaces());
  if (loaded < fontFaces().length) throw new Error(`the page loaded ${loaded} of ${fontFaces().length} font faces`);
}

/**
 * The page setup of every PDF: A4 and the office margins; the footer is in the HTML (`printableHtml`).
 * Exported for the tests and the bench that print the same way elsewhere.
 */
export function printOptions(timeoutMs = 30_000): PDFOptions {
  return { format: 'A4', printBackground: true, preferCSSPageSize: false, margin: PAGE_MARGIN, displayHeaderFooter: false, timeout: timeoutMs };
}

/** What varies from run to run in Chromium's output, set: the dates from `creationDate`, the structure IDs by rank. */
export function normalizePdf(pdf: Buffer, options: RenderPdfOptions): Buffer {
  return normalizeStructureIds(setPdfDates(pdf, options.creationDate ?? DEFAULT_CREATION_DATE));
}

function killProcessGroup(pid: number | undefined): void {
  if (!pid) return;
  try {
    process.kill(-pid, 'SIGKILL'); // puppeteer starts Chromium detached: its pid leads the group
  } catch {
    // already gone
  }
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

export class PdfRenderer {
  private instance: Instance | undefined;
  private launching: Promise<Instance> | undefined;
  private closed = false;
  private readonly slots: PageSlots;
  private readonly args: string[];
  private readonly log: RendererLog;
  private readonly renderTimeoutMs: number;
  private readonly counters = { launches: 0, renders: 0, failures: 0, active: 0, peakActive: 0 };

  private constructor(private readonly options: PdfRendererOptions) {
    const maxConcurrent = options.maxConcurrent ?? 2;
    if (!Number.isInteger(maxConcurrent) || maxConcurrent < 1) throw new Error('maxConcurrent must be a positive integer');
    const maxAhead = options.maxAhead ?? Math.max(1, maxConcurrent - 1);
    if (!Number.isInteger(maxAhead) || maxAhead < 1 || maxAhead > maxConcurrent) throw new Error('maxAhead must be an integer from 1 to maxConcurrent');
    this.slots = new PageSlots(maxConcurrent, maxAhead);
    this.args = [...new Set([...DEFAULT_CHROMIUM_ARGS, ...(options.args ?? [])])];
    this.log = options.log ?? (() => undefined);
    this.renderTimeoutMs = options.renderTimeoutMs ?? 30_000;
  }

  static async start(options: PdfRendererOptions): Promise<PdfRenderer> {
    const renderer = new PdfRenderer(options);
    await renderer.browser();
    return renderer;
  }

  /** Browsers launched (1 + relaunches after crashes), renders done and failed, pages open now and at most. */
  get stats(): Readonly<{ launches: number; renders: number; failures: number; active: number; peakActive: number }> {
    return { ...this.counters };
  }

  /** The pid of the current Chromium process (for monitoring and tests). */
  get browserPid(): number | undefined {
    return this.instance?.pid;
  }

  async renderPdf(html: string, options: RenderPdfOptions = {}): Promise<Buffer> {
    if (this.closed) throw new Error('The PDF renderer is closed');
    const lane = await this.slots.acquire(options.lane ?? 'now', options.hurry);
    const c = this.counters;
    c.active++;
    c.peakActive = Math.max(c.peakActive, c.active);
    try {
      let pdf: Buffer;
      try {
        pdf = await this.renderOnce(html, options);
      } catch (error) {
        // The browser died under this render (crash, OOM kill): retry once on a fresh browser.
        if (this.closed || this.instance?.browser.connected) throw error;
        this.log('pdf render failed because the browser went away; retrying on a new browser', { error: String(error) });
        pdf = await this.renderOnce(html, options);
      }
      c.renders++;
      return pdf;
    } catch (error) {
      c.failures++;
      throw error;
    } finally {
      c.active--;
      this.slots.release(lane);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const pending = this.launching;
    if (pending) await pending.catch(() => undefined);
    const instance = this.instance;
    this.instance = undefined;
    if (instance) await this.dispose(instance, true);
  }

  /** A page of this browser ready to print: a free one, or a new one with the network shut off. */
  private async takePage(instance: Instance): Promise<{ page: Page; uses: number }> {
    for (let free = instance.idlePages.pop(); free; free = instance.idlePages.pop()) {
      if (!free.page.isClosed()) return free;
    }
    const page = await instance.browser.newPage();
    page.setDefaultTimeout(this.renderTimeoutMs);
    await page.setJavaScriptEnabled(false);
    await page.setRequestInterception(true);
    page.on('request', (request: HTTPRequest) => {
      const url = request.url();
      if (url.startsWith('data:') || url.startsWith('about:')) void request.continue();
      else {
        this.log('pdf render: blocked a network request', { url: url.slice(0, 200) });
        void request.abort('blockedbyclient');
      }
    });
    await page.setContent(BLANK_PAGE, { waitUntil: 'load', timeout: this.renderTimeoutMs });
    await installFonts(page);
    return { page, uses: 0 };
  }

  private async renderOnce(html: string, options: RenderPdfOptions): Promise<Buffer> {
    const instance = await this.browser();
    const taken = await this.takePage(instance);
    const { page } = taken;
    let reusable = false;
    try {
      await page.setContent(printableHtml(html, options), { waitUntil: 'load', timeout: this.renderTimeoutMs });
      // The page's own fonts are still there unless the document navigated away (it cannot fetch,
      // but a `data:` refresh would make a new document): then they are added again.
      const faces = await page.evaluate(() => document.fonts.ready.then(() => (document.fonts as unknown as Set<FontFace>).size));
      if (faces < fontFaces().length) {
        await installFonts(page);
        await page.evaluate(() => document.fonts.ready.then(() => undefined));
      }
      const pdf = Buffer.from(await page.pdf(printOptions(this.renderTimeoutMs)));
      reusable = true;
      return normalizePdf(pdf, options);
    } finally {
      taken.uses += 1;
      // A page that failed, or has printed its share, is closed; the others wait for the next document.
      if (reusable && taken.uses < PAGE_USES && this.instance === instance && !this.closed) instance.idlePages.push(taken);
      else await page.close().catch(() => undefined);
    }
  }

  private async browser(): Promise<Instance> {
    if (this.closed) throw new Error('The PDF renderer is closed');
    if (this.instance?.browser.connected) return this.instance;
    if (!this.launching) {
      this.launching = this.launch().finally(() => {
        this.launching = undefined;
      });
    }
    return this.launching;
  }

  private async launch(): Promise<Instance> {
    const dead = this.instance;
    this.instance = undefined;
    if (dead) await this.dispose(dead, false);
    const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), chromiumProfilePrefix()));
    const started = Date.now();
    let browser: Browser;
    try {
      browser = await puppeteer.launch({
        headless: true,
        executablePath: this.options.executablePath,
        args: this.args,
        userDataDir,
        pipe: true,
        // The process that owns the renderer decides how to stop (graceful shutdown on Ctrl-C).
        handleSIGINT: false,
        handleSIGTERM: false,
        handleSIGHUP: false,
        timeout: 60_000,
        protocolTimeout: Math.max(60_000, this.renderTimeoutMs * 2),
      });
    } catch (error) {
      fs.rmSync(userDataDir, { recursive: true, force: true });
      throw error;
    }
    const instance: Instance = { browser, pid: browser.process()?.pid, userDataDir, idlePages: [] };
    this.counters.launches++;
    this.log('pdf renderer: browser started', { pid: instance.pid, ms: Date.now() - started });
    browser.once('disconnected', () => {
      if (this.instance === instance) {
        this.instance = undefined;
        if (!this.closed) this.log('pdf renderer: the browser went away; the next render starts a new one', { pid: instance.pid });
        void this.dispose(instance, false);
      }
    });
    if (this.closed) {
      await this.dispose(instance, true);
      throw new Error('The PDF renderer is closed');
    }
    this.instance = instance;
    return instance;
  }

  /** Ends the browser and everything it started, and removes its profile directory. */
  private async dispose(instance: Instance, graceful: boolean): Promise<void> {
    if (graceful && instance.browser.connected) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        instance.browser.close().catch(() => undefined),
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, 5_000);
        }),
      ]);
      clearTimeout(timer);
    }
    killProcessGroup(instance.pid);
    const proc = instance.browser.process();
    if (proc && proc.exitCode === null && proc.signalCode === null) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 5_000);
        proc.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    fs.rmSync(instance.userDataDir, { recursive: true, force: true, maxRetries: 3, retryDelay: 100 });
  }
}
