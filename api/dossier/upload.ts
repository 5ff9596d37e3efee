/**
 * Reading an upload for the dossier, up to the 10 MB limit: a multipart form with the file in the
 * field "file" (the page's plain "Yadda saxla" form, and its script), or the file's bytes as the
 * body with its name URI-encoded in `X-File-Name` (API clients). The reading itself is
 * api/http/upload.ts, shared with the other areas that take files. Too large answers 400 at the
 * field "file", like a wrong type. Mounted only after the caller is known to may change this
 * dossier, so nobody else makes us read 10 MB.
 */
import type { RequestHandler, Response } from 'express';
import { DOSSIER_MAX_BYTES, tooLarge } from '../../domain/dossier';
import { type Upload, uploadReader, uploadsOf } from '../http/upload';
import { fileRefused } from './service';

export type { Upload };

/** Parses the upload (an empty upload is an empty buffer; the rules refuse it). */
export function readUpload(): RequestHandler {
  return uploadReader({ field: 'file', maxBytes: DOSSIER_MAX_BYTES, maxFiles: 1, rawBody: true, tooLarge: () => fileRefused(tooLarge()) });
}

export const uploadOf = (res: Response): Upload => uploadsOf(res)[0] ?? { data: Buffer.alloc(0) };
