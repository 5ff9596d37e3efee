/**
 * The register of active lawyers (R2.1 i, R2.2) for the Bar office: search, add, edit, deactivate
 * and reactivate. Every change is kept field by field with who and when (api/office/history.ts).
 * A deactivated lawyer is refused at the next login (access.not_on_active_register, the rule in
 * domain/access) and every open session of theirs ends at once (issue 9's endSessionsOf).
 */
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import {
  INDIVIDUAL_BUREAU,
  individualBureauName,
  type LawyerInput,
  lawyerChanges,
  lawyerProblems,
  type LawyerValues,
  normalizeLawyer,
} from '../../domain/office';
import type { Actor } from '../../domain/shared/actor';
import { recordSecurityEvent } from '../../platform/security-events';
import { conflict, invalidInput, notFound } from '../http/errors';
import { endSessionsOf } from '../http/sessions';
import { createBureau } from './bureaus';
import { type ChangeSource, historyOf, recordChanges } from './history';

export interface OfficeDeps {
  db: Knex;
  log: Pick<Logger, 'info' | 'error'>;
}

type By = Pick<Actor, 'kind' | 'id'>;

interface LawyerRow {
  id: string;
  fin: string;
  mobile_signature_user_id: string;
  license_number: string;
  last_name: string;
  first_name: string;
  patronymic: string | null;
  bureau_id: string;
  bureau_name: string;
  bureau_individual: boolean;
  is_head: boolean;
  practising_since: string | null;
  phone: string | null;
  email: string | null;
  on_active_register: boolean;
}

export interface LawyerEntry extends LawyerValues {
  id: string;
  bureauName: string;
  bureauIndividual: boolean;
}

const lawyerQuery = (db: Knex | Knex.Transaction) =>
  db('lawyers as l')
    .join('bureaus as b', 'b.id', 'l.bureau_id')
    .select<LawyerRow[]>(
      'l.id',
      'l.fin',
      'l.mobile_signature_user_id',
      'l.license_number',
      'l.last_name',
      'l.first_name',
      'l.patronymic',
      'l.bureau_id',
      'b.name as bureau_name',
      'b.individual as bureau_individual',
      'l.is_head',
      db.raw(`to_char(l.practising_since, 'YYYY-MM-DD') as practising_since`),
      'l.phone',
      'l.email',
      'l.on_active_register',
    );

export const entryOf = (r: LawyerRow): LawyerEntry => ({
  id: r.id,
  fin: r.fin,
  mobileSignatureUserId: r.mobile_signature_user_id,
  licenseNumber: r.license_number,
  lastName: r.last_name,
  firstName: r.first_name,
  patronymic: r.patronymic ?? '',
  bureauId: r.bureau_id,
  bureauName: r.bureau_name,
  bureauIndividual: Boolean(r.bureau_individual),
  isHead: r.is_head,
  practisingSince: r.practising_since ?? '',
  phone: r.phone ?? '',
  email: r.email ?? '',
  onActiveRegister: r.on_active_register,
});

export const valuesOf = (e: LawyerEntry): LawyerValues => ({
  fin: e.fin,
  mobileSignatureUserId: e.mobileSignatureUserId,
  licenseNumber: e.licenseNumber,
  lastName: e.lastName,
  firstName: e.firstName,
  patronymic: e.patronymic,
  bureauId: e.bureauId,
  isHead: e.isHead,
  practisingSince: e.practisingSince,
  phone: e.phone,
  email: e.email,
  onActiveRegister: e.onActiveRegister,
});

/** Every lawyer of the register, for an import's plan. */
export async function allLawyers(db: Knex | Knex.Transaction): Promise<LawyerEntry[]> {
  return (await lawyerQuery(db)).map(entryOf);
}

export interface LawyerSearch {
  q?: string;
  bureauId?: string;
  active?: 'yes' | 'no';
  page: number;
  pageSize: number;
}

