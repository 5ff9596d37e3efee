/**
 * "Təyin olunan işlər" (SPEC R5): the lawyer's state-funded assignments in five sub-sections —
 * court cases, awaiting approval, current, archive, overview — with "Təsdiqlə", "İmtina et" (with a
 * reason) and "Bitdi" as the rules allow; and the Bar office's page (/admin) to assign a case to a
 * lawyer of the register. Decisions go through the AssignmentGateway, lists come from the read model.
 */
import { formatDate } from '../../domain/shared/dates';
import { type Request, type Response, Router } from 'express';
import { ASSIGNMENT_SECTIONS, ASSIGNMENT_STATUSES, type AssignmentInput, type AssignmentSection, type FieldError } from '../../domain/assignment';
import {
  assignmentChoices,
  assignmentGateway,
  assignmentInputOf,
  assignmentSummary,
  decideAssignment,
  lawyerNames,
  listAssignments,
} from '../../api/assignment/service';
import { currentActor } from '../../api/auth/actor';
import { HttpError, localizedFields } from '../../api/http/errors';
import { describe } from '../../locales';
import type { Locale } from '../shared/i18n';
import { renderPage, t } from '../shared/render';
import { redirectWithFlash } from '../shared/feedback';
import { formBody, formText } from '../shared/form';
import { requirePageActor } from '../shared/guard';
import type { WebDeps } from '../shared/deps';
import { asHttpError, redirectWithAlert, takeAlert } from '../shared/feedback';

const sectionLabel = (res: Response, s: AssignmentSection) => t(res, `assigned.section.${s}`);

export function assignedPages(deps: WebDeps): Router {
  const router = Router();
  const gateway = () => assignmentGateway(deps);
  const localeOf = (res: Response): Locale => (res.locals.locale as Locale | undefined) ?? 'az';

  async function rowsForPage(req: Request, res: Response, rows: Awaited<ReturnType<typeof listAssignments>>['rows']) {
    const actor = currentActor(req);
    const names = await lawyerNames(
      deps,
      rows.map((r) => r.lawyer_id),
    );
    return rows.map((r) => {
      const s = assignmentSummary(actor, r);
      return {
        ...s,
        lawyerName: names.get(r.lawyer_id) ?? r.lawyer_id,
        statusLabel: t(res, `assignment.status.${r.status}`),
        canApprove: s.allowedActions.includes('approve'),
        canDecline: s.allowedActions.includes('decline'),
        canComplete: s.allowedActions.includes('complete'),
      };
    });
  }

  // ---------------------------------------------------------------- the lawyer's section

  router.get('/assigned', requirePageActor('lawyer'), async (req, res) => {
    const actor = currentActor(req);
    const requested = (typeof req.query.tab === 'string' ? req.query.tab : 'court') as AssignmentSection;
    const tab: AssignmentSection = ASSIGNMENT_SECTIONS.includes(requested) ? requested : 'court';
    const list = await listAssignments(deps, actor, tab);
    const counts = ASSIGNMENT_STATUSES.map((s) => ({ status: s, label: t(res, `assignment.status.${s}`), count: list.counts[s] }));
    renderPage(req, res, 'assigned', {
      title: t(res, 'nav.assigned'),
      section: 'assigned',
      tab,
      tabs: ASSIGNMENT_SECTIONS.map((s) => ({ id: s, label: sectionLabel(res, s), current: s === tab })),
      assignments: await rowsForPage(req, res, list.rows),
      overview: tab === 'overview',
      counts,
      total: counts.reduce((sum, c) => sum + c.count, 0),
      showLawyer: actor.isHead === true,
      alert: takeAlert(req),
    });
  });

  async function decide(req: Request, res: Response, run: (id: string) => Promise<unknown>, done: string) {
    const id = String(req.params.id);
    const back = `/assigned?tab=${encodeURIComponent(formText(formBody(req).tab ?? 'court'))}`;
    try {
      await decideAssignment(deps, currentActor(req), id, () => run(id));
    } catch (err) {
      const http = asHttpError(err);
      if (!http || http.status === 404) throw err;
      return redirectWithAlert(req, res, back, describe(localeOf(res), http.reason, http.params));
    }
    return redirectWithFlash(req, res, back, t(res, done));
  }

  router.post('/assigned/:id/approve', requirePageActor('lawyer'), (req, res) =>
    decide(req, res, (id) => gateway().approve(id, currentActor(req)), 'assigned.done.approved'),
  );
  router.post('/assigned/:id/decline', requirePageActor('lawyer'), (req, res) =>
    decide(req, res, (id) => gateway().decline(id, currentActor(req), formText(formBody(req).reason)), 'assigned.done.declined'),
  );
  router.post('/assigned/:id/complete', requirePageActor('lawyer'), (req, res) =>
    decide(req, res, (id) => gateway().complete(id, currentActor(req)), 'assigned.done.completed'),
  );

  // ---------------------------------------------------------------- the Bar office

  async function showAdmin(req: Request, res: Response, form: { values?: Record<string, string>; errors?: FieldError[] } = {}, status = 200) {
    const actor = currentActor(req);
    const { lawyers, courts } = await assignmentChoices(deps);
    const values = form.values ?? { assignedAt: formatDate(new Date()) };
    const list = await listAssignments(deps, actor, 'overview', 200);
    renderPage(
      req,
      res,
      'admin-assignments',
      {
        title: t(res, 'admin.title'),
        section: 'admin',
        values,
        errors: form.errors,
        lawyers: lawyers.map((l) => ({ ...l, selected: l.id === values.lawyerId })),
        courts,
        assignments: await rowsForPage(req, res, list.rows),
        alert: takeAlert(req),
      },
      status,
    );
  }

  router.get('/admin', requirePageActor('admin'), (req, res) => showAdmin(req, res));

  router.post('/admin/assignments', requirePageActor('admin'), async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const values = Object.fromEntries(
      ['lawyerId', 'court', 'caseNumber', 'defendedPersonName', 'defendedPersonFin', 'assignedAt'].map((k) => [k, typeof body[k] === 'string' ? body[k] : '']),
    );
    const input: AssignmentInput = assignmentInputOf(values);
    try {
      const created = await gateway().assign(currentActor(req), input);
      await redirectWithFlash(req, res, '/admin', t(res, 'admin.assigned', { number: created.assignmentNumber }));
    } catch (err) {
      if (!(err instanceof HttpError) || err.status !== 400) throw err;
      // The form's own field names, so each error sits at its field and the summary links to it.
      const fieldName: Record<string, string> = { 'defendedPerson.name': 'defendedPersonName', 'defendedPerson.fin': 'defendedPersonFin' };
      const errors = localizedFields(localeOf(res), err.fields ?? []).map((e) => ({ ...e, field: fieldName[e.field] ?? e.field }));
      await showAdmin(req, res, { values, errors }, 400);
    }
  });

  return router;
}
