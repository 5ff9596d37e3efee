/**
 * R6 "Layihələr", the lawyer's first page after login: their current cases (not drafts, not the
 * archive) grouped by stage — pre-trial, first instance, appeal, cassation, other — with counts.
 * A case opens at its dossier; the stage is the lawyer's own classification, changed here
 * (`POST /projects/:id/stage`, by the case's lawyer or the bureau head) and kept in the read
 * model only (`contracts.stage`), never in the workflow.
 */
import { Router } from 'express';
import { projectsOf, setStage } from '../../api/contract/service';
import { HttpError } from '../../api/http/errors';
import { CONTRACT_STAGES, isContractStage } from '../../domain/contract/stage';
import type { WebDeps } from '../shared/deps';
import { redirectWithFlash } from '../shared/feedback';
import { requirePageActor } from '../shared/guard';
import { renderPage, t } from '../shared/render';
import { formBody } from '../shared/form';

/** Cases shown per stage on the overview; "all" opens the stage on its own, paginated. */
const PER_STAGE = 20;
const PAGE_SIZE = 50;

export function projectsPage(deps: WebDeps): Router {
  const router = Router();
  const { db } = deps;

  router.get('/projects', requirePageActor('lawyer'), async (req, res) => {
    const actor = req.session.actor!;
    const only = isContractStage(req.query.stage) ? req.query.stage : undefined;
    const page = Math.max(1, Math.floor(Number(req.query.page)) || 1);
    const { counts, rows } = await projectsOf(db, actor.id, { stage: only, page, pageSize: PAGE_SIZE, perStage: PER_STAGE });
    const stageOptions = (current: string) => CONTRACT_STAGES.map((s) => ({ value: s, label: t(res, `stage.${s}`), selected: s === current }));
    const stages = CONTRACT_STAGES.filter((s) => !only || s === only).map((s) => {
      const count = counts.get(s) ?? 0;
      const cases = rows.filter((r) => r.stage === s);
      const pages = Math.max(1, Math.ceil(count / PAGE_SIZE));
      return {
        id: s,
        label: t(res, `stage.${s}`),
        count,
        more: !only && count > cases.length ? `/projects?stage=${s}` : undefined,
        previousHref: only && page > 1 ? `/projects?stage=${s}&page=${page - 1}` : undefined,
        nextHref: only && page < pages ? `/projects?stage=${s}&page=${page + 1}` : undefined,
        cases: cases.map((r) => ({
          ...r,
          href: `/contracts/${r.id}#dossier`,
          statusLabel: t(res, `status.${r.status}`),
          caseTypeLabel: r.case_type ? t(res, `caseType.${r.case_type}`) : '',
          stages: stageOptions(r.stage),
        })),
      };
    });
    renderPage(req, res, 'projects', {
      title: t(res, 'projects.title'),
      section: 'projects',
      summary: CONTRACT_STAGES.map((s) => ({ id: s, label: t(res, `stage.${s}`), count: counts.get(s) ?? 0, current: s === only })),
      total: [...counts.values()].reduce((a, b) => a + b, 0),
      stages,
      only,
      returnTo: req.originalUrl,
    });
  });

  router.post('/projects/:id/stage', requirePageActor('lawyer'), async (req, res) => {
    const actor = req.session.actor!;
    let row;
    try {
      row = await setStage(db, { kind: 'lawyer', id: actor.id, bureauId: actor.bureauId, isHead: actor.isHead }, String(req.params.id), formBody(req).stage);
    } catch (err) {
      if (!(err instanceof HttpError)) throw err;
      // The page's own words: "not found" tells nothing of a case that is not the lawyer's (R2.5).
      const text = err.status === 404 ? 'error.notFound' : err.status === 400 ? 'error.generic' : 'projects.notNow';
      throw new HttpError(err.status, err.status === 404 ? 'not_found' : err.status === 400 ? 'invalid' : 'conflict', t(res, text));
    }
    const { returnTo } = formBody(req);
    const back = typeof returnTo === 'string' && /^\/projects(\?[\w=&%-]*)?$/.test(returnTo) ? returnTo : '/projects';
    await redirectWithFlash(req, res, back, t(res, 'projects.changed', { number: row.number, stage: t(res, `stage.${row.stage}`) }));
  });

  return router;
}
