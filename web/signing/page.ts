/**
 * The order's electronic signature on the pages (issue 13): "İmzala" on the contract page asks the
 * lawyer's phone; this page shows the code the phone shows too and follows the signing until it
 * ends; the bureau head's "Büro nüsxəsini təsdiqlə". The pages call api/signing's service only.
 */
import { type Request, type Response, Router } from 'express';
import { confirmBureauCopy, orderSignatureState, type OrderSignatureInfo, requestOrderSignature } from '../../api/signing/service';
import { loadVisibleContract } from '../../api/contract/service';
import type { Actor } from '../../domain/shared/actor';
import { formatDate, formatTime } from '../../domain/shared/dates';
import type { WebDeps } from '../shared/deps';
import { localizeReason, redirectWithAlert, redirectWithNotice, stepRefusal } from '../shared/feedback';
import { requirePageActor } from '../shared/guard';
import { renderPage, t } from '../shared/render';

const when = (iso: string | undefined) => (iso ? `${formatDate(iso)} ${formatTime(iso)}` : '');

/** What the contract page shows of one version's signature, and which buttons. */
export function signatureForPage(
  res: Response,
  actor: Actor,
  contract: { id: string; lawyerId: string; bureauId: string },
  info: OrderSignatureInfo | undefined,
  current: boolean,
) {
  const isLawyer = actor.kind === 'lawyer' && actor.id === contract.lawyerId;
  const isHead = actor.kind === 'lawyer' && actor.isHead === true && actor.bureauId === contract.bureauId;
  const status = info?.status ?? 'unsigned';
  return {
    status,
    line:
      status === 'signed'
        ? t(res, 'signing.page.signedBy', { name: info?.signerName ?? '', at: when(info?.signedAt) })
        : status === 'pending'
          ? t(res, 'signing.page.pending')
          : t(res, 'signing.page.unsigned'),
    signedOrderUrl: info?.signedOrderUrl,
    canSign: isLawyer && current && status !== 'signed',
    signHref: `/contracts/${encodeURIComponent(contract.id)}/versions/${info?.version ?? 0}/sign`,
    headConfirmation: info?.headConfirmation
      ? t(res, 'signing.page.headConfirmed', { name: info.headConfirmation.name, at: when(info.headConfirmation.at) })
      : undefined,
    canConfirm: isHead && !info?.headConfirmation,
    confirmHref: `/contracts/${encodeURIComponent(contract.id)}/versions/${info?.version ?? 0}/bureau-copy`,
  };
}

export function signingPages(deps: WebDeps): Router {
  const router = Router();
  const lawyer = requirePageActor('lawyer');
  const at = (req: Request) => ({ id: String(req.params.id), version: Number(req.params.version) });
  const actorOf = (req: Request): Actor => {
    const a = req.session.actor!;
    return { kind: a.kind, id: a.id, bureauId: a.bureauId, isHead: a.isHead };
  };
  const back = (id: string) => `/contracts/${encodeURIComponent(id)}#docs-h`;
  const refused = (req: Request, res: Response, id: string, err: unknown) => {
    const http = stepRefusal(err);
    return redirectWithAlert(req, res, back(id), localizeReason(res, http.message, http.params));
  };

  // "İmzala": the phone is asked; the next page shows its code.
  router.post('/contracts/:id/versions/:version/sign', lawyer, async (req, res) => {
    const { id, version } = at(req);
    // Someone who may not see the contract learns nothing (404), before any step.
    await loadVisibleContract(deps.db, actorOf(req), id);
    try {
      const answer = await requestOrderSignature(deps, actorOf(req), id, version);
      if (answer.status === 'signed') return redirectWithNotice(req, res, back(id), t(res, 'signing.page.done'));
    } catch (err) {
      return refused(req, res, id, err);
    }
    res.redirect(303, `/contracts/${encodeURIComponent(id)}/versions/${version}/sign`);
  });

  router.get('/contracts/:id/versions/:version/sign', lawyer, async (req, res) => {
    const { id, version } = at(req);
    const state = await orderSignatureState(deps, actorOf(req), id, version);
    if (state.status === 'signed') return redirectWithNotice(req, res, back(id), t(res, 'signing.page.done'));
    // Waiting for the phone: the page looks again by itself.
    if (state.status === 'pending') res.setHeader('Refresh', '2');
    renderPage(req, res, 'signing/wait', {
      title: t(res, 'signing.page.title'),
      section: 'contracts',
      contractHref: back(id),
      signHref: `/contracts/${encodeURIComponent(id)}/versions/${version}/sign`,
      pending: state.status === 'pending',
      verificationCode: state.verificationCode,
      ended: state.status === 'refused' || state.status === 'expired' ? t(res, `signing.page.${state.status}`) : undefined,
    });
  });

  router.post('/contracts/:id/versions/:version/bureau-copy', lawyer, async (req, res) => {
    const { id, version } = at(req);
    await loadVisibleContract(deps.db, actorOf(req), id);
    try {
      await confirmBureauCopy(deps.db, actorOf(req), id, version);
    } catch (err) {
      return refused(req, res, id, err);
    }
    return redirectWithNotice(req, res, back(id), t(res, 'signing.page.headConfirmedNotice'));
  });

  return router;
}
