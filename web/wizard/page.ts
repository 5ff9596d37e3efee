/**
 * "Yeni müqavilə yarat": the new-contract wizard (R4.1.1–R4.1.7), server-rendered.
 *
 * The draft lives in the contract's workflow, so it survives a closed browser and is resumed from
 * the contract list (`/contracts/:id/wizard` opens the first step that still lacks something).
 * Every page costs one read of the read model; every "Davam et" one `saveDraft` update on top.
 * A step is checked here with the same rules module the workflow uses (`validateTerms`), so a
 * step with mistakes is shown again with the lawyer's own input and a message at each field,
 * without a round trip to Temporal. JavaScript (web/static/app.js) only enhances the pages.
 *
 * Translation keys: `wizard.*` — `wizard.step.<n>` step titles, `wizard.f.<field>` labels,
 * `wizard.h.<field>` hints, `wizard.o.<choice>.<value>` choices, `wizard.lookup.*` look-up results,
 * `wizard.sum.*` the summary. A field error reads as its code (`terms.*`, locales/<l>/contract.json).
 */
import { type Request, type Response, Router } from 'express';
import { currentActor } from '../../api/auth/actor';
import { type ContractRow, institutionList, loadVisibleContract } from '../../api/contract/service';
import { fromWorkflowError, HttpError, notFound, outageOf, RETRY_AFTER_SECONDS } from '../../api/http/errors';
import { type Actor, CASE_TYPES, dueDateErrors, type FieldError, fieldError, formatAzn, mergeDraft, parseAznToQepik } from '../../domain/contract';
import { bakuDay } from '../../domain/shared/dates';
import { type Locale, translate } from '../shared/i18n';
import { renderPage, t } from '../shared/render';
import type { WebDeps } from '../shared/deps';
import { localizeReason, redirectWithFlash } from '../shared/feedback';
import { requirePageActor } from '../shared/guard';
import {
  STEP_COUNT,
  type Step,
  stepApplies,
  nextStep,
  previousStep,
  draftErrors,
  atFirstField,
  resumeStep,
  type FormState,
  bodyStr,
  valuesFromDraft,
  valuesFromBody,
  stepDraftOf,
  stepErrors,
  stepOfField,
} from './steps';
import { localize, type Note, type FieldSpec, type RenderContext, buildField, personGroups, entityGroups, summarySections } from './fields';
import { lookUpEntity, lookUpPerson } from './lookups';

// ---------------------------------------------------------------- the pages

interface StepRender {
  row: ContractRow;
  step: Step;
  state: FormState;
  errors?: FieldError[];
  notes?: Record<string, Note>;
  /** A refusal that belongs to no field (the contract is busy, an outside system is down). */
  problem?: string;
  status?: number;
  /** After "+" without JavaScript: the new empty holder line gets the focus. */
  focusLastHolder?: boolean;
}

const wizardUrl = (id: string, step?: Step) => `/contracts/${encodeURIComponent(id)}/wizard${step ? `/${step}` : ''}`;

