/**
 * What the contract's pages and routes call (SPEC §4): the contract a person may see, its details,
 * the names of those who acted on it, the institution list, the applicant's contracts and the
 * stage of a case (R6). Reads come from the read model; decisions go through the ContractGateway.
 */
import type { Knex } from 'knex';
import { contractOutline } from '../../domain/access';
import {
  type Actor,
  allowedActions,
  type ContractFacts,
  type ContractStage,
  type ContractViewScope,
  isContractStage,
  nameOfRow,
  shortName,
  viewScope,
} from '../../domain/contract';
import type { ContractView } from '../../workflows/contract/messages';
import { AccessRefused, contractNotVisible } from '../http/access-refusals';
import { badRequest, conflict } from '../http/errors';
import { type BarOfficeAccess, barOfficeAccessesOf, openBarOfficeAccess } from './bar-office';

export interface ContractRow {
  id: string;
  number: string;
  lawyer_id: string;
  bureau_id: string;
  status: string;
  applicant_account_id: string | null;
  view: ContractView;
  [column: string]: unknown;
}

export function factsOf(row: ContractRow): ContractFacts {
  return {
    status: row.view.status,
    lawyerId: row.lawyer_id,
    bureauId: row.bureau_id,
    applicantAccountId: row.applicant_account_id ?? undefined,
    amendmentStatus: row.view.amendment?.status,
    balanceDueQepik: row.view.balanceDueQepik,
  };
}

/**
 * The contract and how much of it this actor sees (R2.5, issue 9 item 6): `full`, or `outline` for
 * the Bar office without an open reasoned access. Anyone else gets 404, so an ID in a URL reveals
 * nothing; the refusal is recorded once as `access_refused` (api/http/access-refusals.ts).
 */
export async function loadContractScope(
  db: Knex,
  actor: Actor,
  contractId: string,
): Promise<{ row: ContractRow; scope: Exclude<ContractViewScope, 'none'>; access?: BarOfficeAccess }> {
  const row = await db('contracts').where({ id: contractId }).first<ContractRow | undefined>();
  if (!row) throw contractNotVisible(contractId);
  const access = actor.kind === 'admin' ? await openBarOfficeAccess(db, actor.id, row.id) : undefined;
  const scope = viewScope(actor, factsOf(row), access !== undefined);
  if (scope === 'none') throw contractNotVisible(contractId);
  return { row, scope, access };
}

/**
 * The contract with its personal data and files, if this actor may see them: 404 when it is not
 * theirs; 403 `access.reason_required` for the Bar office until it opens the contract with a reason.
 */
export async function loadVisibleContract(db: Knex, actor: Actor, contractId: string): Promise<ContractRow> {
  const { row, scope } = await loadContractScope(db, actor, contractId);
  if (scope !== 'full') throw new AccessRefused(403, 'access.reason_required', `contract:${row.id}`);
  return row;
}

/** What the Bar office sees of a contract without a reason (domain/access/bar-office.ts): no people, price, assignment or files. */
export function contractOutlineDetails(row: ContractRow) {
  return {
    contract: { ...contractOutline(row.view), stage: typeof row.stage === 'string' ? row.stage : undefined },
    reduced: true as const,
    allowedActions: [] as string[],
    documents: [] as ContractDocument[],
  };
}

/** Who may read the list of reasoned accesses: the contract's lawyer, its bureau head, and the Bar office. */
const readsAccesses = (actor: Actor, row: ContractRow) =>
  actor.kind === 'admin' || (actor.kind === 'lawyer' && (actor.id === row.lawyer_id || (actor.isHead === true && actor.bureauId === row.bureau_id)));

export interface ContractDocument {
  version: number;
  orderNumber: string;
  issuedAt: string | Date;
  superseded: boolean;
  contractUrl: string;
  orderUrl: string;
}

