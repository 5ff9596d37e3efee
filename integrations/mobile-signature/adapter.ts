/**
 * Mobile signature (ASAN İmza) login — R2.3.
 *
 * The lawyer enters the phone number of the ASAN İmza SIM and the user ID; the provider sends a
 * request to the phone and gives us a 4-digit verification code, which we show; the lawyer checks
 * that the phone shows the same code and confirms with PIN1 (or refuses). We poll the status;
 * when confirmed, the provider tells us who signed (FIN and name). Whether that person may use
 * the cabinet (R2.1) is our decision, not the provider's.
 *
 * `MobileSignatureProvider` is what the rest of the system uses. `HttpMobileSignatureProvider`
 * speaks the wire protocol of our local simulator (see simulator.ts); a real provider gets its own
 * class implementing the same interface.
 */
import { z } from 'zod';
import { JsonHttpClient, NotFoundError, RequestRejectedError, ServiceUnavailableError, seg } from '../http';

export type LoginStatus = 'pending' | 'confirmed' | 'refused' | 'expired';

/** The person the provider vouches for after a confirmed login. */
export interface SignedInPerson {
  fin: string;
  firstName: string;
  lastName: string;
  patronymic: string;
}

export interface LoginStarted {
  transactionId: string;
  /** 4 digits; show it to the user, who compares it with the code on the phone. */
  verificationCode: string;
  /** ISO time after which the transaction is `expired` unless answered. */
  expiresAt: string;
}

export interface LoginStatusResult {
  status: LoginStatus;
  /** Present only when `status === 'confirmed'`. */
  person?: SignedInPerson;
}

export interface MobileSignatureProvider {
  /**
   * Starts a login on the SIM with this phone number (+994XXXXXXXXX) and user ID (6 digits).
   * @throws UnknownSignatureHolderError when the provider knows no SIM with this phone + user ID
   * @throws RequestRejectedError when the input is malformed
   * @throws ServiceUnavailableError when the provider cannot be reached in time
   */
  startLogin(phone: string, userId: string): Promise<LoginStarted>;
  /**
   * Current state of a login. A transaction the provider no longer knows is reported as `expired`.
   * @throws ServiceUnavailableError when the provider cannot be reached in time
   */
  getLoginStatus(transactionId: string): Promise<LoginStatusResult>;
  /**
   * Issue 13: asks the holder to sign a HASH (one confirmation with PIN2 on the phone), as a SIM
   * signs: the document never leaves the cabinet. The phone shows `description` and the same
   * 4-digit code as the page.
   * @throws UnknownSignatureHolderError, RequestRejectedError, ServiceUnavailableError as startLogin
   */
  startSigning(phone: string, userId: string, request: SigningRequest): Promise<LoginStarted>;
  /**
   * A signing's state; once confirmed, the signature value (RSASSA-PKCS1-v1_5 over the hash) and
   * the holder's certificate chain (DER, the holder's first), from which the CMS is assembled.
   */
  getSigningStatus(transactionId: string): Promise<SigningStatusResult>;
}

export interface SigningRequest {
  /** SHA-256 of what is signed (for a PDF: of the CMS signed attributes), 32 bytes. */
  hash: Buffer;
  /** What the phone shows, e.g. "Elektron vəkil orderi № EVO-2026-000001". */
  description: string;
}

export interface ProviderSignature {
  /** The signature value over the hash. */
  value: Buffer;
  /** DER certificates: the holder's, then its issuers. */
  certificateChain: Buffer[];
  /** When the holder confirmed (ISO). */
  signedAt: string;
}

export interface SigningStatusResult {
  status: LoginStatus;
  /** Present only when `status === 'confirmed'`. */
  signature?: ProviderSignature;
}

/** The phone number and user ID do not belong to one mobile-signature holder. */
export class UnknownSignatureHolderError extends RequestRejectedError {}

// --- wire protocol (the simulator's API) -----------------------------------------------------

export const MOBILE_SIGNATURE_API = {
  startLogin: '/api/v1/login-transactions',
  loginStatus: (transactionId: string) => `/api/v1/login-transactions/${seg(transactionId)}`,
  startSigning: '/api/v1/signing-transactions',
  signingStatus: (transactionId: string) => `/api/v1/signing-transactions/${seg(transactionId)}`,
} as const;

