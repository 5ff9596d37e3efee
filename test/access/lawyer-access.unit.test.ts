import { describe, expect, it } from 'vitest';
import { ACCESS_CODES, accessRefusalKind, agentContractValidOn, bakuToday, lawyerAccessRefusal } from '../../domain/access';
import { describe as textOf, hasText } from '../../locales';

const registered = { onActiveRegister: true, mobileSignatureUserId: '123456' };
const bureau = { agentContract: { number: 'PA-1', validFrom: '2026-01-01', validTo: '2026-12-31' }, individual: false };
const TODAY = '2026-06-01';

describe('who may use the lawyer’s cabinet (R2.1)', () => {
  it('R2.1 an active lawyer whose bureau has a payment-agent contract is let in', () => {
    expect(lawyerAccessRefusal(registered, '123456', bureau, TODAY)).toBeUndefined();
  });

  it('R2.1 a FIN not on the register, off the active register, or with another user ID is refused as not on the active register', () => {
    for (const [lawyer, userId] of [
      [undefined, '123456'],
      [{ ...registered, onActiveRegister: false }, '123456'],
      [registered, '654321'],
    ] as const) {
      const refusal = lawyerAccessRefusal(lawyer, userId, bureau);
      expect(refusal).toEqual({ code: 'access.not_on_active_register' });
      expect(refusal && accessRefusalKind(refusal)).toBe('not_on_active_register');
    }
  });

  it('R2.1 a bureau without a payment-agent contract is refused, worded for a bureau or an individual lawyer', () => {
    const ofBureau = lawyerAccessRefusal(registered, '123456', { agentContract: null, individual: false });
    expect(ofBureau).toEqual({ code: 'access.no_payment_agent_contract_bureau' });
    expect(ofBureau && accessRefusalKind(ofBureau)).toBe('no_payment_agent_contract');
    expect(lawyerAccessRefusal(registered, '123456', { agentContract: null, individual: true })).toEqual({
      code: 'access.no_payment_agent_contract_individual',
    });
    expect(lawyerAccessRefusal(registered, '123456', undefined)).toEqual({ code: 'access.no_payment_agent_contract_bureau' });
  });

  it('R2.1 (ii), issue 11: the agent contract counts only between its dates, both days included; no end date is open-ended', () => {
    const refusal = { code: 'access.no_payment_agent_contract_bureau' };
    expect(lawyerAccessRefusal(registered, '123456', bureau, '2026-01-01')).toBeUndefined();
    expect(lawyerAccessRefusal(registered, '123456', bureau, '2026-12-31')).toBeUndefined();
    expect(lawyerAccessRefusal(registered, '123456', bureau, '2025-12-31')).toEqual(refusal);
    expect(lawyerAccessRefusal(registered, '123456', bureau, '2027-01-01')).toEqual(refusal);
    const openEnded = { individual: false, agentContract: { number: 'PA-2', validFrom: '2020-01-01', validTo: null } };
    expect(lawyerAccessRefusal(registered, '123456', openEnded, '2099-01-01')).toBeUndefined();
    expect(agentContractValidOn({ number: ' ', validFrom: '2020-01-01' }, TODAY)).toBe(false);
    expect(bakuToday(new Date('2026-06-01T21:00:00Z'))).toBe('2026-06-02');
  });

  it('R2.1 every refusal reads in Azerbaijani and in English', () => {
    for (const code of ACCESS_CODES) {
      expect(hasText('az', code), code).toBe(true);
      expect(hasText('en', code), code).toBe(true);
    }
    expect(textOf('en', 'access.not_on_active_register')).toMatch(/list of active lawyers/);
    expect(textOf('az', 'access.not_on_active_register')).toMatch(/fəal vəkillər siyahısında/);
    expect(textOf('en', 'access.no_payment_agent_contract_bureau')).toMatch(/payment agent/);
  });
});
