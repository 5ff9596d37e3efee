import type { NaturalPerson } from '../contract';
import { normalizeEmail, normalizePhone } from '../shared/identifiers';

/**
 * R4.3.1, issue 9 item 1: the contact an applicant's cabinet is keyed by — the e-mail written on the
 * contract, else its phone. The cabinet is opened for it, and the messages about the contract are
 * written in that cabinet's language (issue 11).
 */
export function cabinetContact(person: Partial<NaturalPerson>): { key: string; channel: 'email' | 'sms'; address: string } | undefined {
  const email = person.email ? normalizeEmail(person.email) : '';
  if (email) return { key: `email:${email}`, channel: 'email', address: email };
  const phone = person.phone ? normalizePhone(person.phone) : '';
  if (phone) return { key: `phone:${phone}`, channel: 'sms', address: phone };
  return undefined;
}
