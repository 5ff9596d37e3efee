import type { NextFunction, Request, Response } from 'express';
import { renderPage, t } from './render';

/** A page that needs a person of one of these kinds; others go to the login page. */
export function requirePageActor(...kinds: ('lawyer' | 'applicant' | 'admin' | 'operator')[]) {
  return (req: Request, res: Response, next: NextFunction) => {
    const actor = req.session.actor;
    if (!actor) {
      res.redirect(303, `/login?next=${encodeURIComponent(req.originalUrl)}`);
      return;
    }
    if (kinds.length > 0 && !kinds.includes(actor.kind as 'lawyer')) {
      renderPage(req, res, 'error', { title: t(res, 'error.title'), message: t(res, 'error.notFound') }, 404);
      return;
    }
    next();
  };
}
