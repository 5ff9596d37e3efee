/**
 * The security events as the Bar office reads them (issue 9 item 10, ASVS 16.3): filtered by kind,
 * time (UTC) and subject, newest first, one page at a time. platform/security-events.ts writes
 * them; nothing in them is a secret or personal data, so they are shown as stored.
 */
import type { Knex } from 'knex';
import { SECURITY_EVENT_KINDS, type SecurityEventKind } from '../../platform/security-events';
import type { FieldError } from '../http/errors';

export interface SecurityEventFilter {
  kinds?: SecurityEventKind[];
  /** On or after (ISO 8601, or a day YYYY-MM-DD, read as UTC). */
  from?: string;
  /** Before this instant, or through this whole day (UTC). */
  to?: string;
  subject?: string;
  page: number;
  pageSize: number;
}

export interface ListedSecurityEvent {
  id: string;
  /** UTC, ISO 8601. */
  at: string;
  kind: SecurityEventKind;
  actor: { kind: string; id: string } | null;
  subject: string | null;
  ip: string | null;
  detail: Record<string, unknown>;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

/** A day or an instant as a UTC instant; `end` takes the day's end. */
function instant(value: string, end: boolean): Date | undefined {
  if (DAY.test(value)) {
    const d = new Date(`${value}T00:00:00Z`);
    if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== value) return undefined;
    return end ? new Date(d.getTime() + 86_400_000) : d;
  }
  if (!INSTANT.test(value)) return undefined;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** Reads the filters from a query string; each unknown value is an error at its field. */
export function parseSecurityEventQuery(query: Record<string, unknown>): { filter: SecurityEventFilter; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const one = (key: string): string | undefined => {
    const v = query[key];
    if (v === undefined || v === '') return undefined;
    if (typeof v !== 'string') {
      errors.push({ field: key, code: 'invalid', reason: 'office.events_filter_once' });
      return undefined;
    }
    return v.trim() || undefined;
  };
  const filter: SecurityEventFilter = { page: 1, pageSize: 50 };
  const kind = one('kind');
  if (kind !== undefined) {
    const kinds = kind.split(',').map((k) => k.trim());
    if (kinds.every((k) => (SECURITY_EVENT_KINDS as readonly string[]).includes(k))) filter.kinds = kinds as SecurityEventKind[];
    else errors.push({ field: 'kind', code: 'invalid', reason: 'office.events_kind_unknown' });
  }
  for (const key of ['from', 'to'] as const) {
    const v = one(key);
    if (v === undefined) continue;
    if (instant(v, key === 'to')) filter[key] = v;
    else errors.push({ field: key, code: 'invalid', reason: 'office.events_date_format' });
  }
  const subject = one('subject');
  if (subject !== undefined) {
    if (subject.length <= 200) filter.subject = subject;
    else errors.push({ field: 'subject', code: 'invalid', reason: 'office.events_subject_too_long' });
  }
  filter.page = Math.max(1, Math.floor(Number(one('page'))) || 1);
  filter.pageSize = Math.min(200, Math.max(1, Math.floor(Number(one('pageSize'))) || 50));
  return { filter, errors };
}

interface EventRow {
  id: string | number;
  at: Date;
  kind: SecurityEventKind;
  actor_kind: string | null;
  actor_id: string | null;
  subject: string | null;
  ip: string | null;
  detail: Record<string, unknown>;
}

export async function securityEvents(db: Knex, filter: SecurityEventFilter): Promise<{ total: number; events: ListedSecurityEvent[] }> {
  const q = db<EventRow>('security_events');
  if (filter.kinds?.length) void q.whereIn('kind', filter.kinds);
  if (filter.from) void q.where('at', '>=', instant(filter.from, false)!);
  if (filter.to) void q.where('at', '<', instant(filter.to, true)!);
  if (filter.subject) void q.where({ subject: filter.subject });
  const [{ count }] = await q.clone().count<[{ count: string | number }]>({ count: '*' });
  const rows = await q
    .orderBy('id', 'desc')
    .limit(filter.pageSize)
    .offset((filter.page - 1) * filter.pageSize)
    .select<EventRow[]>('*');
  return {
    total: Number(count),
    events: rows.map((r) => ({
      id: String(r.id),
      at: new Date(r.at).toISOString(),
      kind: r.kind,
      actor: r.actor_kind && r.actor_id ? { kind: r.actor_kind, id: r.actor_id } : null,
      subject: r.subject,
      ip: r.ip,
      detail: r.detail ?? {},
    })),
  };
}
