/**
 * "Aktiv vəkillərin siyahısı" (issue 11; R2.1 i, R2.2) for the Bar office: the list with search,
 * "Yeni vəkil", a lawyer's page (the entry, its history, deactivate / reactivate) and the import of
 * a CSV or XLSX list with a preview of every row and "Təsdiq et". Forms keep what was typed when
 * refused, with the reason at the field. Reads and writes go through api/office.
 */
import { dateInputValue } from '../../domain/shared/dates';
import { type Request, type Response, Router } from 'express';
import multer from 'multer';
import { IMPORT_MAX_BYTES, INDIVIDUAL_BUREAU, type LawyerInput, LAWYER_FIELDS, type PlannedRow } from '../../domain/office';
import { currentActor } from '../../api/auth/actor';
import { HttpError, localizedFields } from '../../api/http/errors';
import { csrfProtection } from '../../api/http/security';
import { listBureaus } from '../../api/office/bureaus';
import type { HistoryEntry } from '../../api/office/history';
import { commitImport, importTemplateCsv, previewImport, storedPreview } from '../../api/office/import';
import { createLawyer, lawyerDetails, searchLawyers, setLawyerActive, updateLawyer } from '../../api/office/lawyers';
import { lawyerSearchOf } from '../../api/office/search';
import type { WebDeps } from '../shared/deps';
import { redirectWithAlert, redirectWithFlash, takeAlert } from '../shared/feedback';
import { formBody, formText } from '../shared/form';
import { requirePageActor } from '../shared/guard';
import type { Locale } from '../shared/i18n';
import { renderPage, t } from '../shared/render';

const localeOf = (res: Response): Locale => (res.locals.locale === 'en' ? 'en' : 'az');
const noStore = (res: Response) => res.setHeader('Cache-Control', 'no-store');
const asError = (err: unknown) => (err instanceof Error ? err : new Error('upload failed', { cause: err }));

/** The form's fields as typed. */
function typedEntry(req: Request): LawyerInput {
  const body = formBody(req);
  const text = (k: string) => formText(body[k]);
  return {
    fin: text('fin'),
    mobileSignatureUserId: text('mobileSignatureUserId'),
    licenseNumber: text('licenseNumber'),
    lastName: text('lastName'),
    firstName: text('firstName'),
    patronymic: text('patronymic'),
    bureauId: text('bureauId'),
    isHead: text('isHead') === 'yes',
    practisingSince: text('practisingSince'),
    phone: text('phone'),
    email: text('email'),
  };
}

const emptyEntry = (): LawyerInput => ({
  fin: '',
  mobileSignatureUserId: '',
  licenseNumber: '',
  lastName: '',
  firstName: '',
  patronymic: '',
  bureauId: '',
  isHead: false,
  practisingSince: '',
  phone: '',
  email: '',
});

/** A field's name in the page's language (the history's and the preview's words). */
export const fieldLabel = (res: Response, field: string) => t(res, `register.field.${field}`);

/** A history line's value as the Bar office reads it. */
function valueText(res: Response, field: string, value: string | null): string {
  if (value === null) return '—';
  if (field === 'onActiveRegister' || field === 'isHead') return t(res, value === 'true' ? 'register.yes' : 'register.no');
  return value;
}

export function historyLines(res: Response, history: HistoryEntry[]) {
  return history.map((h) => ({
    at: h.at,
    field: fieldLabel(res, h.field),
    old: valueText(res, h.field, h.old),
    new: valueText(res, h.field, h.new),
    by: h.actor.name ?? `${h.actor.kind}:${h.actor.id}`,
    source: t(res, `register.source.${h.source}`),
  }));
}

