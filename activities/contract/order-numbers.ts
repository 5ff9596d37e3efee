/**
 * Order numbers without gaps (SPEC "The order": "numbered in a series, unique and without gaps";
 * R4.2.1; issue 10 item 4). The Bar's auditors count the numbers, so they are not taken from a
 * PostgreSQL sequence (logged ahead in blocks: an immediate stop skips up to 32, a rolled-back
 * transaction burns one) but from a counter row per series and year (table `number_series`,
 * migration 014), incremented inside the caller's transaction — the one that records the order.
 *
 * The UPDATE takes the row's lock (as SELECT … FOR UPDATE would) and holds it until that
 * transaction ends: a second issuer of the same year waits, then reads the committed value. If the
 * first rolls back (or its process dies, or PostgreSQL crashes before the commit), the increment is
 * undone with it and the waiting issuer gets the same number: no gap, no duplicate. The price is that
 * orders of one year are numbered one at a time, so the caller keeps the transaction short (no
 * rendering, no network inside it).
 */
import type { Knex } from 'knex';
import { orderNumberOf } from '../../domain/contract/numbering';

/** The series of the contract orders (R4.2.1): EVO-<year>-<n>. */
export const ORDER_SERIES = 'EVO';

/**
 * The next number of `series` in `year`, taken inside `trx` (which must be a transaction: the
 * number is only given for good when it commits).
 */
export async function nextNumberInSeries(trx: Knex.Transaction, series: string, year: number): Promise<number> {
  // One statement: the year's first number creates its row (a concurrent first waits on the key, then
  // takes the next); every other locks the row and counts on. The lock is held until `trx` ends.
  const { rows } = await trx.raw<{ rows: { last_number: string }[] }>(
    `INSERT INTO number_series (series, year, last_number) VALUES (?, ?, 1)
       ON CONFLICT (series, year) DO UPDATE SET last_number = number_series.last_number + 1, updated_at = now()
     RETURNING last_number`,
    [series, year],
  );
  if (rows.length !== 1) throw new Error(`number series ${series}/${year}: no counter row`);
  return Number(rows[0].last_number);
}

/** The order number of an order issued at `issuedAt` (ISO): EVO-<year of issue>-<next in that year>. */
export async function allocateOrderNumber(trx: Knex.Transaction, issuedAt: string): Promise<string> {
  const year = Number(issuedAt.slice(0, 4));
  if (!Number.isInteger(year) || year < 2000) throw new Error(`allocateOrderNumber: not an ISO date: ${issuedAt}`);
  return orderNumberOf(issuedAt, await nextNumberInSeries(trx, ORDER_SERIES, year));
}
