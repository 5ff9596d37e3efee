/**
 * The contract area's operations for the OpenAPI document that are not yet in api/http/openapi.ts
 * (engineer C's): C's OPERATIONS should spread this list.
 */
import type { ZodType } from 'zod';
import { stageSchema } from '../http/schemas';

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
];
