/**
 * A page's form body, typed: Express leaves `req.body` as `any`. The pages' parser
 * (`express.urlencoded({ extended: false })`, web/router.ts) gives strings and string arrays;
 * each page narrows the fields it reads.
 */
import type { Request } from 'express';

/** The parsed body's fields; an empty object when the request had none. */
export function formBody(req: Request): Record<string, unknown> {
  const body: unknown = req.body;
  return typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
}

/**
 * A field as text, as `String(value ?? '')` gives it for what the parser sends: a string as is, a
 * repeated field joined with commas, no field ''. (Anything else the parser never sends: ''.)
 */
export function formText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.map(formText).join(',');
  return '';
}
