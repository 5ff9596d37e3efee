/**
 * `/api/statistics` (R3.2): the figures as JSON, and the tables as CSV or XLSX. The scope is the
 * caller's (the Bar office: all; a head: the bureau; a lawyer: their own); the period is
 * `from`/`to` (YYYY-MM) and `by` (month, quarter, year); `figure` picks one table to export.
 */
import { type Request, type Response, Router } from 'express';
import type { Knex } from 'knex';
import { FIGURE_IDS, type FigureId, parsePeriod, type Period } from '../../domain/statistics';
import { currentActor, requireActor } from '../auth/actor';
import { answerLocale, invalidInput } from '../http/errors';
import { exportFileName, statisticsCsv, statisticsXlsx } from './export';
import { type Figure, statisticsReport } from './service';

/** The period of the query string, or 400 with the fields. */
export function periodOf(query: Request['query']): Period {
  const { period, errors } = parsePeriod({ from: query.from, to: query.to, by: query.by }, new Date());
  if (errors.length > 0) throw invalidInput(errors);
  return period;
}

/** The figures to export: all, or the one named by `figure` (400 for an unknown one or one of another scope). */
export function exportedFigures(figures: Figure[], figure: unknown): { figures: Figure[]; id?: FigureId } {
  if (figure === undefined || figure === '') return { figures };
  const chosen = figures.find((f) => f.id === figure);
  if (typeof figure !== 'string' || !(FIGURE_IDS as readonly string[]).includes(figure) || !chosen) {
    throw invalidInput([{ field: 'figure', code: 'statistics.figure_unknown' }]);
  }
  return { figures: [chosen], id: chosen.id };
}

/** A download: attachment with the name (plain and UTF-8), never cached. */
export function sendDownload(res: Response, name: string, type: string, body: string | Buffer): void {
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Content-Disposition', `attachment; filename="${name}"; filename*=UTF-8''${encodeURIComponent(name)}`);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.type(type).send(body);
}

export const CSV_TYPE = 'text/csv; charset=utf-8';
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export function statisticsRouter(deps: { db: Knex }): Router {
  const router = Router();
  const allowed = requireActor('lawyer', 'admin');

  router.get('/', allowed, async (req, res) => {
    const report = await statisticsReport(deps.db, currentActor(req), periodOf(req.query), answerLocale(req));
    res.setHeader('Cache-Control', 'no-store');
    res.json(report);
  });

  router.get('/export.csv', allowed, async (req, res) => {
    const period = periodOf(req.query);
    const report = await statisticsReport(deps.db, currentActor(req), period, answerLocale(req));
    const { figures, id } = exportedFigures(report.figures, req.query.figure);
    sendDownload(res, exportFileName(period, id, 'csv'), CSV_TYPE, statisticsCsv(figures));
  });

  router.get('/export.xlsx', allowed, async (req, res) => {
    const period = periodOf(req.query);
    const report = await statisticsReport(deps.db, currentActor(req), period, answerLocale(req));
    const { figures, id } = exportedFigures(report.figures, req.query.figure);
    sendDownload(res, exportFileName(period, id, 'xlsx'), XLSX_TYPE, await statisticsXlsx(figures, period));
  });

  return router;
}
