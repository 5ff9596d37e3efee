import { describe, expect, it } from 'vitest';
import { contractIdOf, contractNumberOf, orderNumberOf } from '../../domain/contract/numbering';

describe('numbering (R4.1, R4.2.1)', () => {
  it('R4.1 a contract is numbered M-<year>-<six-digit sequence>', () => {
    const id = contractIdOf(2026, 42);
    expect(id).toBe('2026-000042');
    expect(contractNumberOf(id)).toBe('M-2026-000042');
    expect(contractIdOf(2026, '1234567')).toBe('2026-1234567');
  });

  it('R4.2.1 an order is numbered EVO-<year of issue>-<six-digit sequence>', () => {
    expect(orderNumberOf('2026-12-31T23:59:00.000Z', 7)).toBe('EVO-2026-000007');
    expect(orderNumberOf('2027-01-01T00:00:00.000Z', '123')).toBe('EVO-2027-000123');
  });
});
