/**
 * The assignment workflow's side effect: its read model. Idempotent: a retried or late write of an
 * older revision never overwrites a newer one.
 */
import type { Knex } from 'knex';
import type { AssignmentActivities, AssignmentView } from '../../workflows/assignment/messages';

export function createAssignmentActivities(deps: { db: Knex }): AssignmentActivities {
  const { db } = deps;

  async function recordAssignment(view: AssignmentView): Promise<void> {
    const row = {
      id: view.assignmentId,
      number: view.assignmentNumber,
      lawyer_id: view.lawyerId,
      bureau_id: view.bureauId,
      court: view.details.court,
      case_number: view.details.caseNumber,
      defended_person_name: view.details.defendedPerson.name,
      defended_person_fin: view.details.defendedPerson.fin ?? null,
      assigned_at: view.details.assignedAt,
      status: view.status,
      revision: view.revision,
      view: JSON.stringify(view),
      updated_at: db.fn.now(),
    };
    await db('assignments').insert(row).onConflict('id').merge().where('assignments.revision', '<', view.revision);
  }

  return { recordAssignment };
}
