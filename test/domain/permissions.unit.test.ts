import { describe, expect, it } from 'vitest';
import { type Actor, allowedActions, type ContractFacts, refusal } from '../../domain/contract';

const lawyer: Actor = { kind: 'lawyer', id: 'L1', bureauId: 'B1' };
const head: Actor = { kind: 'lawyer', id: 'H1', bureauId: 'B1', isHead: true };
const facts = (over: Partial<ContractFacts> = {}): ContractFacts => ({
  status: 'awaiting_approval',
  lawyerId: 'L1',
  bureauId: 'B1',
  balanceDueQepik: 0,
  ...over,
});

describe('who may do what (R2.5, R4.2)', () => {
  it('R4.2 only the head of the bureau approves, and only a contract awaiting approval', () => {
    expect(refusal('approve', lawyer, facts())).toEqual({ code: 'contract.head_only_approves' });
    expect(refusal('approve', head, facts())).toBeUndefined();
    expect(refusal('approve', head, facts({ status: 'active' }))).toEqual({ code: 'contract.not_awaiting_approval', params: { status: 'active' } });
  });

  it('R2.5 a lawyer of another bureau sees nothing of the contract', () => {
    expect(refusal('saveDraft', { kind: 'lawyer', id: 'X', bureauId: 'B2' }, facts({ status: 'draft' }))).toEqual({ code: 'contract.not_yours' });
    expect(allowedActions({ kind: 'lawyer', id: 'X', bureauId: 'B2', isHead: true }, facts())).toEqual([]);
  });
});
