/**
 * Sessions for pages and the JSON API alike: a signed cookie over rows in PostgreSQL (issue 9
 * item 7, OWASP ASVS 7.3): eight hours of inactivity at most, and twelve hours from the login
 * whatever the activity (the login time is kept in the session). Behind an https public URL the
 * cookie is `Secure` and named `__Host-evk.sid` (Path=/, no Domain); on http it is `evk.sid`. A
 * row is stored only once a session holds something (a login, a login in progress, a message for
 * the next page): an anonymous page view stores none (issue 9 item 9).
 */
import connectPgSimple from 'connect-pg-simple';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import session from 'express-session';
import type { Knex } from 'knex';
import pg from 'pg';

declare module 'express-session' {
  interface SessionData {
    /** When the person logged in (ms since the epoch): the absolute lifetime counts from here. */
    loggedInAt?: number;
  }
}

declare module 'express-serve-static-core' {
  interface Request {
    /** What the form token (api/http/security.ts) is made with: the session secret and whether cookies are Secure. */
    evkCookies?: { secret: string; secure: boolean };
  }
}

export interface SessionOptions {
  databaseUrl: string;
  secret: string;
  /** Secure cookies need HTTPS; on when the public URL is https. */
  secureCookies?: boolean;
  log: { warn: (obj: unknown, msg?: string) => void };
}

/** Idle lifetime (R8.5). */
export const SESSION_MAX_AGE_MS = 8 * 60 * 60 * 1000;
/** Absolute lifetime from the login (issue 9 item 7). */
export const SESSION_ABSOLUTE_MS = 12 * 60 * 60 * 1000;

export const sessionCookieName = (secure: boolean) => (secure ? '__Host-evk.sid' : 'evk.sid');

export function sessions(options: SessionOptions): { middleware: RequestHandler[]; close: () => Promise<void> } {
  const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 4 });
  // An idle connection dropped by a PostgreSQL restart must not bring the web server down.
  pool.on('error', (err) => options.log.warn({ err }, 'session store connection lost'));
  const PgStore = sparselyTouched(connectPgSimple(session));
  const secure = options.secureCookies ?? false;
  const store = session({
    store: new PgStore({ pool, tableName: 'session', createTableIfMissing: false }),
    secret: options.secret,
    name: sessionCookieName(secure),
    resave: false,
    saveUninitialized: false,
    rolling: true,
    cookie: { httpOnly: true, sameSite: 'lax', secure, path: '/', maxAge: SESSION_MAX_AGE_MS },
  });
  const settings = { secret: options.secret, secure };
  const absoluteLifetime = (req: Request, _res: Response, next: NextFunction) => {
    req.evkCookies = settings;
    const started = req.session.loggedInAt;
    if (req.session.actor && (!started || Date.now() - started > SESSION_ABSOLUTE_MS)) {
      // Past the absolute lifetime: a fresh, empty session (stored only if something is put in it).
      req.session.regenerate((err) => next(err));
      return;
    }
    next();
  };
  return {
    middleware: [store, absoluteLifetime],
    close: async () => {
      await pool.end();
    },
  };
}

/**
 * How often a session's row has its expiry moved on while it is used (issue 14). express-session
 * (`rolling`, `resave: false`) touches the store on every request, one UPDATE each; moving the expiry
 * at most once in this time per session and process keeps the idle lifetime between 8 h minus this
 * and 8 h (never more), for a statement less on nearly every request.
 */
export const SESSION_TOUCH_EVERY_MS = 5 * 60 * 1000;
const TOUCHES_KEPT = 10_000;

type StoreClass = ReturnType<typeof connectPgSimple>;

/** The store class with `touch` passed on to the database at most once per SESSION_TOUCH_EVERY_MS per session. */
export function sparselyTouched(Base: StoreClass, now: () => number = Date.now): StoreClass {
  return class SparselyTouchedStore extends Base {
    private readonly touchedAt = new Map<string, number>();

    override touch(sid: string, sess: session.SessionData, callback?: (err?: unknown) => void): void {
      const at = now();
      const last = this.touchedAt.get(sid);
      if (last !== undefined && at - last < SESSION_TOUCH_EVERY_MS) {
        callback?.();
        return;
      }
      if (this.touchedAt.size >= TOUCHES_KEPT) {
        for (const [id, t] of this.touchedAt) if (at - t >= SESSION_TOUCH_EVERY_MS) this.touchedAt.delete(id);
        if (this.touchedAt.size >= TOUCHES_KEPT) this.touchedAt.clear();
      }
      this.touchedAt.set(sid, at);
      super.touch(sid, sess, callback);
    }

    override set(sid: string, sess: session.SessionData, callback?: (err?: unknown) => void): void {
      // A save writes the expiry too.
      this.touchedAt.set(sid, now());
      super.set(sid, sess, callback);
    }

    override destroy(sid: string, callback?: (err?: unknown) => void): void {
      this.touchedAt.delete(sid);
      super.destroy(sid, callback);
    }
  };
}

/** The `session` rows of one person (found by the actor in the JSON), all of them or all but one. */
export async function endSessionsOf(db: Knex, actor: { kind: string; id: string }, exceptSid?: string): Promise<number> {
  const query = db('session').whereRaw(`(sess -> 'actor' ->> 'kind') = ? AND (sess -> 'actor' ->> 'id') = ?`, [actor.kind, actor.id]);
  if (exceptSid) void query.whereNot({ sid: exceptSid });
  return query.delete();
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

export function destroySession(req: { session: { destroy(cb: (err?: unknown) => void): unknown } }): Promise<void> {
  return new Promise((resolve, reject) => req.session.destroy((err) => (err ? reject(asError(err)) : resolve())));
}

/** The store's failure as an Error (it gives one; anything else is wrapped, kept as the cause). */
function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error('session store failed', { cause: err });
}
