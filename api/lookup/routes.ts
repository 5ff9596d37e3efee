/**
 * Look-ups the wizard makes (R4.1.2, R4.1.3, R4.1.5), as JSON over ./service: a person by FIN in the
 * population registry, a taxpayer by VÖEN in the tax service, and the institution list. An outside
 * system that fails or is slow answers 503 with a message that lets the lawyer type the data instead.
 *
 * The FIN and the VÖEN travel in a JSON body (`POST /api/lookups/people {"fin"}`), never in the URL,
 * which proxies, browsers' histories and access logs keep (issue 9 item 5). The former
 * `GET /api/lookups/people/:fin` is gone (404, like any unknown endpoint).
 */
import { Router } from 'express';
import type { Knex } from 'knex';
import { CASE_TYPES } from '../../domain/contract';
import { requireActor } from '../auth/actor';
import { presentFieldErrors } from '../contract/field-errors';
import { answerLocale, badRequest, notFound, unavailable } from '../http/errors';
import { companyLookupSchema, parseBody, personLookupSchema } from '../http/schemas';
import { type LookupDeps, lookUpCompany, lookUpPerson } from './service';

export function lookupsRouter(deps: LookupDeps & { db: Knex }): Router {
  const router = Router();

  router.post('/people', requireActor('lawyer'), async (req, res) => {
    const { fin } = parseBody(personLookupSchema, req.body);
    const found = await lookUpPerson(deps, fin);
    if (found.kind === 'invalid') throw badRequest('terms.fin_invalid', presentFieldErrors(answerLocale(req), [{ field: 'fin', code: 'terms.fin_invalid' }]));
    if (found.kind === 'not_found') throw notFound('lookup.person_not_found');
    if (found.kind === 'unavailable') throw unavailable('lookup.registry_unavailable');
    res.json({ person: found.value });
  });

  router.post('/companies', requireActor('lawyer'), async (req, res) => {
    const { voen } = parseBody(companyLookupSchema, req.body);
    const found = await lookUpCompany(deps, voen);
    if (found.kind === 'invalid')
      throw badRequest('terms.voen_invalid', presentFieldErrors(answerLocale(req), [{ field: 'voen', code: 'terms.voen_invalid' }]));
    if (found.kind === 'not_found') throw notFound('lookup.taxpayer_not_found');
    if (found.kind === 'unavailable') throw unavailable('lookup.tax_service_unavailable');
    res.json({ company: found.value });
  });

  router.get('/institutions', async (_req, res) => {
    res.json({ institutions: await deps.db('institutions').orderBy('name').select('id', 'name', 'kind') });
  });

  router.get('/case-types', (_req, res) => {
    res.json({ caseTypes: CASE_TYPES });
  });

  return router;
}
