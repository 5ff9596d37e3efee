/**
 * The documents' only typeface: Noto Sans, shipped with the project (@fontsource/noto-sans), embedded
 * into every document as base64 `@font-face` data URLs so that rendering needs no network and no
 * system font. The subsets cover the Azerbaijani alphabet (latin: ç ö ü ı and ASCII; latin-ext:
 * ə ğ ş İ Ə Ğ Ş, and ₼) and cyrillic (Russian-spelt names of foreigners and the "№" sign).
 * Read once per process and cached.
 */
import fs from 'node:fs';
import path from 'node:path';

export const FONT_FAMILY = 'Noto Sans';
export const FONT_SUBSETS = ['latin', 'latin-ext', 'cyrillic'] as const;
export const FONT_WEIGHTS = [400, 700] as const;

const cachedCss = new Map<string, string>();

function fontsourceDir(): string {
  return path.dirname(require.resolve('@fontsource/noto-sans/package.json'));
}

/** The `@font-face` rules (regular and bold by default, every subset) as CSS text. */
export function fontFaceCss(weights: readonly (typeof FONT_WEIGHTS)[number][] = FONT_WEIGHTS): string {
  const key = weights.join(',');
  const cached = cachedCss.get(key);
  if (cached !== undefined) return cached;
  const dir = fontsourceDir();
  const ranges = JSON.parse(fs.readFileSync(path.join(dir, 'unicode.json'), 'utf8')) as Record<string, string>;
  const rules: string[] = [];
  for (const weight of weights) {
    for (const subset of FONT_SUBSETS) {
      const file = path.join(dir, 'files', `noto-sans-${subset}-${weight}-normal.woff2`);
      const data = fs.readFileSync(file).toString('base64');
      const range = ranges[subset];
      if (!range) throw new Error(`@fontsource/noto-sans has no unicode range for the ${subset} subset`);
      rules.push(
        `@font-face{font-family:'${FONT_FAMILY}';font-style:normal;font-weight:${weight};font-display:block;` +
          `src:url(data:font/woff2;base64,${data}) format('woff2');unicode-range:${range};}`,
      );
    }
  }
  const css = rules.join('\n');
  cachedCss.set(key, css);
  return css;
}
