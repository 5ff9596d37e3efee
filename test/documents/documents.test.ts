/**
 * The legal documents (contract and electronic lawyer's order) rendered to PDF by Chromium.
 * Text, metadata and fonts are read back with npm libraries (./pdf-reading: unpdf), so the suite
 * needs no system tools beyond Chromium.
 */
import fs from 'node:fs';
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CASE_TYPES } from '../../domain/contract';
import { renderContractHtml, renderContractPdf, renderOrderHtml, renderOrderPdf } from '../../documents/contract-documents';
import { PdfRenderer } from '../../documents/pdf-renderer';
import { sampleContract, sampleOrder } from './fixtures';
import { isA4, pdfFonts, pdfInfo, pdfText } from './pdf-reading';

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** Words that would reveal the case type in Azerbaijani or in the code's English (R4.1.1). */
// prettier-ignore
const CASE_TYPE_WORDS = [
  ...CASE_TYPES,
  'Cinayət', 'cinayət', 'CİNAYƏT',
  'Mülki', 'mülki', 'MÜLKİ',
  'İqtisadi', 'iqtisadi', 'İQTİSADİ',
  'İnzibati', 'inzibati', 'İNZİBATİ',
  'xəta', 'criminal', 'civil', 'commercial', 'administrative',
];

/** Text with the layout's runs of spaces and line breaks folded, for phrases that may wrap. */
function flat(text: string): string {
  return text.replace(/\s+/g, ' ');
}

interface Proc {
  pid: number;
  ppid: number;
  pgid: number;
  stat: string;
  comm: string;
}

/** Every process on the machine, from /proc (the same fields as `ps -eo pid,ppid,pgid,stat,comm`). */
function processes(): Proc[] {
  const procs: Proc[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // gone since the directory was listed
    }
    // "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses, so split at the last ')'.
    const close = stat.lastIndexOf(')');
    const comm = stat.slice(stat.indexOf('(') + 1, close);
    const [state, ppid, pgid] = stat.slice(close + 2).split(' ');
    procs.push({ pid: Number(entry), ppid: Number(ppid), pgid: Number(pgid), stat: state, comm });
  }
  return procs;
}

/** Processes of the Chromium started as `pid` (puppeteer starts it as the leader of its own group). */
function browserGroup(pid: number): Proc[] {
  return processes().filter((p) => p.pgid === pid || p.pid === pid);
}

function zombiesOfThisTest(): Proc[] {
  return processes().filter((p) => p.stat.startsWith('Z') && p.ppid === process.pid);
}

async function waitFor(check: () => boolean, ms = 5000): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return check();
}

