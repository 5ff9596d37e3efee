/**
 * What waits for the Bar office (issue 11): a count per source, each with the page that lists it.
 * Another area adds its source with one line in DASHBOARD_SOURCES (its words are
 * `dashboard.<key>` in its own locale file).
 */
import type { Knex } from 'knex';
import { bakuToday } from '../../domain/access';
import { unreadForOffice } from '../messages/service';
import { pendingProfileChanges } from '../profile/service';
import { pendingSeminarRegistrations } from '../seminars/service';

export interface DashboardSource {
  key: string;
  count(db: Knex): Promise<number>;
  href: string;
}

const countOf = async (query: Knex.QueryBuilder): Promise<number> => {
  const [{ count }] = (await query.count<{ count: string | number }[]>('* as count')) as { count: string | number }[];
  return Number(count);
};

/** Bureaus whose payment-agent contract does not hold today: their lawyers are refused at login (R2.1 ii). */
const withoutValidContract = (db: Knex, today: string) =>
  db('bureaus').where((w) => {
    void w
      .whereNull('agent_contract_number')
      .orWhereNull('agent_contract_valid_from')
      .orWhere('agent_contract_valid_from', '>', today)
      .orWhere('agent_contract_valid_to', '<', today);
  });

export const DASHBOARD_SOURCES: DashboardSource[] = [
  { key: 'profile_changes_pending', href: '/admin/profile-changes', count: pendingProfileChanges },
  { key: 'messages_unread', href: '/admin/messages', count: unreadForOffice },
  { key: 'seminar_registrations_recent', href: '/admin/seminars', count: pendingSeminarRegistrations },
  { key: 'assignments_awaiting_approval', href: '/admin', count: (db) => countOf(db('assignments').where({ status: 'awaiting_approval' })) },
  { key: 'bureaus_without_agent_contract', href: '/admin/bureaus?contract=invalid', count: (db) => countOf(withoutValidContract(db, bakuToday())) },
  {
    key: 'agent_contracts_ending',
    href: '/admin/bureaus?contract=ending',
    count: (db) => countOf(endingWithin(db, bakuToday(), 30)),
  },
];

/** Bureaus whose contract ends within `days` (renew it before the lawyers are refused). */
export function endingWithin(db: Knex, today: string, days: number) {
  return db('bureaus')
    .whereNotNull('agent_contract_number')
    .where('agent_contract_valid_from', '<=', today)
    .whereBetween('agent_contract_valid_to', [today, db.raw(`?::date + ?::int`, [today, days])]);
}

export { withoutValidContract };

export interface DashboardItem {
  key: string;
  count: number;
  href: string;
}

export async function officeDashboard(db: Knex, sources: DashboardSource[] = DASHBOARD_SOURCES): Promise<DashboardItem[]> {
  return Promise.all(sources.map(async (s) => ({ key: s.key, href: s.href, count: await s.count(db) })));
}
