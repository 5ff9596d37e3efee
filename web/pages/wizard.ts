import { Router } from 'express';
import type { WebDeps } from '../router';

/** The new-contract wizard (R4.1.1–R4.1.7). */
export function wizardPages(_deps: WebDeps): Router {
  return Router();
}
