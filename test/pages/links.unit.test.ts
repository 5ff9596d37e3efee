/** Issue 13: e-mails link a contract by the number the pages show, and such a link finds the contract. */
import { describe, expect, it } from 'vitest';
import { contractIdInNumberedPath, contractLinkPath, contractNumberOf } from '../../domain/contract/numbering';

describe('issue 13: contract links by number', () => {
  it('links /contracts/M-2026-000001, the number the pages show', () => {
    expect(contractLinkPath('2026-000001')).toBe(`/contracts/${contractNumberOf('2026-000001')}`);
    expect(contractLinkPath('2026-000001')).toBe('/contracts/M-2026-000001');
  });
  it('reads the id back from such a path, with what follows it; other paths are not numbered links', () => {
    expect(contractIdInNumberedPath('/contracts/M-2026-000001')).toEqual({ contractId: '2026-000001', rest: '' });
    expect(contractIdInNumberedPath('/contracts/M-2026-000001/wizard/2')).toEqual({ contractId: '2026-000001', rest: '/wizard/2' });
    expect(contractIdInNumberedPath('/contracts/2026-000001')).toBeNull();
    expect(contractIdInNumberedPath('/contracts/M-2026-1')).toBeNull();
    expect(contractIdInNumberedPath('/applicant/contracts/M-2026-000001')).toBeNull();
  });
});
