/**
 * "Müqavilə işləri": the lawyer's current cases, the head's "Təsdiqə gələn işlər" and the
 * bureau's cases, and the archive (R4.2, R4.7), from the read model.
 */
import { Router } from 'express';
import { ARCHIVED_STATUSES } from '../../domain/contract';
import type { WebDeps } from '../router';
import { requirePageActor } from '../router';
import { renderPage, t } from '../render';

const TABS = ['current', 'awaiting_approval', 'bureau', 'archive'] as const;
type Tab = (typeof TABS)[number];
const PAGE_SIZE = 25;

export function contractListPage(deps: WebDeps): Router {
  const router = Router();
  router.get('/contracts', requirePageActor('lawyer'), async (req, res) => {
    const actor = req.session.actor!;
    const requested = String(req.query.tab ?? 'current') as Tab;
    const tab: Tab = TABS.includes(requested) && (actor.isHead || (requested !== 'awaiting_approval' && requested !== 'bureau')) ? requested : 'current';
    const page = Math.max(1, Number(req.query.page) || 1);
    const query = deps.db('contracts').whereNot({ status: 'discarded' });
    if (tab === 'awaiting_approval') query.where({ bureau_id: actor.bureauId, status: 'awaiting_approval' });
    else if (tab === 'bureau') query.where({ bureau_id: actor.bureauId }).whereNotIn('status', ARCHIVED_STATUSES as string[]);
    else if (tab === 'archive') query.where({ lawyer_id: actor.id }).whereIn('status', ARCHIVED_STATUSES as string[]);
    else query.where({ lawyer_id: actor.id }).whereNotIn('status', ARCHIVED_STATUSES as string[]);
    const [{ count }] = await query.clone().count({ count: '*' });
    const rows = await query
      .orderBy('updated_at', 'desc')
      .limit(PAGE_SIZE)
      .offset((page - 1) * PAGE_SIZE)
      .select('id', 'number', 'status', 'protected_party_name', 'applicant_name', 'institution_name', 'total_qepik', 'balance_due_qepik', 'created_at', 'amendment_status');
    const total = Number(count);
    renderPage(req, res, 'contract-list', {
      title: t(res, 'contracts.title'),
      section: 'contracts',
      tab,
      tabs: TABS.filter((x) => actor.isHead || (x !== 'awaiting_approval' && x !== 'bureau')).map((x) => ({
        id: x,
        label: t(res, { current: 'contracts.current', awaiting_approval: 'contracts.awaitingApproval', bureau: 'contracts.bureau', archive: 'contracts.archive' }[x]),
        current: x === tab,
      })),
      contracts: rows.map((r) => ({ ...r, statusLabel: t(res, `status.${r.status}`), href: r.status === 'draft' ? `/contracts/${r.id}/wizard` : `/contracts/${r.id}` })),
      page,
      previousPage: page > 1 ? page - 1 : undefined,
      nextPage: page * PAGE_SIZE < total ? page + 1 : undefined,
      total,
    });
  });
  return router;
}
