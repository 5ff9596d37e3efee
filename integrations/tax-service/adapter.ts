/**
 * Tax service — R4.1.3: for a resident legal entity, entering the VÖEN fetches its name, address
 * and e-mail. The look-up may be slow or fail; then the lawyer types the data.
 *
 * `TaxService` is what the rest of the system uses. `HttpTaxService` speaks the wire protocol of
 * our local simulator (see simulator.ts); a real provider gets its own class implementing the
 * same interface.
 */
import { z } from 'zod';
import { JsonHttpClient, NotFoundError, seg } from '../http';

export interface TaxPayer {
  voen: string;
  name: string;
  /** "MMC", "ASC", ... */
  legalForm: string;
  address: string;
  /** Not every taxpayer has an e-mail on record. */
  email: string | null;
  directorName: string;
  status: 'active' | 'liquidated';
  /** ISO date of registration. */
  registeredOn: string;
}

export interface TaxService {
  /**
   * The taxpayer with this VÖEN, or null when the tax service does not know it.
   * @throws RequestRejectedError when the VÖEN is malformed or its check digit is wrong (code INVALID_VOEN)
   * @throws ServiceUnavailableError when the service fails or does not answer in time
   */
  findByVoen(voen: string): Promise<TaxPayer | null>;
}

// --- wire protocol (the simulator's API) -----------------------------------------------------

export const TAX_SERVICE_API = {
  taxpayer: (voen: string) => `/api/v1/taxpayers/${seg(voen)}`,
} as const;

export const taxPayerSchema = z.object({
  voen: z.string(),
  name: z.string(),
  legalForm: z.string(),
  address: z.string(),
  email: z.string().nullable(),
  directorName: z.string(),
  status: z.enum(['active', 'liquidated']),
  registeredOn: z.string(),
});

/** Short on purpose: the tax service is known to be slow, and the lawyer can always type the data. */
export const DEFAULT_TAX_SERVICE_TIMEOUT_MS = 8_000;

export class HttpTaxService implements TaxService {
  private readonly http: JsonHttpClient;

  constructor(baseUrl: string, timeoutMs: number = DEFAULT_TAX_SERVICE_TIMEOUT_MS) {
    this.http = new JsonHttpClient({ service: 'tax-service', baseUrl, timeoutMs });
  }

  async findByVoen(voen: string): Promise<TaxPayer | null> {
    try {
      return await this.http.get(TAX_SERVICE_API.taxpayer(voen.replace(/\s+/g, '')), { parser: taxPayerSchema });
    } catch (error) {
      if (error instanceof NotFoundError && error.code === 'TAXPAYER_NOT_FOUND') return null;
      throw error;
    }
  }
}
