/**
 * E-court portal (e-məhkəmə) — R4.6: the lawyer enters an existing court case number and presses
 * "Göndər"; the lawyer is joined to that case and the order is attached to it, with no separate
 * "new lawyer application". The protected party must be a party to the case.
 *
 * The portal has no public API (integration goes through the state's e-government exchange), so
 * this shape is ours. `ECourt` is what the rest of the system uses; `HttpECourt` speaks the wire
 * protocol of our local simulator (simulator.ts); a real exchange gets its own class.
 *
 * Errors (all extend IntegrationError):
 *   - `CourtCaseNotFoundError`   the case number is unknown              — do not retry
 *   - `NotAPartyToCaseError`     the protected party is not in the case  — do not retry
 *   - `ECourtRejectedError`      any other refusal (too large, malformed)  — do not retry
 *   - `ECourtUnavailableError`   down, slow, 5xx                          — retry later
 */
import { z } from 'zod';
import { normalizeCaseNumber } from '../../domain/court/case-number';
import { IntegrationError, JsonHttpClient, NotFoundError, RequestRejectedError, seg, ServiceUnavailableError } from '../http';

export const ECOURT_SERVICE = 'e-court';
/** Uploads to the portal are limited to about 10 MB (SPEC, facts about e-court). */
export const ECOURT_MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

export interface ECourtJoinRequest {
  caseNumber: string;
  lawyer: { fin: string; licenseNumber: string; name: string };
  /** A natural person by FIN, a legal entity by VÖEN; the name as on the contract. */
  protectedParty: { fin?: string; voen?: string; name: string };
  order: { number: string; pdf: Buffer };
}

export interface ECourtJoinResult {
  /** ISO time the portal recorded the lawyer (the first join; an attached new order keeps it). */
  joinedAt: string;
  courtName: string;
}

/** A hearing of a court case as the portal schedules it (issue 12: the lawyer's calendar shows it). */
export interface ECourtHearing {
  /** The portal's own ID of the hearing, stable when it is rescheduled. */
  id: string;
  startsAt: string;
  endsAt: string;
  courtName: string;
  room?: string;
}

export interface ECourt {
  joinCase(request: ECourtJoinRequest): Promise<ECourtJoinResult>;
  /** The hearings scheduled in a case, past and to come (issue 12). */
  listHearings(caseNumber: string): Promise<ECourtHearing[]>;
}

export class CourtCaseNotFoundError extends IntegrationError {}
export class NotAPartyToCaseError extends IntegrationError {}
export class ECourtRejectedError extends IntegrationError {}
export class ECourtUnavailableError extends IntegrationError {}

// --- wire protocol (the simulator's API) -----------------------------------------------------

export const ECOURT_API = {
  join: (caseNumber: string) => `/api/v1/cases/${seg(caseNumber)}/representatives`,
  hearings: (caseNumber: string) => `/api/v1/cases/${seg(caseNumber)}/hearings`,
} as const;

export const ECOURT_ERROR_CODES = {
  caseNotFound: 'CASE_NOT_FOUND',
  notAParty: 'PARTY_NOT_IN_CASE',
  tooLarge: 'ORDER_TOO_LARGE',
  invalid: 'INVALID_REQUEST',
  unavailable: 'SERVICE_UNAVAILABLE',
} as const;

/** The body of a join: the order travels base64-encoded (the simulator checks the decoded size). */
export interface ECourtJoinWireBody {
  lawyer: { fin: string; licenseNumber: string; name: string };
  protectedParty: { fin?: string; voen?: string; name: string };
  order: { number: string; pdfBase64: string };
}

export const joinResultSchema = z.object({ joinedAt: z.string(), courtName: z.string() });
export const hearingsResultSchema = z.object({
  hearings: z.array(z.object({ id: z.string().min(1).max(100), startsAt: z.string(), endsAt: z.string(), courtName: z.string(), room: z.string().optional() })),
});

export const DEFAULT_ECOURT_TIMEOUT_MS = 30_000;

export { isPlausibleCaseNumber, normalizeCaseNumber } from '../../domain/court/case-number';

export class HttpECourt implements ECourt {
  private readonly http: JsonHttpClient;

  constructor(baseUrl: string, timeoutMs: number = DEFAULT_ECOURT_TIMEOUT_MS) {
    this.http = new JsonHttpClient({ service: ECOURT_SERVICE, baseUrl, timeoutMs });
  }

  async listHearings(caseNumber: string): Promise<ECourtHearing[]> {
    try {
      const { hearings } = await this.http.get(ECOURT_API.hearings(normalizeCaseNumber(caseNumber)), { parser: hearingsResultSchema });
      return hearings;
    } catch (error) {
      if (error instanceof NotFoundError)
        throw new CourtCaseNotFoundError(ECOURT_SERVICE, error.code, `e-court answered ${error.code} (HTTP ${error.status ?? '-'})`, { status: error.status });
      if (error instanceof ServiceUnavailableError)
        throw new ECourtUnavailableError(ECOURT_SERVICE, error.code, `e-court answered ${error.code} (HTTP ${error.status ?? '-'})`, { status: error.status });
      throw error;
    }
  }

  async joinCase(request: ECourtJoinRequest): Promise<ECourtJoinResult> {
    if (request.order.pdf.length > ECOURT_MAX_UPLOAD_BYTES) {
      throw new ECourtRejectedError(
        ECOURT_SERVICE,
        ECOURT_ERROR_CODES.tooLarge,
        `The order is ${request.order.pdf.length} bytes; e-court accepts up to ${ECOURT_MAX_UPLOAD_BYTES}.`,
      );
    }
    const body: ECourtJoinWireBody = {
      lawyer: request.lawyer,
      protectedParty: request.protectedParty,
      order: { number: request.order.number, pdfBase64: request.order.pdf.toString('base64') },
    };
    try {
      return await this.http.post(ECOURT_API.join(normalizeCaseNumber(request.caseNumber)), body, { parser: joinResultSchema });
    } catch (error) {
      // The portal's own words may name the protected party: the error (logged by the worker, kept
      // encrypted in the history) says the code and status only, and keeps no cause (issue 9 item 5).
      const plain = (e: IntegrationError) => [ECOURT_SERVICE, e.code, `e-court answered ${e.code} (HTTP ${e.status ?? '-'})`, { status: e.status }] as const;
      if (error instanceof NotFoundError && error.code === ECOURT_ERROR_CODES.caseNotFound) throw new CourtCaseNotFoundError(...plain(error));
      if (error instanceof RequestRejectedError && error.code === ECOURT_ERROR_CODES.notAParty) throw new NotAPartyToCaseError(...plain(error));
      if (error instanceof ServiceUnavailableError) throw new ECourtUnavailableError(...plain(error));
      if (error instanceof NotFoundError || error instanceof RequestRejectedError) throw new ECourtRejectedError(...plain(error));
      throw error;
    }
  }
}
