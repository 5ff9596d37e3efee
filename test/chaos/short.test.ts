/**
 * The short chaos run inside `npm test` (issue 10, "What the project must contain"): a few contracts
 * through create → submit → approve → card payment → order over the real HTTP API, on a system of
 * its own (embedded PostgreSQL, the Temporal dev server, the worker and web as child processes),
 * while the worker is SIGKILLed once and the web server is down for longer than the payment agent's
 * callback retries. `npm run chaos` is the full run (200 contracts, every fault).
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatReport, parseChaosOptions, runChaos } from '../../chaos/scenario';

describe('chaos, short (issue 10)', () => {
  it(
    'a worker kill and a web outage longer than the agent’s retries: every paid contract gets its one order, nothing lost, stuck, repeated or skipped',
    { timeout: 240_000 },
    async () => {
      // Settling may take up to 120 s on a loaded machine; the run ends as soon as every contract has settled.
      const options = parseChaosOptions(['--short', '--settle', '120'], {});
      const dataDir = path.resolve(__dirname, '..', '..', '.test-data', 'chaos-short');
      const lines: string[] = [];
      const report = await runChaos({ ...options, dataDir, say: (m) => lines.push(m) });
      const summary = `${formatReport(report)}\n${lines.join('\n')}`;

      // The faults really happened: one SIGKILL of the worker, one web outage outlasting the agent's retries (issue 10 items 1, 2).
      expect(
        report.faults.map((f) => f.kind),
        summary,
      ).toEqual(['worker-kill', 'web-outage']);
      expect(report.options.webOutageS * 1000, summary).toBeGreaterThan((report.options.agentRetriesMs ?? []).reduce((a, b) => a + b, 0));
      // Every contract the agent took a payment for reached its contract and has exactly one order (items 1, 4).
      expect(report.contractsStarted, summary).toBe(options.contracts);
      expect(report.contractsCreated, summary).toBe(options.contracts);
      expect(report.paidAtAgent, summary).toBe(options.contracts);
      expect(report.ordered, summary).toBe(report.paidAtAgent);
      expect(report.lost, summary).toBe(0);
      expect(report.duplicateOrders, summary).toBe(0);
      expect(report.orderNumberGaps, summary).toBe(0);
      expect(report.stuck, summary).toBe(0);
      expect(report.failedWorkflows, summary).toBe(0);
      // No SMS twice (item 3); e-mails were sent at all (the duplicates the run allows are in formatReport).
      expect(report.duplicateSms, summary).toBe(0);
      expect(report.emails, summary).toBeGreaterThan(0);
      // Issue 14, R4.2: each contract's messages of submit, approval and order were queued, whichever way (none lost).
      expect(report.messagesMissing, summary).toBe(0);
      // A killed worker leaves nothing behind once its successor has started (item 6).
      expect(report.orphanChromium, summary).toBe(0);
      expect(report.leftoverTmpFiles, summary).toBe(0);
      // Latencies (p99 after a crash ≤ 15 s) are measured by `npm run chaos`, not asserted here.
      expect(report.driverErrors, summary).toEqual([]);
    },
  );
});
