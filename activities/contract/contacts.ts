/**
 * R4.1.2, R4.4.4: each phone and e-mail belongs to the first person it was given for. A contact held
 * by another person fails with type ContactTaken, whose details are the field errors (codes).
 */
import { ApplicationFailure } from '@temporalio/activity';
import type { Knex } from 'knex';
import type { ContactClaim } from './types';

interface ContactOwnerRow {
  contact: string;
  person_key: string;
  first_contract_id: string;
}

export async function claimContacts(db: Knex, { contractId, claims }: { contractId: string; claims: ContactClaim[] }): Promise<void> {
  await db.transaction(async (trx) => {
    for (const claim of claims) {
      for (const [kind, value] of [
        ['phone', claim.phone],
        ['email', claim.email],
      ] as const) {
        if (!value) continue;
        const contact = `${kind}:${value}`;
        await trx('contact_owners').insert({ contact, person_key: claim.personKey, first_contract_id: contractId }).onConflict('contact').ignore();
        const owner = await trx<ContactOwnerRow>('contact_owners').where({ contact }).first();
        if (!owner) throw new Error(`claimContacts: ${contact} has no owner after its insert`);
        if (owner.person_key !== claim.personKey) {
          const code = kind === 'phone' ? 'contract.phone_registered_elsewhere' : 'contract.email_registered_elsewhere';
          throw ApplicationFailure.create({ type: 'ContactTaken', message: code, nonRetryable: true, details: [{ field: `${claim.path}.${kind}`, code }] });
        }
      }
    }
  });
}
