/**
 * Files people upload (the dossier R4.5, message attachments R7, …) are told by their CONTENT, never
 * by their name or the browser's claim: the first bytes say PDF, JPEG or PNG, or the file is refused.
 * One check for every area; each area names its own limit, types and refusal codes.
 */
import type { CodeParams } from './codes';

export const CHECKED_TYPES = {
  'application/pdf': { ext: 'pdf', magic: [[0x25, 0x50, 0x44, 0x46, 0x2d]] },
  'image/jpeg': { ext: 'jpg', magic: [[0xff, 0xd8, 0xff]] },
  'image/png': { ext: 'png', magic: [[0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]] },
} as const;
export type CheckedContentType = keyof typeof CHECKED_TYPES;

/** The real type of the bytes among `allowed` (all checked types by default), or undefined for anything else. */
export function sniffContentType(
  data: Uint8Array,
  allowed: readonly CheckedContentType[] = Object.keys(CHECKED_TYPES) as CheckedContentType[],
): CheckedContentType | undefined {
  for (const type of allowed) {
    if (CHECKED_TYPES[type].magic.some((m) => data.length >= m.length && m.every((byte, i) => data[i] === byte))) return type;
  }
  return undefined;
}

/** A file's refusal at its field: the field's short code (kept for API callers) and the text's code. */
export interface FileRefusal<Code extends string = string> {
  field: string;
  short: 'required' | 'wrong_type' | 'too_large';
  code: Code;
  params?: CodeParams;
}

/** What an area allows: the field, the limit, the types and the codes of its three refusals. */
export interface FileRule<Code extends string> {
  field: string;
  maxBytes: number;
  types: readonly CheckedContentType[];
  codes: { empty: Code; wrongType: Code; tooLarge: Code };
}

export const tooLargeRefusal = <Code extends string>(rule: FileRule<Code>): FileRefusal<Code> => ({
  field: rule.field,
  short: 'too_large',
  code: rule.codes.tooLarge,
  params: { mb: rule.maxBytes / 1024 / 1024 },
});

/** Why these bytes are refused under this rule, or their type when they are not. */
export function checkFileContent<Code extends string>(data: Uint8Array, rule: FileRule<Code>): { refusal: FileRefusal<Code> } | { type: CheckedContentType } {
  if (data.length === 0) return { refusal: { field: rule.field, short: 'required', code: rule.codes.empty } };
  if (data.length > rule.maxBytes) return { refusal: tooLargeRefusal(rule) };
  const type = sniffContentType(data, rule.types);
  if (!type) return { refusal: { field: rule.field, short: 'wrong_type', code: rule.codes.wrongType } };
  return { type };
}

/** A name fit to show and to send back: no folders, no control characters, not too long. */
export function cleanFileName(raw: string | undefined, type: CheckedContentType): string {
  let name = raw ?? '';
  name = name.split(/[\\/]/).pop() ?? '';
  name = name
    .replace(/[\p{Cc}\u202a-\u202e\u2066-\u2069]/gu, '') // \p{Cc}: U+0000–U+001F and U+007F–U+009F
    .trim()
    .replace(/^\.+/, '');
  if (name.length > 200) {
    const dot = name.lastIndexOf('.');
    const ext = dot > 0 && name.length - dot <= 10 ? name.slice(dot) : '';
    name = name.slice(0, 200 - ext.length) + ext;
  }
  return name || `document.${CHECKED_TYPES[type].ext}`;
}

/** The extensions each checked type may keep in its name (`.jpeg` is a JPEG's as well as `.jpg`). */
const NAME_EXTENSIONS: Record<CheckedContentType, string[]> = { 'application/pdf': ['pdf'], 'image/jpeg': ['jpg', 'jpeg'], 'image/png': ['png'] };

/**
 * The name a file is kept and served under ends in its checked type's extension (issue 9 item 9):
 * `invoice.html` holding a PDF becomes `invoice.pdf`, a PNG named `scan.jpg` becomes `scan.png`; a
 * name whose last dot starts no extension (`Ərizə 12.05.2026`) gets one added.
 */
export function nameOfType(name: string, type: CheckedContentType): string {
  const wanted = NAME_EXTENSIONS[type];
  const dot = name.lastIndexOf('.');
  const ext = dot > 0 ? name.slice(dot + 1) : '';
  if (wanted.includes(ext.toLowerCase())) return name;
  const stem = /^[a-z][a-z0-9]{0,7}$/i.test(ext) ? name.slice(0, dot) : name;
  return `${stem}.${CHECKED_TYPES[type].ext}`;
}

/** The name a checked file is kept under: cleaned, and ending in its type's extension. */
export const storedFileName = (raw: string | undefined, type: CheckedContentType) => nameOfType(cleanFileName(raw, type), type);
