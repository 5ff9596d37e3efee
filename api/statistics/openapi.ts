/** The statistics' operations for the OpenAPI document (R3.2); api/http/openapi.ts spreads this list. */
export interface StatisticsOperation {
  method: 'get';
  path: string;
  summary: string;
  rule?: string;
}

const QUERY = 'from, to (YYYY-MM, inclusive; default the last 12 months), by (month, quarter, year)';

export const STATISTICS_OPERATIONS: StatisticsOperation[] = [
  {
    method: 'get',
    path: '/api/statistics',
    summary: `The Presidium's figures (contracts by period, case type, institution, status, bureau; orders issued; Bar fees paid in qəpik; assigned cases by court and status) for the caller's scope: the Bar office all, a bureau head the bureau, a lawyer their own. Query: ${QUERY}`,
    rule: 'R3.2',
  },
  {
    method: 'get',
    path: '/api/statistics/export.csv',
    summary: `The tables as CSV (UTF-8), all or one (figure=<id>); the caller's scope. Query: ${QUERY}, figure`,
    rule: 'R3.2',
  },
  {
    method: 'get',
    path: '/api/statistics/export.xlsx',
    summary: `The tables as an XLSX workbook, one sheet per table, all or one (figure=<id>); the caller's scope. Query: ${QUERY}, figure`,
    rule: 'R3.2',
  },
];
