/**
 * "İşi göndər" on the contract page (R4.6): the court case number and "Göndər", and the list of
 * the court cases the lawyer was sent to join — "gözlənilir" while e-court has not answered (the
 * page refreshes itself), "qoşuldu" once joined with the order attached, or the reason why not.
 */
import type { Request, Response } from 'express';
import { Router } from 'express';
import type { Actor, ContractAction } from '../../domain/contract';
import { loadVisibleContract } from '../../api/contracts';
import type { ContractView, CourtFiling } from '../../workflows/contract-messages';
import { addTranslations } from '../i18n';
import { t } from '../render';
import { requirePageActor, type WebDeps } from '../router';
import { localizeReason, redirectWithAlert, redirectWithNotice, stepRefusal } from './contract';

addTranslations({
  'court.title': { az: 'İşi göndər', en: 'Send the case to court' },
  'court.intro': {
    az: 'Məhkəmədə mövcud olan işin nömrəsini daxil edin: siz e-məhkəmədə həmin işə qoşulacaqsınız və order işə əlavə olunacaq. Hüquqları qorunan şəxs həmin işin tərəfi olmalıdır.',
    en: 'Enter the number of an existing court case: you are joined to it in e-court and the order is attached. The protected party must be a party to that case.',
  },
  'court.caseNumber': { az: 'Məhkəmə işinin nömrəsi', en: 'Court case number' },
  'court.caseNumberHint': { az: 'Məsələn: 2(006)-1043/2026', en: 'For example: 2(006)-1043/2026' },
  'court.send': { az: 'Göndər', en: 'Send' },
  'court.sent': { az: 'İş e-məhkəməyə göndərildi; cavab gözlənilir.', en: 'Sent to e-court; waiting for its answer.' },
  'court.filings': { az: 'Məhkəmə işləri', en: 'Court cases' },
  'court.pending': { az: 'gözlənilir', en: 'pending' },
  'court.pendingHint': {
    az: 'E-məhkəmənin cavabı gözlənilir; sistem cavab alana qədər təkrar cəhd edir. Səhifə bir neçə saniyədən sonra özü yenilənəcək.',
    en: 'Waiting for e-court; the system keeps trying until it answers. The page refreshes itself in a few seconds.',
  },
  'court.joined': { az: 'qoşuldu', en: 'joined' },
  'court.failed': { az: 'alınmadı', en: 'failed' },
  'court.order': { az: 'Order № {number}', en: 'Order No {number}' },
  'court.orders': { az: 'Əlavə olunmuş orderlər: {numbers}', en: 'Orders attached: {numbers}' },
  'court.reason.CourtCaseNotFound': { az: 'E-məhkəmədə bu nömrəli iş tapılmadı. Nömrəni yoxlayıb yenidən göndərin.', en: 'E-court has no case with this number. Check the number and send again.' },
  'court.reason.NotAPartyToCase': { az: 'Hüquqları qorunan şəxs bu işin tərəfi deyil.', en: 'The protected party is not a party to this case.' },
  'court.reason.ECourtRejected': { az: 'E-məhkəmə müraciəti qəbul etmədi: {reason}', en: 'E-court refused the filing: {reason}' },
  'court.reason.ECourtUnavailable': { az: 'E-məhkəmə müraciəti qəbul etmədi: {reason}', en: 'E-court did not accept the filing: {reason}' },
  'court.error.required': { az: 'Məhkəmə işinin nömrəsini daxil edin.', en: 'Enter the court case number.' },
  'court.error.invalid': { az: 'Bu, məhkəmə işinin nömrəsinə oxşamır.', en: 'This does not look like a court case number.' },
  'court.error.already': { az: 'Bu iş artıq e-məhkəməyə göndərilib.', en: 'This case was already sent to court.' },
  'history.court_filing_requested': { az: '{who} işi e-məhkəməyə göndərdi: {detail}.', en: '{who} sent the case to court: {detail}.' },
  'history.court_joined': { az: 'Vəkil e-məhkəmədə işə qoşuldu və order əlavə olundu: {detail}.', en: 'The lawyer was joined to the court case and the order attached: {detail}.' },
  'history.court_filing_failed': { az: 'E-məhkəmə müraciəti alınmadı: {detail} (səbəb “İşi göndər” bölməsindədir).', en: 'The court filing failed: {detail} (the reason is under “Send the case to court”).' },
});

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

/** The step's refusal in the page's words: the case-number field's own messages, else the rules'. */
function refusalText(res: Response, message: string): string {
  if (res.locals.locale !== 'en') {
    if (/^Enter the court case number/.test(message)) return t(res, 'court.error.required');
    if (/^This does not look like a court case number/.test(message)) return t(res, 'court.error.invalid');
    if (/was already sent to court/.test(message)) return t(res, 'court.error.already');
  }
  return localizeReason(res, message);
}

export function courtFilingPages(deps: WebDeps): Router {
  const { db, gateway } = deps;
  const router = Router();
  const actorOf = (req: Request): Actor => {
    const a = req.session.actor!;
    return { kind: a.kind, id: a.id, bureauId: a.bureauId, isHead: a.isHead };
  };

  router.post('/contracts/:id/court-filings', requirePageActor('lawyer'), async (req, res) => {
    const id = String(req.params.id);
    const actor = actorOf(req);
    await loadVisibleContract(db, actor, id);
    const caseNumber = String(req.body?.caseNumber ?? '');
    try {
      await gateway.sendToCourt(id, actor, caseNumber);
    } catch (err) {
      return redirectWithAlert(req, res, `/contracts/${id}`, refusalText(res, stepRefusal(err).message));
    }
    return redirectWithNotice(req, res, `/contracts/${id}`, t(res, 'court.sent'));
  });

  return router;
}
