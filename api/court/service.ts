/**
 * "İşi göndər" (R4.6): sending a contract's case to a court case in e-court. What the court page
 * (and the JSON route) call: the case number is checked by domain/court first, so its refusals are
 * codes at the field; the workflow checks the same rule again and queues the filing.
 */
import type { Knex } from 'knex';
import { courtFilingRefusal } from '../../domain/court';
import type { Actor } from '../../domain/shared/actor';
import type { ContractGateway } from '../contract/gateway';
import { loadVisibleContract } from '../contract/service';
import { conflict, fieldRefusal } from '../http/errors';

export interface CourtDeps {
  db: Knex;
  gateway: ContractGateway;
}

/** Sends the case to court; a refused case number is a 400 at "caseNumber" (or 409 when already sent), anything else the workflow's refusal. */
export async function sendToCourt(deps: CourtDeps, actor: Actor, contractId: string, caseNumber: string) {
  const row = await loadVisibleContract(deps.db, actor, contractId);
  const refused = courtFilingRefusal(caseNumber, row.view.courtFilings ?? []);
  if (refused?.field) throw fieldRefusal(refused.field.name, refused.field.code, refused.code, refused.params);
  if (refused) throw conflict(refused.code, refused.params);
  return deps.gateway.sendToCourt(contractId, actor, caseNumber);
}
