/** The public check of an order (R4.2.1): is the order with this number genuine and in force? */
import type { ContractStatus } from './status';
import { ARCHIVED_STATUSES } from './status';

/** What the check says: current; superseded by a newer version; no such order; or not in force (the contract finished or terminated). */
export type OrderVerdict = { valid: true; status: 'current' } | { valid: false; status: 'superseded' | 'unknown' | 'finished' | 'terminated' };

export interface IssuedOrder {
  supersededAt: string | Date | null;
  contractStatus: ContractStatus;
}

export function orderVerdict(order: IssuedOrder | undefined): OrderVerdict {
  if (!order) return { valid: false, status: 'unknown' };
  if (order.supersededAt) return { valid: false, status: 'superseded' };
  if (ARCHIVED_STATUSES.includes(order.contractStatus)) return { valid: false, status: order.contractStatus as 'finished' | 'terminated' };
  return { valid: true, status: 'current' };
}
