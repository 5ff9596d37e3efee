import type { Knex } from 'knex';
import * as foundation from './001_foundation';
import * as paymentRequests from './002_payment_requests';
import * as outboxDelivery from './003_outbox_delivery';
import * as dossier from './004_dossier';
import * as searchAndStages from './006_search_and_stages';
import * as assignments from './007_assignments';
import * as securityEvents from './008_security_events';
import * as accounts from './009_accounts';
import * as paymentReportsAndVerificationCodes from './010_payment_reports_and_verification_codes';
import * as barOfficeAccesses from './011_bar_office_accesses';
import * as adminRoles from './012_admin_roles';
import * as paymentEventDelivery from './013_payment_event_delivery';
import * as gaplessNumbersAndMessageKeys from './014_gapless_numbers_and_message_keys';
import * as lawyerRegister from './015_lawyer_register';
import * as messages from './016_messages';
import * as profiles from './017_profiles';
import * as seminars from './018_seminars';
import * as statistics from './019_statistics';
import * as accountLanguage from './020_account_language';
import * as contractRequestKeys from './021_contract_request_keys';
import * as calendar from './022_calendar';
import * as orderSignatures from './024_order_signatures';
import * as orderCourtCases from './025_order_court_cases';
import * as listKeysetIndexes from './026_list_keyset_indexes';
import * as scopedNameTrigrams from './027_scoped_name_trigrams';
import * as calendarFeedGeneration from './028_calendar_feed_generation';
import * as contractNameWords from './029_contract_name_words';

/** The migrations in order, imported statically so they run the same under tsx, vitest and a bundle. */
const MIGRATIONS: Record<string, Knex.Migration> = {
  '001_foundation': foundation,
  '002_payment_requests': paymentRequests,
  '003_outbox_delivery': outboxDelivery,
  '004_dossier': dossier,
  '006_search_and_stages': searchAndStages,
  '007_assignments': assignments,
  '008_security_events': securityEvents,
  '009_accounts': accounts,
  '010_payment_reports_and_verification_codes': paymentReportsAndVerificationCodes,
  '011_bar_office_accesses': barOfficeAccesses,
  '012_admin_roles': adminRoles,
  '013_payment_event_delivery': paymentEventDelivery,
  '014_gapless_numbers_and_message_keys': gaplessNumbersAndMessageKeys,
  '015_lawyer_register': lawyerRegister,
  '016_messages': messages,
  '017_profiles': profiles,
  '018_seminars': seminars,
  '019_statistics': statistics,
  '020_account_language': accountLanguage,
  '021_contract_request_keys': contractRequestKeys,
  '022_calendar': calendar,
  '024_order_signatures': orderSignatures,
  '025_order_court_cases': orderCourtCases,
  '026_list_keyset_indexes': listKeysetIndexes,
  '027_scoped_name_trigrams': scopedNameTrigrams,
  '028_calendar_feed_generation': calendarFeedGeneration,
  '029_contract_name_words': contractNameWords,
};

export const migrationSource: Knex.MigrationSource<string> = {
  getMigrations: () => Promise.resolve(Object.keys(MIGRATIONS)),
  getMigrationName: (name) => name,
  getMigration: (name) => Promise.resolve(MIGRATIONS[name]),
};

export async function migrateToLatest(db: Knex): Promise<string[]> {
  // knex types the answer as any: [batch number, names of the migrations applied].
  const [, applied] = (await db.migrate.latest({ migrationSource })) as [number, string[]];
  return applied;
}
