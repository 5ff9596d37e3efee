import { describe as group, expect, it } from 'vitest';
import { CONTRACT_CODES, kindOf, TERMS_CODES } from '../../domain/contract';
import { hasText } from '../../locales';

group('the contract codes have words (issue 8, codes not sentences)', () => {
  it('every refusal, validation and API code of the contract has a text in Azerbaijani and in English', () => {
    const missing = CONTRACT_CODES.flatMap((code) => (['az', 'en'] as const).filter((l) => !hasText(l, code)).map((l) => `${l}:${code}`));
    expect(missing).toEqual([]);
  });

  it('every validation code has a one-word kind, which the JSON API answers as the field code', () => {
    for (const code of TERMS_CODES) expect(kindOf(code)).toMatch(/^[a-z_]+$/);
    expect(kindOf('terms.first_payment_not_less')).toBe('not_less_than_price');
  });
});
