/**
 * `npm run chaos` (issue 10, "What the project must contain"): contracts through create → submit →
 * approve → card payment → order over the real HTTP API while the run SIGKILLs the worker, kills
 * the worker's Chromium, restarts PostgreSQL (immediate stop), the Temporal dev server and the web
 * server, and holds a web outage and a Temporal outage each longer than the payment agent's
 * callback retries. Then it waits (bounded) until the contracts settle and prints what held.
 * Exit 1 when a must-hold fails. See docs/benchmarks.md, "## Chaos".
 *
 * Options (argv or environment):
 *   --contracts N         CHAOS_CONTRACTS         contracts (default 200)
 *   --concurrency C       CHAOS_CONCURRENCY       in flight at once (default 20)
 *   --duration S          CHAOS_DURATION_S        contracts are started evenly over S seconds (default: the fault timeline)
 *   --worker-kills K      CHAOS_WORKER_KILLS      SIGKILLs of the worker (default 3)
 *   --web-outage S        CHAOS_WEB_OUTAGE_S      web down for S seconds (default 100; 0 = none)
 *   --temporal-outage S   CHAOS_TEMPORAL_OUTAGE_S Temporal down for S seconds (default 100; 0 = none)
 *   --agent-retries a,b   CHAOS_AGENT_RETRIES_MS  the agent's callback retry waits, ms (default its own, ~81 s)
 *   --settle S            CHAOS_SETTLE_S          wait at most S seconds for the last orders (default 240)
 *   --gap S               CHAOS_GAP_S             seconds between faults (default 15)
 *   --think MS            CHAOS_THINK_MS          the payer's time on the agent's page, uniform in [0, MS] (default 8000)
 *   --short               CHAOS_SHORT=1           few contracts, one worker kill, one short web outage
 *                         EVK_CHAOS_POSTGRES_PORT the embedded PostgreSQL's port (default a free one)
 * Only loopback; only processes it started; its data in .bench-data/chaos/ (removed at the start of each run).
 */
import '../bench/env';
import fs from 'node:fs/promises';
import path from 'node:path';
import { runChaos, formatReport, parseChaosOptions } from './scenario';

async function main() {
  const options = parseChaosOptions(process.argv.slice(2), process.env);
  const dataDir = path.resolve(__dirname, '..', '.bench-data', 'chaos');
  const report = await runChaos({ ...options, dataDir, say: (m) => console.log(`[chaos] ${m}`) });
  console.log(formatReport(report));
  await fs.writeFile(path.join(dataDir, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
  process.exitCode = report.failures.length === 0 ? 0 : 1;
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 2;
});
