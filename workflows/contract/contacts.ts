/** R4.1.2, R4.4.4: a phone or e-mail belongs to the first person it was given for. */
import { ActivityFailure, ApplicationFailure } from '@temporalio/workflow';
import type { ContactClaim } from '../../activities/contract/types';
import { type ContractDraft, contactHolders, type FieldError, normalizeEmail, normalizePhone, personKey } from '../../domain/contract';
import { failure, invalidFields } from '../shared/failures';
import { claimContacts } from './activities';

/** Claims the contacts of these terms for their people; refuses at the field of a contact another person holds. */
export async function claimContactsOf(contractId: string, terms: ContractDraft): Promise<void> {
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
    await claimContacts({ contractId, claims });
  } catch (err) {
    if (err instanceof ActivityFailure && err.cause instanceof ApplicationFailure && err.cause.type === 'ContactTaken') {
      throw invalidFields((err.cause.details ?? []) as FieldError[]);
    }
    throw failure('Unavailable', 'contract.contact_check_unavailable');
  }
}