/** The list with search: a name, a FIN or a licence number; by bureau; active or not. */
export async function searchLawyers(db: Knex, search: LawyerSearch): Promise<{ total: number; lawyers: LawyerEntry[] }> {
  const filtered = (query: Knex.QueryBuilder) => {
    const q = search.q?.trim();
    if (q) {
      const like = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      void query.where((w) => {
        void w
          .whereILike('l.last_name', like)
          .orWhereILike('l.first_name', like)
          .orWhereILike('l.patronymic', like)
          .orWhereRaw(`(l.last_name || ' ' || l.first_name) ILIKE ?`, [like])
          .orWhereRaw(`(l.first_name || ' ' || l.last_name) ILIKE ?`, [like])
          .orWhere('l.fin', q.toUpperCase())
          .orWhere('l.license_number', q)
          .orWhere('l.mobile_signature_user_id', q);
      });
    }
    if (search.bureauId) void query.where('l.bureau_id', search.bureauId);
    if (search.active) void query.where('l.on_active_register', search.active === 'yes');
    return query;
  };
  const [{ count }] = (await filtered(db('lawyers as l')).count<{ count: string | number }[]>('* as count')) as { count: string | number }[];
  const rows = (await filtered(lawyerQuery(db))
    .orderBy([{ column: 'l.last_name' }, { column: 'l.first_name' }, { column: 'l.id' }])
    .limit(search.pageSize)
    .offset((search.page - 1) * search.pageSize)) as LawyerRow[];
  return { total: Number(count), lawyers: rows.map(entryOf) };
}

export async function lawyerEntry(db: Knex | Knex.Transaction, id: string): Promise<LawyerEntry> {
  const row: LawyerRow | undefined = await lawyerQuery(db).where('l.id', id).first();
  if (!row) throw notFound('register.lawyer_not_found');
  return entryOf(row);
}

export async function lawyerDetails(db: Knex, id: string) {
  const lawyer = await lawyerEntry(db, id);
  return { lawyer, history: await historyOf(db, { kind: 'lawyer', id }) };
}

/** The form's or a row's problems against the register as it is now (in the transaction that saves it). */
export async function problemsOf(trx: Knex | Knex.Transaction, entry: LawyerInput, selfId?: string) {
  const [finHolder, licenceHolder, bureau] = await Promise.all([
    trx('lawyers').where({ fin: entry.fin }).first<{ id: string } | undefined>('id'),
    trx('lawyers').where({ license_number: entry.licenseNumber }).first<{ id: string } | undefined>('id'),
    entry.bureauId === INDIVIDUAL_BUREAU ? undefined : trx('bureaus').where({ id: entry.bureauId }).first<{ id: string } | undefined>('id'),
  ]);
  return lawyerProblems(entry, { selfId, finHolder: finHolder?.id, licenceHolder: licenceHolder?.id, bureauExists: Boolean(bureau) });
}

const columnsOf = (e: LawyerInput) => ({
  fin: e.fin,
  mobile_signature_user_id: e.mobileSignatureUserId,
  license_number: e.licenseNumber,
  last_name: e.lastName,
  first_name: e.firstName,
  patronymic: e.patronymic || null,
  bureau_id: e.bureauId,
  is_head: e.isHead,
  practising_since: e.practisingSince || null,
  phone: e.phone || null,
  email: e.email || null,
});

/** A bureau has one head: the others of the bureau stop being it (each change kept). */
async function yieldHeadship(trx: Knex.Transaction, by: By, bureauId: string, newHeadId: string, source: ChangeSource) {
  const others = await trx('lawyers').where({ bureau_id: bureauId, is_head: true }).whereNot({ id: newHeadId }).select<{ id: string }[]>('id');
  for (const other of others) {
    await trx('lawyers').where({ id: other.id }).update({ is_head: false, updated_at: trx.fn.now() });
    await recordChanges(trx, { kind: 'lawyer', id: other.id }, [{ field: 'isHead', old: 'true', new: 'false' }], by, source);
  }
}

