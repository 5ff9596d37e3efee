/**
 * The public check of an order (R4.2.1): is the order with this number genuine and in force? The
 * check says more than "this number exists" only to whoever holds the order's verification code
 * (issue 9 item 9): order numbers count up and can be walked, the codes cannot be guessed.
 */
import type { ContractStatus } from './status';
import { ARCHIVED_STATUSES } from './status';

/**
 * What the check says: current; superseded by a newer version; no such order; not in force (the
 * contract finished or terminated); or the payment it was issued on was reversed by the payment
 * agent and no other money covers it (issue 9 item 3): a court should not rely on such an order.
 */
export type OrderVerdict =
  { valid: true; status: 'current' } | { valid: false; status: 'superseded' | 'unknown' | 'finished' | 'terminated' | 'payment_reversed' };

export interface IssuedOrder {
  supersededAt: string | Date | null;
  contractStatus: ContractStatus;
  /** The contract's payment was reversed and what is kept no longer covers the order (issue 9 item 3). */
  paymentReversed?: boolean;
}

export function orderVerdict(order: IssuedOrder | undefined): OrderVerdict {
  if (!order) return { valid: false, status: 'unknown' };
  if (order.supersededAt) return { valid: false, status: 'superseded' };
  if (ARCHIVED_STATUSES.includes(order.contractStatus)) return { valid: false, status: order.contractStatus as 'finished' | 'terminated' };
  if (order.paymentReversed) return { valid: false, status: 'payment_reversed' };
  return { valid: true, status: 'current' };
}

/** Bytes of randomness in an order's verification code: 120 bits, well above the 80 the issue asks. */
export const VERIFICATION_CODE_BYTES = 15;
/** The code as it appears in the order's link: base64url of VERIFICATION_CODE_BYTES (20 characters). */
export const VERIFICATION_CODE_PATTERN = /^[A-Za-z0-9_-]{20}$/;

export function isVerificationCode(value: unknown): value is string {
  return typeof value === 'string' && VERIFICATION_CODE_PATTERN.test(value);
}

/** The order's link for the QR code and the printed line: /verify/<number>?code=<code>. */
export function orderVerificationPath(orderNumber: string, code: string): string {
  return `/verify/${encodeURIComponent(orderNumber)}?code=${encodeURIComponent(code)}`;
}
