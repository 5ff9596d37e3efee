/**
 * "Müqavilə işləri": the lawyer's current cases, the head's "Təsdiqə gələn işlər" and the
 * bureau's cases, and the archive (R4.2, R4.7), from the read model, with the R4.8 filters
 * (a GET form: the filters live in the URL and in every page link). The query is the API's
 * (api/contract-search.ts).
 */
import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import { decodeCursor, filterQueryString, FILTER_KEYS, type ListScope, parseFilters, searchContracts } from '../../api/contract/search';
import { institutionList } from '../../api/contract/service';
import { ARCHIVED_STATUSES, CASE_TYPES, CONTRACT_STATUSES, type ContractStatus } from '../../domain/contract';
import type { WebDeps } from '../shared/deps';
import { requirePageActor } from '../shared/guard';
import { renderPage, t } from '../shared/render';
import { dateInputValue } from '../../domain/shared/dates';

const TABS = ['current', 'awaiting_approval', 'bureau', 'archive'] as const;
type Tab = (typeof TABS)[number];
const PAGE_SIZE = 25;

/** What each tab lists: its scope, current or archive, and the statuses its filter offers. */
const TAB_SEARCH: Record<Tab, { scope: ListScope; archive?: boolean; statuses: readonly ContractStatus[] }> = {
  current: { scope: 'mine', archive: false, statuses: CONTRACT_STATUSES.filter((s) => s !== 'discarded' && !ARCHIVED_STATUSES.includes(s)) },
  awaiting_approval: { scope: 'awaiting_approval', statuses: [] },
  bureau: { scope: 'bureau', archive: false, statuses: CONTRACT_STATUSES.filter((s) => s !== 'discarded' && !ARCHIVED_STATUSES.includes(s)) },
  archive: { scope: 'mine', archive: true, statuses: ARCHIVED_STATUSES },
};

/** The columns the list reads (contracts, migrations/001_foundation); bigints come back as strings. */
interface ListedContract {
  id: string;
  number: string;
  status: ContractStatus;
  lawyer_id: string;
  protected_party_name: string | null;
  applicant_name: string | null;
  institution_name: string | null;
  case_type: string | null;
  total_qepik: string | number | null;
  balance_due_qepik: string | number;
  created_at: Date;
  amendment_status: string | null;
}

export function contractListPage(deps: WebDeps): Router {
  const router = Router();
  router.get('/contracts', requirePageActor('lawyer'), async (req, res) => {
    const actor = req.session.actor!;
    const requested = (typeof req.query.tab === 'string' ? req.query.tab : 'current') as Tab;
    const tab: Tab = TABS.includes(requested) && (actor.isHead || (requested !== 'awaiting_approval' && requested !== 'bureau')) ? requested : 'current';
    const page = Math.max(1, Math.floor(Number(req.query.page)) || 1);
    // Issue 14: keyset pages ("next" / "previous" carry a cursor); a link that is not ours opens the first page.
    const cursor = typeof req.query.cursor === 'string' ? decodeCursor(req.query.cursor) : undefined;
    const raw: Record<string, string | undefined> = {};
    for (const key of FILTER_KEYS) raw[key] = typeof req.query[key] === 'string' ? req.query[key] : undefined;
    const { filters, errors: parsed } = parseFilters(raw);
    const tabSearch = TAB_SEARCH[tab];
    // A status the tab does not list (e.g. "finished" on current cases) is not offered: ignored, said at the field.
    if (filters.status && !tabSearch.statuses.includes(filters.status)) {
      if (tabSearch.statuses.length > 0) parsed.push({ field: 'status', code: 'invalid', reason: 'contract.search_status_unknown' });
      delete filters.status;
    }
    // "Təsdiqə gələn işlər" has one status and no status field: a status in its URL is not an error.
    for (const e of [...parsed]) if (e.field === 'status' && tabSearch.statuses.length === 0) parsed.splice(parsed.indexOf(e), 1);
    const errors = parsed.map((e) => ({
      ...e,
      message: t(
        res,
        e.field === 'from' || e.field === 'to'
          ? e.reason === 'contract.search_period_reversed'
            ? 'filters.error.range'
            : 'filters.error.date'
          : 'filters.error.invalid',
      ),
    }));
    const { total, totalExact, nextCursor, previousCursor, rows } = await searchContracts<ListedContract>(
      deps.db,
      actor,
      { scope: tabSearch.scope, archive: tabSearch.archive, filters, cursor, page, pageSize: PAGE_SIZE },
      [
        'id',
        'number',
        'status',
        'lawyer_id',
        'protected_party_name',
        'applicant_name',
        'institution_name',
        'case_type',
        'total_qepik',
        'balance_due_qepik',
        'created_at',
        'amendment_status',
      ],
    );
    const institutions = await institutionList(deps.db);
    // The values as typed (a bad date stays in its field, to be corrected).
    const values: Record<string, string> = {};
    for (const key of FILTER_KEYS) values[key] = raw[key]?.trim() ?? '';
    for (const key of ['from', 'to'] as const) if (filters[key] && /^\d{4}-\d{2}-\d{2}$/.test(filters[key])) values[key] = dateInputValue(filters[key]);
    const kept = { tab, ...Object.fromEntries(Object.entries(filters)) } as Record<string, string | undefined>;
    const link = (to: string) => `/contracts?${filterQueryString({ ...kept, cursor: to })}`;
    const filtered = FILTER_KEYS.some((k) => (filters as Record<string, unknown>)[k] !== undefined);
    renderPage(req, res, 'contract-list', {
      title: t(res, 'contracts.title'),
      newContractKey: randomUUID(),
      section: 'contracts',
      tab,
      tabs: TABS.filter((x) => actor.isHead || (x !== 'awaiting_approval' && x !== 'bureau')).map((x) => ({
        id: x,
        label: t(
          res,
          { current: 'contracts.current', awaiting_approval: 'contracts.awaitingApproval', bureau: 'contracts.bureau', archive: 'contracts.archive' }[x],
        ),
        current: x === tab,
      })),
      contracts: rows.map((r) => ({
        ...r,
        statusLabel: t(res, `status.${r.status}`),
        caseTypeLabel: r.case_type ? t(res, `caseType.${r.case_type}`) : '',
        href: r.status === 'draft' ? `/contracts/${r.id}/wizard` : `/contracts/${r.id}`,
      })),
      errors: errors.length > 0 ? errors : undefined,
      values,
      filtered,
      caseTypes: CASE_TYPES.map((c) => ({ value: c, label: t(res, `caseType.${c}`), selected: values.caseType === c })),
      institutions: institutions.map((i) => ({ value: i.id, label: i.name, selected: values.institutionId === i.id })),
      statuses: tabSearch.statuses.map((s) => ({ value: s, label: t(res, `status.${s}`), selected: values.status === s })),
      previousHref: previousCursor ? link(previousCursor) : undefined,
      nextHref: nextCursor ? link(nextCursor) : undefined,
      total,
      totalExact,
    });
  });
  return router;
}
