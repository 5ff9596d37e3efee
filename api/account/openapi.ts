/** The account area's operations for the OpenAPI document (issue 11). */
import type { ZodType } from 'zod';
import { languageSchema } from './service';

export const ACCOUNT_OPERATIONS: { method: 'patch'; path: string; summary: string; body?: ZodType; rule?: string }[] = [
  {
    method: 'patch',
    path: '/api/account/language',
    summary:
      "Set your own account's language, az or en (issue 11): the pages from now on and after every login, and the e-mails and SMS queued for you; any signed-in person, their own account only; 400 `account.language_unknown` at `language` otherwise",
    body: languageSchema,
  },
];
