import { describe, expect, it } from 'vitest';
import { ACCESS_CODES, accessRefusalKind, lawyerAccessRefusal } from '../../domain/access';
import { describe as textOf, hasText } from '../../locales';

const registered = { onActiveRegister: true, mobileSignatureUserId: '123456' };
const bureau = { hasPaymentAgentContract: true, individual: false };

describe('who may use the lawyer’s cabinet (R2.1)', () => {
  it('R2.1 an active lawyer whose bureau has a payment-agent contract is let in', () => {
    expect(lawyerAccessRefusal(registered, '123456', bureau)).toBeUndefined();
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
    const ofBureau = lawyerAccessRefusal(registered, '123456', { hasPaymentAgentContract: false, individual: false });
    expect(ofBureau).toEqual({ code: 'access.no_payment_agent_contract_bureau' });
    expect(ofBureau && accessRefusalKind(ofBureau)).toBe('no_payment_agent_contract');
    expect(lawyerAccessRefusal(registered, '123456', { hasPaymentAgentContract: false, individual: true })).toEqual({
      code: 'access.no_payment_agent_contract_individual',
    });
    expect(lawyerAccessRefusal(registered, '123456', undefined)).toEqual({ code: 'access.no_payment_agent_contract_bureau' });
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
