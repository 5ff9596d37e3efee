/**
 * WCAG 2.1 AA checks in the browser tests (issue 13): axe-core, injected into the page as it is,
 * run with the wcag2a / wcag2aa rules; what a person would be stopped by (impact serious or
 * critical) comes back, one line per element, for a readable failure.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'puppeteer';

const AXE_SOURCE = readFileSync(path.resolve(__dirname, '..', '..', 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

export interface AxeProblem {
  rule: string;
  impact: string;
  help: string;
  targets: string[];
}

interface AxeResult {
  violations: { id: string; impact?: string | null; help: string; nodes: { target: unknown[] }[] }[];
}

/** The serious and critical WCAG 2.1 A/AA violations of the page as it is now. */
export async function axeViolations(page: Page): Promise<AxeProblem[]> {
  const loaded = await page.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe === 'object');
  if (!loaded) await page.evaluate(AXE_SOURCE);
  const result = (await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (context: Document, options: unknown) => Promise<unknown> } }).axe;
    return axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] });
  })) as AxeResult;
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ rule: v.id, impact: v.impact ?? '', help: v.help, targets: v.nodes.map((n) => n.target.map(String).join(' ')) }));
}

/** The violations as text, `[]` when there are none: `expect(await axeReport(page)).toEqual([])`. */
export async function axeReport(page: Page): Promise<string[]> {
  const url = new URL(page.url()).pathname;
  return (await axeViolations(page)).map((v) => `${url}: ${v.rule} (${v.impact}) ${v.help} — ${v.targets.slice(0, 5).join(', ')}`);
}
