/** The simulator's test cards and what it checks of a card and a terminal code. */
import type { FieldErrorKey } from './pages';

export const TEST_CARDS = {
  success: '4169738800000004',
  declined: '4000000000000002',
  timeout: '4000000000000119',
} as const;

export interface CardInput {
  cardNumber?: string;
  expiry?: string;
  cvv?: string;
  holder?: string;
}
export type CardField = 'cardNumber' | 'expiry' | 'cvv' | 'holder';

export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

export function normaliseTerminalCode(input: string): string {
  const compact = input.toUpperCase().replace(/\s+/g, '');
  const m = /^([A-Z]+)-?(\d+)$/.exec(compact);
  return m ? `${m[1]}-${m[2]}` : compact;
}
export function digitsOnly(value: string): string {
  return value.replace(/[\s-]/g, '');
}

export function validateCard(input: CardInput, now: Date): Partial<Record<CardField, FieldErrorKey>> {
  const errors: Partial<Record<CardField, FieldErrorKey>> = {};
  const number = digitsOnly(input.cardNumber ?? '');
  const isTestCard = (Object.values(TEST_CARDS) as string[]).includes(number);
  if (number === '') errors.cardNumber = 'card_number_required';
  else if (!isTestCard && (!/^\d{12,19}$/.test(number) || !luhnValid(number))) errors.cardNumber = 'card_number_invalid';

  const expiry = /^\s*(\d{2})\s*\/\s*(\d{2})\s*$/.exec(input.expiry ?? '');
  if (!expiry || Number(expiry[1]) < 1 || Number(expiry[1]) > 12) errors.expiry = 'expiry_invalid';
  else {
    const year = 2000 + Number(expiry[2]);
    const month = Number(expiry[1]);
    const nowYear = now.getUTCFullYear();
    const nowMonth = now.getUTCMonth() + 1;
    if (year < nowYear || (year === nowYear && month < nowMonth)) errors.expiry = 'expiry_past';
  }

  if (!/^\d{3}$/.test((input.cvv ?? '').trim())) errors.cvv = 'cvv_invalid';

  const holder = (input.holder ?? '').trim();
  if (holder === '') errors.holder = 'holder_required';
  else if (!/^[A-Za-z][A-Za-z .'-]{1,63}$/.test(holder)) errors.holder = 'holder_invalid';
  return errors;
}
