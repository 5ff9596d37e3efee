/**
 * Look-ups the wizard makes (R4.1.2, R4.1.3, R4.1.5): a person by FIN in the population registry,
 * a taxpayer by VÖEN in the tax service, and the institution list. An outside system that fails or
 * is slow answers 503 with a message that lets the lawyer type the data instead.
 */
import { Router } from 'express';
import type { Knex } from 'knex';
import { CASE_TYPES, isValidFin, isValidVoen, normalizeFin } from '../../domain/contract';
import { ServiceUnavailableError } from '../../integrations/http';
import type { PopulationRegistry } from '../../integrations/population-registry/adapter';
import type { TaxService } from '../../integrations/tax-service/adapter';
import { requireActor } from '../auth/routes';
import { HttpError, badRequest, notFound } from '../http/errors';

export function lookupsRouter(deps: { db: Knex; registry: PopulationRegistry; taxService: TaxService }): Router {
  const router = Router();

  router.get('/people/:fin', requireActor('lawyer'), async (req, res) => {
    const fin = normalizeFin(String(req.params.fin));
    if (!isValidFin(fin)) throw badRequest('A FIN is 7 Latin capital letters and digits.', [{ field: 'fin', code: 'invalid', message: 'A FIN is 7 Latin capital letters and digits.' }]);
    try {
      const person = await deps.registry.findByFin(fin);
      if (!person) throw notFound('The population registry has no person with this FIN; enter the data by hand.');
      res.json({ person });
    } catch (err) {
      if (err instanceof ServiceUnavailableError) throw new HttpError(503, 'unavailable', 'The population registry does not answer; enter the data by hand.');
      throw err;
    }
  });

  router.get('/companies/:voen', requireActor('lawyer'), async (req, res) => {
    const voen = String(req.params.voen).replace(/\s+/g, '');
    if (!isValidVoen(voen)) throw badRequest('A VÖEN is 10 digits with a valid check digit.', [{ field: 'voen', code: 'invalid', message: 'A VÖEN is 10 digits with a valid check digit.' }]);
    try {
      const company = await deps.taxService.findByVoen(voen);
      if (!company) throw notFound('The tax service has no taxpayer with this VÖEN; enter the data by hand.');
      res.json({ company });
    } catch (err) {
      if (err instanceof ServiceUnavailableError) throw new HttpError(503, 'unavailable', 'The tax service does not answer now; enter the data by hand.');
      throw err;
    }
  });

  router.get('/institutions', async (_req, res) => {
    res.json({ institutions: await deps.db('institutions').orderBy('name').select('id', 'name', 'kind') });
  });

  router.get('/case-types', (_req, res) => {
    res.json({ caseTypes: CASE_TYPES });
  });

  return router;
}
