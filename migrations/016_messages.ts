import type { Knex } from 'knex';

/**
 * Messages (R7, issue 11): threads between the Bar office and lawyers.
 *
 * `message_threads`: a subject and an audience — `all` (every lawyer on the register), `bureau`
 * (`bureau_id`) or `lawyer` (`lawyer_id`: a private thread between the office and that lawyer,
 * started by either). It keeps who wrote last and when, so that an unread count is one indexed
 * query, and, for the office's read receipts, when the office last wrote and to how many active
 * lawyers it went then (`recipients_count`, counted at sending).
 * `messages`: the messages of a thread in order. `message_attachments`: their files (PDF, JPEG, PNG
 * checked by content), the bytes in the storage adapter. `message_reads`: when each reader last
 * read a thread — a lawyer (`lawyer`, their id) or the Bar office as one inbox (`office`, `office`).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('message_threads', (t) => {
    t.uuid('id').primary();
    t.text('subject').notNullable();
    t.text('audience').notNullable();
    t.text('bureau_id').references('bureaus.id');
    t.text('lawyer_id').references('lawyers.id');
    t.text('started_by_kind').notNullable();
    t.text('started_by_id').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('last_message_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.text('last_author_kind').notNullable();
    t.text('last_author_id').notNullable();
    t.timestamp('last_office_message_at', { useTz: true });
    t.integer('recipients_count').notNullable().defaultTo(0);
  });
  await knex.raw("ALTER TABLE message_threads ADD CONSTRAINT message_threads_audience CHECK (audience IN ('all', 'bureau', 'lawyer'))");
  await knex.raw(
    "ALTER TABLE message_threads ADD CONSTRAINT message_threads_addressed CHECK ((audience = 'bureau') = (bureau_id IS NOT NULL) AND (audience = 'lawyer') = (lawyer_id IS NOT NULL))",
  );
  await knex.raw("CREATE INDEX message_threads_all_idx ON message_threads (last_message_at DESC) WHERE audience = 'all'");
  await knex.raw('CREATE INDEX message_threads_bureau_idx ON message_threads (bureau_id, last_message_at DESC) WHERE bureau_id IS NOT NULL');
  await knex.raw('CREATE INDEX message_threads_lawyer_idx ON message_threads (lawyer_id, last_message_at DESC) WHERE lawyer_id IS NOT NULL');
  await knex.raw("CREATE INDEX message_threads_from_lawyers_idx ON message_threads (last_message_at DESC) WHERE last_author_kind = 'lawyer'");
  await knex.raw('CREATE INDEX message_threads_recent_idx ON message_threads (last_message_at DESC)');

  await knex.schema.createTable('messages', (t) => {
    t.uuid('id').primary();
    t.uuid('thread_id').notNullable().references('message_threads.id');
    t.text('author_kind').notNullable();
    t.text('author_id').notNullable();
    t.text('body').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.bigIncrements('seq', { primaryKey: false });
    t.index(['thread_id', 'seq']);
  });

  await knex.schema.createTable('message_attachments', (t) => {
    t.uuid('id').primary();
    t.uuid('message_id').notNullable().references('messages.id');
    t.uuid('thread_id').notNullable().references('message_threads.id');
    t.text('storage_key').notNullable();
    t.text('original_name').notNullable();
    /** Found from the content (magic bytes), never from the name or the browser's claim. */
    t.text('content_type').notNullable();
    t.bigInteger('size_bytes').notNullable();
    t.text('sha256').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['message_id']);
  });

  await knex.schema.createTable('message_reads', (t) => {
    t.uuid('thread_id').notNullable().references('message_threads.id');
    t.text('reader_kind').notNullable();
    t.text('reader_id').notNullable();
    t.timestamp('read_at', { useTz: true }).notNullable();
    t.primary(['thread_id', 'reader_kind', 'reader_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['message_reads', 'message_attachments', 'messages', 'message_threads']) await knex.schema.dropTableIfExists(table);
}
