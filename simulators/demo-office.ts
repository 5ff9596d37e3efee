/**
 * The register's demo (issue 11): the demo bureaus' payment-agent contracts with numbers and dates
 * (the "no contract" bureau's has expired, so its lawyer is still refused at login, R2.1 ii), the
 * demo lawyers' practising-since dates, and a small history. Idempotent; development only.
 */
import type { Knex } from 'knex';
import { ALL_DEMO_LAWYERS, DEMO_BUREAUS } from './demo-data';

/** A contract that holds (valid from 2024 for three years) or one that ended at the end of 2025. */
const contractOf = (key: string, holds: boolean) =>
  holds
    ? { agent_contract_number: `AÖ-2024/${key.toUpperCase()}`, agent_contract_valid_from: '2024-01-01', agent_contract_valid_to: '2029-12-31' }
    : { agent_contract_number: `AÖ-2023/${key.toUpperCase()}`, agent_contract_valid_from: '2023-01-01', agent_contract_valid_to: '2025-12-31' };

export async function seedDemoOffice(trx: Knex.Transaction, adminId: string): Promise<void> {
  for (const b of DEMO_BUREAUS) await trx('bureaus').where({ id: b.key }).update(contractOf(b.key, b.hasPaymentAgentContract));
  for (const l of ALL_DEMO_LAWYERS) await trx('lawyers').where({ id: l.key }).update({ practising_since: l.practisingSince });
  const hasHistory = await trx('register_changes').where({ source: 'seed' }).first<{ id: number } | undefined>('id');
  if (hasHistory) return;
  const expired = DEMO_BUREAUS.find((b) => !b.hasPaymentAgentContract);
  await trx('register_changes').insert([
    ...ALL_DEMO_LAWYERS.map((l) => ({
      subject_kind: 'lawyer',
      subject_id: l.key,
      field: 'licenseNumber',
      old_value: null,
      new_value: l.licenseNumber,
      actor_kind: 'admin',
      actor_id: adminId,
      source: 'seed',
      at: '2026-01-15T09:00:00Z',
    })),
    ...(expired
      ? [
          {
            subject_kind: 'bureau',
            subject_id: expired.key,
            field: 'agentContractValidTo',
            old_value: null,
            new_value: '2025-12-31',
            actor_kind: 'admin',
            actor_id: adminId,
            source: 'seed',
            at: '2026-01-15T09:05:00Z',
          },
        ]
      : []),
  ]);
}
