/**
 * Values no handler should see (issue 9 item 9): a query value or path segment that is not valid
 * %-encoding (`?name=%E0%A4%A`), or that holds a NUL byte (`?name=%00`), which PostgreSQL refuses
 * in text and would answer 500. Such a request is refused at the door with 400 naming the field
 * (`common.bad_encoding`, `common.nul_character`); the pages show it on their 400 page, the API as
 * JSON. A JSON body with a NUL in any string is refused the same way, naming the field's path.
 */
import type { RequestHandler } from 'express';
import { fieldRefusal } from './errors';

const decode = (raw: string): string | undefined => {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
};

/** A field's name fit to answer with: decoded when it can be, at most 60 characters, no control characters. */
const fieldName = (raw: string): string => (decode(raw) ?? raw).replace(/\p{Cc}/gu, '').slice(0, 60) || '(query)';

/** The first bad value of a URL: the field (a query parameter's name, or `(path)`) and what is wrong. */
export function badUrlValue(url: string): { field: string; problem: 'bad_encoding' | 'nul_character' } | undefined {
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  for (const segment of path.split('/')) {
    const value = decode(segment);
    if (value === undefined) return { field: '(path)', problem: 'bad_encoding' };
    if (value.includes('\0')) return { field: '(path)', problem: 'nul_character' };
  }
  if (q < 0) return undefined;
  for (const pair of url.slice(q + 1).split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const rawKey = eq < 0 ? pair : pair.slice(0, eq);
    const rawValue = eq < 0 ? '' : pair.slice(eq + 1);
    const key = decode(rawKey);
    const value = decode(rawValue);
    const field = fieldName(rawKey);
    if (key === undefined || value === undefined) return { field, problem: 'bad_encoding' };
    if (key.includes('\0') || value.includes('\0')) return { field, problem: 'nul_character' };
  }
  return undefined;
}

/** The path of the first string holding a NUL in a parsed JSON body (`draft.applicant.lastName`), or undefined. */
export function nulPath(value: unknown, path: string[] = []): string | undefined {
  if (typeof value === 'string') return value.includes('\0') ? path.join('.') || '(body)' : undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i += 1) {
      const found = nulPath(value[i], [...path, String(i)]);
      if (found) return found;
    }
    return undefined;
  }
  if (value && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      if (key.includes('\0')) return [...path, key.replace(/\0/g, '')].join('.');
      const found = nulPath(v, [...path, key]);
      if (found) return found;
    }
  }
  return undefined;
}

const refusal = (field: string, problem: 'bad_encoding' | 'nul_character') =>
  fieldRefusal(field, problem === 'bad_encoding' ? 'invalid_encoding' : 'nul_character', `common.${problem}`, { field });

/** Refuses a URL with a bad value before any route reads it. */
export function rejectBadUrls(): RequestHandler {
  return (req, _res, next) => {
    const bad = badUrlValue(req.originalUrl);
    next(bad ? refusal(bad.field, bad.problem) : undefined);
  };
}

/** Refuses a JSON body with a NUL in a string or a key (mounted after express.json). */
export function rejectNulInBodies(): RequestHandler {
  return (req, _res, next) => {
    const field = req.is('application/json') ? nulPath(req.body) : undefined;
    next(field ? refusal(field, 'nul_character') : undefined);
  };
}
