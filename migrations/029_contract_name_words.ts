import type { Knex } from 'knex';

/**
 * Issue 14 (R4.8): a bureau head typing a person's surname and first name whole ("Sadıqova Emin",
 * docs/benchmarks.md "Filters, session 21"). Migration 027's GIN index finds such a name's few
 * hundred rows in the bureau, but it intersects the postings of every trigram of both words and
 * then reads and rechecks each candidate's row in the table: p99 80–155 ms at a million contracts,
 * most of it table pages read one by one, and worse when the planner takes a pair that has a few
 * thousand matches for a rare one.
 *
 * - `contract_name_words`: one row per distinct word of a contract's `names_folded` (split at its
 *   spaces), with the columns the bureau's lists filter on (the bureau, the status, created_at).
 *   Its index `(bureau_id, word, archived, created_at, contract_id) INCLUDE (status)` holds a word's
 *   entries in the bureau's current cases (or its archive) together, so one word of a search is one
 *   index range, read alone (no table).
 * - `contract_name_dictionary`: every word that was ever stored, with a trigram index: a word typed
 *   ("emin") is looked up there first ("emin", "eminov", …), and only then in the bureau's ranges,
 *   so that a search keeps matching any part of a name (`LIKE '%emin%'`). Words are only added; a
 *   word no contract has any more finds no rows in `contract_name_words`, which is what decides.
 * - Triggers keep the table in step with `contracts` whoever writes it (recordContract's upsert,
 *   the tests' and the benchmark's rows, a repair by hand, in replica mode too): an insert adds the
 *   words, an update of the names, the bureau, the status or created_at rewrites them, a delete
 *   removes them. An update that changes none of these (most read-model writes: a revision, a
 *   payment, the stage) does nothing; recordContract stays one statement.
 * - `contract_name_words_rebuild()` fills the table from `contracts` in one statement (this
 *   migration on an existing database, the benchmark after its fill without triggers), in the
 *   order of created_at, as the triggers would have written it.
 */
