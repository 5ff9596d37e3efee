/**
 * Order numbers without gaps (SPEC "The order": "numbered in a series, unique and without gaps";
 * R4.2.1; issue 10 item 4), on the suite's real PostgreSQL. Each test counts in a series of its own,
 * so the contracts other files issue (series EVO) do not move its numbers.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allocateOrderNumber, nextNumberInSeries } from '../../activities/contract/order-numbers';
import { connectDatabase, type Knex } from '../../platform/db';
import { testDatabaseUrl } from '../support/system';

let db: Knex;
const series = () => `TEST-${randomBytes(4).toString('hex')}`;

beforeAll(() => {
  db = connectDatabase(testDatabaseUrl(), 12);
});

afterAll(async () => {
  await db('number_series').where('series', 'like', 'TEST-%').delete();
  await db.destroy();
});

/** A transaction we end by hand, to hold a number open while another issuer asks. */
async function openTransaction(): Promise<Knex.Transaction> {
  return db.transaction();
}

describe('order numbers (issue 10 item 4, R4.2.1)', () => {
  it('issue 10 item 4: an issue rolled back while a second waits gives its number to the second — no gap, no duplicate', async () => {
    const s = series();
    const first = await openTransaction();
    expect(await nextNumberInSeries(first, s, 2026)).toBe(1);

    const second = await openTransaction();
    let secondGot: number | undefined;
    const secondAsk = nextNumberInSeries(second, s, 2026).then((n) => (secondGot = n));
    // The second waits on the first's lock: it cannot be given a number while the first may still commit.
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(secondGot).toBeUndefined();

    await first.rollback();
    expect(await secondAsk).toBe(1);
    await second.commit();

    const third = await openTransaction();
    expect(await nextNumberInSeries(third, s, 2026)).toBe(2);
    await third.commit();
  });

  it('issue 10 item 4: 30 concurrent issues of which every third fails leave the committed numbers 1..20, each once', async () => {
    const s = series();
    const committed: number[] = [];
    await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        db
          .transaction(async (trx) => {
            const n = await nextNumberInSeries(trx, s, 2026);
            if (i % 3 === 2) throw new Error('the order could not be recorded');
            committed.push(n);
          })
          .catch((error: Error) => expect(error.message).toBe('the order could not be recorded')),
      ),
    );
    expect(committed.sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    const row = await db('number_series').where({ series: s, year: 2026 }).first();
    expect(Number(row.last_number)).toBe(20);
  });

  it('R4.2.1 each year of issue is a series of its own, and the order number reads EVO-<year>-<n>', async () => {
    // A year no other test issues in, so the numbers are known.
    const year = 2900 + Math.floor(Math.random() * 90);
    await db('number_series').where({ series: 'EVO', year }).delete();
    try {
      const numbers = await db.transaction(async (trx) => [
        await allocateOrderNumber(trx, `${year}-03-01T10:00:00.000Z`),
        await allocateOrderNumber(trx, `${year}-12-31T23:59:59.000Z`),
        await allocateOrderNumber(trx, `${year + 1}-01-01T00:00:00.000Z`),
      ]);
      expect(numbers).toEqual([`EVO-${year}-000001`, `EVO-${year}-000002`, `EVO-${year + 1}-000001`]);
    } finally {
      await db('number_series')
        .where({ series: 'EVO' })
        .whereIn('year', [year, year + 1])
        .delete();
    }
  });
});