/** What a person sees of a contract: the state, what they may do now, and the documents. */
export async function contractDetails(db: Knex, actor: Actor, row: ContractRow) {
  const view = row.view;
  // Only versions the workflow has recorded as issued: a version row exists while its PDFs are still
  // being rendered, and offering it then would give a download that answers 404. Before the first
  // order, none (issue 14: no query for the draft, the submit and the approval).
  const issued = view.currentVersion ?? 0;
  // Issue 9 item 6: the lawyer and the head see every reasoned access of the Bar office to this contract (read beside the versions).
  const [versions, accesses] = await Promise.all([
    issued < 1
      ? []
      : db('contract_versions')
          .where({ contract_id: row.id })
          .andWhere('version', '<=', issued)
          .orderBy('version', 'desc')
          .select<{ version: number; order_number: string; issued_at: string | Date; superseded_at: string | Date | null }[]>(
            'version',
            'order_number',
            'issued_at',
            'superseded_at',
          ),
    readsAccesses(actor, row) ? barOfficeAccessesOf(db, row.id) : undefined,
  ]);
  // The applicant sees neither the lawyer's draft nor the case type (R4.1.1: it is for statistics; the list hides it too).
  const shown =
    actor.kind === 'applicant'
      ? {
          ...view,
          draft: undefined,
          terms: view.terms && { ...view.terms, caseType: undefined },
          history: view.history.filter((h) => !h.event.startsWith('draft')),
        }
      : view;
  const documents: ContractDocument[] = versions.map((v) => ({
    version: v.version,
    orderNumber: v.order_number,
    issuedAt: v.issued_at,
    superseded: v.superseded_at !== null,
    contractUrl: `/api/contracts/${row.id}/versions/${v.version}/contract.pdf`,
    orderUrl: `/api/contracts/${row.id}/versions/${v.version}/order.pdf`,
  }));
  const barOfficeAccesses = accesses?.map(({ at, reason, by }) => ({ at, reason, by }));
  return { contract: shown, allowedActions: allowedActions(actor, factsOf(row)), documents, ...(barOfficeAccesses ? { barOfficeAccesses } : {}) };
}

/** Names of the lawyers who acted on a contract, in one query ("First Last"). */
export async function lawyerNames(db: Knex, ids: (string | undefined)[]): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((id): id is string => Boolean(id)))];
  if (wanted.length === 0) return new Map();
  const rows = await db('lawyers').whereIn('id', wanted).select<{ id: string; first_name: string; last_name: string }[]>('id', 'first_name', 'last_name');
  return new Map(rows.map((r) => [r.id, shortName(nameOfRow(r))]));
}

export async function bureauName(db: Knex, bureauId: string): Promise<string | undefined> {
  const bureau = await db('bureaus').where({ id: bureauId }).first<{ name: string } | undefined>('name');
  return bureau?.name;
}

export interface Institution {
  id: string;
  name: string;
}

let institutionCache: { at: number; list: Institution[] } | undefined;
const INSTITUTION_CACHE_MS = 5 * 60 * 1000;

/** The institution list (R4.1.5), sorted by name; cached a few minutes, so a page costs no extra read. */
export async function institutionList(db: Knex): Promise<Institution[]> {
  if (!institutionCache || Date.now() - institutionCache.at > INSTITUTION_CACHE_MS) {
    const list = await db('institutions').orderBy('name').select<Institution[]>('id', 'name');
    institutionCache = { at: Date.now(), list };
  }
  return institutionCache.list;
}

export interface ApplicantContractRow {
  id: string;
  number: string;
  status: string;
  protectedParty: string;
  lawyer: string;
  totalQepik?: number;
  balanceDueQepik: number;
  amendmentStatus: string | null;
  createdAt: string | Date;
}

/** A row of the applicant's list: the contract's columns and its lawyer's name (null when none is joined). */
interface ApplicantListRow {
  id: string;
  number: string;
  status: string;
  protected_party_name: string | null;
  total_qepik: number | string | null;
  balance_due_qepik: number | string | null;
  amendment_status: string | null;
  created_at: string | Date;
  first_name: string | null;
  last_name: string | null;
}

