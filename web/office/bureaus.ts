/**
 * The Bar office's dashboard (issue 11: what waits for the office, a count and a link per source)
 * and the bureaus of the register (R2.1 ii, R2.2): the list, "Yeni büro", a bureau's page with its
 * head, members, payment-agent contract and history, and its form.
 */
import { dateInputValue, formatDate } from '../../domain/shared/dates';
import { type Request, type Response, Router } from 'express';
import { currentActor } from '../../api/auth/actor';
import { HttpError, localizedFields } from '../../api/http/errors';
import { bureauDetails, type BureauView, createBureau, listBureaus, updateBureau } from '../../api/office/bureaus';
import { officeDashboard } from '../../api/office/dashboard';
import { bakuToday } from '../../domain/access';
import type { BureauInput } from '../../domain/office';
import type { WebDeps } from '../shared/deps';
import { redirectWithFlash, takeAlert } from '../shared/feedback';
import { formBody, formText } from '../shared/form';
import { requirePageActor } from '../shared/guard';
import type { Locale } from '../shared/i18n';
import { renderPage, t } from '../shared/render';
import { historyLines } from './register';

const localeOf = (res: Response): Locale => (res.locals.locale === 'en' ? 'en' : 'az');
const noStore = (res: Response) => res.setHeader('Cache-Control', 'no-store');

function typedBureau(req: Request): BureauInput & { headId: string } {
  const body = formBody(req);
  return {
    name: formText(body.name),
    address: formText(body.address),
    agentContractNumber: formText(body.agentContractNumber),
    agentContractValidFrom: formText(body.agentContractValidFrom),
    agentContractValidTo: formText(body.agentContractValidTo),
    headId: formText(body.headId),
  };
}

function contractText(res: Response, b: Pick<BureauView, 'agentContract' | 'agentContractValid'>): string {
  if (!b.agentContract) return t(res, 'register.bureau.noContract');
  const period = t(res, b.agentContract.validTo ? 'register.bureau.period' : 'register.bureau.periodOpen', {
    number: b.agentContract.number,
    from: formatDate(b.agentContract.validFrom),
    to: formatDate(b.agentContract.validTo),
  });
  return `${period} — ${t(res, b.agentContractValid ? 'register.bureau.valid' : 'register.bureau.invalid')}`;
}

export function bureauPages(deps: WebDeps): Router {
  const { db } = deps;
  const router = Router();
  const guard = requirePageActor('admin');

  router.get('/admin/dashboard', guard, async (req, res) => {
    const items = await officeDashboard(db);
    noStore(res);
    renderPage(req, res, 'office/dashboard', {
      title: t(res, 'dashboard.title'),
      section: 'office-dashboard',
      items: items.map((i) => ({ ...i, label: t(res, `dashboard.${i.key}`), waiting: i.count > 0 })),
    });
  });

  router.get('/admin/bureaus', guard, async (req, res) => {
    const today = bakuToday();
    const filter = req.query.contract === 'invalid' || req.query.contract === 'ending' ? req.query.contract : undefined;
    const soon = new Date(Date.parse(`${today}T00:00:00Z`) + 30 * 86_400_000).toISOString().slice(0, 10);
    const bureaus = (await listBureaus(db, today)).filter((b) =>
      filter === 'invalid'
        ? !b.agentContractValid
        : filter === 'ending'
          ? b.agentContractValid && !!b.agentContract?.validTo && b.agentContract.validTo <= soon
          : true,
    );
    noStore(res);
    renderPage(req, res, 'office/bureaus', {
      title: t(res, 'register.bureaus.title'),
      section: 'office-dashboard',
      filtered: Boolean(filter),
      bureaus: bureaus.map((b) => ({
        ...b,
        contract: contractText(res, b),
        kind: t(res, b.individual ? 'register.bureau.kindIndividual' : 'register.bureau.kindBureau'),
      })),
    });
  });

  async function showForm(
    req: Request,
    res: Response,
    view: { id?: string; values: BureauInput & { headId: string }; errors?: ReturnType<typeof localizedFields> },
    status = 200,
  ) {
    const members = view.id ? (await bureauDetails(db, view.id)).members : [];
    noStore(res);
    renderPage(
      req,
      res,
      'office/bureau-form',
      {
        title: t(res, view.id ? 'register.bureau.editTitle' : 'register.bureau.newTitle'),
        section: 'office-dashboard',
        action: view.id ? `/admin/bureaus/${encodeURIComponent(view.id)}` : '/admin/bureaus',
        cancel: view.id ? `/admin/bureaus/${encodeURIComponent(view.id)}` : '/admin/bureaus',
        values: view.values,
        members: members.map((m) => ({ id: m.id, label: m.name, selected: m.id === view.values.headId })),
        errors: view.errors,
      },
      status,
    );
  }

  router.get('/admin/bureaus/new', guard, (req, res) =>
    showForm(req, res, { values: { name: '', address: '', agentContractNumber: '', agentContractValidFrom: '', agentContractValidTo: '', headId: '' } }),
  );

  router.post('/admin/bureaus', guard, async (req, res) => {
    const { headId: _none, ...values } = typedBureau(req);
    try {
      const id = await db.transaction((trx) => createBureau(trx, currentActor(req), values));
      await redirectWithFlash(req, res, `/admin/bureaus/${encodeURIComponent(id)}`, t(res, 'register.saved.bureauAdded'));
    } catch (err) {
      if (!(err instanceof HttpError) || err.status !== 400) throw err;
      await showForm(req, res, { values: { ...values, headId: '' }, errors: localizedFields(localeOf(res), err.fields ?? []) }, 400);
    }
  });

  router.get('/admin/bureaus/:id', guard, async (req, res) => {
    const bureau = await bureauDetails(db, String(req.params.id));
    noStore(res);
    renderPage(req, res, 'office/bureau', {
      title: bureau.name,
      section: 'office-dashboard',
      alert: takeAlert(req),
      bureau,
      contract: contractText(res, bureau),
      kind: t(res, bureau.individual ? 'register.bureau.kindIndividual' : 'register.bureau.kindBureau'),
      edit: `/admin/bureaus/${encodeURIComponent(bureau.id)}/edit`,
      members: bureau.members.map((m) => ({ ...m, state: t(res, m.onActiveRegister ? 'register.list.active' : 'register.list.inactive') })),
      history: historyLines(res, bureau.history),
    });
  });

  router.get('/admin/bureaus/:id/edit', guard, async (req, res) => {
    const b = await bureauDetails(db, String(req.params.id));
    await showForm(req, res, {
      id: b.id,
      values: {
        name: b.name,
        address: b.address,
        agentContractNumber: b.agentContract?.number ?? '',
        agentContractValidFrom: dateInputValue(b.agentContract?.validFrom),
        agentContractValidTo: dateInputValue(b.agentContract?.validTo),
        headId: b.head?.id ?? '',
      },
    });
  });

  router.post('/admin/bureaus/:id', guard, async (req, res) => {
    const id = String(req.params.id);
    const { headId, ...values } = typedBureau(req);
    try {
      await updateBureau(db, currentActor(req), id, values, headId);
      await redirectWithFlash(req, res, `/admin/bureaus/${encodeURIComponent(id)}`, t(res, 'register.saved.bureauChanged'));
    } catch (err) {
      if (!(err instanceof HttpError) || err.status !== 400) throw err;
      await showForm(req, res, { id, values: { ...values, headId }, errors: localizedFields(localeOf(res), err.fields ?? []) }, 400);
    }
  });

  return router;
}
