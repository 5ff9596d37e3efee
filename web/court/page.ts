/**
 * "İşi göndər" on the contract page (R4.6): the court case number and "Göndər", and the list of
 * the court cases the lawyer was sent to join — "gözlənilir" while e-court has not answered (the
 * page refreshes itself), "qoşuldu" once joined with the order attached, or the reason why not.
 */
import type { Response } from 'express';
import { Router } from 'express';
import type { ContractAction } from '../../domain/contract';
import { currentActor } from '../../api/auth/actor';
import { sendToCourt } from '../../api/court/service';
import { loadVisibleContract } from '../../api/contract/service';
import type { ContractView, CourtFiling } from '../../workflows/contract/messages';
import { t } from '../shared/render';
import { requirePageActor } from '../shared/guard';
import type { WebDeps } from '../shared/deps';
import { localizeReason, redirectWithAlert, redirectWithNotice, stepRefusal } from '../shared/feedback';
import { formBody, formText } from '../shared/form';

export interface CourtSection {
  canSend: boolean;
  anyPending: boolean;
  filings: { caseNumber: string; status: CourtFiling['status']; statusText: string; reason?: string; order?: string; orders?: string; courtName?: string }[];
}

/** What the "İşi göndər" section shows, or undefined when there is nothing to show or do. */
export function courtForPage(res: Response, view: ContractView, allowed: Set<ContractAction>): CourtSection | undefined {
  const filings = view.courtFilings ?? [];
  const canSend = allowed.has('sendToCourt');
  if (!canSend && filings.length === 0) return undefined;
  return {
    canSend,
    anyPending: filings.some((f) => f.status === 'pending'),
    filings: filings.map((f) => ({
      caseNumber: f.caseNumber,
      status: f.status,
      statusText: t(res, `court.${f.status}`),
      courtName: f.courtName,
      order: f.orderNumber && f.status !== 'failed' ? t(res, 'court.order', { number: f.orderNumber }) : undefined,
      orders: f.attachedOrders.length > 1 ? t(res, 'court.orders', { numbers: f.attachedOrders.join(', ') }) : undefined,
      reason: f.status === 'failed' ? t(res, `court.reason.${f.reasonCode ?? 'ECourtRejected'}`, { reason: f.reason ?? '' }) : undefined,
    })),
  };
}

export function courtFilingPages(deps: WebDeps): Router {
  const router = Router();

  router.post('/contracts/:id/court-filings', requirePageActor('lawyer'), async (req, res) => {
    const id = String(req.params.id);
    const actor = currentActor(req);
    const caseNumber = formText(formBody(req).caseNumber);
    // The contract must be visible (404 otherwise, as a page); refusals of the step come back as alerts.
    await loadVisibleContract(deps.db, actor, id);
    try {
      await sendToCourt(deps, actor, id, caseNumber);
    } catch (err) {
      const refusal = stepRefusal(err);
      return redirectWithAlert(req, res, `/contracts/${id}`, localizeReason(res, refusal.reason, refusal.params));
    }
    return redirectWithNotice(req, res, `/contracts/${id}`, t(res, 'court.sent'));
  });

  return router;
}