/** The applicant's own contracts, newest change first (R2.4, R4.3). */
export async function applicantContracts(db: Knex, applicantAccountId: string): Promise<ApplicantContractRow[]> {
  const rows = await db('contracts as c')
    .leftJoin('lawyers as l', 'l.id', 'c.lawyer_id')
    .where('c.applicant_account_id', applicantAccountId)
    .whereNotIn('c.status', ['draft', 'discarded'])
    .orderBy('c.updated_at', 'desc')
    .limit(200)
    .select<ApplicantListRow[]>(
      'c.id',
      'c.number',
      'c.status',
      'c.protected_party_name',
      'c.total_qepik',
      'c.balance_due_qepik',
      'c.amendment_status',
      'c.created_at',
      'l.first_name',
      'l.last_name',
    );
  return rows.map((r) => ({
    id: String(r.id),
    number: String(r.number),
    status: String(r.status),
    protectedParty: r.protected_party_name ?? '',
    lawyer: shortName(nameOfRow(r)),
    totalQepik: r.total_qepik === null || r.total_qepik === undefined ? undefined : Number(r.total_qepik),
    balanceDueQepik: Number(r.balance_due_qepik ?? 0),
    amendmentStatus: r.amendment_status ?? null,
    createdAt: r.created_at,
  }));
}

// ---------------------------------------------------------------- "Layihələr": the stage of a case (R6)

/** Statuses whose cases are not on the projects page: not yet a case, or archived. */
export const NOT_CURRENT_STATUSES = ['draft', 'discarded', 'finished', 'terminated'];
const PROJECT_COLUMNS = ['id', 'number', 'status', 'stage', 'protected_party_name', 'institution_name', 'case_type', 'created_at'];

export interface ProjectRow {
  id: string;
  number: string;
  status: string;
  stage: ContractStage;
  protected_party_name: string | null;
  institution_name: string | null;
  case_type: string | null;
  created_at: string | Date;
}

/** The lawyer's current cases by stage: the count of each, and the newest `perStage` of each (or one stage, paginated). */
export async function projectsOf(db: Knex, lawyerId: string, opts: { stage?: ContractStage; page: number; pageSize: number; perStage: number }) {
  const mine = () => db('contracts').where({ lawyer_id: lawyerId }).whereNotIn('status', NOT_CURRENT_STATUSES);
  const counts = new Map(
    (await mine().select('stage').count<{ stage: string; n: string | number }[]>({ n: '*' }).groupBy('stage')).map((r) => [r.stage, Number(r.n)]),
  );
  let rows: ProjectRow[];
  if (opts.stage) {
    rows = await mine()
      .where({ stage: opts.stage })
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(opts.pageSize)
      .offset((opts.page - 1) * opts.pageSize)
      .select<ProjectRow[]>(PROJECT_COLUMNS);
  } else {
    // The newest perStage of each stage, in one query.
    const ranked = mine().select(PROJECT_COLUMNS).select(db.raw('row_number() OVER (PARTITION BY stage ORDER BY created_at DESC, id DESC) AS rank'));
    rows = await db
      .from(ranked.as('ranked'))
      .where('rank', '<=', opts.perStage)
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .select<ProjectRow[]>(PROJECT_COLUMNS);
  }
  return { counts, rows };
}

/**
 * Moves a case to another stage (R6): its lawyer or the head of its bureau, while the case is
 * current. Anyone else learns nothing of it (R2.5: 404). Kept in the read model only.
 */
export async function setStage(db: Knex, actor: Actor, contractId: string, stage: unknown): Promise<{ id: string; number: string; stage: ContractStage }> {
  const row = await db('contracts')
    .where({ id: contractId })
    .first<{ id: string; number: string; lawyer_id: string; bureau_id: string; status: string } | undefined>(
      'id',
      'number',
      'lawyer_id',
      'bureau_id',
      'status',
    );
  const allowed = row && actor.kind === 'lawyer' && (row.lawyer_id === actor.id || (actor.isHead === true && row.bureau_id === actor.bureauId));
  if (!row || !allowed) throw contractNotVisible(contractId);
  if (!isContractStage(stage)) throw badRequest('contract.stage_invalid', [{ field: 'stage', code: 'contract.stage_invalid' }]);
  if (NOT_CURRENT_STATUSES.includes(row.status)) throw conflict('contract.stage_not_now');
  await db('contracts').where({ id: row.id }).update({ stage });
  return { id: row.id, number: row.number, stage };
}
