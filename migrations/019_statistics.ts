import type { Knex } from 'knex';

/**
 * Statistics (R3.2, issue 11): the Presidium's figures over a million contracts in well under 200 ms.
 *
 * `statistics_cube` holds, per scope (`office`, `bureau:<id>`, `lawyer:<id>`), month and dimension
 * value, the number of contracts (or assigned cases), the orders issued and the Bar fees kept. The
 * read models keep it: a trigger on `contracts` and on `assignments` takes out what the row counted
 * before (OLD) and adds what it counts now (NEW), in the same transaction as the read-model write.
 * So a write repeated by a retried activity (which changes no row: the revision guard) counts
 * nothing twice, and amendments (a new order version), status changes and payment reversals (the
 * Bar fee kept goes down) move each figure by exactly their difference.
 *
 * - Contracts count from their submission: drafts and deleted drafts are not in the figures.
 * - A contract's month is its creation date in Baku time; an assigned case's month is its date of
 *   assignment. Orders issued (every version, each has its order number) and Bar fees kept count
 *   in the month of their contract.
 * - `bar_fee_kept_qepik` (new column of `contracts`) is what of the Bar fee the contract still
 *   keeps after reversals, written by `recordContract` (domain/contract/payments.ts barFeeKeptQepik).
 * - Each fact counts twice: in its month (span 'm') and in its year (span 'y'); a period of whole
 *   years reads one row a value and year instead of twelve.
 * - `statistics_rebuild()` recomputes the cube from the read models (this migration, the benchmark).
 * - The cube's text columns sort bytewise (COLLATE "C"): a scope's rows are grouped without the
 *   cost of a language's collation (tenfold on the office's 25,000 rows over three years).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('contracts', (t) => {
    t.bigInteger('bar_fee_kept_qepik').notNullable().defaultTo(0);
  });
  // Contracts written before: their unflagged Bar fee payments (a reversal before today is corrected by the contract's next write).
  await knex.raw(`
    UPDATE contracts c SET bar_fee_kept_qepik = p.kept
      FROM (SELECT contract_id, sum(amount_qepik) AS kept FROM payments WHERE kind = 'bar_fee' AND flag IS NULL GROUP BY contract_id) p
     WHERE p.contract_id = c.id`);

  await knex.raw(`
    CREATE TABLE statistics_cube (
      scope text COLLATE "C" NOT NULL,
      -- 'm': the month's figures; 'y': the year's (month = 1 January), so that whole years are read as one row each.
      span text COLLATE "C" NOT NULL CHECK (span IN ('m', 'y')),
      month date NOT NULL,
      dimension text COLLATE "C" NOT NULL,
      value text COLLATE "C" NOT NULL,
      n bigint NOT NULL DEFAULT 0,
      orders bigint NOT NULL DEFAULT 0,
      bar_fee_qepik bigint NOT NULL DEFAULT 0,
      bar_fees bigint NOT NULL DEFAULT 0,
      -- The figures in the key's leaf pages: a scope's months are read by an index-only scan.
      PRIMARY KEY (scope, span, month, dimension, value) INCLUDE (n, orders, bar_fee_qepik, bar_fees)
    )`);

  // What one contract row counts (sign 1) or takes back (sign -1); nothing for a draft, a deleted draft or a NULL row.
  await knex.raw(`
    CREATE FUNCTION statistics_contract_facts(c contracts, sign integer)
    RETURNS TABLE (scope text, month date, dimension text, value text, n bigint, orders bigint, bar_fee_qepik bigint, bar_fees bigint)
    LANGUAGE sql STABLE AS $$
      SELECT s.scope, (date_trunc('month', c.created_at AT TIME ZONE 'Asia/Baku'))::date, d.dimension, d.value,
             sign::bigint,
             CASE WHEN d.dimension = 'all' THEN sign * c.current_version::bigint ELSE 0 END,
             CASE WHEN d.dimension = 'all' THEN sign * c.bar_fee_kept_qepik ELSE 0 END,
             CASE WHEN d.dimension = 'all' AND c.bar_fee_kept_qepik > 0 THEN sign::bigint ELSE 0 END
        FROM (VALUES ('office'), ('bureau:' || c.bureau_id), ('lawyer:' || c.lawyer_id)) s(scope)
       CROSS JOIN LATERAL (VALUES ('all', ''), ('case_type', coalesce(c.case_type, '')), ('institution', coalesce(c.institution_id, '')),
                                  ('status', c.status), ('bureau', CASE WHEN s.scope = 'office' THEN c.bureau_id END)) d(dimension, value)
       WHERE c.status NOT IN ('draft', 'discarded') AND d.value IS NOT NULL
    $$`);
  await knex.raw(`
    CREATE FUNCTION statistics_assignment_facts(a assignments, sign integer)
    RETURNS TABLE (scope text, month date, dimension text, value text, n bigint, orders bigint, bar_fee_qepik bigint, bar_fees bigint)
    LANGUAGE sql STABLE AS $$
      SELECT s.scope, (date_trunc('month', a.assigned_at))::date, d.dimension, d.value, sign::bigint, 0::bigint, 0::bigint, 0::bigint
        FROM (VALUES ('office'), ('bureau:' || a.bureau_id), ('lawyer:' || a.lawyer_id)) s(scope)
       CROSS JOIN (VALUES ('assignment_court', a.court), ('assignment_status', a.status)) d(dimension, value)
       WHERE a.id IS NOT NULL
    $$`);

  // Adds the facts to the cube in key order (two writers touch shared rows in the same order: no deadlock).
  for (const [table, facts] of [
    ['contracts', 'statistics_contract_facts'],
    ['assignments', 'statistics_assignment_facts'],
  ] as const) {
    await knex.raw(`
      CREATE FUNCTION statistics_${table}_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO statistics_cube AS s (scope, span, month, dimension, value, n, orders, bar_fee_qepik, bar_fees)
        SELECT f.scope, sp.span, CASE WHEN sp.span = 'y' THEN date_trunc('year', f.month)::date ELSE f.month END, f.dimension, f.value,
               sum(f.n), sum(f.orders), sum(f.bar_fee_qepik), sum(f.bar_fees)
          FROM (SELECT * FROM ${facts}(OLD, -1) UNION ALL SELECT * FROM ${facts}(NEW, 1)) f CROSS JOIN (VALUES ('m'), ('y')) sp(span)
         GROUP BY 1, 2, 3, 4, 5
        HAVING sum(f.n) <> 0 OR sum(f.orders) <> 0 OR sum(f.bar_fee_qepik) <> 0 OR sum(f.bar_fees) <> 0
         ORDER BY 1, 2, 3, 4, 5
        ON CONFLICT (scope, span, month, dimension, value) DO UPDATE
           SET n = s.n + EXCLUDED.n, orders = s.orders + EXCLUDED.orders,
               bar_fee_qepik = s.bar_fee_qepik + EXCLUDED.bar_fee_qepik, bar_fees = s.bar_fees + EXCLUDED.bar_fees;
        RETURN NULL;
      END $$`);
    await knex.raw(
      `CREATE TRIGGER statistics_${table}_insert_delete AFTER INSERT OR DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION statistics_${table}_changed()`,
    );
  }
  // Updates that change no figure (a revision, a name, the lawyer's stage) leave the cube alone.
  await knex.raw(`
    CREATE TRIGGER statistics_contracts_update AFTER UPDATE ON contracts FOR EACH ROW
      WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.case_type IS DISTINCT FROM NEW.case_type
            OR OLD.institution_id IS DISTINCT FROM NEW.institution_id OR OLD.current_version IS DISTINCT FROM NEW.current_version
            OR OLD.bar_fee_kept_qepik IS DISTINCT FROM NEW.bar_fee_kept_qepik OR OLD.created_at IS DISTINCT FROM NEW.created_at
            OR OLD.lawyer_id IS DISTINCT FROM NEW.lawyer_id OR OLD.bureau_id IS DISTINCT FROM NEW.bureau_id)
      EXECUTE FUNCTION statistics_contracts_changed()`);
  await knex.raw(`
    CREATE TRIGGER statistics_assignments_update AFTER UPDATE ON assignments FOR EACH ROW
      WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.court IS DISTINCT FROM NEW.court OR OLD.assigned_at IS DISTINCT FROM NEW.assigned_at
            OR OLD.lawyer_id IS DISTINCT FROM NEW.lawyer_id OR OLD.bureau_id IS DISTINCT FROM NEW.bureau_id)
      EXECUTE FUNCTION statistics_assignments_changed()`);

  // The same facts for every row at once (a migration on existing data, the benchmark): one scan per table with grouping
  // sets, far faster than the facts function per row. The benchmark checks it against plain counts.
  const scopeOf = `CASE WHEN GROUPING(lawyer_id) = 0 THEN 'lawyer:' || lawyer_id WHEN GROUPING(bureau_id) = 0 THEN 'bureau:' || bureau_id ELSE 'office' END`;
  const sets = (dims: string[], withBureauDim: boolean) =>
    ['', 'bureau_id, ', 'lawyer_id, ']
      .flatMap((scope) => [...dims, ...(withBureauDim && scope === '' ? ['bureau_value'] : [])].map((d) => `(${scope}month${d ? `, ${d}` : ''})`))
      .join(', ');
  await knex.raw(`
    CREATE FUNCTION statistics_rebuild() RETURNS void LANGUAGE plpgsql AS $$
    BEGIN
      LOCK TABLE contracts, assignments IN SHARE MODE;
      DELETE FROM statistics_cube;
      INSERT INTO statistics_cube (scope, span, month, dimension, value, n, orders, bar_fee_qepik, bar_fees)
      SELECT scope, 'm', month, dimension, value, n,
             CASE WHEN dimension = 'all' THEN orders ELSE 0 END, CASE WHEN dimension = 'all' THEN fee ELSE 0 END, CASE WHEN dimension = 'all' THEN fees ELSE 0 END
        FROM (SELECT ${scopeOf} AS scope, month,
                     CASE WHEN GROUPING(case_type) = 0 THEN 'case_type' WHEN GROUPING(institution) = 0 THEN 'institution'
                          WHEN GROUPING(status) = 0 THEN 'status' WHEN GROUPING(bureau_value) = 0 THEN 'bureau' ELSE 'all' END AS dimension,
                     CASE WHEN GROUPING(case_type) = 0 THEN case_type WHEN GROUPING(institution) = 0 THEN institution
                          WHEN GROUPING(status) = 0 THEN status WHEN GROUPING(bureau_value) = 0 THEN bureau_value ELSE '' END AS value,
                     count(*) AS n, sum(current_version) AS orders, sum(bar_fee_kept_qepik) AS fee, count(*) FILTER (WHERE bar_fee_kept_qepik > 0) AS fees
                FROM (SELECT lawyer_id COLLATE "C" AS lawyer_id, bureau_id COLLATE "C" AS bureau_id, bureau_id COLLATE "C" AS bureau_value,
                             (date_trunc('month', created_at AT TIME ZONE 'Asia/Baku'))::date AS month, coalesce(case_type, '') COLLATE "C" AS case_type,
                             coalesce(institution_id, '') COLLATE "C" AS institution, status COLLATE "C" AS status, current_version, bar_fee_kept_qepik
                        FROM contracts WHERE status NOT IN ('draft', 'discarded')) c
               GROUP BY GROUPING SETS (${sets(['', 'case_type', 'institution', 'status'], true)})) g;
      INSERT INTO statistics_cube (scope, span, month, dimension, value, n)
      SELECT ${scopeOf}, 'm', month,
             CASE WHEN GROUPING(court) = 0 THEN 'assignment_court' ELSE 'assignment_status' END,
             CASE WHEN GROUPING(court) = 0 THEN court ELSE status END, count(*)
        FROM (SELECT lawyer_id COLLATE "C" AS lawyer_id, bureau_id COLLATE "C" AS bureau_id, (date_trunc('month', assigned_at))::date AS month,
                     court COLLATE "C" AS court, status COLLATE "C" AS status FROM assignments) a
       GROUP BY GROUPING SETS (${sets(['court', 'status'], false)});
      INSERT INTO statistics_cube (scope, span, month, dimension, value, n, orders, bar_fee_qepik, bar_fees)
      SELECT scope, 'y', date_trunc('year', month)::date, dimension, value, sum(n), sum(orders), sum(bar_fee_qepik), sum(bar_fees)
        FROM statistics_cube WHERE span = 'm' GROUP BY 1, 2, 3, 4, 5;
    END $$`);
  await knex.raw('SELECT statistics_rebuild()');
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['contracts', 'assignments']) {
    await knex.raw(`DROP TRIGGER IF EXISTS statistics_${table}_insert_delete ON ${table}`);
    await knex.raw(`DROP TRIGGER IF EXISTS statistics_${table}_update ON ${table}`);
    await knex.raw(`DROP FUNCTION IF EXISTS statistics_${table}_changed()`);
  }
  await knex.raw('DROP FUNCTION IF EXISTS statistics_rebuild()');
  await knex.raw('DROP FUNCTION IF EXISTS statistics_contract_facts(contracts, integer)');
  await knex.raw('DROP FUNCTION IF EXISTS statistics_assignment_facts(assignments, integer)');
  await knex.raw('DROP TABLE IF EXISTS statistics_cube');
  await knex.schema.alterTable('contracts', (t) => t.dropColumn('bar_fee_kept_qepik'));
}
