/**
 * The side effects of a profile change request's workflow (R8.2): its read model (and the lawyer's
 * verified values once approved, in the same transaction), the office's reminder, the lawyer's
 * notice. Each is idempotent: a retried write of an older revision changes nothing, a message is
 * queued once per request and address.
 */
import type { Knex } from 'knex';
import type { ProfileChangeActivities, ProfileChangeView } from '../../workflows/profile/messages';
import type { Locale } from '../../locales';
import { recipientLanguage } from '../notifications/recipient-language';
import { composeProfileMessage } from './messages';

export interface ProfileActivityDeps {
  db: Knex;
  publicUrl: string;
  /** Where the office's reminders go; without it the reminder only marks the request in the queue. */
  officeEmail?: string;
}

async function queueEmail(db: Knex, dedupeKey: string, recipient: string, message: { subject: string; body: string }, locale: Locale = 'az') {
  await db('outbox')
    .insert({ dedupe_key: dedupeKey, channel: 'email', recipient, subject: message.subject, body: message.body, locale })
    .onConflict('dedupe_key')
    .ignore();
}

export function createProfileActivities(deps: ProfileActivityDeps): ProfileChangeActivities {
  const { db } = deps;

  async function recordProfileChange(view: ProfileChangeView): Promise<void> {
    await db.transaction(async (trx) => {
      const row = {
        id: view.changeId,
        lawyer_id: view.lawyerId,
        status: view.status,
        requested: JSON.stringify(view.requested),
        reason: view.decision?.reason ?? null,
        decided_by: view.decision?.by ?? null,
        submitted_at: view.submittedAt,
        decided_at: view.decision?.at ?? null,
        reminded_at: view.remindedAt ?? null,
        revision: view.revision,
        updated_at: trx.fn.now(),
      };
      const written = await trx('profile_changes').insert(row).onConflict('id').merge().where('profile_changes.revision', '<', view.revision).returning('id');
      if (written.length === 0 || view.status !== 'approved') return;
      const { email, phone, address, photo } = view.requested;
      const values: Record<string, string> = {};
      if (email !== undefined) values.email = email;
      // The contact phone only: `lawyers.phone` is the mobile-signature login (R2.3).
      if (phone !== undefined) values.contact_phone = phone;
      if (address !== undefined) values.postal_address = address;
      if (photo) Object.assign(values, { photo_key: photo.key, photo_type: photo.type });
      if (Object.keys(values).length > 0) await trx('lawyers').where({ id: view.lawyerId }).update(values);
    });
  }

  async function remindOfficeOfProfileChange({ changeId }: { changeId: string }): Promise<void> {
    await db('profile_changes').where({ id: changeId, status: 'pending' }).whereNull('reminded_at').update({ reminded_at: db.fn.now() });
    if (!deps.officeEmail) return;
    const message = composeProfileMessage('az', { kind: 'office_reminder', queueUrl: `${deps.publicUrl}/admin/profile-changes` });
    await queueEmail(db, `profile-change:${changeId}:reminder:${deps.officeEmail}`, deps.officeEmail, message);
  }

  async function notifyLawyerOfProfileDecision(input: { changeId: string; lawyerId: string; status: ProfileChangeView['status'] }): Promise<void> {
    if (input.status !== 'approved' && input.status !== 'rejected') return;
    const lawyer = await db<{ id: string; email: string | null }>('lawyers').where({ id: input.lawyerId }).first('email');
    if (!lawyer?.email) return;
    const locale = await recipientLanguage(db, { kind: 'lawyer', id: input.lawyerId });
    const message = composeProfileMessage(locale, { kind: 'decision', status: input.status, profileUrl: `${deps.publicUrl}/profile` });
    await queueEmail(db, `profile-change:${input.changeId}:${input.status}:${lawyer.email}`, lawyer.email, message, locale);
  }

  return { recordProfileChange, remindOfficeOfProfileChange, notifyLawyerOfProfileDecision };
}
