/**
 * The Bar office in the tests (issue 9 item 6): an account of its own, and the personal data of a
 * contract that must not reach anyone who may not see it.
 */
import bcrypt from 'bcryptjs';
import { randomBytes } from 'node:crypto';
import type { ContractDraft } from '../../domain/contract';
import { type ContractDetails, expectStatus, webUrl } from './api';
import { HttpClient } from './http-client';
import { completeDraft, type TestSystem, uniquePerson } from './system';

/** A Bar office account of its own, logged in (the seeded one may not exist in production). */
export async function loginNewAdmin(system: TestSystem, fullName = 'Kollegiya əməkdaşı'): Promise<{ browser: HttpClient; id: string }> {
  const tag = randomBytes(4).toString('hex');
  const id = `admin-${tag}`;
  const password = `admin-test-password-${tag}`;
  await system.db('admins').insert({ id, login: `office.${tag}`, full_name: fullName, password_hash: await bcrypt.hash(password, 4) });
  const browser = new HttpClient(webUrl(system));
  expectStatus(await browser.post('/api/auth/admin/login', { login: `office.${tag}`, password }), 200, 'admin login');
  return { browser, id };
}

/** A contract whose people, assignment and price appear in no other test's contract, so finding them anywhere is a leak. */
export function distinctiveDraft(): ContractDraft {
  return completeDraft({
    applicant: uniquePerson({
      firstName: 'Zümrüdxanım',
      lastName: 'Matrisova',
      patronymic: 'Yusif qızı',
      birthDate: '1979-03-17',
      address: 'Gəncə şəhəri, Nizami küçəsi 71',
    }),
    protectedPerson: uniquePerson({
      firstName: 'Tofiqbəy',
      lastName: 'Gizlinov',
      patronymic: 'Nadir oğlu',
      birthDate: '2001-09-23',
      address: 'Sumqayıt şəhəri, 9-cu məhəllə',
      phone: undefined,
      email: undefined,
    }),
    assignment: 'Məxfi tapşırıq: istintaqda müdafiə (matris yoxlaması).',
    price: { totalQepik: 98_765, plan: 'single' },
  });
}

/** What of the contract's people, assignment and price must not reach someone who may not see it. */
export function personalDataOf(details: ContractDetails): string[] {
  const terms = details.contract.terms!;
  const people = [terms.applicant, terms.protectedPerson].filter((p): p is NonNullable<typeof p> => Boolean(p));
  const values = people.flatMap((p) => [p.fin, p.firstName, p.lastName, p.patronymic, p.birthDate, p.address, p.phone, p.email]);
  return [...new Set([...values, terms.assignment, String(terms.price.totalQepik)])].filter((v): v is string => typeof v === 'string' && v.length >= 4);
}
