/**
 * Reading an upload (the dossier's, up to 10 MB; other areas give their own field and limit), in either of two forms:
 *   - a multipart form with the file in the field "file" (the page's plain "Yadda saxla" form, and
 *     its script): parsed by multer, in memory;
 *   - the file's bytes as the body with its name URI-encoded in `X-File-Name` (API clients).
 * Too large answers 400 at the field "file", like a wrong type. Mounted only after the caller is
 * known to may change this dossier, so nobody else makes us read 10 MB.
 */
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import multer from 'multer';
import { DOSSIER_MAX_BYTES, tooLarge } from '../../domain/dossier';
import { badRequest } from '../http/errors';
import { fileRefused } from './service';

export interface Upload {
  data: Buffer;
  name?: string;
}

/** What an upload may be: the field of the file, its size limit and the refusal when it is larger (the dossier's by default). */
export interface UploadOptions {
  field?: string;
  maxBytes?: number;
  tooLarge?: () => Error;
}

function decodedName(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  try {
    return decodeURIComponent(header);
  } catch {
    return header; // not URI-encoded: taken as it is
  }
}

/** Parses the upload into `res.locals.upload` (an empty upload is an empty buffer; the rules refuse it). */
export function readUpload(options: UploadOptions = {}): RequestHandler {
  const field = options.field ?? 'file';
  const maxBytes = options.maxBytes ?? DOSSIER_MAX_BYTES;
  const refuseTooLarge = options.tooLarge ?? (() => fileRefused(tooLarge()));
  const multipart = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: maxBytes, files: 1, fields: 10, fieldSize: 4096 },
    // Browsers send the file's name as UTF-8 (busboy would read it as Latin-1).
    defParamCharset: 'utf8',
  }).single(field);
  const raw = express.raw({ type: () => true, limit: maxBytes });
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.is('multipart/form-data')) {
      multipart(req, res, (err?: unknown) => {
        if (err instanceof multer.MulterError) {
          next(
            err.code === 'LIMIT_FILE_SIZE'
              ? refuseTooLarge()
              : badRequest('common.invalid_input', [{ field, code: 'invalid', reason: 'common.invalid_input' }]),
          );
          return;
        }
        if (err) return next(err);
        res.locals.upload = { data: req.file?.buffer ?? Buffer.alloc(0), name: req.file?.originalname } satisfies Upload;
        next();
      });
      return;
    }
    raw(req, res, (err?: unknown) => {
      if ((err as { type?: string } | undefined)?.type === 'entity.too.large') return next(refuseTooLarge());
      if (err) return next(err);
      res.locals.upload = { data: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0), name: decodedName(req.get('x-file-name')) } satisfies Upload;
      next();
    });
  };
}

export const uploadOf = (res: Response): Upload => (res.locals.upload as Upload | undefined) ?? { data: Buffer.alloc(0) };
