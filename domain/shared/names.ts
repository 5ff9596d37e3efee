/** How people are named on lists, pages and documents. */

export interface PersonName {
  firstName?: string;
  lastName?: string;
  patronymic?: string;
}

/** The natural-person names a contract is listed and filtered under (R4.8). */
export function displayName(person: PersonName | undefined): string {
  if (!person) return '';
  return [person.lastName, person.firstName, person.patronymic].filter(Boolean).join(' ');
}
