/**
 * Population registry — R4.1.2: entering a citizen's FIN fills the personal data; when the
 * registry has nothing, the lawyer types it.
 *
 * `PopulationRegistry` is what the rest of the system uses. `HttpPopulationRegistry` speaks the
 * wire protocol of our local simulator (see simulator.ts); a real provider gets its own class
 * implementing the same interface.
 */
import { z } from 'zod';
import { JsonHttpClient, NotFoundError, seg } from '../http';

export interface RegistryIdentityDocument {
  type: string;
  series: string;
  number: string;
  issuedOn: string;
  expiresOn: string;
  issuedBy: string;
}

export interface RegistryPerson {
  fin: string;
  firstName: string;
  lastName: string;
  /** As on documents: father's name + "oğlu"/"qızı". */
  patronymic: string;
  /** ISO date. */
  birthDate: string;
  birthPlace: string;
  gender: 'male' | 'female';
  /** ISO 3166 alpha-2, "AZ" for citizens. */
  citizenship: string;
  address: string;
  identityDocument: RegistryIdentityDocument;
}

export interface PopulationRegistry {
  /**
   * The citizen with this FIN, or null when the registry does not know it.
   * @throws RequestRejectedError when the FIN is malformed (code INVALID_FIN)
   * @throws ServiceUnavailableError when the registry cannot be reached in time
   */
  findByFin(fin: string): Promise<RegistryPerson | null>;
}

// --- wire protocol (the simulator's API) -----------------------------------------------------

export const POPULATION_REGISTRY_API = {
  person: (fin: string) => `/api/v1/persons/${seg(fin)}`,
} as const;

export const registryPersonSchema = z.object({
  fin: z.string(),
  firstName: z.string(),
  lastName: z.string(),
  patronymic: z.string(),
  birthDate: z.string(),
  birthPlace: z.string(),
  gender: z.enum(['male', 'female']),
  citizenship: z.string(),
  address: z.string(),
  identityDocument: z.object({
    type: z.string(),
    series: z.string(),
    number: z.string(),
    issuedOn: z.string(),
    expiresOn: z.string(),
    issuedBy: z.string(),
  }),
});

export const DEFAULT_POPULATION_REGISTRY_TIMEOUT_MS = 5_000;

export class HttpPopulationRegistry implements PopulationRegistry {
  private readonly http: JsonHttpClient;

  constructor(baseUrl: string, timeoutMs: number = DEFAULT_POPULATION_REGISTRY_TIMEOUT_MS) {
    this.http = new JsonHttpClient({ service: 'population-registry', baseUrl, timeoutMs });
  }

  async findByFin(fin: string): Promise<RegistryPerson | null> {
    try {
      return await this.http.get(POPULATION_REGISTRY_API.person(fin.trim().toUpperCase()), { parser: registryPersonSchema });
    } catch (error) {
      if (error instanceof NotFoundError && error.code === 'PERSON_NOT_FOUND') return null;
      throw error;
    }
  }
}
