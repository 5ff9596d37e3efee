/**
 * The register's history (issue 11): every change of a lawyer's or a bureau's entry, field by field,
 * with who and when, shown on the entry's page. The values are the register's own (the Bar office
 * sees them anyway); they are never logged.
 */
import type { Knex } from 'knex';
import type { Actor } from '../../domain/shared/actor';

export type ChangeSource = 'form' | 'import' | 'api' | 'seed';

export interface RegisterChange {
  field: string;
  old: string | null;
  new: string | null;
}

export interface HistoryEntry extends RegisterChange {
  at: string;
  actor: { kind: string; id: string; name?: string };
  source: ChangeSource;
}

export async function recordChanges(
  trx: Knex | Knex.Transaction,
  subject: { kind: 'lawyer' | 'bureau'; id: string },
  changes: RegisterChange[],
  by: Pick<Actor, 'kind' | 'id'>,
  source: ChangeSource,
): Promise<void> {
  if (changes.length === 0) return;
  await trx('register_changes').insert(
    changes.map((c) => ({
      subject_kind: subject.kind,
      subject_id: subject.id,
      field: c.field,
      old_value: c.old,
      new_value: c.new,
      actor_kind: by.kind,
      actor_id: by.id,
      source,
    })),
  );
}

interface ChangeRow {
  field: string;
  old_value: string | null;
  new_value: string | null;
  actor_kind: string;
  actor_id: string;
  source: ChangeSource;
  at: Date;
  admin_name: string | null;
}

/** The subject's history, newest first, with the Bar office member's name. */
export async function historyOf(db: Knex, subject: { kind: 'lawyer' | 'bureau'; id: string }, limit = 200): Promise<HistoryEntry[]> {
  const rows = await db<ChangeRow>('register_changes as c')
    .leftJoin('admins as a', function () {
      this.on('a.id', '=', 'c.actor_id').andOnVal('c.actor_kind', '=', 'admin');
    })
    .where({ 'c.subject_kind': subject.kind, 'c.subject_id': subject.id })
    .orderBy([
      { column: 'c.at', order: 'desc' },
      { column: 'c.id', order: 'desc' },
    ])
    .limit(limit)
    .select<ChangeRow[]>('c.field', 'c.old_value', 'c.new_value', 'c.actor_kind', 'c.actor_id', 'c.source', 'c.at', 'a.full_name as admin_name');
  return rows.map((r) => ({
    field: r.field,
    old: r.old_value,
    new: r.new_value,
    at: new Date(r.at).toISOString(),
    actor: { kind: r.actor_kind, id: r.actor_id, ...(r.admin_name ? { name: r.admin_name } : {}) },
    source: r.source,
  }));
}
