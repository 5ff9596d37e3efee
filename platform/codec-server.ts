/**
 * The codec server (`bin/evk.ts codec-server`, started by `npm start`): the Temporal UI sends it
 * the encrypted payloads it shows and gets them back decoded (issue 9 item 4). It holds the payload
 * keys, so it answers only a signed-in operator (actor kind `operator`), recognised by the
 * cabinet's own session cookie (`evk.sid`, the same PostgreSQL session store as the web server):
 * cookies belong to a host, not a port, so the UI on localhost:8233 calling this server on
 * localhost:<port> with `credentials: 'include'` sends it (docs/operations.md).
 *
 * Protocol (Temporal's remote codec): `POST /decode` and `POST /encode`, body and answer
 * `{ payloads: [{ metadata: { key: base64 }, data: base64 }] }`, header `X-Namespace`. CORS for the
 * configured UI origin only, with credentials; any other origin gets 403 without CORS headers.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Payload } from '@temporalio/common';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import '../api/auth/actor';
import { errorHandler, HttpError } from '../api/http/errors';
import { sessions } from '../api/http/sessions';
import type { Config } from './config';
import type { Knex } from './db';
import type { Closable } from './logger';
import { AesGcmPayloadCodec, payloadKeysFrom } from './payload-codec';
import { recordSecurityEvent } from './security-events';

export const CODEC_CODES = ['codec.sign_in_required', 'codec.operator_only', 'codec.bad_request', 'codec.undecodable', 'codec.wrong_namespace'] as const;

const ALLOWED_HEADERS = ['content-type', 'x-namespace'];

const jsonPayloads = z.object({
  payloads: z
    .array(
      z.object({
        metadata: z.record(z.string(), z.string()).nullish(),
        data: z.string().nullish(),
      }),
    )
    .max(10_000),
});
type JsonPayload = z.infer<typeof jsonPayloads>['payloads'][number];

const fromJson = ({ metadata, data }: JsonPayload): Payload => ({
  metadata: metadata ? Object.fromEntries(Object.entries(metadata).map(([k, v]) => [k, Buffer.from(v, 'base64')])) : {},
  data: data ? Buffer.from(data, 'base64') : undefined,
});
const toJson = ({ metadata, data }: Payload): JsonPayload => ({
  metadata: metadata ? Object.fromEntries(Object.entries(metadata).map(([k, v]) => [k, Buffer.from(v ?? new Uint8Array()).toString('base64')])) : {},
  data: data ? Buffer.from(data).toString('base64') : undefined,
});

/** CORS for one origin, with credentials; a preflight from elsewhere is answered without CORS headers (the browser refuses). */
function corsFor(allowedOrigin: string): RequestHandler {
  return (req, res, next) => {
    const origin = req.get('origin');
    const allowed = origin !== undefined && origin === allowedOrigin;
    if (allowed) {
      res.vary('Origin');
      res.set('Access-Control-Allow-Origin', origin);
      res.set('Access-Control-Allow-Credentials', 'true');
    }
    // Another page's origin is refused outright, preflight or not (command-line clients send none).
    if (origin !== undefined && !allowed) {
      res.status(403).end();
      return;
    }
    if (req.method === 'OPTIONS') {
      res.set('Access-Control-Allow-Methods', 'POST, OPTIONS');
      res.set('Access-Control-Allow-Headers', ALLOWED_HEADERS.join(', '));
      res.set('Access-Control-Max-Age', '600');
      res.status(204).end();
      return;
    }
    next();
  };
}

export interface CodecAppOptions {
  codec: AesGcmPayloadCodec;
  session: RequestHandler | RequestHandler[];
  /** The Temporal UI's origin (EVK_TEMPORAL_UI_ORIGIN). */
  allowedOrigin: string;
  namespace: string;
  db: Knex;
  log: Logger;
}

export function createCodecApp(options: CodecAppOptions): express.Express {
  const { codec, db, log } = options;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use((_req, res, next) => {
    // Decoded payloads are personal data: never cached, never framed, never sniffed.
    res.set({ 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff', 'X-Frame-Options': 'DENY' });
    next();
  });
  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.use(corsFor(options.allowedOrigin));
  app.use(express.json({ limit: '4mb' }));
  app.use(options.session);

  const operatorOnly: RequestHandler = (req, _res, next) => {
    const actor = req.session.actor;
    if (!actor) return next(new HttpError(401, 'unauthenticated', 'codec.sign_in_required'));
    if (actor.kind !== 'operator') {
      void recordSecurityEvent(db, log, {
        kind: 'access_refused',
        actor: { kind: actor.kind, id: actor.id },
        subject: 'codec-server',
        ip: req.ip,
        detail: { route: req.path, code: 'codec.operator_only' },
      });
      return next(new HttpError(403, 'forbidden', 'codec.operator_only'));
    }
    const namespace = req.get('x-namespace');
    if (namespace !== undefined && namespace !== options.namespace)
      return next(new HttpError(403, 'forbidden', 'codec.wrong_namespace', { namespace: options.namespace }));
    next();
  };

  const route = (convert: (payloads: Payload[]) => Promise<Payload[]>) => async (req: Request, res: Response, next: NextFunction) => {
    const body = jsonPayloads.safeParse(req.body);
    if (!body.success) return next(new HttpError(400, 'invalid_input', 'codec.bad_request'));
    let converted: Payload[];
    try {
      converted = await convert(body.data.payloads.map(fromJson));
    } catch (err) {
      // The codec's messages name key IDs only, never a byte of a payload.
      log.warn({ err: (err as Error).message }, 'codec server could not convert payloads');
      return next(new HttpError(400, 'invalid_input', 'codec.undecodable', { detail: (err as Error).message }));
    }
    res.json({ payloads: converted.map(toJson) });
  };
  app.post(
    '/decode',
    operatorOnly,
    route((p) => codec.decode(p)),
  );
  app.post(
    '/encode',
    operatorOnly,
    route((p) => codec.encode(p)),
  );
  app.use((_req, _res, next) => next(new HttpError(404, 'not_found', 'common.no_such_endpoint')));
  app.use(errorHandler(log));
  return app;
}

export interface CodecServerHandle extends Closable {
  url: string;
}

export async function startCodecServer(options: { config: Config; databaseUrl: string; db: Knex; log: Logger; port?: number }): Promise<CodecServerHandle> {
  const { config, log } = options;
  const codec = new AesGcmPayloadCodec(payloadKeysFrom(config));
  const session = sessions({ databaseUrl: options.databaseUrl, secret: config.sessionSecret, secureCookies: config.publicUrl.startsWith('https://'), log });
  const app = createCodecApp({
    codec,
    session: session.middleware,
    allowedOrigin: config.temporalUiOrigin,
    namespace: config.temporalNamespace,
    db: options.db,
    log,
  });
  const server = http.createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? config.codecServerPort, config.listenHost, resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://localhost:${port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await session.close();
    },
  };
}
