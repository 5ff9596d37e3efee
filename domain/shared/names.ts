/** How people are named on lists, pages and documents: one function per way of naming. */

export interface PersonName {
  firstName?: string;
  lastName?: string;
  patronymic?: string;
}

/** The full name, surname first, as documents and lists of parties write it: "Məmmədov Əli Vəli oğlu" (R4.8). */
export function displayName(person: PersonName | undefined): string {
  if (!person) return '';
  return [person.lastName, person.firstName, person.patronymic].filter(Boolean).join(' ');
}

/** A lawyer or an applicant as pages and e-mails address them: first name, then surname. */
export function shortName(person: PersonName | undefined): string {
  if (!person) return '';
  return [person.firstName, person.lastName].filter(Boolean).join(' ');
}

/** A person's name from a database row's columns (`first_name`, `last_name`, `patronymic`). */
export function nameOfRow(row: { first_name?: string | null; last_name?: string | null; patronymic?: string | null }): PersonName {
  return { firstName: row.first_name ?? undefined, lastName: row.last_name ?? undefined, patronymic: row.patronymic ?? undefined };
}
