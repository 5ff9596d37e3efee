/**
 * The applicant's cabinet (R4.3, R4.4.2): the contracts signed with a lawyer, each as the applicant
 * may read it (no case type, no draft internals), "Ödə" to the payment agent, the state after
 * coming back from it, and consent to a price change ("Razıyam" / "Razı deyiləm").
 */
import { formatDateTime } from '../../domain/shared/dates';
import { type Request, type Response, Router } from 'express';
import { type Actor, applyChanges, formatAzn, remainderQepik } from '../../domain/contract';
import { applicantContracts, bureauName, type ContractRow, contractDetails, lawyerNames, loadVisibleContract } from '../../api/contract/service';
import { notFound } from '../../api/http/errors';
import { openTerminalCode, paymentOutcome, startPayment } from '../../api/payment/service';
import { renderPage, t } from '../shared/render';
import { dossierForPage } from '../dossier/page';
import type { WebDeps } from '../shared/deps';
import { requirePageActor } from '../shared/guard';
import { renderPaymentHandoff } from '../contract/page';
import { amendmentRows, documentsPending, dueNowQepik, historySentences, paymentReason, planText, termsSections } from '../contract/presenters';
import { localizeReason, redirectWithAlert, redirectWithNotice, stepRefusal, takeAlert, takeNotice, translator } from '../shared/feedback';
import { formBody } from '../shared/form';

