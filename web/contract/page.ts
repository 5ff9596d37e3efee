/**
 * The contract page of a lawyer and a bureau head (R4.2, R4.4, R4.7): what the contract says, its
 * history in plain sentences, its documents, and the steps this person may take now — approval
 * ("Təsdiqlə", "Rədd et", "Ödəniş edilib"), the Bar fee, amendments ("Müqaviləyə düzəliş et"),
 * and the archive ("Bitir", "Xitam ver", "İşi yenidən başlat").
 *
 * Every read and decision goes through the API's services (api/contract/service.ts,
 * api/payment/service.ts) and the ContractGateway; who may do what comes from the rules module
 * (`allowedActions`), so the page offers only what the workflow will accept. What the page shows
 * is computed by ./presenters.ts, the amendment form by ./amendment-form.ts.
 */
import 'express-session';
import { type Request, type Response, Router } from 'express';
import { type Actor, type ContractAction, type FieldError, formatAzn, parseAznToQepik } from '../../domain/contract';
import { type ContractRow, contractDetails, institutionList, lawyerNames, loadVisibleContract } from '../../api/contract/service';
import { notFound } from '../../api/http/errors';
import { openPaymentRequest, paymentOutcome, startPayment } from '../../api/payment/service';
import type { Locale } from '../shared/i18n';
import { describe } from '../../locales';
import { dossierForPage } from '../dossier/page';
import { courtForPage } from '../court/page';
import { renderPage, t } from '../shared/render';
import type { WebDeps } from '../shared/deps';
import { requirePageActor } from '../shared/guard';
import { orderSignaturesOf } from '../../api/signing/service';
import { signatureForPage } from '../signing/page';
import { localizeReason, redirectWithAlert, redirectWithNotice, stepRefusal, takeAlert, takeNotice, translator } from '../shared/feedback';
import { formBody, formText } from '../shared/form';
import { type AmendValues, amendmentFrom, amendValuesFrom, amendValuesOf, formFieldOf, hasProtectedPerson, openSections } from './amendment-form';
import { fieldText } from './field-text';
import { amendmentRows, documentsPending, formatDateTime, formatUtc, historySentences, paymentReason, termsSections, whoOf } from './presenters';

/**
 * The hand-over page to the payment agent. The cabinet's Content-Security-Policy (`form-action
 * 'self'`) makes Chromium refuse a form whose answer redirects to another site, so "Ödə" redirects
 * here (same site) and this page sends the browser on with a Refresh header and a plain link.
 */
export async function renderPaymentHandoff(req: Request, res: Response, deps: WebDeps, row: ContractRow, agentPaymentId: string, backHref: string) {
  const request = await openPaymentRequest(deps.db, row.id, agentPaymentId);
  if (!request) throw notFound();
  const actor = req.session.actor!;
  if ((actor.kind === 'applicant') !== (request.kind === 'contract')) throw notFound();
  const url = request.paymentPageUrl;
  res.setHeader('Refresh', `2; url=${url}`);
  renderPage(req, res, 'contract/payment-handoff', {
    title: t(res, 'handoff.title'),
    section: actor.kind === 'applicant' ? 'applicant' : 'contracts',
    amount: formatAzn(request.amountQepik),
    paymentPageUrl: url,
    terminalCode: request.terminalCode,
    backHref,
  });
}

// ---------------------------------------------------------------- the pages

const REASON_FIELDS = { reject: 'rejectReason', terminate: 'terminateReason', rejectAmendment: 'amendmentRejectReason' } as const;
type ReasonStep = keyof typeof REASON_FIELDS;

