/** Sending a stored file to the person who may see it: as an attachment, never cached, never sniffed. */
import type { Response } from 'express';

/**
 * `Content-Disposition` with an ASCII fallback and the exact name in RFC 6266/5987 form. Not
 * Express's `res.attachment`: its fallback keeps a name's `"` as `\"`, which some user agents
 * read wrongly, and the dossier keeps names with quotes (test/api/dossier.test.ts).
 */
export function contentDisposition(kind: 'inline' | 'attachment', name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${kind}; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

export function sendStoredFile(res: Response, file: { name: string; contentType: string; data: Buffer }) {
  res.setHeader('Content-Disposition', contentDisposition('attachment', file.name));
  res.type(file.contentType);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Cache-Control', 'private, no-store');
  res.send(file.data);
}
