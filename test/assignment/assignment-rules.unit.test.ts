import { describe, expect, it } from 'vitest';
import { type Actor, allowedAssignmentActions, assignmentRefusalOf, assignRefusal, normalizeAssignment, validateAssignment } from '../../domain/assignment';

const lawyer: Actor = { kind: 'lawyer', id: 'L1', bureauId: 'B1' };
const head: Actor = { kind: 'lawyer', id: 'H1', bureauId: 'B1', isHead: true };
const admin: Actor = { kind: 'admin', id: 'bar' };
const facts = { status: 'awaiting_approval' as const, lawyerId: 'L1', bureauId: 'B1' };
const input = {
  lawyerId: 'L1',
  court: ' Bakı Ağır Cinayətlər Məhkəməsi ',
  caseNumber: '1(101)-55/2026',
  defendedPerson: { name: 'Əli Əliyev', fin: '5ab7k2m' },
  assignedAt: '2026-11-20',
};

describe('state-funded assignments (R5)', () => {
  it('R5 only the Bar office assigns', () => {
    expect(assignRefusal(admin)).toBeUndefined();
    expect(assignRefusal(head)).toEqual({ code: 'assignment.bar_office_only' });
  });

  it('R5 the bureau head approves or declines an assignment awaiting approval; the lawyer marks a current one done', () => {
    expect(assignmentRefusalOf('approve', lawyer, facts)).toEqual({ code: 'assignment.head_only_decides' });
    expect(assignmentRefusalOf('approve', head, facts)).toBeUndefined();
    expect(assignmentRefusalOf('approve', head, { ...facts, status: 'current' })).toEqual({
      code: 'assignment.not_awaiting_approval',
      params: { status: 'current' },
    });
    expect(assignmentRefusalOf('complete', lawyer, facts)).toEqual({ code: 'assignment.complete_not_current', params: { status: 'awaiting_approval' } });
    expect(allowedAssignmentActions(lawyer, { ...facts, status: 'current' })).toEqual(['complete']);
    expect(assignmentRefusalOf('complete', { kind: 'lawyer', id: 'X', bureauId: 'B2' }, facts)).toEqual({ code: 'assignment.not_yours' });
  });

  it('R5 each missing or wrong field is refused at its name, with a code', () => {
    expect(validateAssignment({ ...input, court: '', defendedPerson: { name: 'x', fin: 'bad' }, assignedAt: '20.11.2026' })).toEqual([
      { field: 'court', code: 'assignment.court_required' },
      { field: 'defendedPerson.fin', code: 'assignment.defended_fin_invalid' },
      { field: 'assignedAt', code: 'assignment.date_invalid' },
    ]);
    expect(normalizeAssignment({ ...input, caseNumber: ' ' })).toBeUndefined();
  });

  it('R5 the details are stored trimmed, with the FIN in capitals', () => {
    expect(normalizeAssignment(input)).toEqual({
      court: 'Bakı Ağır Cinayətlər Məhkəməsi',
      caseNumber: '1(101)-55/2026',
      defendedPerson: { name: 'Əli Əliyev', fin: '5AB7K2M' },
      assignedAt: '2026-11-20',
    });
  });
});