/** ARCHIVED_STATUSES (domain/contract) as this migration wrote them. */
const ARCHIVED = "('finished', 'terminated')";
const SYNC_COLUMNS = ['names_folded', 'bureau_id', 'status', 'created_at', 'id'];
/** The triggers on `contracts` (a bulk fill turns them off by these names, then calls contract_name_words_rebuild()). */
export const NAME_WORD_TRIGGERS = ['contract_name_words_insert', 'contract_name_words_update', 'contract_name_words_delete'];
/** The planner picks which word's range drives a search from the words' frequencies (see 027). */
const WORD_STATISTICS = 1000;

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE contract_name_words (
      contract_id text NOT NULL REFERENCES contracts (id) ON DELETE CASCADE ON UPDATE CASCADE,
      word text NOT NULL,
      bureau_id text NOT NULL,
      status text NOT NULL,
      -- The status is finished or terminated (ARCHIVED_STATUSES, R4.7): a bureau's current cases and its archive are ranges of their own.
      archived boolean NOT NULL,
      created_at timestamptz NOT NULL
    )`);
  await knex.raw(`ALTER TABLE contract_name_words ALTER COLUMN word SET STATISTICS ${WORD_STATISTICS}`);
  await knex.raw('CREATE TABLE contract_name_dictionary (word text PRIMARY KEY)');

  // The distinct words of one contract's names, as the table holds them.
  await knex.raw(`
    CREATE FUNCTION contract_name_words_of(names text) RETURNS SETOF text LANGUAGE sql IMMUTABLE AS $$
      SELECT DISTINCT w FROM unnest(string_to_array(names, ' ')) w WHERE w <> '' ORDER BY w
    $$`);
  await knex.raw(`
    CREATE FUNCTION contract_name_words_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'DELETE' THEN
        DELETE FROM contract_name_words WHERE contract_id = OLD.id;
        RETURN NULL;
      END IF;
      IF TG_OP = 'UPDATE' THEN
        DELETE FROM contract_name_words WHERE contract_id IN (OLD.id, NEW.id);
      END IF;
      IF TG_OP = 'INSERT' OR NEW.names_folded IS DISTINCT FROM OLD.names_folded THEN
        -- In word order: two writers adding the same new words take them in the same order (no deadlock).
        INSERT INTO contract_name_dictionary (word) SELECT w FROM contract_name_words_of(NEW.names_folded) w ON CONFLICT DO NOTHING;
      END IF;
      INSERT INTO contract_name_words (contract_id, word, bureau_id, status, archived, created_at)
      SELECT NEW.id, w, NEW.bureau_id, NEW.status, NEW.status IN ${ARCHIVED}, NEW.created_at FROM contract_name_words_of(NEW.names_folded) w;
      RETURN NULL;
    END $$`);
  await knex.raw(`
    CREATE TRIGGER contract_name_words_insert AFTER INSERT ON contracts FOR EACH ROW WHEN (NEW.names_folded <> '')
      EXECUTE FUNCTION contract_name_words_changed()`);
  await knex.raw(`
    CREATE TRIGGER contract_name_words_update AFTER UPDATE ON contracts FOR EACH ROW
      WHEN ((OLD.names_folded <> '' OR NEW.names_folded <> '') AND (${SYNC_COLUMNS.map((c) => `OLD.${c} IS DISTINCT FROM NEW.${c}`).join(' OR ')}))
      EXECUTE FUNCTION contract_name_words_changed()`);
  await knex.raw(`
    CREATE TRIGGER contract_name_words_delete AFTER DELETE ON contracts FOR EACH ROW WHEN (OLD.names_folded <> '')
      EXECUTE FUNCTION contract_name_words_changed()`);
  // Also for a session in replica mode (session_replication_role, which the tests and the benchmarks use to
  // write read-model rows without 019's statistics and the foreign keys): a list must never find a name
  // that is not, or miss one that is. A bulk fill turns them off by name and rebuilds (bench/filters.ts).
  for (const trigger of NAME_WORD_TRIGGERS) await knex.raw(`ALTER TABLE contracts ENABLE ALWAYS TRIGGER ${trigger}`);

  await knex.raw(`
    CREATE FUNCTION contract_name_words_rebuild() RETURNS void LANGUAGE plpgsql AS $$
    BEGIN
      LOCK TABLE contracts IN SHARE MODE;
      DELETE FROM contract_name_words;
      INSERT INTO contract_name_words (contract_id, word, bureau_id, status, archived, created_at)
      SELECT c.id, w, c.bureau_id, c.status, c.status IN ${ARCHIVED}, c.created_at
        FROM contracts c CROSS JOIN LATERAL contract_name_words_of(c.names_folded) w
       ORDER BY c.created_at, c.id;
      INSERT INTO contract_name_dictionary (word) SELECT DISTINCT word FROM contract_name_words ORDER BY 1 ON CONFLICT DO NOTHING;
    END $$`);
  // Filled first, then indexed (the key built from the rows is a quarter smaller than one filled row by row).
  await knex.raw('SELECT contract_name_words_rebuild()');
  await knex.raw('ALTER TABLE contract_name_words ADD PRIMARY KEY (contract_id, word)');
  await knex.raw('CREATE INDEX contract_name_words_bureau_word ON contract_name_words (bureau_id, word, archived, created_at, contract_id) INCLUDE (status)');
  await knex.raw('CREATE INDEX contract_name_dictionary_trgm ON contract_name_dictionary USING gin (word gin_trgm_ops)');
  await knex.raw('ANALYZE contract_name_words');
  await knex.raw('ANALYZE contract_name_dictionary');
}

export async function down(knex: Knex): Promise<void> {
  for (const trigger of NAME_WORD_TRIGGERS) await knex.raw(`DROP TRIGGER IF EXISTS ${trigger} ON contracts`);
  await knex.raw('DROP FUNCTION IF EXISTS contract_name_words_rebuild()');
  await knex.raw('DROP FUNCTION IF EXISTS contract_name_words_changed()');
  await knex.raw('DROP TABLE IF EXISTS contract_name_dictionary');
  await knex.raw('DROP TABLE IF EXISTS contract_name_words');
  await knex.raw('DROP FUNCTION IF EXISTS contract_name_words_of(text)');
}
