/**
 * Reading uploaded files into memory, up to an area's limit, in either of two forms:
 *   - a multipart form with the files in one field (a page's plain form, or its script), parsed by
 *     multer; its text fields land in `req.body`;
 *   - the file's bytes as the body with its name URI-encoded in `X-File-Name` (API clients; only
 *     where the area allows it).
 * Too large answers the area's own 400 at the field, like a wrong type. Mount it only after the
 * caller is known to may upload there, so nobody else makes us read megabytes.
 */
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import multer from 'multer';
import { badRequest, type HttpError } from './errors';

export interface Upload {
  data: Buffer;
  name?: string;
}

export interface UploadOptions {
  /** The multipart field of the files ("file"). */
  field: string;
  maxBytes: number;
  /** How many files one request may carry (1 for the dossier). */
  maxFiles: number;
  /** The area's 400 for a file over `maxBytes`. */
  tooLarge: () => HttpError;
  /** The area's 400 for more files than `maxFiles` (default: invalid input at the field). */
  tooMany?: () => HttpError;
  /** Also take the bytes as a raw body (X-File-Name); otherwise only multipart is read. */
  rawBody?: boolean;
  /** The longest text field of the form, in bytes (default 4 KB). */
  maxFieldBytes?: number;
}

function decodedName(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  try {
    return decodeURIComponent(header);
  } catch {
    return header; // not URI-encoded: taken as it is
  }
}

/** Parses the upload into `res.locals.uploads` (none chosen is an empty list; an empty raw body an empty buffer). */
export function uploadReader(options: UploadOptions): RequestHandler {
  const multipart = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: options.maxBytes, files: options.maxFiles, fields: 20, fieldSize: options.maxFieldBytes ?? 4096 },
    // Browsers send the file's name as UTF-8 (busboy would read it as Latin-1).
    defParamCharset: 'utf8',
  }).array(options.field, options.maxFiles);
  const raw = express.raw({ type: () => true, limit: options.maxBytes });
  const invalid = () => badRequest('common.invalid_input', [{ field: options.field, code: 'invalid', reason: 'common.invalid_input' }]);

  return (req: Request, res: Response, next: NextFunction) => {
    if (req.is('multipart/form-data')) {
      multipart(req, res, (err?: unknown) => {
        if (err instanceof multer.MulterError) {
          next(err.code === 'LIMIT_FILE_SIZE' ? options.tooLarge() : err.code === 'LIMIT_FILE_COUNT' && options.tooMany ? options.tooMany() : invalid());
          return;
        }
        if (err) return next(err);
        const files = Array.isArray(req.files) ? req.files : [];
        // A form sent with no file chosen carries one empty part without a name: not a file.
        res.locals.uploads = files.filter((f) => f.size > 0 || f.originalname).map((f) => ({ data: f.buffer, name: f.originalname })) satisfies Upload[];
        next();
      });
      return;
    }
    if (!options.rawBody) {
      res.locals.uploads = [] satisfies Upload[];
      return next();
    }
    raw(req, res, (err?: unknown) => {
      if ((err as { type?: string } | undefined)?.type === 'entity.too.large') return next(options.tooLarge());
      if (err) return next(err);
      res.locals.uploads = [{ data: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0), name: decodedName(req.get('x-file-name')) }] satisfies Upload[];
      next();
    });
  };
}

/** The files read by `uploadReader` (none: an empty list). */
export const uploadsOf = (res: Response): Upload[] => (res.locals.uploads as Upload[] | undefined) ?? [];
