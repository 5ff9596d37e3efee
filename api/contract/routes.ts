/**
 * The contract API (SPEC §4): every step of the lifecycle, the lists (from the read model) and the
 * documents. Decisions go to the contract's workflow; reads come from PostgreSQL.
 */
import type { ContractVersionsTable } from '../../platform/tables';
import { WorkflowNotFoundError } from '@temporalio/client';
import { type Request, Router } from 'express';
import type { Knex } from 'knex';
import { type Actor, type ContractDraft, validateTerms } from '../../domain/contract';
import type { Logger } from 'pino';
import { BAR_OFFICE_LIST_FIELDS } from '../../domain/access';
import type { FileStorage } from '../../platform/file-storage';

import { currentActor, requireActor } from '../auth/actor';
import { CURSOR_ERROR, decodeCursor, LIST_COLUMNS, LIST_SCOPES, type ListRow, type ListScope, parseFilters, searchContracts } from './search';
import type { ContractGateway } from './gateway';
import { answerLocale, badRequest, conflict, fromWorkflowError, HttpError, invalidInput, notFound } from '../http/errors';
import { contractDetails, contractOutlineDetails, loadContractScope, loadVisibleContract, setStage } from './service';
import { grantBarOfficeAccess } from './bar-office';
import { invalidTerms, presentFieldErrors, presentRefusal } from './field-errors';
import {
  amendmentSchema,
  consentSchema,
  contractDraftSchema,
  courtFilingSchema,
  createContractSchema,
  parseBody,
  reasonSchema,
  stageSchema,
} from '../http/schemas';

/** A row of the JSON list with only the fields the Bar office may see (issue 9 item 6). */
function forBarOffice(row: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(BAR_OFFICE_LIST_FIELDS.map((field) => [field, row[field]]));
}

