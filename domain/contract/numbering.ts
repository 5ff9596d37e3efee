/**
 * How contracts and orders are numbered. The numbers come from PostgreSQL — contracts from the
 * sequence `contract_number_seq`, orders from a gap-free counter per series and year
 * (activities/contract/order-numbers.ts, issue 10 item 4); these functions only format what they
 * give, so the gateway, the documents activity and the tests agree on the shape.
 */

/** The contract's id: `<year>-<sequence, 6 digits>`, e.g. 2026-000042. */
export function contractIdOf(year: number, seq: number | string): string {
  return `${year}-${String(seq).padStart(6, '0')}`;
}

/** The contract number printed on the documents (R4.1): `M-<contract id>`, e.g. M-2026-000042. */
export function contractNumberOf(contractId: string): string {
  return `M-${contractId}`;
}

/**
 * The address of a contract's page as e-mails and SMS give it: with the number the pages show
 * (`/contracts/M-2026-000042`, issue 13), so the link and the text name the contract alike.
 */
export function contractLinkPath(contractId: string): string {
  return `/contracts/${contractNumberOf(contractId)}`;
}

/** The contract id in a path that names the contract by its number (`M-2026-000042` → `2026-000042`), or null. */
export function contractIdInNumberedPath(path: string): { contractId: string; rest: string } | null {
  const m = /^\/contracts\/M-(\d{4}-\d{6})(\/.*)?$/.exec(path);
  return m ? { contractId: m[1], rest: m[2] ?? '' } : null;
}

/**
 * The lawyer's order number (R4.2.1): `EVO-<year of issue>-<sequence, 6 digits>`, e.g.
 * EVO-2026-000007; the year is the issue date's (an ISO date string).
 */
export function orderNumberOf(issuedAt: string, seq: number | string): string {
  return `EVO-${issuedAt.slice(0, 4)}-${String(seq).padStart(6, '0')}`;
}
