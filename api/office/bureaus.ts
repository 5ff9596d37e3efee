/**
 * The bureaus of the register (R2.1 ii, R2.2): name, address, head, members and the payment-agent
 * contract. What the login asks (`bureauForAccess`) reads the same rows; whether the contract holds
 * is domain/access's rule.
 */
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { type AgentContract, agentContractValidOn, bakuToday, type LawyersBureau } from '../../domain/access';
import { type BureauInput, bureauProblems, normalizeBureau } from '../../domain/office';
import type { Actor } from '../../domain/shared/actor';
import { invalidInput, notFound } from '../http/errors';
import { type ChangeSource, historyOf, recordChanges } from './history';

export interface BureauRow {
  id: string;
  name: string;
  address: string;
  individual: boolean;
  agent_contract_number: string | null;
  agent_contract_valid_from: string | null;
  agent_contract_valid_to: string | null;
}

/** The columns with the contract's days as `YYYY-MM-DD` text (pg would make them local-midnight Dates). */
export const bureauColumns = (db: Knex, alias = 'bureaus') => [
  `${alias}.id`,
  `${alias}.name`,
  `${alias}.address`,
  `${alias}.individual`,
  `${alias}.agent_contract_number`,
  db.raw(`to_char(${alias}.agent_contract_valid_from, 'YYYY-MM-DD') as agent_contract_valid_from`),
  db.raw(`to_char(${alias}.agent_contract_valid_to, 'YYYY-MM-DD') as agent_contract_valid_to`),
];

export const agentContractOf = (row: BureauRow): AgentContract | null =>
  row.agent_contract_number && row.agent_contract_valid_from
    ? { number: row.agent_contract_number, validFrom: row.agent_contract_valid_from, validTo: row.agent_contract_valid_to }
    : null;

/** The bureau as R2.1 judges it at login. */
export async function bureauForAccess(db: Knex, bureauId: string): Promise<LawyersBureau | undefined> {
  const row = await db('bureaus').where({ id: bureauId }).first<BureauRow | undefined>(bureauColumns(db));
  return row && { agentContract: agentContractOf(row), individual: Boolean(row.individual) };
}

export interface BureauView {
  id: string;
  name: string;
  address: string;
  individual: boolean;
  agentContract: AgentContract | null;
  /** R2.1 (ii) on today's date. */
  agentContractValid: boolean;
  head?: { id: string; name: string };
  members: { id: string; name: string; isHead: boolean; onActiveRegister: boolean }[];
}

const viewOf = (row: BureauRow, today: string): Omit<BureauView, 'members' | 'head'> => ({
  id: row.id,
  name: row.name,
  address: row.address,
  individual: Boolean(row.individual),
  agentContract: agentContractOf(row),
  agentContractValid: agentContractValidOn(agentContractOf(row), today),
});

/** Every bureau, by name, with its member count (the list and the form's choice). */
export async function listBureaus(db: Knex, today = bakuToday()): Promise<(Omit<BureauView, 'members' | 'head'> & { memberCount: number })[]> {
  const rows = await db('bureaus')
    .select([...bureauColumns(db), db.raw('(SELECT count(*) FROM lawyers l WHERE l.bureau_id = bureaus.id)::int AS member_count')])
    .orderBy('name');
  return (rows as (BureauRow & { member_count: number })[]).map((r) => ({ ...viewOf(r, today), memberCount: r.member_count }));
}

export async function bureauDetails(db: Knex, id: string, today = bakuToday()): Promise<BureauView & { history: Awaited<ReturnType<typeof historyOf>> }> {
  const row = await db('bureaus').where({ id }).first<BureauRow | undefined>(bureauColumns(db));
  if (!row) throw notFound('register.bureau_not_found');
  const members = await db('lawyers')
    .where({ bureau_id: id })
    .orderBy(['last_name', 'first_name'])
    .select<{ id: string; first_name: string; last_name: string; is_head: boolean; on_active_register: boolean }[]>(
      'id',
      'first_name',
      'last_name',
      'is_head',
      'on_active_register',
    );
  const list = members.map((m) => ({ id: m.id, name: `${m.last_name} ${m.first_name}`, isHead: m.is_head, onActiveRegister: m.on_active_register }));
  const head = list.find((m) => m.isHead);
  return {
    ...viewOf(row, today),
    members: list,
    ...(head ? { head: { id: head.id, name: head.name } } : {}),
    history: await historyOf(db, { kind: 'bureau', id }),
  };
}

