/**
 * Demo data for a newcomer (and the tests): the Bar's register of active lawyers, their bureaus,
 * a Bar office administrator and the institution list. Idempotent: runs on every start of
 * `npm start`. Never in production (issue 9 item 2): with NODE_ENV=production it refuses, and the
 * first Bar office account is made by `evk create-admin` (a one-time activation link, no default).
 */
import bcrypt from 'bcryptjs';
import type { Knex } from 'knex';
import { loadConfig } from '../platform/config';
import { fileStorageFor } from '../platform/file-storage';
import { ALL_DEMO_LAWYERS, DEMO_BUREAUS } from './demo-data';
import { seedDemoMessages } from './demo-messages';
import { seedDemoSeminars } from './demo-seminars';
import { seedDemoProfiles } from './demo-profile';
import { seedDemoOffice } from './demo-office';

export const DEMO_ADMIN = { id: 'admin-bar-office', login: 'admin', password: 'vekil-admin-2026', fullName: 'Rəyasət Heyətinin aparatı' };
/** Development only (issue 9 item 4): signs in on the Bar office's form, then reads payloads in the Temporal UI through the codec server. */
export const DEMO_OPERATOR = { id: 'operator-dev', login: 'operator', password: 'vekil-operator-2026', fullName: 'Sistem operatoru' };

export const INSTITUTIONS = [
  { id: 'baku-appeal-court', name: 'Bakı Apellyasiya Məhkəməsi', kind: 'court' },
  { id: 'supreme-court', name: 'Azərbaycan Respublikasının Ali Məhkəməsi', kind: 'court' },
  { id: 'baku-serious-crimes-court', name: 'Bakı Ağır Cinayətlər Məhkəməsi', kind: 'court' },
  { id: 'baku-administrative-court-1', name: 'Bakı 1 saylı İnzibati Məhkəmə', kind: 'court' },
  { id: 'baku-commercial-court', name: 'Bakı Kommersiya Məhkəməsi', kind: 'court' },
  { id: 'nasimi-district-court', name: 'Bakı şəhəri Nəsimi Rayon Məhkəməsi', kind: 'court' },
  { id: 'yasamal-district-court', name: 'Bakı şəhəri Yasamal Rayon Məhkəməsi', kind: 'court' },
  { id: 'sabail-district-court', name: 'Bakı şəhəri Səbail Rayon Məhkəməsi', kind: 'court' },
  { id: 'ganja-appeal-court', name: 'Gəncə Apellyasiya Məhkəməsi', kind: 'court' },
  { id: 'sumgait-city-court', name: 'Sumqayıt Şəhər Məhkəməsi', kind: 'court' },
  { id: 'baku-prosecutor', name: 'Bakı Şəhər Prokurorluğu', kind: 'prosecutor' },
  { id: 'nasimi-police', name: 'Nəsimi Rayon Polis İdarəsi', kind: 'police' },
  { id: 'yasamal-police', name: 'Yasamal Rayon Polis İdarəsi', kind: 'police' },
  { id: 'state-migration-service', name: 'Dövlət Miqrasiya Xidməti', kind: 'agency' },
  { id: 'notary-baku-1', name: 'Bakı şəhəri 1 saylı Dövlət Notariat Kontoru', kind: 'notary' },
] as const;

export class DemoDataInProductionError extends Error {
  constructor() {
    super(
      'NODE_ENV=production: demo data and the demo admin are never seeded; create the first Bar office account with `evk create-admin --login … --name "…"`',
    );
  }
}

export async function seedDemoData(db: Knex, env: NodeJS.ProcessEnv = process.env): Promise<{ lawyers: number; bureaus: number }> {
  if (env.NODE_ENV === 'production') throw new DemoDataInProductionError();
  await db.transaction(async (trx) => {
    for (const b of DEMO_BUREAUS) {
      await trx('bureaus')
        .insert({
          id: b.key,
          name: b.name,
          address: b.address,
          bank_account: b.bankAccount,
          individual: b.isIndividualPractice,
        })
        .onConflict('id')
        .merge();
    }
    for (const l of ALL_DEMO_LAWYERS) {
      await trx('lawyers')
        .insert({
          id: l.key,
          fin: l.fin,
          mobile_signature_user_id: l.mobileSignatureUserId,
          first_name: l.firstName,
          last_name: l.lastName,
          patronymic: l.patronymic,
          phone: l.phone,
          email: l.email,
          license_number: l.licenseNumber,
          bureau_id: l.bureauKey,
          is_head: l.isHead,
          on_active_register: l.onActiveList,
        })
        .onConflict('id')
        .merge();
    }
    for (const i of INSTITUTIONS) await trx('institutions').insert(i).onConflict('id').merge();
    await seedDemoSeminars(trx);
    await seedDemoProfiles(trx);
    const admin = await trx<{ id: string }>('admins').where({ id: DEMO_ADMIN.id }).first('id');
    if (!admin) {
      await trx('admins').insert({
        id: DEMO_ADMIN.id,
        login: DEMO_ADMIN.login,
        password_hash: await bcrypt.hash(DEMO_ADMIN.password, 10),
        full_name: DEMO_ADMIN.fullName,
      });
    }
    const operator = await trx<{ id: string }>('admins').where({ id: DEMO_OPERATOR.id }).first('id');
    if (!operator) {
      await trx('admins').insert({
        id: DEMO_OPERATOR.id,
        login: DEMO_OPERATOR.login,
        password_hash: await bcrypt.hash(DEMO_OPERATOR.password, 10),
        full_name: DEMO_OPERATOR.fullName,
        role: 'operator',
      });
    }
    await seedDemoOffice(trx, DEMO_ADMIN.id);
  });
  await seedDemoMessages(db, fileStorageFor(loadConfig(env)));
  return { lawyers: ALL_DEMO_LAWYERS.length, bureaus: DEMO_BUREAUS.length };
}
