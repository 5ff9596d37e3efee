/**
 * The Bar office's pages (issue 9 items 6 and 10): its list of contracts and a contract's outline
 * — number, status, lawyer, bureau, stage, dates, never the client, the price or the files — with
 * the form to open the rest for an hour with a reason, and the security events. Reads go through
 * the API's services; the rule of what the Bar office sees is domain/access/bar-office.ts.
 */
import { type Request, type Response, Router } from 'express';
import { ACCESS_REASON_MAX, ACCESS_REASON_MIN, BAR_OFFICE_ACCESS_MINUTES } from '../../domain/access';
import type { Actor } from '../../domain/shared/actor';
import type { FieldError } from '../../domain/shared/field-error';
import { currentActor } from '../../api/auth/actor';
import { grantBarOfficeAccess, type BarOfficeAccess, barOfficeAccessesOf } from '../../api/contract/bar-office';
import { decodeCursor, searchContracts } from '../../api/contract/search';
import { bureauName, type ContractRow, contractDetails, lawyerNames, loadContractScope } from '../../api/contract/service';
import { HttpError, localizedFields } from '../../api/http/errors';
import { parseSecurityEventQuery, securityEvents } from '../../api/security/service';
import { SECURITY_EVENT_KINDS } from '../../platform/security-events';
import { contractOutline } from '../../domain/access';
import { dossierForPage } from '../dossier/page';
import type { WebDeps } from '../shared/deps';
import { redirectWithFlash, takeAlert, translator } from '../shared/feedback';
import { formBody, formText } from '../shared/form';
import { requirePageActor } from '../shared/guard';
import type { Locale } from '../shared/i18n';
import { renderPage, t } from '../shared/render';
import { formatDateTime, formatUtc, historySentences, termsSections } from '../contract/presenters';
import { bureauPages } from './bureaus';
import { registerPages } from './register';

/** What the contract list of the Bar office reads: no person, no price. */
const OUTLINE_COLUMNS = ['id', 'number', 'status', 'lawyer_id', 'bureau_id', 'stage', 'created_at'];
interface OutlineRow {
  id: string;
  number: string;
  status: string;
  lawyer_id: string;
  bureau_id: string;
  stage: string | null;
  created_at: Date | string;
}

