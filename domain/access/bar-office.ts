/**
 * What the Bar office sees of a contract (issue 9 item 6, ASVS 8.2 least privilege). Its work is the
 * register, the bureaus, assignments, statistics, messages and profile verification: of a contract
 * it needs to know that it exists, where it stands and whose it is — not who the client is, what the
 * lawyer was engaged to do, for what price, nor the files. Anything more is opened only through a
 * reasoned access: the reason is required (10–500 characters), the access lasts one hour, it is
 * recorded as a security event, and the contract's lawyer and bureau head see it on the contract.
 */
import type { FieldError } from '../shared/field-error';

/** How long a reasoned access stays open. */
export const BAR_OFFICE_ACCESS_MINUTES = 60;
export const ACCESS_REASON_MIN = 10;
export const ACCESS_REASON_MAX = 500;

/** The reason's problem, at the field `reason`, or undefined when it may be given. */
export function accessReasonProblem(reason: unknown): FieldError | undefined {
  const text = typeof reason === 'string' ? reason.trim() : '';
  if (text === '') return { field: 'reason', code: 'access.reason_required' };
  if (text.length < ACCESS_REASON_MIN) return { field: 'reason', code: 'access.reason_too_short', params: { min: ACCESS_REASON_MIN } };
  if (text.length > ACCESS_REASON_MAX) return { field: 'reason', code: 'access.reason_too_long', params: { max: ACCESS_REASON_MAX } };
  return undefined;
}

/** When an access opened at `openedAt` closes. */
export function accessExpiry(openedAt: Date): Date {
  return new Date(openedAt.getTime() + BAR_OFFICE_ACCESS_MINUTES * 60_000);
}

/** The facts of a contract that the outline is made of (a ContractView has them all). */
export interface ContractOutlineSource {
  contractId: string;
  contractNumber: string;
  status: string;
  lawyerId: string;
  bureauId: string;
  revision: number;
  currentVersion: number;
  issuedVersions: { version: number; orderNumber: string; issuedAt: string }[];
  history: { at: string; event: string; by?: string }[];
  amendment?: { status: string };
}

/**
 * The contract as the Bar office sees it without a reason: identifiers, status and dates. The
 * history keeps its events, times and lawyers, not their details (a rejection's or termination's
 * reason is the lawyer's words about the client). Order numbers are public anyway (/verify).
 */
export interface ContractOutline {
  contractId: string;
  contractNumber: string;
  status: string;
  lawyerId: string;
  bureauId: string;
  revision: number;
  currentVersion: number;
  createdAt: string | undefined;
  amendmentStatus: string | undefined;
  issuedVersions: { version: number; orderNumber: string; issuedAt: string }[];
  history: { at: string; event: string; by?: string }[];
}

/** Built field by field (a list of what is allowed, never a list of what to remove), so a new field of the contract stays hidden. */
export function contractOutline(c: ContractOutlineSource): ContractOutline {
  return {
    contractId: c.contractId,
    contractNumber: c.contractNumber,
    status: c.status,
    lawyerId: c.lawyerId,
    bureauId: c.bureauId,
    revision: c.revision,
    currentVersion: c.currentVersion,
    createdAt: c.history[0]?.at,
    amendmentStatus: c.amendment?.status,
    issuedVersions: c.issuedVersions.map((v) => ({ version: v.version, orderNumber: v.orderNumber, issuedAt: v.issuedAt })),
    // A lawyer's ID is kept; anyone else's (the applicant's account) is not the Bar office's business.
    history: c.history.map((h) => ({ at: h.at, event: h.event, ...(h.by && h.by === c.lawyerId ? { by: h.by } : {}) })),
  };
}

/** The columns of the contract list the Bar office may see (the JSON list answers with these only). */
export const BAR_OFFICE_LIST_FIELDS = [
  'id',
  'number',
  'status',
  'lawyerId',
  'caseType',
  'institution',
  'currentVersion',
  'amendmentStatus',
  'stage',
  'createdAt',
  'updatedAt',
] as const;
