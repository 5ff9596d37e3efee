/**
 * Just enough MIME (RFC 5322, 2045–2047) to show the mails the sink catches: headers with encoded
 * words, quoted-printable and base64 bodies in any charset Node's TextDecoder knows, and the first
 * text part of a multipart message. Not a general-purpose parser.
 */

export interface ParsedMail {
  headers: Map<string, string[]>;
  subject: string;
  from: string;
  to: string;
  messageId?: string;
  date?: string;
  /** The plain-text body (CRLF turned into LF); for an HTML-only mail, its text with the tags removed. */
  text: string;
}

function decodeCharset(bytes: Buffer, charset: string | undefined): string {
  try {
    return new TextDecoder((charset || 'utf-8').trim().toLowerCase()).decode(bytes);
  } catch {
    return bytes.toString('utf8');
  }
}

/** "=?utf-8?B?...?=" and "=?utf-8?Q?...?=" words; whitespace between two encoded words is dropped. */
export function decodeEncodedWords(value: string): string {
  const word = /=\?([^?]+)\?([bBqQ])\?([^?]*)\?=/g;
  return value.replace(/(=\?[^?]+\?[bBqQ]\?[^?]*\?=)\s+(?==\?[^?]+\?[bBqQ]\?[^?]*\?=)/g, '$1').replace(word, (_m, charset: string, encoding: string, text: string) => {
    const bytes =
      encoding.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64')
        : Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (_h, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1');
    return decodeCharset(bytes, charset.split('*')[0]);
  });
}

export function decodeQuotedPrintable(text: string): Buffer {
  const joined = text.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < joined.length; i++) {
    const ch = joined[i];
    if (ch === '=' && /^[0-9A-Fa-f]{2}$/.test(joined.slice(i + 1, i + 3))) {
      bytes.push(parseInt(joined.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      // Raw 8-bit input may appear in lax mails: keep its UTF-8 bytes.
      for (const b of Buffer.from(ch, 'utf8')) bytes.push(b);
    }
  }
  return Buffer.from(bytes);
}

function parseHeaderBlock(block: string): Map<string, string[]> {
  const headers = new Map<string, string[]>();
  const unfolded = block.replace(/\r?\n[ \t]+/g, ' ');
  for (const line of unfolded.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    headers.set(name, [...(headers.get(name) ?? []), value]);
  }
  return headers;
}

function parseContentType(value: string | undefined): { type: string; params: Record<string, string> } {
  const [type, ...rest] = (value ?? 'text/plain').split(';');
  const params: Record<string, string> = {};
  for (const part of rest) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    params[part.slice(0, eq).trim().toLowerCase()] = part.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1');
  }
  return { type: type.trim().toLowerCase(), params };
}

function splitHeadersAndBody(raw: string): { head: string; body: string } {
  const match = /\r?\n\r?\n/.exec(raw);
  if (!match) return { head: raw, body: '' };
  return { head: raw.slice(0, match.index), body: raw.slice(match.index + match[0].length) };
}

/** The text of one MIME entity (recursing into multiparts); undefined when it has no text part. */
function textOf(headers: Map<string, string[]>, body: string): { text: string; html: boolean } | undefined {
  const { type, params } = parseContentType(headers.get('content-type')?.[0]);
  if (type.startsWith('multipart/') && params.boundary) {
    const delimiter = `--${params.boundary}`;
    const parts = body.split(delimiter).slice(1);
    let htmlFallback: { text: string; html: boolean } | undefined;
    for (const part of parts) {
      if (part.startsWith('--')) break;
      const { head, body: partBody } = splitHeadersAndBody(part.replace(/^\r?\n/, ''));
      const found = textOf(parseHeaderBlock(head), partBody.replace(/\r?\n$/, ''));
      if (found && !found.html) return found;
      htmlFallback ??= found;
    }
    return htmlFallback;
  }
  if (!type.startsWith('text/')) return undefined;
  const encoding = (headers.get('content-transfer-encoding')?.[0] ?? '7bit').toLowerCase();
  const bytes =
    encoding === 'base64' ? Buffer.from(body.replace(/\s+/g, ''), 'base64') : encoding === 'quoted-printable' ? decodeQuotedPrintable(body) : Buffer.from(body, 'latin1');
  let text = decodeCharset(bytes, params.charset).replace(/\r\n/g, '\n');
  const html = type === 'text/html';
  if (html) text = text.replace(/<[^>]*>/g, '').replace(/&nbsp;/g, ' ').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  return { text, html };
}

export function parseMail(raw: Buffer): ParsedMail {
  // latin1 maps every byte to one char, so 8-bit bodies survive until their charset is applied.
  const { head, body } = splitHeadersAndBody(raw.toString('latin1'));
  const headers = parseHeaderBlock(head);
  const header = (name: string) => {
    const value = headers.get(name)?.[0];
    return value === undefined ? undefined : decodeEncodedWords(decodeCharset(Buffer.from(value, 'latin1'), 'utf-8'));
  };
  return {
    headers,
    subject: header('subject') ?? '',
    from: header('from') ?? '',
    to: header('to') ?? '',
    messageId: header('message-id'),
    date: header('date'),
    text: (textOf(headers, body)?.text ?? '').replace(/\n$/, ''),
  };
}