/** Writes a checked entry: a new lawyer (with a bureau of one when individual) or the changes of one. */
export async function saveEntry(trx: Knex.Transaction, by: By, entry: LawyerInput, source: ChangeSource, existingId?: string): Promise<string> {
  const values = { ...entry };
  if (values.bureauId === INDIVIDUAL_BUREAU) {
    // An individually practising lawyer is a bureau of one, and its head (R2.1 ii); its agent contract is added on the bureau's page.
    values.bureauId = await createBureau(
      trx,
      by,
      {
        name: `Vəkil ${individualBureauName(values.firstName, values.lastName)} (fərdi qaydada vəkil fəaliyyəti)`,
        address: '—',
        agentContractNumber: '',
        agentContractValidFrom: '',
        agentContractValidTo: '',
      },
      { individual: true, source },
    );
    values.isHead = true;
  }
  const id = existingId ?? `lawyer-${randomUUID()}`;
  if (values.isHead) await yieldHeadship(trx, by, values.bureauId, id, source);
  if (!existingId) {
    await trx('lawyers').insert({ id, ...columnsOf(values), on_active_register: true });
    await recordChanges(trx, { kind: 'lawyer', id }, lawyerChanges(undefined, { ...values, onActiveRegister: true }), by, source);
    return id;
  }
  const before = valuesOf(await lawyerEntry(trx, existingId));
  const after = { ...values, onActiveRegister: source === 'import' ? true : before.onActiveRegister };
  const changes = lawyerChanges(before, after);
  if (changes.length > 0) {
    await trx('lawyers')
      .where({ id: existingId })
      .update({ ...columnsOf(values), on_active_register: after.onActiveRegister, updated_at: trx.fn.now() });
    await recordChanges(trx, { kind: 'lawyer', id: existingId }, changes, by, source);
  }
  return existingId;
}

export async function createLawyer(deps: OfficeDeps, by: By, input: LawyerInput, source: ChangeSource = 'form'): Promise<LawyerEntry> {
  const entry = normalizeLawyer(input);
  const id = await deps.db.transaction(async (trx) => {
    const errors = await problemsOf(trx, entry);
    if (errors.length > 0) throw invalidInput(errors);
    return saveEntry(trx, by, entry, source);
  });
  return lawyerEntry(deps.db, id);
}

export async function updateLawyer(deps: OfficeDeps, by: By, id: string, input: LawyerInput, source: ChangeSource = 'form'): Promise<LawyerEntry> {
  const entry = normalizeLawyer(input);
  await deps.db.transaction(async (trx) => {
    const current = await lawyerEntry(trx, id);
    // An individual lawyer who stays individual keeps the bureau of one.
    if (entry.bureauId === INDIVIDUAL_BUREAU && current.bureauIndividual) entry.bureauId = current.bureauId;
    const errors = await problemsOf(trx, entry, id);
    if (errors.length > 0) throw invalidInput(errors);
    await saveEntry(trx, by, entry, source, id);
  });
  return lawyerEntry(deps.db, id);
}

/**
 * Takes the lawyer off the active list (R2.1 i): the change is kept, every open session of the
 * lawyer ends now (the next request goes to the login page, which refuses them), and the Bar
 * office's security events record it (IDs and a count only).
 */
export async function setLawyerActive(deps: OfficeDeps, by: By, id: string, active: boolean, source: ChangeSource = 'form', ip?: string) {
  await deps.db.transaction(async (trx) => {
    const current = await lawyerEntry(trx, id);
    if (current.onActiveRegister === active) throw conflict(active ? 'register.already_active' : 'register.already_inactive');
    await trx('lawyers').where({ id }).update({ on_active_register: active, updated_at: trx.fn.now() });
    await recordChanges(trx, { kind: 'lawyer', id }, [{ field: 'onActiveRegister', old: String(!active), new: String(active) }], by, source);
  });
  const ended = active ? 0 : await endSessionsOf(deps.db, { kind: 'lawyer', id });
  await recordSecurityEvent(deps.db, deps.log, {
    kind: active ? 'lawyer_reactivated' : 'lawyer_deactivated',
    actor: { kind: by.kind, id: by.id },
    subject: `account:lawyer:${id}`,
    ip,
    detail: active ? {} : { sessionsEnded: ended },
  });
  return { lawyer: await lawyerEntry(deps.db, id), sessionsEnded: ended };
}
