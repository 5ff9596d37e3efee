/**
 * Demo data of "Profil" (R8.1–R8.3, issue 11): the Bar office's list of specialisations, and for the
 * demo lawyers their achievements, education and specialisations, plus (in
 * `npm start`) one pending change request with its running workflow, so the office's queue shows
 * something. Idempotent: what a lawyer has changed since is left alone. Development only.
 */
import type { Client } from '@temporalio/client';
import type { Knex } from 'knex';
import { ProfileGateway } from '../api/profile/gateway';
import { ALL_DEMO_LAWYERS } from './demo-data';

export const DEMO_SPECIALISATIONS = [
  { id: 'criminal', name: 'Cinayət hüququ' },
  { id: 'civil', name: 'Mülki hüquq' },
  { id: 'family', name: 'Ailə hüququ' },
  { id: 'labour', name: 'Əmək hüququ' },
  { id: 'administrative', name: 'İnzibati hüquq' },
  { id: 'commercial', name: 'Kommersiya hüququ' },
  { id: 'tax', name: 'Vergi hüququ' },
  { id: 'migration', name: 'Miqrasiya hüququ' },
  { id: 'human-rights', name: 'İnsan hüquqları' },
] as const;

const DEMO_PROFILES: Record<
  string,
  { achievements: string[]; education: { id: string; institution: string; degree: string; year: number }[]; specialisations: string[]; address: string }
> = {
  'head-huseynova': {
    achievements: ['Vəkillər Kollegiyasının fəxri fərmanı (2019)', 'Avropa İnsan Hüquqları Məhkəməsində 3 iş üzrə qələbə'],
    education: [
      { id: '00000000-0000-4000-8000-00000000a001', institution: 'Bakı Dövlət Universiteti', degree: 'Hüquq üzrə magistr', year: 2002 },
      { id: '00000000-0000-4000-8000-00000000a002', institution: 'Bakı Dövlət Universiteti', degree: 'Hüquq üzrə bakalavr', year: 2000 },
    ],
    specialisations: ['criminal', 'human-rights'],
    address: 'Bakı şəhəri, Nəsimi rayonu, Füzuli küçəsi 12',
  },
  'lawyer-mammadov': {
    achievements: ['Gənc vəkillər müsabiqəsinin qalibi (2017)'],
    education: [
      { id: '00000000-0000-4000-8000-00000000a003', institution: 'Azərbaycan Dövlət İqtisad Universiteti', degree: 'Hüquq üzrə bakalavr', year: 2013 },
    ],
    specialisations: ['criminal', 'civil'],
    address: 'Bakı şəhəri, Yasamal rayonu, Şərifzadə küçəsi 5',
  },
  'lawyer-qasimova': {
    achievements: [],
    education: [{ id: '00000000-0000-4000-8000-00000000a004', institution: 'Bakı Dövlət Universiteti', degree: 'Hüquq üzrə magistr', year: 2017 }],
    specialisations: ['family', 'labour'],
    address: 'Bakı şəhəri, Xətai rayonu, Babək prospekti 20',
  },
  'individual-quliyev': {
    achievements: ['Kommersiya arbitrajında 50-dən çox iş'],
    education: [{ id: '00000000-0000-4000-8000-00000000a005', institution: 'Gəncə Dövlət Universiteti', degree: 'Hüquq üzrə bakalavr', year: 2008 }],
    specialisations: ['commercial', 'tax'],
    address: 'Gəncə şəhəri, Kəpəz rayonu, Atatürk prospekti 8',
  },
};

/** The list and the demo lawyers' profiles; called by seedDemoData inside its transaction. */
export async function seedDemoProfiles(trx: Knex | Knex.Transaction): Promise<void> {
  for (const s of DEMO_SPECIALISATIONS) await trx('specialisations').insert(s).onConflict('id').ignore();
  for (const [lawyerId, p] of Object.entries(DEMO_PROFILES)) {
    const demo = ALL_DEMO_LAWYERS.find((l) => l.key === lawyerId);
    if (!demo || !(await trx('lawyers').where({ id: lawyerId }).first('id'))) continue;
    await trx('lawyer_profiles')
      .insert({ lawyer_id: lawyerId, achievements: JSON.stringify(p.achievements) })
      .onConflict('lawyer_id')
      .ignore();
    for (const e of p.education)
      await trx('lawyer_education')
        .insert({ ...e, lawyer_id: lawyerId })
        .onConflict('id')
        .ignore();
    if (!(await trx('lawyer_specialisations').where({ lawyer_id: lawyerId }).first('lawyer_id')))
      await trx('lawyer_specialisations').insert(p.specialisations.map((id) => ({ lawyer_id: lawyerId, specialisation_id: id })));
    await trx('lawyers').where({ id: lawyerId }).whereNull('postal_address').update({ postal_address: p.address });
  }
}

/** `npm start`: one pending change request (Günel Qasımova's new address and e-mail), unless one was ever made for her. */
export async function startDemoProfileChange(options: { db: Knex; client: Client; taskQueue: string; reminderAfterMs: number }): Promise<void> {
  const lawyerId = 'lawyer-qasimova';
  if (await options.db('profile_changes').where({ lawyer_id: lawyerId }).first('id')) return;
  const gateway = new ProfileGateway(options);
  await gateway.submit(lawyerId, { address: 'Bakı şəhəri, Nərimanov rayonu, Təbriz küçəsi 44', email: 'gunel.qasimova@vekil.example.az' });
}