export function contractPages(deps: WebDeps): Router {
  const { db, gateway } = deps;
  const router = Router();
  const contractId = (req: Request) => String(req.params.id);
  const actorOf = (req: Request): Actor => {
    const a = req.session.actor!;
    return { kind: a.kind, id: a.id, bureauId: a.bureauId, isHead: a.isHead };
  };
  const localeOf = (res: Response): Locale => (res.locals.locale === 'en' ? 'en' : 'az');

  async function showContract(
    req: Request,
    res: Response,
    row: ContractRow,
    extra: { errors?: FieldError[]; values?: Record<string, string>; open?: Record<string, boolean>; alert?: string } = {},
    status = 200,
  ) {
    const actor = actorOf(req);
    const tr = translator(res);
    const details = await contractDetails(db, actor, row);
    const view = row.view;
    const allowed = new Set<ContractAction>(details.allowedActions);
    const names = await lawyerNames(db, [view.lawyerId, ...view.history.map((h) => h.by), view.amendment?.proposedBy]);
    const outcome = await paymentOutcome(db, row, typeof req.query.payment === 'string' ? req.query.payment : undefined);
    const pendingDocs = documentsPending(view, details.documents.length);
    if (outcome?.kind === 'confirming' || pendingDocs) res.setHeader('Refresh', '4');

    const amendment =
      view.amendment && view.terms
        ? {
            awaitingConsent: view.amendment.status === 'awaiting_consent',
            proposed: tr('amendment.proposed', {
              who: whoOf(tr, view.amendment.proposedBy, names, row.applicant_account_id ?? undefined),
              at: formatDateTime(view.amendment.proposedAt),
            }),
            note: view.amendment.note,
            rows: amendmentRows(tr, view.terms, view.amendment.changes, { forApplicant: false }),
          }
        : undefined;
    const failure = view.lastPaymentFailure;
    const signatures = await orderSignaturesOf(db, row.id);
    const archived = view.status === 'finished' || view.status === 'terminated';
    renderPage(
      req,
      res,
      'contract/show',
      {
        title: tr('contractPage.title', { number: view.contractNumber }),
        section: 'contracts',
        contract: { id: row.id, number: view.contractNumber, status: view.status, statusLabel: tr(`status.${view.status}`) },
        alert: extra.alert ?? takeAlert(req),
        flash: takeNotice(req, res),
        outcome: outcome?.kind === 'failed' ? { ...outcome, reason: paymentReason(tr, outcome.reason) } : outcome,
        failure:
          failure && (!outcome || outcome.kind !== 'failed')
            ? { reason: paymentReason(tr, failure.reason), retry: failure.kind === 'bar_fee' && allowed.has('payBarFee') }
            : undefined,
        pendingDocs,
        archived: view.status === 'finished' || view.status === 'terminated',
        sections: termsSections(tr, view, { forApplicant: false, lawyerName: names.get(view.lawyerId) ?? '' }),
        rejection: view.status === 'draft' && view.rejection ? tr('contractPage.rejectedBecause', { reason: view.rejection.reason }) : undefined,
        history: historySentences(tr, view.history, names, { applicantAccountId: row.applicant_account_id ?? undefined, forApplicant: false }),
        documents: details.documents.map((d) => ({
          ...d,
          issuedAtText: formatDateTime(String(d.issuedAt instanceof Date ? d.issuedAt.toISOString() : d.issuedAt)),
          // Issue 13: the electronic signature and the head's confirmation of the bureau's copy.
          signature: signatureForPage(
            res,
            actor,
            { id: row.id, lawyerId: row.lawyer_id, bureauId: row.bureau_id },
            signatures.get(d.version),
            !d.superseded && !archived,
          ),
        })),
        amendment,
        // Issue 9 item 6: every reasoned access of the Bar office, for the lawyer and the head.
        barOfficeAccesses: details.barOfficeAccesses?.map((a) => ({ ...a, atText: formatUtc(a.at) })),
        dossier: await dossierForPage(deps, actor, row, res),
        court: courtForPage(res, view, allowed),
        can: {
          wizard: view.status === 'draft' && allowed.has('saveDraft'),
          approve: allowed.has('approve'),
          reject: allowed.has('reject'),
          payBarFee: allowed.has('payBarFee'),
          amend: allowed.has('proposeAmendment'),
          approveAmendment: allowed.has('approveAmendment'),
          rejectAmendment: allowed.has('rejectAmendment'),
          finish: allowed.has('finish'),
          terminate: allowed.has('terminate'),
          restart: allowed.has('restart'),
        },
        anyAction: ['saveDraft', 'approve', 'payBarFee', 'proposeAmendment', 'finish', 'terminate', 'restart'].some((a) => allowed.has(a as ContractAction)),
        errors: extra.errors,
        values: extra.values ?? {},
        open: extra.open ?? {},
      },
      status,
    );
  }

  /** Runs a decision; a refusal comes back as the reason (409) or at its field (400), never as a crash. */
  async function decide(req: Request, res: Response, run: (id: string, actor: Actor) => Promise<unknown>, done: string, reasonStep?: ReasonStep) {
    const id = contractId(req);
    const actor = actorOf(req);
    const row = await loadVisibleContract(db, actor, id);
    const reasonField = reasonStep ? REASON_FIELDS[reasonStep] : undefined;
    const reason = reasonField ? formText(formBody(req)[reasonField]) : '';
    const reasonError = (message?: string) => {
      const errors = [{ field: reasonField!, code: 'contract.reason_required', message: message ?? describe(localeOf(res), 'contract.reason_required') }];
      return showContract(req, res, row, { errors, values: { [reasonField!]: reason }, open: { [reasonStep!]: true } }, 400);
    };
    if (reasonField && reason.trim() === '') return reasonError();
    try {
      await run(id, actor);
    } catch (err) {
      const http = stepRefusal(err);
      if (http.status === 400 && reasonField) return reasonError(localizeReason(res, http.message, http.params));
      return redirectWithAlert(req, res, `/contracts/${id}`, localizeReason(res, http.message, http.params));
    }
    return redirectWithNotice(req, res, `/contracts/${id}`, t(res, done));
  }

  router.get('/contracts/:id', requirePageActor('lawyer'), async (req, res) => {
    const row = await loadVisibleContract(db, actorOf(req), contractId(req));
    if (row.view.status === 'discarded') throw notFound();
    await showContract(req, res, row);
  });

  // R4.2.1 / R4.2.2: "Təsdiqlə", with "Ödəniş edilib" ticked → approve as already paid, then the Bar fee.
  router.post('/contracts/:id/approve', requirePageActor('lawyer'), async (req, res) => {
    const alreadyPaid = formBody(req).alreadyPaid === 'on';
    if (!alreadyPaid) return decide(req, res, (id, actor) => gateway.approve(id, actor), 'done.approved');
    const id = contractId(req);
    const actor = actorOf(req);
    await loadVisibleContract(db, actor, id);
    try {
      await gateway.approveAsAlreadyPaid(id, actor);
    } catch (err) {
      return redirectWithAlert(req, res, `/contracts/${id}`, localizeReason(res, stepRefusal(err).message, stepRefusal(err).params));
    }
    // The manual: approving as paid sends the head straight on to the payment agent for the 20.50 AZN fee.
    return payBarFee(req, res, t(res, 'done.approvedAsPaid'));
  });

  async function payBarFee(req: Request, res: Response, flashOnFailure?: string) {
    const id = contractId(req);
    try {
      const started = await startPayment(deps, actorOf(req), id, localeOf(res));
      res.redirect(303, `/contracts/${id}/payment/${encodeURIComponent(started.agentPaymentId)}`);
    } catch (err) {
      const http = stepRefusal(err);
      if (flashOnFailure) req.session.flash = flashOnFailure;
      return redirectWithAlert(req, res, `/contracts/${id}`, localizeReason(res, http.message, http.params));
    }
  }

  router.post('/contracts/:id/bar-fee', requirePageActor('lawyer'), async (req, res) => {
    await loadVisibleContract(db, actorOf(req), contractId(req));
    await payBarFee(req, res);
  });

  router.get('/contracts/:id/payment/:payment', requirePageActor('lawyer'), async (req, res) => {
    const row = await loadVisibleContract(db, actorOf(req), contractId(req));
    await renderPaymentHandoff(req, res, deps, row, String(req.params.payment), `/contracts/${row.id}`);
  });

  router.post('/contracts/:id/reject', requirePageActor('lawyer'), (req, res) =>
    decide(req, res, (id, actor) => gateway.reject(id, actor, String(formBody(req).rejectReason).trim()), 'done.rejected', 'reject'),
  );
  router.post('/contracts/:id/amendment/approve', requirePageActor('lawyer'), (req, res) =>
    decide(req, res, (id, actor) => gateway.approveAmendment(id, actor), 'done.amendmentApproved'),
  );
  router.post('/contracts/:id/amendment/reject', requirePageActor('lawyer'), (req, res) =>
    decide(
      req,
      res,
      (id, actor) => gateway.rejectAmendment(id, actor, String(formBody(req).amendmentRejectReason).trim()),
      'done.amendmentRejected',
      'rejectAmendment',
    ),
  );
  router.post('/contracts/:id/finish', requirePageActor('lawyer'), (req, res) => decide(req, res, (id, actor) => gateway.finish(id, actor), 'done.finished'));
  router.post('/contracts/:id/terminate', requirePageActor('lawyer'), (req, res) =>
    decide(req, res, (id, actor) => gateway.terminate(id, actor, String(formBody(req).terminateReason).trim()), 'done.terminated', 'terminate'),
  );
  router.post('/contracts/:id/restart', requirePageActor('lawyer'), (req, res) =>
    decide(req, res, (id, actor) => gateway.restart(id, actor), 'done.restarted'),
  );

  // ------------------------------------------------------------ "Müqaviləyə düzəliş et" (R4.4)

  async function showAmendForm(
    req: Request,
    res: Response,
    row: ContractRow,
    values: AmendValues,
    extra: { errors?: FieldError[]; alert?: string } = {},
    status = 200,
  ) {
    const terms = row.view.terms!;
    const actor = actorOf(req);
    const institutions = await institutionList(db);
    const holders = [...values.holders.filter((h) => h.trim() !== ''), ''];
    const errors = extra.errors ?? [];
    renderPage(
      req,
      res,
      'contract/amend',
      {
        title: `${t(res, 'amend.title')} · ${row.number}`,
        section: 'contracts',
        contract: { id: row.id, number: row.number },
        isHead: actor.isHead === true && actor.bureauId === row.bureau_id,
        values,
        holders: holders.map((value, i) => ({ value, n: i + 1, id: i === 0 ? 'f-holders' : `f-holders-${i + 1}` })),
        institutions: institutions.map((i) => ({ ...i, selected: i.id === values.institutionId })),
        otherSelected: values.institutionId === 'other',
        twoInstalments: values.plan === 'two_instalments',
        rest: (() => {
          const total = parseAznToQepik(values.totalAzn);
          const first = parseAznToQepik(values.firstAzn);
          return total !== undefined && first !== undefined && first < total ? formatAzn(total - first) : '—';
        })(),
        hasProtectedPerson: hasProtectedPerson(terms),
        open: openSections(values, terms, errors),
        errors: errors.length > 0 ? errors : undefined,
        alert: extra.alert,
      },
      status,
    );
  }

  router.get('/contracts/:id/amend', requirePageActor('lawyer'), async (req, res) => {
    const actor = actorOf(req);
    const row = await loadVisibleContract(db, actor, contractId(req));
    const { allowedActions } = await contractDetails(db, actor, row);
    if (!allowedActions.includes('proposeAmendment') || !row.view.terms) {
      return redirectWithAlert(
        req,
        res,
        `/contracts/${row.id}`,
        row.view.amendment ? localizeReason(res, 'contract.amendment_pending') : localizeReason(res, 'contract.amend_not_active', { status: row.view.status }),
      );
    }
    await showAmendForm(req, res, row, amendValuesOf(row.view.terms));
  });

  router.post('/contracts/:id/amend', requirePageActor('lawyer'), async (req, res) => {
    const actor = actorOf(req);
    const row = await loadVisibleContract(db, actor, contractId(req));
    const terms = row.view.terms;
    if (!terms) return redirectWithAlert(req, res, `/contracts/${row.id}`, localizeReason(res, 'contract.amend_not_active', { status: row.view.status }));
    const tr = translator(res);
    const values = amendValuesFrom(formBody(req));
    const institutions = await institutionList(db);
    const { changes, errors } = amendmentFrom(values, terms, institutions, localeOf(res));
    if (errors.length > 0) return showAmendForm(req, res, row, values, { errors }, 400);
    if (Object.keys(changes).length === 0) return showAmendForm(req, res, row, values, { alert: tr('amend.nothingChanged') }, 400);
    try {
      await gateway.proposeAmendment(row.id, actor, changes, values.note.trim() || undefined);
    } catch (err) {
      const http = stepRefusal(err);
      if (http.status === 400 && http.fields?.length) {
        const fieldErrors = http.fields.map((f) => {
          const field = formFieldOf(f.field, values);
          return { field, code: f.code, message: fieldText(localeOf(res), f) };
        });
        return showAmendForm(req, res, row, values, { errors: fieldErrors }, 400);
      }
      return showAmendForm(req, res, row, values, { alert: localizeReason(res, http.message, http.params) }, http.status);
    }
    const after = await loadVisibleContract(db, actor, row.id);
    const done =
      after.view.amendment?.status === 'awaiting_consent' ? 'done.amendToApplicant' : after.view.amendment ? 'done.amendToHead' : 'done.amendApplied';
    return redirectWithNotice(req, res, `/contracts/${row.id}`, t(res, done));
  });

  return router;
}