export function registerPages(deps: WebDeps): Router {
  const { db } = deps;
  const router = Router();
  const guard = requirePageActor('admin');

  async function bureauChoices(res: Response, selected: string) {
    const bureaus = await listBureaus(db);
    return [
      ...bureaus.filter((b) => !b.individual || b.id === selected).map((b) => ({ id: b.id, label: b.name, selected: b.id === selected })),
      { id: INDIVIDUAL_BUREAU, label: t(res, 'register.bureau.individualNew'), selected: selected === INDIVIDUAL_BUREAU },
    ];
  }

  async function showForm(req: Request, res: Response, view: { values: LawyerInput; errors?: ReturnType<typeof localizedFields>; id?: string }, status = 200) {
    noStore(res);
    const errorOf = Object.fromEntries((view.errors ?? []).map((e) => [e.field, e.message]));
    renderPage(
      req,
      res,
      'office/lawyer-form',
      {
        title: t(res, view.id ? 'register.edit.title' : 'register.new.title'),
        section: 'office-dashboard',
        action: view.id ? `/admin/lawyers/${encodeURIComponent(view.id)}` : '/admin/lawyers',
        values: view.values,
        bureaus: await bureauChoices(res, view.values.bureauId),
        bureauError: errorOf.bureauId,
        errors: view.errors,
        cancel: view.id ? `/admin/lawyers/${encodeURIComponent(view.id)}` : '/admin/lawyers',
      },
      status,
    );
  }

  router.get('/admin/lawyers', guard, async (req, res) => {
    const search = lawyerSearchOf(req.query);
    const { total, lawyers } = await searchLawyers(db, search);
    const query = (page: number) => {
      const usp = new URLSearchParams();
      if (search.q) usp.set('q', search.q);
      if (search.bureauId) usp.set('bureauId', search.bureauId);
      if (search.active) usp.set('active', search.active);
      usp.set('page', String(page));
      return `?${usp.toString()}`;
    };
    noStore(res);
    renderPage(req, res, 'office/lawyers', {
      title: t(res, 'register.list.title'),
      section: 'office-dashboard',
      alert: takeAlert(req),
      q: search.q ?? '',
      actives: [
        { id: '', label: t(res, 'register.list.anyState'), selected: !search.active },
        { id: 'yes', label: t(res, 'register.list.active'), selected: search.active === 'yes' },
        { id: 'no', label: t(res, 'register.list.inactive'), selected: search.active === 'no' },
      ],
      bureaus: (await listBureaus(db)).map((b) => ({ id: b.id, label: b.name, selected: b.id === search.bureauId })),
      lawyers: lawyers.map((l) => ({
        ...l,
        name: [l.lastName, l.firstName, l.patronymic].filter(Boolean).join(' '),
        state: t(res, l.onActiveRegister ? 'register.list.active' : 'register.list.inactive'),
      })),
      totalText: t(res, 'register.list.total', { total }),
      previous: search.page > 1 ? query(search.page - 1) : undefined,
      next: search.page * search.pageSize < total ? query(search.page + 1) : undefined,
    });
  });

  router.get('/admin/lawyers/new', guard, (req, res) => showForm(req, res, { values: emptyEntry() }));

  router.post('/admin/lawyers', guard, async (req, res) => {
    const values = typedEntry(req);
    try {
      const lawyer = await createLawyer(deps, currentActor(req), values);
      await redirectWithFlash(req, res, `/admin/lawyers/${encodeURIComponent(lawyer.id)}`, t(res, 'register.saved.added'));
    } catch (err) {
      if (!(err instanceof HttpError) || err.status !== 400) throw err;
      await showForm(req, res, { values, errors: localizedFields(localeOf(res), err.fields ?? []) }, 400);
    }
  });

  router.get('/admin/lawyers/import', guard, (req, res) => {
    noStore(res);
    renderPage(req, res, 'office/import', {
      title: t(res, 'register.import.title'),
      section: 'office-dashboard',
      alert: takeAlert(req),
      maxMb: IMPORT_MAX_BYTES / 1024 / 1024,
    });
  });

  router.get('/admin/lawyers/import/template.csv', guard, (_req, res) => {
    res.setHeader('Content-Disposition', 'attachment; filename="vekiller-sablon.csv"');
    res.type('text/csv; charset=utf-8').send(importTemplateCsv());
  });

  router.get('/admin/lawyers/import/:token', guard, async (req, res) => {
    let preview;
    try {
      preview = await storedPreview(deps, currentActor(req), String(req.params.token));
    } catch (err) {
      // An expired or unknown preview: back to the upload, saying so.
      if (!(err instanceof HttpError) || err.status !== 404) throw err;
      return redirectWithAlert(req, res, '/admin/lawyers/import', t(res, err.reason));
    }
    noStore(res);
    renderPage(req, res, 'office/import-preview', {
      title: t(res, 'register.preview.title'),
      section: 'office-dashboard',
      alert: takeAlert(req),
      token: preview.token,
      counts: t(res, 'register.preview.counts', preview.counts),
      canCommit: preview.counts.error === 0 && preview.rows.length > 0,
      hasErrors: preview.counts.error > 0,
      rows: preview.rows.map((row) => previewRow(res, row)),
    });
  });

  router.post('/admin/lawyers/import/:token', guard, async (req, res) => {
    const token = String(req.params.token);
    try {
      const done = await commitImport(deps, currentActor(req), token);
      await redirectWithFlash(req, res, '/admin/lawyers', t(res, 'register.import.saved', done));
    } catch (err) {
      if (!(err instanceof HttpError) || (err.status !== 409 && err.status !== 404)) throw err;
      const back = err.status === 404 ? '/admin/lawyers/import' : `/admin/lawyers/import/${encodeURIComponent(token)}`;
      await redirectWithAlert(req, res, back, t(res, err.reason, err.params));
    }
  });

  router.get('/admin/lawyers/:id', guard, async (req, res) => {
    const { lawyer, history } = await lawyerDetails(db, String(req.params.id));
    noStore(res);
    renderPage(req, res, 'office/lawyer', {
      title: `${lawyer.lastName} ${lawyer.firstName}`,
      section: 'office-dashboard',
      alert: takeAlert(req),
      lawyer,
      edit: `/admin/lawyers/${encodeURIComponent(lawyer.id)}/edit`,
      facts: LAWYER_FIELDS.filter((f) => f !== 'bureauId').map((f) => ({ label: fieldLabel(res, f), value: valueText(res, f, String(lawyer[f]) || null) })),
      state: t(res, lawyer.onActiveRegister ? 'register.list.active' : 'register.list.inactive'),
      history: historyLines(res, history),
    });
  });

  router.get('/admin/lawyers/:id/edit', guard, async (req, res) => {
    const { lawyer } = await lawyerDetails(db, String(req.params.id));
    await showForm(req, res, { id: lawyer.id, values: { ...lawyer, practisingSince: dateInputValue(lawyer.practisingSince) } });
  });

  router.post('/admin/lawyers/:id', guard, async (req, res) => {
    const id = String(req.params.id);
    const values = typedEntry(req);
    try {
      await updateLawyer(deps, currentActor(req), id, values);
      await redirectWithFlash(req, res, `/admin/lawyers/${encodeURIComponent(id)}`, t(res, 'register.saved.changed'));
    } catch (err) {
      if (!(err instanceof HttpError) || err.status !== 400) throw err;
      await showForm(req, res, { id, values, errors: localizedFields(localeOf(res), err.fields ?? []) }, 400);
    }
  });

  for (const [step, active] of [
    ['deactivate', false],
    ['reactivate', true],
  ] as const) {
    router.post(`/admin/lawyers/:id/${step}`, guard, async (req, res) => {
      const id = String(req.params.id);
      try {
        await setLawyerActive(deps, currentActor(req), id, active, 'form', req.ip);
      } catch (err) {
        if (!(err instanceof HttpError) || (err.status !== 409 && err.status !== 404)) throw err;
        // A lawyer no longer on the register: back to the list, saying so.
        return redirectWithAlert(req, res, err.status === 404 ? '/admin/lawyers' : `/admin/lawyers/${encodeURIComponent(id)}`, t(res, err.reason));
      }
      await redirectWithFlash(
        req,
        res,
        `/admin/lawyers/${encodeURIComponent(id)}`,
        t(res, active ? 'register.saved.reactivated' : 'register.saved.deactivated'),
      );
    });
  }

  return router;
}

