import { Router } from 'express';
import type { WebDeps } from '../router';

/** The applicant's cabinet (R4.3, R4.4.2). */
export function applicantPages(_deps: WebDeps): Router {
  return Router();
}
