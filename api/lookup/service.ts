/**
 * The wizard's look-ups (R4.1.2, R4.1.3): a person by FIN in the population registry, a taxpayer by
 * VÖEN in the tax service. Each answers what it found, that nothing was found, or that the outside
 * system failed (then the lawyer types the data by hand); the pages and the JSON routes call these.
 */
import type { Logger } from 'pino';
import { isValidFin, isValidVoen, normalizeFin } from '../../domain/contract';
import { IntegrationError } from '../../integrations/http';
import type { PopulationRegistry } from '../../integrations/population-registry/adapter';
import type { TaxService } from '../../integrations/tax-service/adapter';

/** The outside systems the look-ups ask, and where their failures are logged. */
export interface LookupDeps {
  registry: PopulationRegistry;
  taxService: TaxService;
  log: Logger;
}

export type LookupResult<T> = { kind: 'found'; value: T } | { kind: 'not_found' } | { kind: 'unavailable' } | { kind: 'invalid' };

export type RegistryPerson = NonNullable<Awaited<ReturnType<PopulationRegistry['findByFin']>>>;
export type TaxpayerCompany = NonNullable<Awaited<ReturnType<TaxService['findByVoen']>>>;

export async function lookUpPerson(deps: { registry: PopulationRegistry; log: Logger }, rawFin: string): Promise<LookupResult<RegistryPerson>> {
  const fin = normalizeFin(rawFin);
  if (!isValidFin(fin)) return { kind: 'invalid' };
  try {
    const person = await deps.registry.findByFin(fin);
    return person ? { kind: 'found', value: person } : { kind: 'not_found' };
  } catch (err) {
    if (!(err instanceof IntegrationError)) throw err;
    // The code and status only: a register's own message may repeat the FIN asked for (issue 9 item 5).
    deps.log.warn({ code: err.code, status: err.status, service: err.service }, 'population registry look-up failed');
    return { kind: 'unavailable' };
  }
}

export async function lookUpCompany(deps: { taxService: TaxService; log: Logger }, rawVoen: string): Promise<LookupResult<TaxpayerCompany>> {
  const voen = rawVoen.replace(/\s+/g, '');
  if (!isValidVoen(voen)) return { kind: 'invalid' };
  try {
    const company = await deps.taxService.findByVoen(voen);
    return company ? { kind: 'found', value: company } : { kind: 'not_found' };
  } catch (err) {
    if (!(err instanceof IntegrationError)) throw err;
    deps.log.warn({ code: err.code, status: err.status, service: err.service }, 'tax service look-up failed');
    return { kind: 'unavailable' };
  }
}