export function contractsRouter(deps: { db: Knex; gateway: ContractGateway; storage: FileStorage; log: Logger }): Router {
  const { db, gateway, storage } = deps;
  const router = Router();
  const id = (req: Request) => String(req.params.id);

  /** Runs a decision on a contract this actor can see, and answers with the contract afterwards. */
  async function decide(req: Request, step: (contractId: string, actor: Actor) => Promise<unknown>) {
    const actor = currentActor(req);
    const before = await loadVisibleContract(db, actor, id(req));
    let result: unknown;
    try {
      result = await step(id(req), actor);
    } catch (err) {
      // A finished or deleted contract's workflow has completed: Temporal no longer knows it, but the
      // caller can see the contract, so this is "not allowed now", not "no such contract".
      if (err instanceof WorkflowNotFoundError) throw conflict('contract.no_longer_changeable', { status: before.status });
      // The rules' field errors answer with their kind as `code`, the code as `reason`, the text in the caller's language.
      const http = err instanceof HttpError ? err : fromWorkflowError(err);
      if (http) throw presentRefusal(answerLocale(req), http);
      throw err;
    }
    const row = await loadVisibleContract(db, actor, id(req));
    return { result, ...(await contractDetails(db, actor, row)) };
  }

  router.post('/', requireActor('lawyer'), async (req, res) => {
    const { draft = {} } = parseBody(createContractSchema, req.body);
    // Checked before the workflow starts: update-with-start starts the workflow even when the first
    // save is refused, which would leave an empty draft in the lawyer's list.
    const errors = validateTerms(draft as ContractDraft, 'partial');
    if (errors.length > 0) throw invalidTerms(answerLocale(req), errors);
    const created = await gateway.create(currentActor(req), draft as ContractDraft, idempotencyKey(req));
    const row = await loadVisibleContract(db, currentActor(req), created.contractId);
    res.status(201).json(await contractDetails(db, currentActor(req), row));
  });

  router.get('/', requireActor(), async (req, res) => {
    const actor = currentActor(req);
    const q: Record<string, string | undefined> = {};
    for (const [key, value] of Object.entries(req.query)) {
      // A repeated parameter arrives as an array, which the filters below cannot use.
      if (typeof value !== 'string')
        throw badRequest('contract.filter_once', [{ field: key, code: 'invalid', reason: 'contract.filter_once', params: { key } }], { key });
      q[key] = value;
    }
    const { filters, errors } = parseFilters(q);
    if (errors.length > 0) throw invalidInput(errors);
    // Issue 9 item 6: a search by a person's name would tell the Bar office who is a client.
    if (actor.kind === 'admin' && filters.name !== undefined)
      throw badRequest('access.name_search_not_for_bar_office', [{ field: 'name', code: 'invalid', reason: 'access.name_search_not_for_bar_office' }]);
    const page = Math.max(1, Number(q.page) || 1);
    const pageSize = Math.min(100, Math.max(1, Number(q.pageSize) || 20));
    const scope = (q.scope ?? 'mine') as ListScope;
    if (!LIST_SCOPES.includes(scope))
      throw badRequest(
        'contract.scope_unknown',
        [{ field: 'scope', code: 'invalid', reason: 'contract.scope_unknown', params: { scopes: LIST_SCOPES.join(', ') } }],
        { scopes: LIST_SCOPES.join(', ') },
      );
    const archive = q.archive === 'true' ? true : q.archive === 'false' ? false : undefined;
    // Issue 14: keyset pages; `page` stays for the first pages of old clients.
    const cursor = q.cursor === undefined ? undefined : decodeCursor(q.cursor);
    if (q.cursor !== undefined && !cursor) throw invalidInput([CURSOR_ERROR]);
    const { total, totalExact, nextCursor, previousCursor, rows } = await searchContracts<ListRow>(
      db,
      actor,
      { scope, archive, filters, cursor, page, pageSize },
      LIST_COLUMNS,
    );
    res.json({
      page: cursor ? null : page,
      pageSize,
      total,
      totalExact,
      nextCursor: nextCursor ?? null,
      previousCursor: previousCursor ?? null,
      contracts: rows.map((r) => {
        const listed = {
          id: r.id,
          number: r.number,
          status: r.status,
          lawyerId: r.lawyer_id,
          caseType: actor.kind === 'applicant' ? undefined : r.case_type,
          institution: r.institution_name,
          protectedParty: r.protected_party_name,
          applicant: r.applicant_name,
          totalQepik: r.total_qepik,
          paidQepik: r.paid_qepik,
          balanceDueQepik: r.balance_due_qepik,
          currentVersion: r.current_version,
          amendmentStatus: r.amendment_status,
          stage: actor.kind === 'applicant' ? undefined : r.stage,
          createdAt: r.created_at,
          updatedAt: r.updated_at,
        };
        return actor.kind === 'admin' ? forBarOffice(listed) : listed;
      }),
    });
  });

  /** The contract: in full for those it belongs to; the outline for the Bar office until it opens it with a reason (issue 9 item 6). */
  router.get('/:id', requireActor(), async (req, res) => {
    const actor = currentActor(req);
    const { row, scope, access } = await loadContractScope(db, actor, id(req));
    if (scope === 'outline') {
      res.json({ ...contractOutlineDetails(row), barOfficeAccess: null });
      return;
    }
    const details = await contractDetails(db, actor, row);
    res.json(access ? { ...details, barOfficeAccess: { at: access.at, expiresAt: access.expiresAt } } : details);
  });

  /** The Bar office opens a contract's personal data and files for an hour, with a reason the lawyer sees (issue 9 item 6). */
  router.post('/:id/bar-office-access', requireActor('admin'), async (req, res) => {
    const actor = currentActor(req);
    const { row } = await loadContractScope(db, actor, id(req));
    const body = (req.body ?? {}) as { reason?: unknown };
    const access = await grantBarOfficeAccess(deps, actor, row.id, body.reason, req.ip);
    res.status(201).json({ access: { id: access.id, at: access.at, expiresAt: access.expiresAt, reason: access.reason, by: access.by } });
  });

  /** Checks a whole draft without saving it: what is still missing before "Təsdiq üçün göndər". */
  router.get('/:id/draft/check', requireActor('lawyer'), async (req, res) => {
    const row = await loadVisibleContract(db, currentActor(req), id(req));
    res.json({ errors: presentFieldErrors(answerLocale(req), validateTerms(row.view.draft, 'complete')) });
  });

  router.patch('/:id/draft', requireActor('lawyer'), async (req, res) => {
    const step = parseBody(contractDraftSchema, req.body) as ContractDraft;
    res.json(await decide(req, (contractId, actor) => gateway.saveDraft(contractId, actor, step)));
  });
  router.delete('/:id', requireActor('lawyer'), async (req, res) => {
    res.json(await decide(req, (contractId, actor) => gateway.discardDraft(contractId, actor)));
  });
  router.post('/:id/submit', requireActor('lawyer'), async (req, res) => {
    res.json(await decide(req, (contractId, actor) => gateway.submit(contractId, actor)));
  });
  router.post('/:id/approve', requireActor('lawyer'), async (req, res) => {
    res.json(await decide(req, (contractId, actor) => gateway.approve(contractId, actor)));
  });
  router.post('/:id/approve-as-already-paid', requireActor('lawyer'), async (req, res) => {
    res.json(await decide(req, (contractId, actor) => gateway.approveAsAlreadyPaid(contractId, actor)));
  });
  router.post('/:id/reject', requireActor('lawyer'), async (req, res) => {
    const { reason } = parseBody(reasonSchema, req.body);
    res.json(await decide(req, (contractId, actor) => gateway.reject(contractId, actor, reason)));
  });
  router.post('/:id/amendments', requireActor('lawyer'), async (req, res) => {
    const { changes, note } = parseBody(amendmentSchema, req.body);
    res.json(await decide(req, (contractId, actor) => gateway.proposeAmendment(contractId, actor, changes as ContractDraft, note)));
  });
  router.post('/:id/amendment/consent', requireActor('applicant'), async (req, res) => {
    const { consent } = parseBody(consentSchema, req.body);
    res.json(await decide(req, (contractId, actor) => gateway.respondToPriceChange(contractId, actor, consent)));
  });
  router.post('/:id/amendment/approve', requireActor('lawyer'), async (req, res) => {
    res.json(await decide(req, (contractId, actor) => gateway.approveAmendment(contractId, actor)));
  });
  router.post('/:id/amendment/reject', requireActor('lawyer'), async (req, res) => {
    const { reason } = parseBody(reasonSchema, req.body);
    res.json(await decide(req, (contractId, actor) => gateway.rejectAmendment(contractId, actor, reason)));
  });
  router.post('/:id/finish', requireActor('lawyer'), async (req, res) => {
    res.json(await decide(req, (contractId, actor) => gateway.finish(contractId, actor)));
  });
  router.post('/:id/terminate', requireActor('lawyer'), async (req, res) => {
    const { reason } = parseBody(reasonSchema, req.body);
    res.json(await decide(req, (contractId, actor) => gateway.terminate(contractId, actor, reason)));
  });
  router.post('/:id/restart', requireActor('lawyer'), async (req, res) => {
    res.json(await decide(req, (contractId, actor) => gateway.restart(contractId, actor)));
  });
  // R4.6 "İşi göndər": 202, the filing pending; the contract's courtFilings tell how it ends.
  router.post('/:id/court-filings', requireActor('lawyer'), async (req, res) => {
    const { caseNumber } = parseBody(courtFilingSchema, req.body);
    res.status(202).json(await decide(req, (contractId, actor) => gateway.sendToCourt(contractId, actor, caseNumber)));
  });

  // R6 "Layihələr": the lawyer's own stage of a case, kept in the read model only (lawyer or head).
  router.post('/:id/stage', requireActor('lawyer'), async (req, res) => {
    const { stage } = parseBody(stageSchema, req.body);
    const changed = await setStage(db, currentActor(req), id(req), stage);
    res.json({ contractId: changed.id, number: changed.number, stage: changed.stage });
  });

  router.get('/:id/versions/:version/:document', requireActor(), async (req, res) => {
    const row = await loadVisibleContract(db, currentActor(req), id(req));
    const document = String(req.params.document);
    if (document !== 'contract.pdf' && document !== 'order.pdf') throw notFound('contract.no_such_document');
    const version = await db<ContractVersionsTable>('contract_versions')
      .where({ contract_id: row.id, version: Number(req.params.version) || 0 })
      .first();
    const key = version?.[document === 'order.pdf' ? 'order_file' : 'contract_file'];
    const file = key ? await storage.get(key) : undefined;
    if (!version || !file) throw notFound('contract.document_not_issued');
    const name = document === 'order.pdf' ? `${version.order_number}.pdf` : `${row.number}-v${version.version}.pdf`;
    res.setHeader('Content-Type', 'application/pdf');
    res.setHeader('Content-Disposition', `inline; filename="${name}"`);
    res.send(file);
  });

  return router;
}

/**
 * Issue 10 item 5: `Idempotency-Key` on POST /api/contracts — the same key of the same lawyer gives the
 * same contract, so a client may repeat a request whose answer it lost (a 503, a timeout).
 */
function idempotencyKey(req: Request): string | undefined {
  const key = req.get('idempotency-key');
  if (key === undefined) return undefined;
  if (!/^[A-Za-z0-9._:-]{8,128}$/.test(key))
    throw badRequest('common.idempotency_key_invalid', [{ field: 'Idempotency-Key', code: 'invalid', reason: 'common.idempotency_key_invalid' }]);
  return key;
}
