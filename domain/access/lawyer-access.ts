/**
 * R2.1: who may use the lawyer's cabinet. A person the mobile signature confirmed (R2.3) is let in
 * only when their FIN and mobile-signature user ID are on the Bar's register of active lawyers,
 * and their bureau (or they themselves, practising individually) has a contract with the payment
 * agent that is valid today (its dates, kept by the Bar office's register: issue 11). Plain data in,
 * a refusal code out.
 */
import { type Refusal, refuse } from '../shared/codes';
import type { AccessCode } from './codes';

/** The register's row of the lawyer with the confirmed FIN, as far as R2.1 needs it. */
export interface RegisteredLawyer {
  onActiveRegister: boolean;
  mobileSignatureUserId: string;
}

/** The bureau's contract with the payment agent (R2.1 ii): days as `YYYY-MM-DD`; no end date is open-ended. */
export interface AgentContract {
  number: string;
  validFrom: string;
  validTo?: string | null;
}

export interface LawyersBureau {
  agentContract?: AgentContract | null;
  /** A lawyer practising individually is a bureau of one. */
  individual: boolean;
}

/** R2.1 (ii): whether the contract holds on `today` (`YYYY-MM-DD`, Baku's calendar day), both ends included. */
export function agentContractValidOn(contract: AgentContract | null | undefined, today: string): boolean {
  if (!contract || !contract.number.trim()) return false;
  return contract.validFrom <= today && (!contract.validTo || today <= contract.validTo);
}

/** Today's calendar day in Baku (UTC+4, no daylight saving), the day the contract dates speak of. */
export function bakuToday(now: Date = new Date()): string {
  return new Date(now.getTime() + 4 * 3_600_000).toISOString().slice(0, 10);
}

export type AccessRefusal = Refusal & { code: AccessCode };

/** Why this person may not enter on `today`, or undefined when they may. `bureau` is looked up only for a registered lawyer. */
export function lawyerAccessRefusal(
  lawyer: RegisteredLawyer | undefined,
  userId: string,
  bureau: LawyersBureau | undefined,
  today: string = bakuToday(),
): AccessRefusal | undefined {
  if (!lawyer || !lawyer.onActiveRegister || lawyer.mobileSignatureUserId !== userId) return refuse('access.not_on_active_register') as AccessRefusal;
  if (!agentContractValidOn(bureau?.agentContract, today)) {
    return refuse(bureau?.individual ? 'access.no_payment_agent_contract_individual' : 'access.no_payment_agent_contract_bureau') as AccessRefusal;
  }
  return undefined;
}

/** The kind the API answers with (`error.code`), kept from before the codes: one per R2.1 condition. */
export function accessRefusalKind(refusal: AccessRefusal): 'not_on_active_register' | 'no_payment_agent_contract' {
  return refusal.code === 'access.not_on_active_register' ? 'not_on_active_register' : 'no_payment_agent_contract';
}
