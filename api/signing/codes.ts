/** Refusals of the order's electronic signature and the head's confirmation (issue 13); texts in locales/<language>/signing.json. */
export const SIGNING_CODES = [
  'signing.not_yours',
  'signing.order_not_issued',
  'signing.order_not_current',
  'signing.already_signed',
  'signing.no_mobile_signature',
  'signing.unavailable',
  'signing.not_head',
  'signing.already_confirmed',
  'signing.not_signed',
] as const;

export type SigningCode = (typeof SIGNING_CODES)[number];
