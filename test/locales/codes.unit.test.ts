/**
 * Decisions are codes, texts are translations (issue 8): every code the cabinet can answer with has
 * a text in Azerbaijani and in English, and both languages have the same keys.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ACCOUNT_CODES } from '../../api/account/codes';
import { AUTH_CODES } from '../../api/auth/codes';
import { COMMON_CODES } from '../../api/http/codes';
import { ACCESS_CODES, BAR_OFFICE_ACCESS_CODES } from '../../domain/access';
import { ASSIGNMENT_CODES } from '../../domain/assignment';
import { CONTRACT_CODES, PAYMENT_FLAG_CODES } from '../../domain/contract';
import { COURT_CODES } from '../../domain/court';
import { DOSSIER_CODES } from '../../domain/dossier';
import { MESSAGES_CODES } from '../../domain/messages';
import { SEMINAR_CODES } from '../../domain/seminars';
import { CALENDAR_CODES } from '../../domain/calendar';
import { PROFILE_CODES } from '../../domain/profile';
import { REGISTER_CODES } from '../../domain/office';
import { STATISTICS_CODES } from '../../domain/statistics';
import { DICTIONARIES, hasText, LOCALES } from '../../locales';
import { WORKFLOW_CODES } from '../../workflows/shared/codes';
import { SIGNING_CODES } from '../../api/signing/codes';

const ROOT = path.resolve(__dirname, '../..');
const ALL_CODES: Record<string, readonly string[]> = {
  COMMON_CODES,
  AUTH_CODES,
  ACCOUNT_CODES,
  ACCESS_CODES,
  BAR_OFFICE_ACCESS_CODES,
  CONTRACT_CODES,
  PAYMENT_FLAG_CODES,
  WORKFLOW_CODES,
  COURT_CODES,
  DOSSIER_CODES,
  STATISTICS_CODES,
  ASSIGNMENT_CODES,
  MESSAGES_CODES,
  SEMINAR_CODES,
  CALENDAR_CODES,
  PROFILE_CODES,
  REGISTER_CODES,
  SIGNING_CODES,
};

/** Every quoted `area.what` in the production code that looks like a code. */
function codeLiterals(): Set<string> {
  const found = new Set<string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.ts')) {
        for (const m of readFileSync(full, 'utf8').matchAll(
          /'((?:contract|terms|payment|dossier|court|court_filing|lookup|auth|access|assignment|seminar|common|messages|profile|account|register|statistics|signing|calendar)\.[a-z_]+)'/g,
        )) {
          if (!/\.(pdf|png|jpe?g)$/.test(m[1])) found.add(m[1]);
        }
      }
    }
  };
  for (const dir of ['domain', 'api', 'workflows', 'activities', 'web']) walk(path.join(ROOT, dir));
  return found;
}

describe('every code has words in both languages', () => {
  it('each listed code has an Azerbaijani and an English text', () => {
    const missing = Object.entries(ALL_CODES).flatMap(([list, codes]) =>
      codes.flatMap((code) => LOCALES.filter((locale) => !hasText(locale, code)).map((locale) => `${list} ${locale}:${code}`)),
    );
    expect(missing).toEqual([]);
  });

  it('each code written in the production code has both texts, listed or not', () => {
    const missing = [...codeLiterals()].flatMap((code) => LOCALES.filter((locale) => !hasText(locale, code)).map((locale) => `${locale}:${code}`));
    expect(missing).toEqual([]);
  });

  it('Azerbaijani and English have the same keys, and no text is empty', () => {
    const az = Object.keys(DICTIONARIES.az).sort();
    const en = Object.keys(DICTIONARIES.en).sort();
    expect(az.filter((k) => !en.includes(k))).toEqual([]);
    expect(en.filter((k) => !az.includes(k))).toEqual([]);
    for (const locale of LOCALES) expect(Object.entries(DICTIONARIES[locale]).filter(([, text]) => text.trim() === '')).toEqual([]);
  });
});