export function officePages(deps: WebDeps): Router {
  const { db } = deps;
  const router = Router();
  // The register of lawyers and bureaus, and the dashboard (issue 11).
  router.use(registerPages(deps), bureauPages(deps));
  const localeOf = (res: Response): Locale => (res.locals.locale === 'en' ? 'en' : 'az');
  // The pages' own cache rule (item 9 is another's): what the Bar office reads here is not for a shared cache.
  const noStore = (res: Response) => res.setHeader('Cache-Control', 'no-store');

  router.get('/admin/contracts', requirePageActor('admin'), async (req, res) => {
    const page = Math.max(1, Number(req.query.page) || 1);
    // Issue 14: keyset pages over a million contracts (the count stops at COUNT_CAP).
    const cursor = typeof req.query.cursor === 'string' ? decodeCursor(req.query.cursor) : undefined;
    const { total, rows, nextCursor, previousCursor } = await searchContracts<OutlineRow>(
      db,
      currentActor(req),
      { scope: 'mine', filters: {}, cursor, page, pageSize: 50 },
      OUTLINE_COLUMNS,
    );
    const names = await lawyerNames(
      db,
      rows.map((r) => r.lawyer_id),
    );
    const bureaus = new Map<string, string>();
    for (const id of new Set(rows.map((r) => r.bureau_id))) bureaus.set(id, (await bureauName(db, id)) ?? id);
    noStore(res);
    renderPage(req, res, 'office/contracts', {
      title: t(res, 'office.contracts.title'),
      section: 'office-contracts',
      contracts: rows.map((r) => ({
        id: r.id,
        number: r.number,
        statusLabel: t(res, `status.${r.status}`),
        lawyer: names.get(r.lawyer_id) ?? r.lawyer_id,
        bureau: bureaus.get(r.bureau_id) ?? r.bureau_id,
        stage: r.stage ? t(res, `stage.${r.stage}`) : '',
        createdAt: formatDateTime(new Date(r.created_at).toISOString()),
      })),
      total,
      previous: previousCursor,
      next: nextCursor,
    });
  });

  async function showContract(req: Request, res: Response, extra: { errors?: FieldError[]; reason?: string } = {}, status = 200) {
    const actor: Actor = currentActor(req);
    const { row, scope, access } = await loadContractScope(db, actor, String(req.params.id));
    const tr = translator(res);
    const view = row.view;
    const names = await lawyerNames(db, [view.lawyerId]);
    const lawyerName = names.get(view.lawyerId) ?? view.lawyerId;
    const bureau = (await bureauName(db, row.bureau_id)) ?? row.bureau_id;
    const outline = contractOutline(view);
    noStore(res);
    const common = {
      title: tr('office.contract.title', { number: outline.contractNumber }),
      section: 'office-contracts',
      contract: { id: row.id, number: outline.contractNumber, statusLabel: tr(`status.${outline.status}`), status: outline.status },
      alert: takeAlert(req),
    };
    if (scope === 'outline') {
      renderPage(
        req,
        res,
        'office/contract',
        {
          ...common,
          outline: [
            { label: tr('office.contract.number'), value: outline.contractNumber },
            { label: tr('office.contract.status'), value: tr(`status.${outline.status}`) },
            { label: tr('office.contract.lawyer'), value: lawyerName },
            { label: tr('office.contract.bureau'), value: bureau },
            { label: tr('office.contract.stage'), value: typeof row.stage === 'string' ? tr(`stage.${row.stage}`) : '' },
            { label: tr('office.contract.createdAt'), value: outline.createdAt ? formatDateTime(outline.createdAt) : '' },
          ],
          orders: outline.issuedVersions.map((v) => ({ ...v, issuedAtText: formatDateTime(v.issuedAt) })),
          history: historySentences(tr, outline.history, names, { forApplicant: false }),
          accessForm: {
            explain: tr('office.access.explain', { min: ACCESS_REASON_MIN, max: ACCESS_REASON_MAX, minutes: BAR_OFFICE_ACCESS_MINUTES }),
            reason: extra.reason ?? '',
          },
          errors: extra.errors,
        },
        status,
      );
      return;
    }
    // An open reasoned access: the contract as its lawyer sees it, without the lawyer's steps.
    if (access) await showFull(req, res, row, access, { ...common, lawyerName, bureau });
  }

  async function showFull(
    req: Request,
    res: Response,
    row: ContractRow,
    access: BarOfficeAccess,
    common: Record<string, unknown> & { lawyerName: string; bureau: string },
  ) {
    const actor = currentActor(req);
    const tr = translator(res);
    const view = row.view;
    const details = await contractDetails(db, actor, row);
    const names = await lawyerNames(db, [view.lawyerId, ...view.history.map((h) => h.by)]);
    renderPage(req, res, 'office/contract', {
      ...common,
      title: String(common.title),
      openUntil: tr('office.access.openUntil', { until: formatUtc(access.expiresAt) }),
      sections: termsSections(tr, view, { forApplicant: false, lawyerName: common.lawyerName, bureauName: common.bureau }),
      documents: details.documents.map((d) => ({ ...d, issuedAtText: formatDateTime(new Date(d.issuedAt).toISOString()) })),
      dossier: await dossierForPage(deps, actor, row, res),
      history: historySentences(tr, view.history, names, { applicantAccountId: row.applicant_account_id ?? undefined, forApplicant: false }),
      barOfficeAccesses: (await barOfficeAccessesOf(db, row.id)).map((a) => ({ ...a, atText: formatUtc(a.at) })),
    });
  }

  router.get('/admin/contracts/:id', requirePageActor('admin'), (req, res) => showContract(req, res));

  router.post('/admin/contracts/:id/access', requirePageActor('admin'), async (req, res) => {
    const actor = currentActor(req);
    const { row } = await loadContractScope(db, actor, String(req.params.id));
    const reason = formText(formBody(req).reason);
    try {
      const access = await grantBarOfficeAccess(deps, actor, row.id, reason, req.ip);
      await redirectWithFlash(req, res, `/admin/contracts/${row.id}`, t(res, 'office.access.opened', { until: formatUtc(access.expiresAt) }));
    } catch (err) {
      if (!(err instanceof HttpError) || err.status !== 400) throw err;
      const errors = localizedFields(localeOf(res), err.fields ?? []);
      await showContract(req, res, { errors, reason }, 400);
    }
  });

  router.get('/admin/security', requirePageActor('admin'), async (req, res) => {
    const { filter, errors } = parseSecurityEventQuery(req.query);
    const { total, events } = await securityEvents(db, errors.length > 0 ? { page: 1, pageSize: filter.pageSize } : filter);
    const kindLabel = (k: string) => t(res, `office.event.${k}`);
    const query = (page: number) => {
      const usp = new URLSearchParams();
      for (const key of ['kind', 'from', 'to', 'subject'] as const)
        if (typeof req.query[key] === 'string' && req.query[key] !== '') usp.set(key, req.query[key]);
      usp.set('page', String(page));
      return `?${usp.toString()}`;
    };
    noStore(res);
    renderPage(
      req,
      res,
      'office/security',
      {
        title: t(res, 'office.events.title'),
        section: 'office-security',
        kinds: SECURITY_EVENT_KINDS.map((k) => ({ id: k, label: kindLabel(k), selected: filter.kinds?.length === 1 && filter.kinds[0] === k })),
        values: {
          from: typeof req.query.from === 'string' ? req.query.from : '',
          to: typeof req.query.to === 'string' ? req.query.to : '',
          subject: filter.subject ?? '',
        },
        errors: errors.length > 0 ? localizedFields(localeOf(res), errors) : undefined,
        events: events.map((e) => ({
          ...e,
          atText: formatUtc(e.at),
          kindLabel: kindLabel(e.kind),
          actorText: e.actor ? `${e.actor.kind}:${e.actor.id}` : '',
          detailText: Object.entries(e.detail)
            .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
            .join(', '),
        })),
        pageText: t(res, 'office.events.page', { page: filter.page, total }),
        previous: filter.page > 1 ? query(filter.page - 1) : undefined,
        next: filter.page * filter.pageSize < total ? query(filter.page + 1) : undefined,
      },
      errors.length > 0 ? 400 : 200,
    );
  });

  return router;
}