export function applicantPages(deps: WebDeps): Router {
  const { db, gateway } = deps;
  const router = Router();
  const actorOf = (req: Request): Actor => ({ kind: 'applicant', id: req.session.actor!.id });
  const contractId = (req: Request) => String(req.params.id);

  router.get('/applicant', requirePageActor('applicant'), async (req, res) => {
    const actor = actorOf(req);
    const rows = await applicantContracts(db, actor.id);
    renderPage(req, res, 'applicant/list', {
      title: t(res, 'applicantPage.title'),
      section: 'applicant',
      contracts: rows.map((r) => ({
        id: r.id,
        number: r.number,
        statusLabel: t(res, `status.${r.status}`),
        protectedParty: r.protectedParty,
        lawyer: r.lawyer,
        total: r.totalQepik === undefined ? undefined : formatAzn(r.totalQepik),
        balance: r.status === 'active' && r.balanceDueQepik > 0 ? formatAzn(r.balanceDueQepik) : undefined,
        needsPayment: r.status === 'awaiting_payment',
        needsConsent: r.amendmentStatus === 'awaiting_consent',
        createdAt: r.createdAt,
      })),
    });
  });

  async function loadOwn(req: Request): Promise<ContractRow> {
    const row = await loadVisibleContract(db, actorOf(req), contractId(req));
    if (row.view.status === 'discarded') throw notFound();
    return row;
  }

  router.get('/applicant/contracts/:id', requirePageActor('applicant'), async (req, res) => {
    const actor = actorOf(req);
    const row = await loadOwn(req);
    const tr = translator(res);
    const view = row.view;
    const details = await contractDetails(db, actor, row);
    const allowed = new Set(details.allowedActions);
    const names = await lawyerNames(db, [view.lawyerId, ...view.history.map((h) => h.by)]);
    const bureau = await bureauName(db, row.bureau_id);
    const outcome = await paymentOutcome(db, row, typeof req.query.payment === 'string' ? req.query.payment : undefined);
    const pendingDocs = documentsPending(view, details.documents.length);
    if (outcome?.kind === 'confirming' || pendingDocs) res.setHeader('Refresh', '4');

    let pay;
    if (allowed.has('pay') && view.terms) {
      const due = dueNowQepik(view);
      pay = {
        amount: formatAzn(due),
        note:
          view.status === 'awaiting_payment' && view.terms.price.plan === 'two_instalments'
            ? tr('pay.firstInstalment', { rest: formatAzn(remainderQepik(view.terms.price)) })
            : view.status === 'active'
              ? tr('pay.balanceNote')
              : undefined,
        terminalCode: await openTerminalCode(db, row),
      };
    }

    let priceChange;
    if (allowed.has('respondToPriceChange') && view.amendment && view.terms) {
      const after = applyChanges(view.terms, view.amendment.changes);
      const priceLabels = new Set([tr('contractPage.total'), tr('contractPage.plan')]);
      priceChange = {
        oldTotal: formatAzn(view.terms.price.totalQepik),
        oldPlan: planText(tr, view.terms.price),
        newTotal: formatAzn(after.price.totalQepik),
        newPlan: planText(tr, after.price.plan === 'single' ? { totalQepik: after.price.totalQepik, plan: 'single' } : after.price),
        note: view.amendment.note,
        balanceAfter:
          view.approvedAsAlreadyPaid || view.paidQepik === 0
            ? undefined
            : tr('priceChange.balanceAfter', { paid: formatAzn(view.paidQepik), rest: formatAzn(Math.max(0, after.price.totalQepik - view.paidQepik)) }),
        otherRows: amendmentRows(tr, view.terms, view.amendment.changes, { forApplicant: true }).filter((r) => !priceLabels.has(r.label)),
      };
    }

    const failure = view.lastPaymentFailure?.kind === 'contract' && (!outcome || outcome.kind !== 'failed') ? view.lastPaymentFailure : undefined;
    renderPage(req, res, 'applicant/contract', {
      title: tr('contractPage.title', { number: view.contractNumber }),
      section: 'applicant',
      contract: { id: row.id, number: view.contractNumber, status: view.status, statusLabel: tr(`status.${view.status}`) },
      alert: takeAlert(req),
      flash: takeNotice(req, res),
      outcome: outcome?.kind === 'failed' ? { ...outcome, reason: paymentReason(tr, outcome.reason) } : outcome,
      failure: failure ? { reason: paymentReason(tr, failure.reason) } : undefined,
      statusNote:
        view.status === 'draft'
          ? tr('applicantPage.reworked')
          : view.status === 'awaiting_approval'
            ? tr('applicantPage.awaitingApproval')
            : view.status === 'awaiting_fee'
              ? tr('applicantPage.awaitingFee')
              : undefined,
      pay,
      priceChange,
      sections: view.terms ? termsSections(tr, view, { forApplicant: true, lawyerName: names.get(view.lawyerId) ?? '', bureauName: bureau }) : [],
      documents: details.documents.map((d) => ({
        ...d,
        issuedAtText: formatDateTime(d.issuedAt),
      })),
      pendingDocs,
      archived: view.status === 'finished' || view.status === 'terminated',
      history: historySentences(tr, view.history, names, { applicantAccountId: row.applicant_account_id ?? undefined, forApplicant: true }),
      dossier: await dossierForPage(deps, actor, row, res),
    });
  });

  // "Ödə" (R4.3.1): opens the payment on the agent and hands the browser over to its page.
  router.post('/applicant/contracts/:id/pay', requirePageActor('applicant'), async (req, res) => {
    const row = await loadOwn(req);
    try {
      const started = await startPayment(deps, actorOf(req), row.id, res.locals.locale === 'en' ? 'en' : 'az');
      res.redirect(303, `/applicant/contracts/${row.id}/payment/${encodeURIComponent(started.agentPaymentId)}`);
    } catch (err) {
      return redirectWithAlert(req, res, `/applicant/contracts/${row.id}`, localizeReason(res, stepRefusal(err).message, stepRefusal(err).params));
    }
  });

  router.get('/applicant/contracts/:id/payment/:payment', requirePageActor('applicant'), async (req, res) => {
    const row = await loadOwn(req);
    await renderPaymentHandoff(req, res, deps, row, String(req.params.payment), `/applicant/contracts/${row.id}`);
  });

  // R4.4.2: the applicant confirms (or declines) a change of price.
  router.post('/applicant/contracts/:id/price-change', requirePageActor('applicant'), async (req: Request, res: Response) => {
    const row = await loadOwn(req);
    const answer = formBody(req).consent;
    if (answer !== 'yes' && answer !== 'no') return redirectWithAlert(req, res, `/applicant/contracts/${row.id}`, t(res, 'priceChange.legend'));
    const consent = answer === 'yes';
    try {
      await gateway.respondToPriceChange(row.id, actorOf(req), consent);
    } catch (err) {
      return redirectWithAlert(req, res, `/applicant/contracts/${row.id}`, localizeReason(res, stepRefusal(err).message, stepRefusal(err).params));
    }
    const after = await loadVisibleContract(db, actorOf(req), row.id);
    const done = !consent ? 'done.declined' : after.view.amendment ? 'done.consented' : 'done.consentedApplied';
    return redirectWithNotice(req, res, `/applicant/contracts/${row.id}`, t(res, done));
  });

  return router;
}