const FIELD_COLUMNS = {
  name: 'name',
  address: 'address',
  agentContractNumber: 'agent_contract_number',
  agentContractValidFrom: 'agent_contract_valid_from',
  agentContractValidTo: 'agent_contract_valid_to',
} as const;

const rowValues = (b: BureauInput) => ({
  name: b.name,
  address: b.address,
  agent_contract_number: b.agentContractNumber || null,
  agent_contract_valid_from: b.agentContractValidFrom || null,
  agent_contract_valid_to: b.agentContractValidTo || null,
});

const inputOfRow = (r: BureauRow): BureauInput => ({
  name: r.name,
  address: r.address,
  agentContractNumber: r.agent_contract_number ?? '',
  agentContractValidFrom: r.agent_contract_valid_from ?? '',
  agentContractValidTo: r.agent_contract_valid_to ?? '',
});

/** A new bureau (400 with the fields' problems); `individual` makes it a bureau of one. */
export async function createBureau(
  trx: Knex | Knex.Transaction,
  by: Pick<Actor, 'kind' | 'id'>,
  input: BureauInput,
  options: { individual?: boolean; source?: ChangeSource } = {},
): Promise<string> {
  const bureau = normalizeBureau(input);
  const errors = bureauProblems(bureau);
  if (errors.length > 0) throw invalidInput(errors);
  const id = `bureau-${randomUUID()}`;
  await trx('bureaus').insert({ id, ...rowValues(bureau), individual: options.individual ?? false });
  await recordChanges(
    trx,
    { kind: 'bureau', id },
    Object.entries(FIELD_COLUMNS)
      .map(([field]) => ({ field, old: null, new: bureau[field as keyof BureauInput] || null }))
      .filter((c) => c.new !== null),
    by,
    options.source ?? 'form',
  );
  return id;
}

/** Changes the bureau's entry and, when `headId` is given, who of its members is the head. */
export async function updateBureau(db: Knex, by: Pick<Actor, 'kind' | 'id'>, id: string, input: BureauInput, headId?: string, source: ChangeSource = 'form') {
  const bureau = normalizeBureau(input);
  const errors = bureauProblems(bureau);
  if (errors.length > 0) throw invalidInput(errors);
  await db.transaction(async (trx) => {
    const row = await trx('bureaus').where({ id }).forUpdate().first<BureauRow | undefined>(bureauColumns(trx));
    if (!row) throw notFound('register.bureau_not_found');
    const before = inputOfRow(row);
    const changes: { field: string; old: string | null; new: string | null }[] = (Object.keys(FIELD_COLUMNS) as (keyof BureauInput)[])
      .map((field) => ({ field, old: before[field] || null, new: bureau[field] || null }))
      .filter((c) => c.old !== c.new);
    if (headId !== undefined && headId !== '') {
      const members = await trx('lawyers').where({ bureau_id: id }).select<{ id: string; is_head: boolean }[]>('id', 'is_head');
      if (!members.some((m) => m.id === headId)) throw invalidInput([{ field: 'headId', code: 'invalid', reason: 'register.head_invalid' }]);
      const oldHead = members.find((m) => m.is_head)?.id ?? null;
      if (oldHead !== headId) {
        await trx('lawyers')
          .where({ bureau_id: id })
          .update({ is_head: trx.raw('id = ?', [headId]), updated_at: trx.fn.now() });
        changes.push({ field: 'headId', old: oldHead, new: headId });
        for (const m of members.filter((m) => m.is_head !== (m.id === headId)))
          await recordChanges(trx, { kind: 'lawyer', id: m.id }, [{ field: 'isHead', old: String(m.is_head), new: String(!m.is_head) }], by, source);
      }
    }
    await trx('bureaus').where({ id }).update(rowValues(bureau));
    await recordChanges(trx, { kind: 'bureau', id }, changes, by, source);
  });
}
