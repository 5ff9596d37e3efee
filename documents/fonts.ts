/**
 * The documents' only typeface: Noto Sans, shipped with the project (@fontsource/noto-sans), so that
 * rendering needs no network and no system font. The subsets cover the Azerbaijani alphabet (latin:
 * ç ö ü ı and ASCII; latin-ext: ə ğ ş İ Ə Ğ Ş, and ₼) and cyrillic (Russian-spelt names of foreigners
 * and the "№" sign). Read once per process and cached.
 *
 * Issue 14: the documents' HTML no longer carries the fonts (~200 KB of base64 in every document).
 * The PdfRenderer adds them to each warm page once (`FONT_FACES`, as FontFace objects, which outlive
 * the page's `setContent`), so a page decodes each file once for all the documents it prints. The
 * footer is printed by the page itself (CSS margin boxes), with the same fonts. `embedFonts(html)`
 * gives a document its fonts back, to open it outside the renderer (screenshots, the bench's bare
 * puppeteer).
 */
import fs from 'node:fs';
import path from 'node:path';

export const FONT_FAMILY = 'Noto Sans';
export const FONT_SUBSETS = ['latin', 'latin-ext', 'cyrillic'] as const;
export const FONT_WEIGHTS = [400, 700] as const;

type Weight = (typeof FONT_WEIGHTS)[number];

/** One font file as a face of the family: what an `@font-face` rule or a `new FontFace(…)` needs. */
export interface FontFaceSource {
  family: string;
  weight: Weight;
  /** `data:font/woff2;base64,…` */
  url: string;
  unicodeRange: string;
}

let faces: FontFaceSource[] | undefined;
const cachedCss = new Map<string, string>();

function fontsourceDir(): string {
  return path.dirname(require.resolve('@fontsource/noto-sans/package.json'));
}

/** Every face (both weights, every subset), read once. */
export function fontFaces(): readonly FontFaceSource[] {
  if (faces) return faces;
  const dir = fontsourceDir();
  const ranges = JSON.parse(fs.readFileSync(path.join(dir, 'unicode.json'), 'utf8')) as Record<string, string>;
  const found: FontFaceSource[] = [];
  for (const weight of FONT_WEIGHTS) {
    for (const subset of FONT_SUBSETS) {
      const unicodeRange = ranges[subset];
      if (!unicodeRange) throw new Error(`@fontsource/noto-sans has no unicode range for the ${subset} subset`);
      const data = fs.readFileSync(path.join(dir, 'files', `noto-sans-${subset}-${weight}-normal.woff2`)).toString('base64');
      found.push({ family: FONT_FAMILY, weight, url: `data:font/woff2;base64,${data}`, unicodeRange });
    }
  }
  faces = found;
  return found;
}

/** The `@font-face` rules (regular and bold by default, every subset) as CSS text, the fonts embedded. */
export function fontFaceCss(weights: readonly Weight[] = FONT_WEIGHTS): string {
  const key = weights.join(',');
  const cached = cachedCss.get(key);
  if (cached !== undefined) return cached;
  const rules = fontFaces()
    .filter((face) => weights.includes(face.weight))
    .sort((a, b) => weights.indexOf(a.weight) - weights.indexOf(b.weight))
    .map(
      (face) =>
        `@font-face{font-family:'${face.family}';font-style:normal;font-weight:${face.weight};font-display:block;` +
        `src:url(${face.url}) format('woff2');unicode-range:${face.unicodeRange};}`,
    );
  const css = rules.join('\n');
  cachedCss.set(key, css);
  return css;
}

/** A document's HTML with the fonts embedded at the start of its <head>, to open it where the renderer does not add them. */
export function embedFonts(html: string): string {
  const style = `<style>\n${fontFaceCss()}\n</style>`;
  const head = /<head[^>]*>/i.exec(html);
  if (!head) return style + html;
  const at = head.index + head[0].length;
  return html.slice(0, at) + style + html.slice(at);
}
