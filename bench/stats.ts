/** Small measuring helpers: percentiles, a concurrency pool, a shared read-model poller. */
import type { Knex } from '../platform/db';

export interface Summary {
  count: number;
  min: number;
  mean: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** Nearest-rank percentiles (p99 of 100 samples is the 99th smallest), in the input's unit. */
export function summarize(values: number[]): Summary {
  const sorted = [...values].filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  const n = sorted.length;
  if (n === 0) return { count: 0, min: NaN, mean: NaN, p50: NaN, p95: NaN, p99: NaN, max: NaN };
  const at = (p: number) => sorted[Math.min(n - 1, Math.max(0, Math.ceil((p / 100) * n) - 1))];
  const round = (v: number) => Math.round(v * 10) / 10;
  return {
    count: n,
    min: round(sorted[0]),
    mean: round(sorted.reduce((s, v) => s + v, 0) / n),
    p50: round(at(50)),
    p95: round(at(95)),
    p99: round(at(99)),
    max: round(sorted[n - 1]),
  };
}

/** Runs `task(i)` for i in [0, count) with at most `concurrency` at once; fails on the first error. */
export async function runPool(count: number, concurrency: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  let failed: unknown;
  const lane = async () => {
    while (failed === undefined && next < count) {
      const i = next++;
      try {
        await task(i);
      } catch (err) {
        failed ??= err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, lane));
  if (failed !== undefined) throw failed instanceof Error ? failed : new Error('A task failed with a non-Error value', { cause: failed });
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface ReadModelRow {
  id: string;
  applicant_account_id: string | null;
  current_version: number;
  status: string;
}

interface Waiter {
  id: string;
  until: (row: ReadModelRow) => boolean;
  deadline: number;
  resolve: (value: { at: number; row: ReadModelRow }) => void;
  reject: (err: Error) => void;
}

/**
 * Watches the contracts read model every `intervalMs` with one query for all waiters, so that
 * polling 10 contracts costs one small query per tick (not 10 requests through the web server).
 * A waiter resolves with the time of the tick whose query first saw its condition.
 */
export class ReadModelPoller {
  private readonly waiters = new Set<Waiter>();
  private running = false;
  queries = 0;

  constructor(
    private readonly db: Knex,
    private readonly intervalMs = 20,
  ) {}

  waitFor(id: string, until: (row: ReadModelRow) => boolean, timeoutMs = 60_000): Promise<{ at: number; row: ReadModelRow }> {
    return new Promise((resolve, reject) => {
      this.waiters.add({ id, until, deadline: Date.now() + timeoutMs, resolve, reject });
      if (!this.running) void this.loop();
    });
  }

  private async loop(): Promise<void> {
    this.running = true;
    try {
      while (this.waiters.size > 0) {
        const tick = Date.now();
        const ids = [...new Set([...this.waiters].map((w) => w.id))];
        this.queries += 1;
        const rows: ReadModelRow[] = await this.db('contracts').whereIn('id', ids).select('id', 'applicant_account_id', 'current_version', 'status');
        const byId = new Map(rows.map((r) => [r.id, r]));
        for (const w of [...this.waiters]) {
          const row = byId.get(w.id);
          if (row && w.until(row)) {
            this.waiters.delete(w);
            w.resolve({ at: tick, row });
          } else if (Date.now() > w.deadline) {
            this.waiters.delete(w);
            w.reject(new Error(`contract ${w.id}: the read model did not reach the expected state in time (last: ${JSON.stringify(row ?? null)})`));
          }
        }
        const wait = this.intervalMs - (Date.now() - tick);
        if (wait > 0) await sleep(wait);
      }
    } catch (err) {
      for (const w of this.waiters) w.reject(err as Error);
      this.waiters.clear();
    } finally {
      this.running = false;
    }
  }
}
