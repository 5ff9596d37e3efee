/**
 * R6 "Layihələr", the lawyer's first page after login: their current cases (not drafts, not the
 * archive) grouped by stage — pre-trial, first instance, appeal, cassation, other — with counts.
 * A case opens at its dossier; the stage is the lawyer's own classification, changed here
 * (`POST /projects/:id/stage`, by the case's lawyer or the bureau head) and kept in the read
 * model only (`contracts.stage`), never in the workflow.
 */
import { Router } from 'express';
import { ARCHIVED_STATUSES } from '../../domain/contract';
import { CONTRACT_STAGES, type ContractStage, isContractStage } from '../../domain/contract/stage';
import { HttpError } from '../../api/http/errors';
import type { WebDeps } from '../shared/deps';
import { redirectWithFlash } from '../shared/feedback';
import { requirePageActor } from '../shared/guard';
import { renderPage, t } from '../shared/render';

/** Cases shown per stage on the overview; "all" opens the stage on its own, paginated. */
const PER_STAGE = 20;
const PAGE_SIZE = 50;
const NOT_CURRENT = ['draft', 'discarded', ...ARCHIVED_STATUSES] as string[];


interface ProjectRow {
  id: string;
  number: string;
  status: string;
  stage: ContractStage;
  protected_party_name: string | null;
  institution_name: string | null;
  case_type: string | null;
  created_at: string;
}

export function projectsPage(deps: WebDeps): Router {
  const router = Router();
  const { db } = deps;
  const COLUMNS = ['id', 'number', 'status', 'stage', 'protected_party_name', 'institution_name', 'case_type', 'created_at'];

  router.get('/projects', requirePageActor('lawyer'), async (req, res) => {
    const actor = req.session.actor!;
    const mine = () => db('contracts').where({ lawyer_id: actor.id }).whereNotIn('status', NOT_CURRENT);
    const counts = new Map<string, number>(
      ((await mine().select('stage').count({ n: '*' }).groupBy('stage')) as { stage: string; n: string | number }[]).map((r) => [r.stage, Number(r.n)]),
    );
    const only = isContractStage(req.query.stage) ? req.query.stage : undefined;
    const page = Math.max(1, Math.floor(Number(req.query.page)) || 1);
    let rows: ProjectRow[];
    if (only) {
      rows = await mine().where({ stage: only }).orderBy([{ column: 'created_at', order: 'desc' }, { column: 'id', order: 'desc' }]).limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE).select(COLUMNS);
    } else {
      // The newest PER_STAGE of each stage, in one query.
      const ranked = mine()
        .select(COLUMNS)
        .select(db.raw('row_number() OVER (PARTITION BY stage ORDER BY created_at DESC, id DESC) AS rank'));
      rows = await db.from(ranked.as('ranked')).where('rank', '<=', PER_STAGE).orderBy([{ column: 'created_at', order: 'desc' }, { column: 'id', order: 'desc' }]).select(COLUMNS);
    }
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
    const row = (await db('contracts').where({ id: String(req.params.id) }).first('id', 'number', 'lawyer_id', 'bureau_id', 'status')) as
      | { id: string; number: string; lawyer_id: string; bureau_id: string; status: string }
      | undefined;
    // The case's lawyer, or the head of its bureau; anyone else learns nothing of it (R2.5).
    const allowed = row && (row.lawyer_id === actor.id || (actor.isHead === true && row.bureau_id === actor.bureauId));
    if (!row || !allowed) throw new HttpError(404, 'not_found', t(res, 'error.notFound'));
    const stage = req.body.stage;
    if (!isContractStage(stage)) throw new HttpError(400, 'invalid', t(res, 'error.generic'));
    if (NOT_CURRENT.includes(row.status)) throw new HttpError(409, 'conflict', t(res, 'projects.notNow'));
    await db('contracts').where({ id: row.id }).update({ stage });
    const back = typeof req.body.returnTo === 'string' && /^\/projects(\?[\w=&%-]*)?$/.test(req.body.returnTo) ? req.body.returnTo : '/projects';
    await redirectWithFlash(req, res, back, t(res, 'projects.changed', { number: row.number, stage: t(res, `stage.${stage}`) }));
  });

  return router;
}
