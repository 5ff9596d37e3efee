/**
 * R4.1.2, R4.4.4: each phone and e-mail belongs to the first person it was given for. A contact held
 * by another person fails with type ContactTaken, whose details are the field errors (codes).
 */
import { ApplicationFailure } from '@temporalio/activity';
import type { Knex } from 'knex';
import { valuesPlaceholders } from '../../platform/db';
import type { ContactClaim } from './types';

interface Wanted {
  contact: string;
  personKey: string;
  field: string;
  kind: 'phone' | 'email';
}

/**
 * Claims every contact of the claims in one statement (issue 14: one round trip, not two per contact
 * inside a transaction): the contacts nobody holds become this person's, and the statement answers
 * who holds each. A contact inserted meanwhile by a concurrent claim (not yet in the statement's
 * snapshot) is read again once that claim has committed.
 */
export async function claimContacts(db: Knex, { contractId, claims }: { contractId: string; claims: ContactClaim[] }): Promise<void> {
  const wanted: Wanted[] = [];
  for (const claim of claims) {
    for (const [kind, value] of [
      ['phone', claim.phone],
      ['email', claim.email],
    ] as const) {
      if (value) wanted.push({ contact: `${kind}:${value}`, personKey: claim.personKey, field: `${claim.path}.${kind}`, kind });
    }
  }
  if (wanted.length === 0) return;
  const { rows } = await db.raw<{ rows: { contact: string; holder: string | null }[] }>(
    `WITH wanted (contact, person_key) AS (VALUES ${valuesPlaceholders(wanted.length, ['text', 'text'])}),
     claimed AS (
       INSERT INTO contact_owners (contact, person_key, first_contract_id)
       SELECT contact, person_key, ? FROM wanted
       ON CONFLICT (contact) DO NOTHING
       RETURNING contact, person_key)
     SELECT w.contact, COALESCE(c.person_key, o.person_key) AS holder
       FROM wanted w
       LEFT JOIN claimed c ON c.contact = w.contact
       LEFT JOIN contact_owners o ON o.contact = w.contact`,
    [...wanted.flatMap((w) => [w.contact, w.personKey]), contractId],
  );
  const holders = new Map(rows.map((r) => [r.contact, r.holder]));
  const unseen = wanted.filter((w) => !holders.get(w.contact)).map((w) => w.contact);
  if (unseen.length > 0) {
    const later = await db<{ contact: string; person_key: string }>('contact_owners').whereIn('contact', unseen).select('contact', 'person_key');
    for (const r of later) holders.set(r.contact, r.person_key);
  }
  for (const w of wanted) {
    const holder = holders.get(w.contact);
    if (!holder) throw new Error(`claimContacts: ${w.contact} has no owner after its insert`);
    if (holder !== w.personKey) {
      const code = w.kind === 'phone' ? 'contract.phone_registered_elsewhere' : 'contract.email_registered_elsewhere';
      throw ApplicationFailure.create({ type: 'ContactTaken', message: code, nonRetryable: true, details: [{ field: w.field, code }] });
    }
  }
}
