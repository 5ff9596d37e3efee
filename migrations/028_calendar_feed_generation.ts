import type { Knex } from 'knex';

/**
 * Issue 12 (R8.4), the feed at scale. Phones ask for a lawyer's feed every few minutes and it rarely
 * changes, so the feed's text is kept (api/calendar/feed.ts) and brought up to date from what changed:
 *
 * - `calendar_feeds.generation` moves on with every change to one of the lawyer's meetings, and the
 *   changed meeting is stamped with the new value (`meetings.feed_generation`), so "what changed since
 *   generation g" is one index range. Concurrent writers of one lawyer's meetings queue on the feed's
 *   row, so generations are committed in order.
 * - `calendar_feeds.rebuild_from`: a meeting deleted (or moved to another lawyer) leaves no row to
 *   find, so a kept feed older than this is built again from all the meetings.
 *
 * Triggers do it, so no writer of `meetings` (the calendar's API, the hearings' sync, a repair by
 * hand) can forget to. A lawyer without a feed has no row to move: the first feed is built whole.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('calendar_feeds', (t) => {
    t.bigInteger('generation').notNullable().defaultTo(0);
    t.bigInteger('rebuild_from').notNullable().defaultTo(0);
  });
  await knex.schema.alterTable('meetings', (t) => {
    t.bigInteger('feed_generation');
    t.index(['lawyer_id', 'feed_generation'], 'meetings_lawyer_feed_generation');
  });
  await knex.raw(`
    CREATE FUNCTION evk_meeting_stamp() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      UPDATE calendar_feeds SET generation = generation + 1 WHERE lawyer_id = NEW.lawyer_id RETURNING generation INTO NEW.feed_generation;
      IF TG_OP = 'UPDATE' AND NEW.lawyer_id IS DISTINCT FROM OLD.lawyer_id THEN
        UPDATE calendar_feeds SET generation = generation + 1, rebuild_from = generation + 1 WHERE lawyer_id = OLD.lawyer_id;
      END IF;
      RETURN NEW;
    END $$`);
  await knex.raw(`
    CREATE FUNCTION evk_meeting_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      UPDATE calendar_feeds SET generation = generation + 1, rebuild_from = generation + 1 WHERE lawyer_id = OLD.lawyer_id;
      RETURN NULL;
    END $$`);
  await knex.raw('CREATE TRIGGER meetings_feed_stamp BEFORE INSERT OR UPDATE ON meetings FOR EACH ROW EXECUTE FUNCTION evk_meeting_stamp()');
  await knex.raw('CREATE TRIGGER meetings_feed_deleted AFTER DELETE ON meetings FOR EACH ROW EXECUTE FUNCTION evk_meeting_deleted()');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TRIGGER IF EXISTS meetings_feed_deleted ON meetings');
  await knex.raw('DROP TRIGGER IF EXISTS meetings_feed_stamp ON meetings');
  await knex.raw('DROP FUNCTION IF EXISTS evk_meeting_deleted()');
  await knex.raw('DROP FUNCTION IF EXISTS evk_meeting_stamp()');
  await knex.schema.alterTable('meetings', (t) => {
    t.dropIndex(['lawyer_id', 'feed_generation'], 'meetings_lawyer_feed_generation');
    t.dropColumn('feed_generation');
  });
  await knex.schema.alterTable('calendar_feeds', (t) => {
    t.dropColumn('rebuild_from');
    t.dropColumn('generation');
  });
}
