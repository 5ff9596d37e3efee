/** R4.1.2, R4.4.4: a phone or e-mail belongs to the first person it was given for. */
import { ActivityFailure, ApplicationFailure } from '@temporalio/workflow';
import type { ContactClaim } from '../../activities/contract/types';
import { type ContractDraft, contactHolders, type FieldError, normalizeEmail, normalizePhone, personKey } from '../../domain/contract';
import { failure, invalidFields } from '../shared/failures';
import { claimContacts, claimContactsLocally, CONTACTS_CLAIMED_LOCALLY_PATCH } from './activities';
import type { ContractRun } from './run';

/** Claims the contacts of these terms for their people; refuses at the field of a contact another person holds. */
export async function claimContactsOf(run: ContractRun, terms: ContractDraft): Promise<void> {
  const { contractId } = run.state;
  const claims: ContactClaim[] = contactHolders(terms)
    .map(({ path, person }) => ({
      path,
      personKey: personKey(person) ?? '',
      phone: person.phone ? normalizePhone(person.phone) : undefined,
      email: person.email ? normalizeEmail(person.email) : undefined,
    }))
    .filter((c) => c.personKey !== '' && (c.phone || c.email));
  if (claims.length === 0) return;
  try {
    // Issue 14: a local activity in histories with the marker (CONTACTS_CLAIMED_LOCALLY_PATCH).
    await (run.versions.has(CONTACTS_CLAIMED_LOCALLY_PATCH) ? claimContactsLocally : claimContacts)({ contractId, claims });
  } catch (err) {
    // An activity's refusal comes as the cause of an ActivityFailure; a local activity's as itself.
    const refusal = err instanceof ActivityFailure ? err.cause : err;
    if (refusal instanceof ApplicationFailure && refusal.type === 'ContactTaken') {
      throw invalidFields((refusal.details ?? []) as FieldError[]);
    }
    throw failure('Unavailable', 'contract.contact_check_unavailable');
  }
}
