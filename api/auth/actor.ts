/** Who is calling, from the session (R2). */
import 'express-session';
import type { NextFunction, Request, Response } from 'express';
import type { Actor, ActorKind } from '../../domain/shared/actor';
import { HttpError } from '../http/errors';

/** What the session keeps of the person: who they are and their name for the pages. */
export type SessionActor = Actor & { name: string; mustChangePassword?: boolean };

declare module 'express-session' {
  interface SessionData {
    actor?: SessionActor;
    pendingLawyerLogin?: { transactionId: string; userId: string; phone: string };
  }
}

export function currentActor(req: Request): Actor {
  const actor = req.session.actor;
  if (!actor) throw new HttpError(401, 'not_logged_in', 'auth.not_logged_in');
  return { kind: actor.kind, id: actor.id, bureauId: actor.bureauId, isHead: actor.isHead };
}

export function requireActor(...kinds: ActorKind[]) {
  return (req: Request, _res: Response, next: NextFunction) => {
    const actor = currentActor(req);
    if (kinds.length > 0 && !kinds.includes(actor.kind)) throw new HttpError(403, 'forbidden', 'auth.not_for_your_role');
    next();
  };
}
