/**
 * Sessions for pages and the JSON API alike: a signed cookie (`evk.sid`) over rows in PostgreSQL,
 * eight hours of inactivity at most (R8.5).
 */
import connectPgSimple from 'connect-pg-simple';
import type { RequestHandler } from 'express';
import session from 'express-session';
import pg from 'pg';

export interface SessionOptions {
  databaseUrl: string;
  secret: string;
  /** Secure cookies need HTTPS; off for http://localhost. */
  secureCookies?: boolean;
  log: { warn: (obj: unknown, msg?: string) => void };
}

export const SESSION_MAX_AGE_MS = 8 * 60 * 60 * 1000;

export function sessions(options: SessionOptions): { middleware: RequestHandler; close: () => Promise<void> } {
  const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 4 });
  // An idle connection dropped by a PostgreSQL restart must not bring the web server down.
  pool.on('error', (err) => options.log.warn({ err }, 'session store connection lost'));
  const PgStore = connectPgSimple(session);
  const middleware = session({
    store: new PgStore({ pool, tableName: 'session', createTableIfMissing: false }),
    secret: options.secret,
    name: 'evk.sid',
    resave: false,
    saveUninitialized: false,
    rolling: true,
    cookie: { httpOnly: true, sameSite: 'lax', secure: options.secureCookies ?? false, maxAge: SESSION_MAX_AGE_MS },
  });
  return {
    middleware,
    close: async () => {
      await pool.end();
    },
  };
}

/**
 * Stores the session now. express-session would save it only while the response is being ended,
 * after the headers have gone out, so a browser following a redirect at once (or a fast API client)
 * could arrive before the store has it and find itself logged out.
 */
export function saveSession(req: { session: { save(cb: (err?: unknown) => void): unknown } }): Promise<void> {
  return new Promise((resolve, reject) => req.session.save((err) => (err ? reject(asError(err)) : resolve())));
}

export function regenerateSession(req: { session: { regenerate(cb: (err?: unknown) => void): unknown } }): Promise<void> {
  return new Promise((resolve, reject) => req.session.regenerate((err) => (err ? reject(asError(err)) : resolve())));
}

/** The store's failure as an Error (it gives one; anything else is wrapped, kept as the cause). */
function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error('session store failed', { cause: err });
}
