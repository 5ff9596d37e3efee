/**
 * Every text people read — pages, e-mails, SMS, the JSON API's `message` — in Azerbaijani (the
 * manual's own labels, first) and English, through one i18next instance. Texts live in
 * `locales/<language>/<area>.json`, flat keys in dotted groups (`contract.not_yours`,
 * `wizard.title`); placeholders are `{name}`. A text missing in English falls back to Azerbaijani.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import i18next, { type TFunction, type TOptions } from 'i18next';

export const LOCALES = ['az', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export type Params = Record<string, unknown>;

function loadDictionary(locale: Locale): Record<string, string> {
  const dir = path.join(__dirname, locale);
  const dictionary: Record<string, string> = {};
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    const entries = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as Record<string, string>;
    for (const [key, text] of Object.entries(entries)) {
      if (key in dictionary) throw new Error(`locales/${locale}: "${key}" is defined twice (${file})`);
      dictionary[key] = text;
    }
  }
  return dictionary;
}

export const DICTIONARIES: Record<Locale, Record<string, string>> = { az: loadDictionary('az'), en: loadDictionary('en') };

const instance = i18next.createInstance();
void instance.init({
  initAsync: false,
  lng: 'az',
  fallbackLng: 'az',
  supportedLngs: [...LOCALES],
  resources: { az: { translation: DICTIONARIES.az }, en: { translation: DICTIONARIES.en } },
  keySeparator: false,
  nsSeparator: false,
  returnNull: false,
  interpolation: { prefix: '{', suffix: '}', escapeValue: false },
  missingInterpolationHandler: () => '',
});

const fixed: Record<Locale, TFunction> = { az: instance.getFixedT('az'), en: instance.getFixedT('en') };

/** The text of `key` in `locale`, with `{name}` placeholders filled; the key itself when no language has it. */
export function translate(locale: Locale, key: string, params: Params = {}): string {
  return fixed[locale]<string, TOptions, string>(key, { ...params, defaultValue: key });
}

/** Whether `locale` has its own text for `key` (no fallback). */
export function hasText(locale: Locale, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(DICTIONARIES[locale], key);
}

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/** The preferred of our languages in an Accept-Language header, or `fallback`. */
export function localeFromAcceptLanguage(header: string | undefined, fallback: Locale): Locale {
  if (!header) return fallback;
  const ranked = header
    .split(',')
    .map((part) => {
      const [tag, ...rest] = part.trim().split(';');
      const q = rest.map((r) => /^q=([\d.]+)$/.exec(r.trim())?.[1]).find(Boolean);
      return { lang: tag.toLowerCase().split('-')[0], q: q === undefined ? 1 : Number(q) };
    })
    .sort((a, b) => b.q - a.q);
  return ranked.map((r) => r.lang).find(isLocale) ?? fallback;
}

/**
 * The text of a decision's code. A `status` parameter is a contract status: Azerbaijani names it
 * with the status's own label.
 */
export function describe(locale: Locale, code: string, params: Params = {}): string {
  const status = params.status;
  const named =
    typeof status === 'string' && locale === 'az' && hasText('az', `status.${status}`) ? { ...params, status: translate('az', `status.${status}`) } : params;
  return translate(locale, code, named);
}
