import { Router } from 'express';
import type { WebDeps } from '../router';

/** The contract page of a lawyer and a bureau head (R4.2, R4.4, R4.7). */
export function contractPages(_deps: WebDeps): Router {
  return Router();
}