function previewRow(res: Response, row: PlannedRow) {
  const locale = localeOf(res);
  return {
    line: row.line,
    action: row.action,
    actionText: t(res, `register.preview.action.${row.action}`),
    fin: row.entry.fin,
    name: [row.entry.lastName, row.entry.firstName].filter(Boolean).join(' '),
    errors: localizedFields(locale, row.errors).map((e) => ({ field: fieldLabel(res, e.field), message: e.message })),
    changes:
      row.action === 'update'
        ? row.changes.map((c) => ({ field: fieldLabel(res, c.field), old: valueText(res, c.field, c.old), new: valueText(res, c.field, c.new) }))
        : [],
  };
}

/**
 * "Yüklə": the multipart upload of a list, mounted before the pages' form-token check (its token is
 * in the body multer reads): the admin first, then the file, then the token.
 */
export function registerUploadPage(deps: WebDeps): Router {
  const router = Router();
  const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: IMPORT_MAX_BYTES, files: 1, fields: 5, fieldSize: 4096 } }).single('file');
  const parse = (req: Request, res: Response) =>
    new Promise<void>((resolve, reject) => upload(req, res, (err?: unknown) => (err ? reject(asError(err)) : resolve())));
  const checkToken = (req: Request, res: Response) =>
    new Promise<void>((resolve, reject) => csrfProtection(req, res, (err?: unknown) => (err ? reject(asError(err)) : resolve())));

  router.post('/admin/lawyers/import', requirePageActor('admin'), async (req, res) => {
    const refused = (reason: string, params?: Record<string, string | number>) => {
      noStore(res);
      renderPage(
        req,
        res,
        'office/import',
        {
          title: t(res, 'register.import.title'),
          section: 'office-dashboard',
          maxMb: IMPORT_MAX_BYTES / 1024 / 1024,
          errors: localizedFields(localeOf(res), [{ field: 'file', code: 'invalid', reason, params }]),
        },
        400,
      );
    };
    try {
      await parse(req, res);
    } catch (err) {
      if (err instanceof multer.MulterError)
        return refused(err.code === 'LIMIT_FILE_SIZE' ? 'register.import_too_large' : 'register.import_unreadable', { mb: 2 });
      throw err;
    }
    await checkToken(req, res);
    try {
      const preview = await previewImport(deps, currentActor(req), req.file?.buffer ?? Buffer.alloc(0));
      res.redirect(303, `/admin/lawyers/import/${preview.token}`);
    } catch (err) {
      if (!(err instanceof HttpError) || err.status !== 400) throw err;
      const field = err.fields?.[0];
      return refused(field?.reason ?? err.reason, field?.params ?? err.params);
    }
  });
  return router;
}