describe('contract documents (R4.1, R4.3.2, R4.4.3)', () => {
  let renderer: PdfRenderer;
  let contractPdf: Buffer;
  let contractText: string;
  let orderPdf: Buffer;
  let orderText: string;
  const timings: string[] = [];

  beforeAll(async () => {
    renderer = await PdfRenderer.start({ executablePath: CHROMIUM, maxConcurrent: 2 });
    let t = Date.now();
    contractPdf = await renderContractPdf(renderer, sampleContract());
    timings.push(`contract (first render) ${Date.now() - t} ms`);
    t = Date.now();
    orderPdf = await renderOrderPdf(renderer, sampleOrder());
    timings.push(`order (first render) ${Date.now() - t} ms`);
    contractText = await pdfText(contractPdf);
    orderText = await pdfText(orderPdf);
  }, 120_000);

  afterAll(async () => {
    await renderer?.close();
    console.log(`[documents] ${timings.join('; ')}`);
  });

  it('R4.1.2: the contract names the parties with Azerbaijani letters intact', () => {
    expect(contractText).toContain('HÜQUQİ YARDIM GÖSTƏRİLMƏSİ HAQQINDA MÜQAVİLƏ № MQ-2026-000123');
    expect(contractText).toContain('Şükürova Gülnarə İsmayıl qızı'); // applicant
    expect(contractText).toContain('Əliyev Rəşad Kamal oğlu'); // protected person, not the applicant
    expect(contractText).toContain('Müraciət edən şəxs');
    expect(contractText).toContain('Hüquqları qorunan şəxs');
    expect(contractText).toContain('Məmmədova Səbinə Vüqar qızı');
    expect(contractText).toContain('VV-0042');
    expect(contractText).toContain('“Ədalət” Vəkil Bürosu');
    expect(contractText).toContain('Hüseynov Tofiq Əli oğlu');
    expect(contractText).toContain('28 noyabr 2026');
    expect(contractText).toContain('Səhifə 1 / ');
  });

  it('R4.1.5: the contract states the assignment and the institution', () => {
    expect(contractText).toContain('Tapşırığın mahiyyəti');
    expect(flat(contractText)).toContain('ibtidai araşdırma mərhələsində müdafiəsi');
    expect(contractText).toContain('Bakı şəhəri Nəsimi Rayon Polis İdarəsi');
  });

  it('R4.1.4: the contract lists the evidence holders', () => {
    expect(contractText).toContain('SÜBUT TOPLANILMASI TƏLƏB EDİLƏN ŞƏXSLƏR');
    expect(contractText).toContain('Nəsimi Rayon Polis İdarəsi');
    expect(contractText).toContain('“Azərişıq” ASC-nin Bakı filialı');
    expect(contractText).not.toContain('Mövcud deyil');
  });

  it('R4.1.6: the contract shows the price and the two instalments 1000.00 = 300.00 + 700.00 AZN', () => {
    expect(contractText).toContain('1000.00 AZN');
    expect(contractText).toContain('300.00 AZN');
    expect(contractText).toContain('700.00 AZN');
    expect(contractText).toContain('min manat 00 qəpik');
    expect(contractText).toContain('Birinci ödəniş');
    expect(contractText).toContain('Qalan məbləğ');
  });

  it('R4.1.1: the case type appears neither in the contract nor in the order', async () => {
    for (const word of CASE_TYPE_WORDS) {
      expect(contractText, word).not.toContain(word);
      expect(orderText, word).not.toContain(word);
    }
    // Whatever the case type, the HTML of both documents does not carry it.
    for (const caseType of CASE_TYPES) {
      const contract = sampleContract();
      contract.terms = { ...contract.terms, caseType };
      const order = sampleOrder({ terms: contract.terms });
      const html = (await renderContractHtml(contract)) + (await renderOrderHtml(order));
      for (const word of CASE_TYPE_WORDS) expect(html, `${caseType}: ${word}`).not.toContain(word);
    }
  });

  it('R4.3.2: the order carries its number, the parties, the institution, the contract and the verification URL', () => {
    expect(orderText).toContain('ELEKTRON VƏKİL ORDERİ № EVO-2026-004517');
    expect(orderText).toContain('Məmmədova Səbinə Vüqar qızı');
    expect(orderText).toContain('VV-0042');
    expect(orderText).toContain('“Ədalət” Vəkil Bürosu');
    expect(orderText).toContain('Əliyev Rəşad Kamal oğlu');
    expect(orderText).toContain('Bakı şəhəri Nəsimi Rayon Polis İdarəsi');
    expect(flat(orderText)).toContain('28 noyabr 2026 tarixli № MQ-2026-000123');
    expect(orderText).toContain('29 noyabr 2026');
    // issue 9 item 9: the link carries the verification code (longer now, it may wrap onto a second line)
    expect(orderText.replace(/\s+/g, '')).toContain('https://evk.example.az/verify/EVO-2026-004517?code=q3Zt8kPw2LxN5mRb7HcY');
    expect(orderText).toContain('Səhifə 1 / 1');
  });

  it('R4.3.2: the order embeds the QR code as a data URL (no network)', async () => {
    const html = await renderOrderHtml(sampleOrder());
    expect(html).toMatch(/<img class="qr" src="data:image\/svg\+xml;base64,/);
    expect(html).not.toMatch(/(src|href)="https?:/);
  });

  it('R4.4.3: a new version says it replaces the previous one', async () => {
    const pdf = await renderContractPdf(renderer, sampleContract({ version: 2, supersedesVersion: 1 }));
    const text = flat(await pdfText(pdf));
    expect(text).toContain('Versiya 2 — əvvəlki versiyanı əvəz edir');
    expect(text).toContain('əvvəlki versiyanı (Versiya 1) əvəz edir');
  });

  it('R4.1.1, R4.1.4, R4.1.6: a legal entity, "Mövcud deyil" and a single payment read right', async () => {
    const base = sampleContract();
    const html = await renderContractHtml({
      ...base,
      terms: {
        ...base.terms,
        protectedPartyKind: 'legal',
        protectedPerson: undefined,
        protectedEntity: { resident: true, voen: '1400057421', name: '“Qafqaz Tikinti” MMC', address: 'Bakı, Xətai rayonu' },
        evidence: { none: true, holders: [] },
        price: { totalQepik: 25_050, plan: 'single' },
      },
    });
    expect(html).toContain('Hüquqi şəxs');
    expect(html).toContain('1400057421');
    expect(html).toContain('Mövcud deyil');
    expect(html).toContain('250.50 AZN');
    expect(html).toContain('iki yüz əlli manat 50 qəpik');
    expect(html).toContain('birdəfəlik');
    expect(html).not.toContain('Birinci ödəniş');

    const same = await renderContractHtml({ ...base, terms: { ...base.terms, applicantIsProtectedParty: true, protectedPerson: undefined } });
    expect(same).toContain('Müraciət edən şəxsin özüdür');
  });

  it('user data is HTML-escaped in both documents', async () => {
    const base = sampleContract();
    const hostile = '<img src=x onerror=alert(1)><b>Bold</b> & "q"';
    const contract = { ...base, terms: { ...base.terms, assignment: hostile, institution: { name: hostile } } };
    const html = await renderContractHtml(contract);
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('<b>Bold</b>');
    expect(html).toContain('&lt;b&gt;Bold&lt;/b&gt;');
    const orderHtml = await renderOrderHtml(sampleOrder({ terms: contract.terms, orderNumber: '<i>1</i>' }));
    expect(orderHtml).not.toContain('<i>1</i>');
    const text = await pdfText(await renderContractPdf(renderer, contract));
    expect(text).toContain('<b>Bold</b> & "q"'); // printed literally
  });

  it('the documents use only the embedded Noto Sans (regular and bold), also in the footer', () => {
    for (const pdf of [contractPdf, orderPdf]) {
      const fonts = pdfFonts(pdf);
      expect(fonts.length).toBeGreaterThan(0);
      for (const font of fonts) expect(font.name).toMatch(/^[A-Z]{6}\+NotoSans-(Regular|Bold)$/);
      for (const font of fonts) expect(font.embedded, font.name).toBe(true);
      expect(fonts.some((f) => f.name.endsWith('NotoSans-Bold'))).toBe(true);
    }
  });

  it('the same data renders the same text, and the same bytes (creation date fixed to issuedAt)', async () => {
    const again = await renderContractPdf(renderer, sampleContract());
    expect(await pdfText(again)).toBe(contractText);
    // Same Chromium build: byte-identical, since /CreationDate and /ModDate are set from issuedAt.
    expect(again.equals(contractPdf)).toBe(true);
    const info = await pdfInfo(again);
    expect(info.creationDate).toMatch(/^2026-11-28T10:15:00/);
    expect(`${info.pageSize.width} x ${info.pageSize.height} pts`).toMatch(/^595\.\d+ x 841\.\d+ pts$/);
    expect(isA4(info.pageSize)).toBe(true);
    const orderAgain = await renderOrderPdf(renderer, sampleOrder());
    expect(await pdfText(orderAgain)).toBe(orderText);
  });

  it('rendering makes no network request', async () => {
    let hits = 0;
    const server = http.createServer((_req, res) => {
      hits++;
      res.end('x');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    const url = `http://127.0.0.1:${port}`;
    try {
      const html =
        `<html><head><link rel="stylesheet" href="${url}/a.css"><style>@font-face{font-family:X;src:url(${url}/f.woff2)}` +
        `body{font-family:X;background:url(${url}/bg.png)}</style></head>` +
        `<body><img src="${url}/i.png"><iframe src="${url}/frame"></iframe><script src="${url}/s.js"></script>text</body></html>`;
      const pdf = await renderer.renderPdf(html, { footer: false });
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
      expect(hits).toBe(0);
    } finally {
      server.close();
    }
  });

  it('20 concurrent renders share the warm browser, at most maxConcurrent pages at once', async () => {
    const launchesBefore = renderer.stats.launches;
    const started = Date.now();
    const pdfs = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        i % 2 === 0
          ? renderContractPdf(renderer, sampleContract({ contractNumber: `MQ-2026-${1000 + i}` }))
          : renderOrderPdf(renderer, sampleOrder({ orderNumber: `EVO-2026-${1000 + i}` })),
      ),
    );
    const elapsed = Date.now() - started;
    timings.push(`20 concurrent renders ${elapsed} ms (${Math.round(elapsed / 20)} ms per document)`);
    expect(pdfs).toHaveLength(20);
    for (const [i, pdf] of pdfs.entries()) {
      const text = await pdfText(pdf);
      expect(text).toContain(i % 2 === 0 ? `MQ-2026-${1000 + i}` : `EVO-2026-${1000 + i}`);
    }
    expect(renderer.stats.launches).toBe(launchesBefore);
    expect(renderer.stats.peakActive).toBeLessThanOrEqual(2);
    expect(renderer.stats.active).toBe(0);
    expect(browserGroup(renderer.browserPid!).length).toBeGreaterThan(0); // the same warm browser is still up

    const t = Date.now();
    await renderContractPdf(renderer, sampleContract());
    timings.push(`contract (warm) ${Date.now() - t} ms`);
    const t2 = Date.now();
    await renderOrderPdf(renderer, sampleOrder());
    timings.push(`order (warm) ${Date.now() - t2} ms`);
  });

  it('a render after the browser process was killed starts a new browser and works', async () => {
    const oldPid = renderer.browserPid!;
    const launches = renderer.stats.launches;
    process.kill(oldPid, 'SIGKILL');
    const pdf = await renderOrderPdf(renderer, sampleOrder());
    expect(await pdfText(pdf)).toContain('EVO-2026-004517');
    expect(renderer.stats.launches).toBe(launches + 1);
    expect(renderer.browserPid).not.toBe(oldPid);
    expect(await waitFor(() => browserGroup(oldPid).length === 0)).toBe(true);
  });

  it('close() leaves no Chromium process and no zombie behind, and removes the profile', async () => {
    const own = await PdfRenderer.start({ executablePath: CHROMIUM, maxConcurrent: 3 });
    const pid = own.browserPid!;
    await Promise.all(Array.from({ length: 4 }, () => renderOrderPdf(own, sampleOrder())));
    const group = browserGroup(pid);
    // The browser (one process since --single-process) and whatever it started (a crash handler, say).
    expect(group.map((p) => p.pid)).toContain(pid);
    const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    const profile = cmdline.find((a) => a.startsWith('--user-data-dir='))?.slice('--user-data-dir='.length);
    expect(profile && fs.existsSync(profile)).toBe(true);
    await own.close();
    expect(await waitFor(() => browserGroup(pid).length === 0)).toBe(true);
    for (const p of group) expect(processes().some((q) => q.pid === p.pid && q.comm === p.comm)).toBe(false);
    expect(zombiesOfThisTest()).toEqual([]);
    expect(fs.existsSync(profile!)).toBe(false);
    await expect(own.renderPdf('<p>x</p>')).rejects.toThrow(/closed/);
  });
});
