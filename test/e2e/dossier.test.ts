/**
 * "Sənədlər" (SPEC R4.5) in a real headless Chromium: on the contract page the lawyer chooses a
 * scanned file with "+", stores it with "Yadda saxla", sees it listed and removes it again; a file
 * that is not a PDF, JPEG or PNG (whatever its name) is refused with the message next to the field.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, ElementHandle, Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_LAWYERS } from '../../simulators/demo-data';
import { createDraft, loginLawyer } from '../support/api';
import { clickAndWait, DESKTOP_VIEWPORT, launchBrowser, loginAsLawyer, screenshot } from '../support/browser';
import { startTestSystem, type TestSystem } from '../support/system';

let system: TestSystem;
let browser: Browser;
let base: string;
let files: string;

const elcin = DEMO_LAWYERS.find((l) => l.key === 'lawyer-mammadov')!;

beforeAll(async () => {
  files = mkdtempSync(path.join(tmpdir(), 'evk-dossier-'));
  system = await startTestSystem({ web: true });
  base = system.web!.url;
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await system?.close();
});

const shot = screenshot;

function file(name: string, bytes: Buffer): string {
  const full = path.join(files, name);
  writeFileSync(full, bytes);
  return full;
}

const dossierText = (page: Page) => page.$eval('section[data-dossier]', (s) => s.innerText);

async function choose(page: Page, fullPath: string) {
  const input = (await page.$('#f-dossierFile')) as ElementHandle<HTMLInputElement>;
  await input.uploadFile(fullPath);
}

describe('the dossier on the contract page (R4.5)', () => {
  it('"+" and "Yadda saxla" add a scan; a text file named .pdf is refused at the field; "Sil" removes it', async () => {
    const api = await loginLawyer(system, 'lawyer-mammadov');
    const id = await createDraft(api);

    const context = await browser.createBrowserContext();
    const page = await context.newPage();
    await page.setViewport(DESKTOP_VIEWPORT);
    await loginAsLawyer(page, base, elcin.phone, elcin.mobileSignatureUserId, system.simulators!.urls.mobileSignature);
    await page.goto(`${base}/contracts/${id}`, { waitUntil: 'networkidle0' });
    expect(await dossierText(page)).toContain('Sənədlər');
    expect(await dossierText(page)).toContain('Dosyedə hələ sənəd yoxdur.');
    // The script shows the form (without it, the page says uploading needs it).
    expect(await page.$eval('form[data-dossier-upload]', (f) => f.hidden)).toBe(false);

    // Nothing chosen: "Faylı seçin."
    await page.click('form[data-dossier-upload] button[type=submit]');
    await page.waitForSelector('#f-dossierFile-error:not([hidden])');
    expect(await page.$eval('#f-dossierFile-error', (e) => e.textContent)).toBe('Faylı seçin.');

    // A text file with a PDF's name: refused by its content, the message next to the field.
    await choose(page, file('qebz.pdf', Buffer.from('Bu PDF deyil, sadəcə mətndir.\n')));
    await page.click('form[data-dossier-upload] button[type=submit]');
    await page.waitForFunction(() => document.querySelector('#f-dossierFile-error')?.textContent?.includes('PDF, JPEG'));
    const refusal = await page.$eval('#f-dossierFile-error', (e) => ({ text: e.textContent, hidden: (e as HTMLElement).hidden }));
    expect(refusal).toEqual({ text: 'Yalnız PDF, JPEG və PNG faylları əlavə etmək olar; bu fayl onlardan deyil.', hidden: false });
    expect(await page.$eval('#f-dossierFile', (e) => e.getAttribute('aria-invalid'))).toBe('true');
    expect(await page.$$('tr[data-dossier-entry=file]')).toHaveLength(0);
    await shot(page, 'dossier-refused');

    // A real PDF: stored, and the page comes back with it listed.
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n', 'latin1');
    await choose(page, file('Etibarnamə.pdf', pdf));
    // The script reloads the page at the dossier: wait for the new page's row, not for one navigation event.
    await page.click('form[data-dossier-upload] button[type=submit]');
    await page.waitForSelector('tr[data-dossier-entry=file]', { timeout: 15_000 });
    await page.waitForFunction(() => document.readyState !== 'loading');
    const rows = await page.$$eval('tr[data-dossier-entry=file]', (trs) => trs.map((tr) => (tr as HTMLElement).innerText.replace(/\s+/g, ' ')));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toContain('Etibarnamə.pdf');
    expect(rows[0]).toMatch(/\d+ B/);
    expect(rows[0]).toContain('Məmmədov');
    expect(await page.$eval('main', (m) => m.innerText)).toContain('“Etibarnamə.pdf” dosyeyə əlavə edildi.');
    expect(await page.$eval('#f-dossierFile-error', (e) => (e as HTMLElement).hidden)).toBe(true);
    await shot(page, 'dossier-listed');

    // The link downloads the same bytes (with this browser's session).
    const href = await page.$eval('tr[data-dossier-entry=file] a[data-dossier-download]', (a) => a.href);
    const downloaded = await page.evaluate(async (url) => {
      const res = await fetch(url);
      return { status: res.status, type: res.headers.get('content-type'), bytes: Array.from(new Uint8Array(await res.arrayBuffer())) };
    }, href);
    expect(downloaded.status).toBe(200);
    expect(downloaded.type).toBe('application/pdf');
    expect(Buffer.from(downloaded.bytes).equals(pdf)).toBe(true);

    // "Sil", then "Bəli, sil".
    await page.click('tr[data-dossier-entry=file] details.dossier-remove summary');
    await clickAndWait(page, 'tr[data-dossier-entry=file] details.dossier-remove button[type=submit]');
    expect(await page.$$('tr[data-dossier-entry=file]')).toHaveLength(0);
    expect(await page.$eval('main', (m) => m.innerText)).toContain('Sənəd dosyedən silindi.');
    const audit = await system.db('dossier_audit').join('contracts', 'contracts.id', 'dossier_audit.contract_id').where('contracts.id', id).select('action');
    expect(audit.map((a) => a.action).sort()).toEqual(['added', 'removed']);
    await context.close();
  });
});