export const signingStatusResponseSchema = z.object({
  transactionId: z.string(),
  status: z.enum(['pending', 'confirmed', 'refused', 'expired']),
  expiresAt: z.string(),
  signature: z
    .object({
      value: z.string().min(1),
      certificateChain: z.array(z.string().min(1)).min(1),
      signedAt: z.string(),
    })
    .optional(),
});

export const loginStatusSchema = z.enum(['pending', 'confirmed', 'refused', 'expired']);

export const signedInPersonSchema = z.object({
  fin: z.string(),
  firstName: z.string(),
  lastName: z.string(),
  patronymic: z.string(),
});

export const startLoginResponseSchema = z.object({
  transactionId: z.string().min(1),
  verificationCode: z.string().regex(/^\d{4}$/),
  status: loginStatusSchema,
  expiresAt: z.string(),
});

export const loginStatusResponseSchema = z.object({
  transactionId: z.string(),
  status: loginStatusSchema,
  expiresAt: z.string(),
  person: signedInPersonSchema.optional(),
});

export const DEFAULT_MOBILE_SIGNATURE_TIMEOUT_MS = 10_000;

export class HttpMobileSignatureProvider implements MobileSignatureProvider {
  private readonly http: JsonHttpClient;

  constructor(baseUrl: string, timeoutMs: number = DEFAULT_MOBILE_SIGNATURE_TIMEOUT_MS) {
    this.http = new JsonHttpClient({ service: 'mobile-signature', baseUrl, timeoutMs });
  }

  async startLogin(phone: string, userId: string): Promise<LoginStarted> {
    return this.start(MOBILE_SIGNATURE_API.startLogin, { phone: phone.trim(), userId: userId.trim() });
  }

  /** Starts a login or a signing on the holder's phone; an unknown holder is UnknownSignatureHolderError. */
  private async start(endpoint: string, body: Record<string, unknown>): Promise<LoginStarted> {
    try {
      const answer = await this.http.post(endpoint, body, { parser: startLoginResponseSchema });
      return { transactionId: answer.transactionId, verificationCode: answer.verificationCode, expiresAt: answer.expiresAt };
    } catch (error) {
      if (error instanceof NotFoundError) {
        throw new UnknownSignatureHolderError(error.service, error.code, error.message, { status: error.status, cause: error });
      }
      throw error;
    }
  }

  async getLoginStatus(transactionId: string): Promise<LoginStatusResult> {
    try {
      const answer = await this.http.get(MOBILE_SIGNATURE_API.loginStatus(transactionId), { parser: loginStatusResponseSchema });
      if (answer.status === 'confirmed') {
        if (!answer.person) {
          throw new ServiceUnavailableError('mobile-signature', 'invalid_response', 'mobile-signature: a confirmed login came without the person');
        }
        return { status: 'confirmed', person: answer.person };
      }
      return { status: answer.status };
    } catch (error) {
      if (error instanceof NotFoundError) return { status: 'expired' };
      throw error;
    }
  }

  async startSigning(phone: string, userId: string, request: SigningRequest): Promise<LoginStarted> {
    return this.start(MOBILE_SIGNATURE_API.startSigning, {
      phone: phone.trim(),
      userId: userId.trim(),
      hashAlgorithm: 'SHA-256',
      hash: request.hash.toString('base64'),
      description: request.description,
    });
  }

  async getSigningStatus(transactionId: string): Promise<SigningStatusResult> {
    try {
      const answer = await this.http.get(MOBILE_SIGNATURE_API.signingStatus(transactionId), { parser: signingStatusResponseSchema });
      if (answer.status !== 'confirmed') return { status: answer.status };
      if (!answer.signature)
        throw new ServiceUnavailableError('mobile-signature', 'invalid_response', 'mobile-signature: a confirmed signing came without the signature');
      return {
        status: 'confirmed',
        signature: {
          value: Buffer.from(answer.signature.value, 'base64'),
          certificateChain: answer.signature.certificateChain.map((c) => Buffer.from(c, 'base64')),
          signedAt: answer.signature.signedAt,
        },
      };
    } catch (error) {
      if (error instanceof NotFoundError) return { status: 'expired' };
      throw error;
    }
  }
}
