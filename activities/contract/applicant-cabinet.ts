/**
 * R4.3.1: the applicant's cabinet, one account per person; the login and a one-time password go out
 * once (the password only encrypted in the outbox).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/activity';
import bcrypt from 'bcryptjs';
import type { Knex } from 'knex';
import { displayName, foldForSearch, type NaturalPerson, personKey } from '../../domain/contract';
import { encryptSecret } from '../../platform/secret-box';
import { enqueue, messageContext } from './notifications-queue';
import { loadView } from './read-model';

export interface ApplicantCabinetDeps {
  db: Knex;
  publicUrl: string;
  secretKey: string;
}

export async function openApplicantCabinet(
  deps: ApplicantCabinetDeps,
  { contractId, atRevision }: { contractId: string; atRevision: number },
): Promise<{ accountId: string }> {
  const { db } = deps;
  const view = await loadView(db, contractId, atRevision);
  const applicant = (view.terms?.applicant ?? view.draft.applicant) as NaturalPerson;
  const key = personKey(applicant);
  if (!key) throw ApplicationFailure.create({ type: 'InvalidContract', message: 'contract.applicant_without_key', nonRetryable: true });
  return db.transaction(async (trx) => {
    const existing = await trx<{ id: string; person_key: string }>('applicant_accounts').where({ person_key: key }).first('id');
    if (existing) return { accountId: existing.id };
    const accountId = randomUUID();
    const login = await uniqueLogin(trx, applicant);
    const password = randomBytes(9).toString('base64url');
    await trx('applicant_accounts').insert({
      id: accountId,
      person_key: key,
      login,
      password_hash: await bcrypt.hash(password, 10),
      full_name: displayName(applicant),
      phone: applicant.phone ?? null,
      email: applicant.email ?? null,
    });
    const context = await messageContext(deps.publicUrl, trx, view);
    await enqueue(trx, view, 'cabinet_credentials', `cabinet:${accountId}`, ['applicant'], { ...context, login }, encryptSecret(deps.secretKey, password));
    return { accountId };
  });
}

async function uniqueLogin(trx: Knex.Transaction, person: NaturalPerson): Promise<string> {
  const base = foldForSearch(`${person.firstName}.${person.lastName}`).replace(/[^a-z0-9.]/g, '') || 'applicant';
  for (let attempt = 0; ; attempt++) {
    const login = attempt === 0 ? base : `${base}${attempt + 1}`;
    if (!(await trx('applicant_accounts').where({ login }).first('id'))) return login;
  }
}
