/** The signing area's operations for the OpenAPI document (issue 13); api/http/openapi.ts spreads this list. */
import type { ContractOperation } from '../contract/openapi';

const base = '/api/signing/contracts/{id}/versions/{version}';

export const SIGNING_OPERATIONS: ContractOperation[] = [
  {
    method: 'get',
    path: base,
    summary:
      "The order's electronic signature of one version: unsigned, pending (to its lawyer with the code the phone shows), signed (by whom, when, the signed copy's link), refused or expired; and the bureau head's confirmation of the bureau's copy",
    rule: 'R4.2.1',
  },
  {
    method: 'post',
    path: `${base}/signature`,
    summary:
      "The contract's lawyer signs the current order with the mobile signature: 202 with the 4-digit code the phone shows; the signed copy (an embedded PDF signature) is stored next to the order once the phone confirms. 409 signing.already_signed, signing.order_not_current",
    rule: 'R4.2.1',
  },
  {
    method: 'post',
    path: `${base}/bureau-copy-confirmation`,
    summary: "The bureau head confirms the bureau's copy of the order (recorded once: who, when); 409 signing.not_head for anyone else",
    rule: 'R4.2.1',
  },
  {
    method: 'get',
    path: `${base}/order.pdf`,
    summary: 'The electronically signed copy of the order (404 signing.not_signed until it is signed)',
    rule: 'R4.6',
  },
];
