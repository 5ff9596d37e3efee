/**
 * "Statistik məlumatlar" (R3.2): the figures of the caller's scope — the Bar office all, a head the
 * bureau, a lawyer their own (R2.5, decided by api/statistics) — each as a chart drawn on the
 * server beside its table, a period form that keeps what was typed, and downloads of the tables
 * as CSV and XLSX in the page's language.
 */
import { type Request, type Response, Router } from 'express';
import { currentActor } from '../../api/auth/actor';
import { localizedFields } from '../../api/http/errors';
import { exportFileName, statisticsCsv, statisticsXlsx } from '../../api/statistics/export';
import { CSV_TYPE, exportedFigures, periodOf, sendDownload, XLSX_TYPE } from '../../api/statistics/routes';
import { type Figure, statisticsReport } from '../../api/statistics/service';
import { formatAzn } from '../../domain/contract';
import { GRANULARITIES, parsePeriod, type Period } from '../../domain/statistics';
import type { WebDeps } from '../shared/deps';
import { requirePageActor } from '../shared/guard';
import type { Locale } from '../shared/i18n';
import { renderPage, t } from '../shared/render';
import { figureSvg } from './chart';

const localeOf = (res: Response): Locale => (res.locals.locale === 'en' ? 'en' : 'az');
const queryText = (v: unknown) => (typeof v === 'string' ? v : '');

async function presentFigure(res: Response, figure: Figure, query: string) {
  const svg = await figureSvg(figure, t(res, 'statistics.chart.label', { title: figure.title }));
  return {
    id: figure.id,
    title: figure.title,
    svg,
    columns: figure.columns.map((c) => ({ label: c.label, numeric: c.kind !== 'label' })),
    rows: figure.rows.map((r) => ({
      label: r.label,
      cells: r.values.map((v, i) => (figure.columns[i + 1].kind === 'qepik' ? formatAzn(v) : v.toLocaleString('en-US').replace(/,/g, ' '))),
    })),
    csv: `/statistics/export.csv?${query}&figure=${figure.id}`,
    xlsx: `/statistics/export.xlsx?${query}&figure=${figure.id}`,
  };
}

const periodQuery = (p: Period) => new URLSearchParams({ from: p.from, to: p.to, by: p.by }).toString();

export function statisticsPages(deps: WebDeps): Router {
  const { db } = deps;
  const router = Router();
  const allowed = requirePageActor('lawyer', 'admin');

  router.get('/statistics', allowed, async (req: Request, res: Response) => {
    const actor = currentActor(req);
    const { period, errors } = parsePeriod({ from: req.query.from, to: req.query.to, by: req.query.by }, new Date());
    const report = errors.length === 0 ? await statisticsReport(db, actor, period, localeOf(res)) : undefined;
    const query = periodQuery(period);
    res.setHeader('Cache-Control', 'no-store');
    renderPage(req, res, 'statistics/index', {
      title: t(res, 'statistics.title'),
      section: actor.kind === 'admin' ? 'office-statistics' : 'info',
      intro: report ? t(res, `statistics.intro.${report.scope.kind}`) : undefined,
      periodText: report ? t(res, 'statistics.period', { from: period.from, to: period.to }) : undefined,
      values: {
        from: errors.length ? queryText(req.query.from) : period.from,
        to: errors.length ? queryText(req.query.to) : period.to,
      },
      granularities: GRANULARITIES.map((g) => ({ id: g, label: t(res, `statistics.by.${g}`), selected: g === period.by })),
      errors: errors.length > 0 ? localizedFields(localeOf(res), errors) : undefined,
      figures: report ? await Promise.all(report.figures.map((f) => presentFigure(res, f, query))) : undefined,
      allCsv: `/statistics/export.csv?${query}`,
      allXlsx: `/statistics/export.xlsx?${query}`,
    });
  });

  router.get('/statistics/export.csv', allowed, async (req, res) => {
    const period = periodOf(req.query);
    const report = await statisticsReport(db, currentActor(req), period, localeOf(res));
    const { figures, id } = exportedFigures(report.figures, req.query.figure);
    sendDownload(res, exportFileName(period, id, 'csv'), CSV_TYPE, statisticsCsv(figures));
  });

  router.get('/statistics/export.xlsx', allowed, async (req, res) => {
    const period = periodOf(req.query);
    const report = await statisticsReport(db, currentActor(req), period, localeOf(res));
    const { figures, id } = exportedFigures(report.figures, req.query.figure);
    sendDownload(res, exportFileName(period, id, 'xlsx'), XLSX_TYPE, await statisticsXlsx(figures, period));
  });

  return router;
}
