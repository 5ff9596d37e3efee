/**
 * The contract's read model, which the lists and pages read (DESIGN principle 3). An older revision
 * arriving late (a retried write) never overwrites a newer one.
 */
import { ApplicationFailure } from '@temporalio/activity';
import type { Knex } from 'knex';
import { displayName, foldForSearch, type NaturalPerson, protectedPartyName } from '../../domain/contract';
import { barFeeKeptQepik } from '../../domain/contract/payments';
import type { ContractView } from '../../workflows/contract/messages';

export async function recordContract(db: Knex, view: ContractView): Promise<void> {
  const terms = view.terms ?? view.draft;
  const people = [terms.applicant, terms.protectedPerson].filter(Boolean) as Partial<NaturalPerson>[];
  const names = [...people.map((p) => displayName(p)), terms.protectedEntity?.name ?? ''].join(' ');
  const row = {
    id: view.contractId,
    number: view.contractNumber,
    lawyer_id: view.lawyerId,
    bureau_id: view.bureauId,
    status: view.status,
    revision: view.revision,
    applicant_account_id: view.applicantAccountId ?? null,
    case_type: terms.caseType ?? null,
    institution_id: terms.institution?.id ?? null,
    institution_name: terms.institution?.name ?? null,
    protected_party_name: protectedPartyName(terms) || null,
    applicant_name: displayName(terms.applicant) || null,
    names_folded: foldForSearch(names),
    total_qepik: terms.price?.totalQepik ?? null,
    paid_qepik: view.paidQepik,
    balance_due_qepik: view.balanceDueQepik,
    current_version: view.currentVersion,
    amendment_status: view.amendment?.status ?? null,
    // R3.2: the statistics count the Bar fee kept after reversals (migration 019 keeps the figures from this row).
    bar_fee_kept_qepik: barFeeKeptQepik(view.payments, view.agentPayments),
    view: JSON.stringify(view),
    updated_at: db.fn.now(),
  };
  // An older revision arriving late (a retried write) must never overwrite a newer one.
  // merge() sets only the columns of `row`: the lawyer's own `stage` (R6, migration 006) is never overwritten.
  const upsert = (q: Knex) => q('contracts').insert(row).onConflict('id').merge().where('contracts.revision', '<', view.revision);
  // Issue 14: one statement is atomic on its own, so no BEGIN and COMMIT round trips around it:
  // most writes (every step before the payment) have no payments, and the others upsert the
  // contract in a data-modifying WITH of the payments' insert (its foreign key is checked at the
  // statement's end, when the contract row is there).
  if (view.payments.length === 0) {
    await upsert(db);
    return;
  }
  const contract = upsert(db).toSQL();
  const payments = db('payments')
    .insert(
      view.payments.map((p) => ({
        agent_payment_id: p.paymentId,
        contract_id: view.contractId,
        kind: p.kind,
        method: p.method,
        amount_qepik: p.amountQepik,
        flag: p.flag ?? null,
        paid_at: p.paidAt,
      })),
    )
    .onConflict('agent_payment_id')
    .ignore()
    .toSQL();
  await db.raw(`WITH contract AS (${contract.sql}) ${payments.sql}`, [...contract.bindings, ...payments.bindings]);
}

/** The contract at `atRevision` or newer; retried (ReadModelBehind) until the read model has caught up. */
export async function loadView(db: Knex, contractId: string, atRevision: number): Promise<ContractView> {
  const row = await db<{ id: string; view: ContractView; revision: number }>('contracts').where({ id: contractId }).first('view', 'revision');
  if (!row || row.revision < atRevision) {
    throw ApplicationFailure.create({ type: 'ReadModelBehind', message: 'contract.read_model_behind', details: [{ contractId, revision: atRevision }] });
  }
  return row.view;
}
