/**
 * Server-rendered pages: Handlebars views under web/views, compiled once, always inside the layout.
 * User data is escaped by Handlebars' `{{ }}`; nothing of the user's is ever put in `{{{ }}}`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Request, Response } from 'express';
import Handlebars from 'handlebars';
import type { FieldError } from '../../domain/contract';
import { formatAzn } from '../../domain/contract';
import { formatDate, formatDateTime } from '../../domain/shared/dates';
import { type Locale, translate } from './i18n';

const VIEWS_DIR = path.resolve(__dirname, '..', 'views');
const hbs = Handlebars.create();

hbs.registerHelper('t', function (this: unknown, key: string, options: Handlebars.HelperOptions) {
  const { root } = options.data as { root: { locale?: Locale } };
  return translate(root.locale ?? 'az', key, options.hash);
});
hbs.registerHelper('eq', (a: unknown, b: unknown) => a === b);
hbs.registerHelper('ne', (a: unknown, b: unknown) => a !== b);
hbs.registerHelper('or', (...args: unknown[]) => args.slice(0, -1).some(Boolean));
hbs.registerHelper('and', (...args: unknown[]) => args.slice(0, -1).every(Boolean));
hbs.registerHelper('not', (a: unknown) => !a);
hbs.registerHelper('includes', (list: unknown, item: unknown) => Array.isArray(list) && list.includes(item));
hbs.registerHelper('azn', (qepik: unknown) => (typeof qepik === 'number' ? formatAzn(qepik) : ''));
hbs.registerHelper('date', (value: unknown) => (typeof value === 'string' || value instanceof Date ? formatDate(value) : ''));
hbs.registerHelper('datetime', (value: unknown) => (typeof value === 'string' || value instanceof Date ? formatDateTime(value) : ''));
/** A date or time field typed as the page shows dates (issue 13): the text input's pattern and placeholder. */
export const TYPED_INPUTS = {
  date: { class: 'date-input', pattern: String.raw`\d{1,2}\.\d{1,2}\.\d{4}`, placeholder: 'pages.date.placeholder' },
  time: { class: 'time-input', pattern: String.raw`\d{1,2}:\d{2}`, placeholder: 'pages.time.placeholder' },
} as const;
hbs.registerHelper('typedInput', (type: unknown) => (type === 'date' || type === 'time' ? TYPED_INPUTS[type] : undefined));
/** The error of one field, for the message next to it: {{#with (fieldError errors "applicant.phone")}}. */
hbs.registerHelper('fieldError', (errors: FieldError[] | undefined, field: string) =>
  errors?.find((e) => e.field === field || e.field.startsWith(`${field}.`)),
);
hbs.registerHelper('json', (value: unknown) => new Handlebars.SafeString(JSON.stringify(value ?? null).replace(/</g, '\\u003c')));

const templates = new Map<string, Handlebars.TemplateDelegate>();

function loadViews(dir: string, prefix = '') {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      loadViews(full, `${prefix}${entry.name}/`);
    } else if (entry.name.endsWith('.hbs')) {
      const name = `${prefix}${entry.name.slice(0, -4)}`;
      const source = readFileSync(full, 'utf8');
      if (prefix === 'partials/') hbs.registerPartial(name.slice('partials/'.length), source);
      else templates.set(name, hbs.compile(source));
    }
  }
}
loadViews(VIEWS_DIR);

export interface PageData {
  title: string;
  errors?: FieldError[];
  [key: string]: unknown;
}

/** Renders a view inside the layout, with the person, the locale and the form token. */
export function renderPage(req: Request, res: Response, view: string, data: PageData, status = 200) {
  const template = templates.get(view);
  if (!template) throw new Error(`No view "${view}"`);
  // A flash is shown once, by the first page rendered after it was set.
  const flash = req.session?.flash;
  if (flash) req.session.flash = undefined;
  const root = { ...res.locals, ...(flash ? { flash } : {}), ...data };
  const body = template(root);
  const layout = templates.get('layout');
  if (!layout) throw new Error('No view "layout"');
  res
    .status(status)
    .type('html')
    .send(layout({ ...root, body: new Handlebars.SafeString(body) }));
}

export function t(res: Response, key: string, vars?: Record<string, unknown>): string {
  return translate((res.locals.locale as Locale) ?? 'az', key, vars);
}
