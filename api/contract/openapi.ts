/**
 * The contract area's operations for the OpenAPI document that are not yet in api/http/openapi.ts
 * (engineer C's): C's OPERATIONS should spread this list.
 */
import { z, type ZodType } from 'zod';
import { ACCESS_REASON_MAX, ACCESS_REASON_MIN } from '../../domain/access';
import { stageSchema } from '../http/schemas';

/** The body of a reasoned access; the reason's length is checked by domain/access (codes at `reason`). */
export const barOfficeAccessSchema = z.object({ reason: z.string().min(ACCESS_REASON_MIN).max(ACCESS_REASON_MAX) });

export interface ContractOperation {
  method: 'get' | 'post' | 'patch' | 'delete';
  path: string;
  summary: string;
  body?: ZodType;
  rule?: string;
}

export const CONTRACT_OPERATIONS: ContractOperation[] = [
  {
    method: 'post',
    path: '/api/contracts/{id}/stage',
    summary:
      '"Layihələr": move a current case to another stage (pre_trial, first_instance, appeal, cassation, other); its lawyer or the bureau head; 409 once archived',
    body: stageSchema,
    rule: 'R6',
  },
  {
    method: 'get',
    path: '/api/contracts/{id}/payments',
    summary: 'The payments asked for on a contract (amounts, terminal codes, states); not for the Bar office without a reasoned access (403)',
    rule: 'R4.3',
  },
  {
    method: 'post',
    path: '/api/contracts/{id}/bar-office-access',
    summary:
      "Bar office: open a contract's personal data and files for one hour with a reason (10–500 characters), recorded as a security event and shown to the contract's lawyer and bureau head (issue 9 item 6)",
    body: barOfficeAccessSchema,
  },
  {
    method: 'get',
    path: '/api/security-events',
    summary:
      'Bar office: the security events, newest first: kind (one or several, comma-separated), from, to (UTC day or instant), subject, page, pageSize (issue 9 item 10)',
  },
];
