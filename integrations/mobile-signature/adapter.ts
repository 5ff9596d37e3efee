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
}

/** The phone number and user ID do not belong to one mobile-signature holder. */
export class UnknownSignatureHolderError extends RequestRejectedError {}

// --- wire protocol (the simulator's API) -----------------------------------------------------

export const MOBILE_SIGNATURE_API = {
  startLogin: '/api/v1/login-transactions',
  loginStatus: (transactionId: string) => `/api/v1/login-transactions/${seg(transactionId)}`,
} as const;

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
    try {
      const answer = await this.http.post(
        MOBILE_SIGNATURE_API.startLogin,
        { phone: phone.trim(), userId: userId.trim() },
        { parser: startLoginResponseSchema },
      );
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
}