export function wizardPages(deps: WebDeps): Router {
  const router = Router();
  const { db, gateway } = deps;

  /** The contract's own lawyer's draft; another contract is "not found", a sent one opens its page. */
  async function loadDraft(req: Request, res: Response): Promise<ContractRow | undefined> {
    const actor = currentActor(req);
    const row = await loadVisibleContract(db, actor, String(req.params.id));
    if (row.lawyer_id !== actor.id || row.view.status === 'discarded') throw notFound('contract.not_found');
    if (row.view.status !== 'draft') {
      res.redirect(303, `/contracts/${encodeURIComponent(row.id)}`);
      return undefined;
    }
    return row;
  }

  const parseStep = (raw: unknown): Step => {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1 || n > STEP_COUNT || String(n) !== String(raw)) throw notFound();
    return n as Step;
  };

  async function renderStep(req: Request, res: Response, r: StepRender) {
    const { row, step, state } = r;
    const draft = row.view.draft;
    const locale = (res.locals.locale as Locale) ?? 'az';
    const all = (r.errors ?? []).map(atFirstField).map((e) => localize(res, e));
    const errors = all.filter((e) => stepOfField(e.field) === step);
    const elsewhere = all
      .filter((e) => stepOfField(e.field) !== step)
      .map((e) => ({
        ...e,
        href: `${wizardUrl(row.id, stepOfField(e.field))}#f-${e.field}`,
        stepTitle: translate(locale, `wizard.step.${stepOfField(e.field)}`),
      }));
    const ctx: RenderContext = { res, state, errors, notes: r.notes ?? {} };
    const f = (spec: FieldSpec) => buildField(ctx, spec);
    const missingSteps = new Set(draftErrors(draft, 'complete').map((e) => stepOfField(e.field)));
    const steps = Array.from({ length: STEP_COUNT }, (_, i) => {
      const n = (i + 1) as Step;
      const applies = stepApplies(n, draft) || (n === 2 && draft.protectedPartyKind === undefined);
      return {
        n,
        label: translate(locale, `wizard.step.${n}`),
        current: n === step,
        skipped: !applies,
        done: stepApplies(n, draft) && n < 7 && !missingSteps.has(n),
        href: n !== step && applies ? wizardUrl(row.id, n) : undefined,
      };
    });
    const common = {
      title: `${t(res, 'wizard.stepOf', { n: step, total: STEP_COUNT })}: ${t(res, `wizard.step.${step}`)}`,
      section: 'contracts',
      errors,
      elsewhere,
      problem: r.problem,
      contract: { id: row.id, number: row.number },
      step,
      stepTitle: t(res, `wizard.step.${step}`),
      stepCount: STEP_COUNT,
      steps,
      action: wizardUrl(row.id, step),
      backStep: step > 1 ? previousStep(step, draft) : undefined,
      deleteUrl: `${wizardUrl(row.id)}/delete`,
    };
    let view = 'wizard/step';
    let data: Record<string, unknown> = {};
    switch (step) {
      case 1:
        data = {
          groups: [
            {
              fields: [
                f({ name: 'protectedPartyKind', kind: 'radio', choices: ['natural', 'legal'] }),
                f({ name: 'applicantIsProtectedParty', kind: 'radio', choices: ['same', 'different'], showIf: 'protectedPartyKind=natural|' }),
                f({ name: 'caseType', kind: 'radio', choices: CASE_TYPES }),
              ],
            },
          ],
        };
        break;
      case 2:
        data = {
          intro: t(res, draft.protectedPartyKind === 'legal' ? 'wizard.intro.2.legal' : 'wizard.intro.2.natural'),
          groups: draft.protectedPartyKind === 'legal' ? entityGroups(ctx) : personGroups(ctx, 'protectedPerson'),
        };
        break;
      case 3:
        data = {
          intro: t(
            res,
            draft.protectedPartyKind === 'legal'
              ? 'wizard.intro.3.legal'
              : draft.applicantIsProtectedParty
                ? 'wizard.intro.3.same'
                : 'wizard.intro.3.different',
          ),
          groups: personGroups(ctx, 'applicant'),
        };
        break;
      case 4: {
        view = 'wizard/evidence';
        const holders = state.holders.length > 0 ? state.holders : state.v['evidence.none'] === '1' ? [] : [''];
        data = {
          none: f({ name: 'evidence.none', kind: 'checkbox', id: 'f-evidence', extraDescribedBy: 'evidence-hint' }),
          holders: holders.map((value, i) => {
            const error = errors.find((e) => e.field === `evidence.holders.${i}`);
            return {
              id: `f-evidence.holders.${i}`,
              value,
              label: t(res, 'wizard.f.evidence.holder', { n: i + 1 }),
              error: error?.message,
              errorId: error ? `f-evidence.holders.${i}-error` : undefined,
              autofocus: r.focusLastHolder === true && i === holders.length - 1,
            };
          }),
          holderLabel: t(res, 'wizard.f.evidence.holderNew'),
        };
        break;
      }
      case 5: {
        const institutions = await institutionList(deps.db);
        data = {
          groups: [
            {
              fields: [
                f({ name: 'assignment', kind: 'textarea', maxlength: 5000 }),
                f({
                  name: 'institution.id',
                  id: 'f-institution',
                  label: 'wizard.f.institution',
                  hint: 'wizard.h.institution',
                  kind: 'select',
                  options: [
                    { value: '', label: t(res, 'wizard.o.institution.choose') },
                    ...institutions.map((i) => ({ value: i.id, label: i.name })),
                    { value: 'other', label: t(res, 'wizard.o.institution.other') },
                  ],
                }),
                f({ name: 'institution.name', showIf: 'institution.id=other' }),
              ],
            },
          ],
        };
        break;
      }
      case 6: {
        view = 'wizard/price';
        const total = parseAznToQepik(state.v['price.totalQepik'].replace(/\s+/g, '') || 'x');
        const firstText = state.v['price.firstInstalmentQepik'].replace(/\s+/g, '');
        const first = firstText === '' ? 0 : parseAznToQepik(firstText);
        data = {
          total: f({ name: 'price.totalQepik', inputmode: 'decimal', autocomplete: 'off', priceRole: 'total', short: true }),
          plan: f({ name: 'price.plan', kind: 'radio', choices: ['single', 'two_instalments'], choiceKey: 'plan' }),
          first: f({ name: 'price.firstInstalmentQepik', inputmode: 'decimal', autocomplete: 'off', priceRole: 'first', short: true }),
          dueOn: f({ name: 'price.secondInstalmentDueOn', autocomplete: 'off', inputmode: 'numeric', maxlength: 10, short: true }),
          remainder: total !== undefined && first !== undefined && first < total ? formatAzn(total - first) : '—',
        };
        break;
      }
      case 7: {
        view = 'wizard/confirm';
        const missing = draftErrors(draft, 'complete').map((e) => localize(res, e));
        data = {
          sections: summarySections(res, draft, row.id),
          missing: missing.map((e) => ({
            ...e,
            href: `${wizardUrl(row.id, stepOfField(e.field))}#f-${e.field}`,
            stepTitle: translate(locale, `wizard.step.${stepOfField(e.field)}`),
          })),
          confirm: f({ name: 'confirm', kind: 'checkbox' }),
        };
        break;
      }
    }
    renderPage(req, res, view, { ...common, ...data }, r.status ?? 200);
  }

  // ------------------------------------------------------------ "Yeni müqavilə yarat"

  router.post('/contracts/new', requirePageActor('lawyer'), async (req, res) => {
    // The button's form carries a key made when the list was shown: a second click, or "send again" after a
    // 503, opens the same draft (issue 10 item 5). A form without one (an old page) still works.
    const sent = (req.body as Record<string, unknown> | undefined)?.requestKey;
    const requestKey = typeof sent === 'string' && /^[A-Za-z0-9-]{8,128}$/.test(sent) ? sent : undefined;
    const { contractId } = await gateway.create(currentActor(req), {}, requestKey);
    res.redirect(303, wizardUrl(contractId, 1));
  });

  /** Resume a draft (R4.1.7): the first step that still lacks something, else the confirmation. */
  router.get('/contracts/:id/wizard', requirePageActor('lawyer'), async (req, res) => {
    const row = await loadDraft(req, res);
    if (!row) return;
    res.redirect(303, wizardUrl(row.id, resumeStep(row.view.draft)));
  });

  // ------------------------------------------------------------ "Layihəni sil" (R4.1.7)

  router.get('/contracts/:id/wizard/delete', requirePageActor('lawyer'), async (req, res) => {
    const row = await loadDraft(req, res);
    if (!row) return;
    renderPage(req, res, 'wizard/delete', {
      title: t(res, 'wizard.delete.title'),
      section: 'contracts',
      contract: { id: row.id, number: row.number, party: row.protected_party_name },
      action: `${wizardUrl(row.id)}/delete`,
      backUrl: wizardUrl(row.id),
    });
  });

  router.post('/contracts/:id/wizard/delete', requirePageActor('lawyer'), async (req, res) => {
    const row = await loadDraft(req, res);
    if (!row) return;
    try {
      await gateway.discardDraft(row.id, currentActor(req));
    } catch (err) {
      const http = err instanceof HttpError ? err : fromWorkflowError(err);
      if (!http || http.status === 404) throw http ?? err;
      return renderPage(
        req,
        res,
        'wizard/delete',
        {
          title: t(res, 'wizard.delete.title'),
          section: 'contracts',
          contract: { id: row.id, number: row.number, party: row.protected_party_name },
          action: `${wizardUrl(row.id)}/delete`,
          backUrl: wizardUrl(row.id),
          problem: http.message,
        },
        http.status,
      );
    }
    await redirectWithFlash(req, res, '/contracts', t(res, 'wizard.delete.done', { number: row.number }));
  });

  // ------------------------------------------------------------ the steps

  router.get('/contracts/:id/wizard/:step', requirePageActor('lawyer'), async (req, res) => {
    const step = parseStep(req.params.step);
    const row = await loadDraft(req, res);
    if (!row) return;
    const draft = row.view.draft;
    if (step === 2 && !stepApplies(2, draft)) return res.redirect(303, wizardUrl(row.id, draft.protectedPartyKind ? 3 : 1));
    await renderStep(req, res, { row, step, state: valuesFromDraft(draft) });
  });

  router.post('/contracts/:id/wizard/:step', requirePageActor('lawyer'), async (req, res) => {
    const step = parseStep(req.params.step);
    const row = await loadDraft(req, res);
    if (!row) return;
    const actor = currentActor(req);
    const draft = row.view.draft;
    if (step === 2 && !stepApplies(2, draft)) return res.redirect(303, wizardUrl(row.id, draft.protectedPartyKind ? 3 : 1));
    const body = (req.body ?? {}) as Record<string, unknown>;
    const action = bodyStr(body, 'action') || 'next';
    const state = valuesFromBody(body, step, valuesFromDraft(draft));

    if (action === 'lookup-fin' && (step === 2 || step === 3)) {
      const { errors, notes } = await lookUpPerson(deps, state, step === 2 ? 'protectedPerson' : 'applicant', res);
      return renderStep(req, res, { row, step, state, errors, notes, status: errors.length ? 400 : 200 });
    }
    if (action === 'lookup-voen' && step === 2) {
      const { errors, notes } = await lookUpEntity(deps, state, res);
      return renderStep(req, res, { row, step, state, errors, notes, status: errors.length ? 400 : 200 });
    }
    if (action === 'add-holder' && step === 4) {
      state.holders.push('');
      return renderStep(req, res, { row, step, state, focusLastHolder: true });
    }
    if (step === 7) {
      if (action === 'back') return res.redirect(303, wizardUrl(row.id, previousStep(7, draft)));
      return submit(req, res, row, actor, body);
    }

    const back = action === 'back';
    const institutions = step === 5 ? await institutionList(deps.db) : [];
    const { draft: stepDraft, errors: readErrors } = stepDraftOf(step, state, draft, institutions);
    const merged = mergeDraft(draft, stepDraft);
    const errors = stepErrors(step, merged, readErrors, back ? 'partial' : 'complete');
    // issue 12: a due date typed now lies ahead (not a rule of the terms: old contracts keep theirs).
    if (step === 6 && !errors.some((e) => e.field === 'price.secondInstalmentDueOn')) errors.push(...dueDateErrors(stepDraft.price, bakuDay(new Date())));
    if (errors.length > 0) return renderStep(req, res, { row, step, state, errors, status: 400 });
    if (JSON.stringify(merged) !== JSON.stringify(draft)) {
      try {
        await gateway.saveDraft(row.id, actor, stepDraft);
      } catch (err) {
        // Temporal (or the database) down: the step comes back with what was typed, and says to try again (issue 10 item 5).
        const outage = outageOf(err);
        if (outage) {
          res.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
          return renderStep(req, res, { row, step, state, problem: localizeReason(res, outage.reason), status: 503 });
        }
        const http = err instanceof HttpError ? err : fromWorkflowError(err);
        if (!http || http.status === 404) throw http ?? err;
        return renderStep(req, res, { row, step, state, errors: http.fields, problem: http.fields?.length ? undefined : http.message, status: http.status });
      }
    }
    res.redirect(303, wizardUrl(row.id, back ? previousStep(step, merged) : nextStep(step, merged)));
  });

  /** "Təsdiq üçün göndər" (R4.1.6, R4.2): a refusal at a field opens the step where the field is. */
  async function submit(req: Request, res: Response, row: ContractRow, actor: Actor, body: Record<string, unknown>) {
    const draft = row.view.draft;
    if (bodyStr(body, 'confirm') !== '1') {
      return renderStep(req, res, { row, step: 7, state: valuesFromDraft(draft), errors: [fieldError('confirm', 'terms.confirm_required')], status: 400 });
    }
    try {
      await gateway.submit(row.id, actor);
    } catch (err) {
      const outage = outageOf(err);
      if (outage) {
        res.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
        return renderStep(req, res, { row, step: 7, state: valuesFromDraft(draft), problem: localizeReason(res, outage.reason), status: 503 });
      }
      const http = err instanceof HttpError ? err : fromWorkflowError(err);
      if (!http || http.status === 404) throw http ?? err;
      const fields = (http.fields ?? []).map(atFirstField);
      if (fields.length === 0) return renderStep(req, res, { row, step: 7, state: valuesFromDraft(draft), problem: http.message, status: http.status });
      const step = Math.min(...fields.map((e) => stepOfField(e.field))) as Step;
      return renderStep(req, res, { row, step, state: valuesFromDraft(draft), errors: fields, status: http.status });
    }
    await redirectWithFlash(req, res, `/contracts/${encodeURIComponent(row.id)}`, t(res, 'wizard.submitted', { number: row.number }));
  }

  return router;
}
