/**
 * R2.1: who may use the lawyer's cabinet. A person the mobile signature confirmed (R2.3) is let in
 * only when their FIN and mobile-signature user ID are on the Bar's register of active lawyers,
 * and their bureau (or they themselves, practising individually) has a contract with the payment
 * agent. Plain data in, a refusal code out.
 */
import { type Refusal, refuse } from '../shared/codes';
import type { AccessCode } from './codes';

/** The register's row of the lawyer with the confirmed FIN, as far as R2.1 needs it. */
export interface RegisteredLawyer {
  onActiveRegister: boolean;
  mobileSignatureUserId: string;
}

export interface LawyersBureau {
  hasPaymentAgentContract: boolean;
  /** A lawyer practising individually is a bureau of one. */
  individual: boolean;
}

export type AccessRefusal = Refusal & { code: AccessCode };

/** Why this person may not enter, or undefined when they may. `bureau` is looked up only for a registered lawyer. */
export function lawyerAccessRefusal(lawyer: RegisteredLawyer | undefined, userId: string, bureau: LawyersBureau | undefined): AccessRefusal | undefined {
  if (!lawyer || !lawyer.onActiveRegister || lawyer.mobileSignatureUserId !== userId) return refuse('access.not_on_active_register') as AccessRefusal;
  if (!bureau?.hasPaymentAgentContract) {
    return refuse(bureau?.individual ? 'access.no_payment_agent_contract_individual' : 'access.no_payment_agent_contract_bureau') as AccessRefusal;
  }
  return undefined;
}

/** The kind the API answers with (`error.code`), kept from before the codes: one per R2.1 condition. */
export function accessRefusalKind(refusal: AccessRefusal): 'not_on_active_register' | 'no_payment_agent_contract' {
  return refusal.code === 'access.not_on_active_register' ? 'not_on_active_register' : 'no_payment_agent_contract';
}
