/** The payment agent SIMULATOR's words: Azerbaijani first, English second (the pages, field errors, payment states). */
import type { PaymentState } from '../../integrations/payment-agent/protocol';

export type Lang = 'az' | 'en';

export function pickLang(value: unknown, fallback: Lang = 'az'): Lang {
  return value === 'en' ? 'en' : value === 'az' ? 'az' : fallback;
}

const az = {
  banner: 'SİMULYATOR — bu, ödəniş agentinin (PulPal) yerli simulyatorudur. Real pul köçürülmür.',
  simTag: 'Simulyator',
  agentName: 'PulPal ödəniş agenti (simulyator)',
  payTitle: 'Ödəniş',
  price: 'Məbləğ',
  debt: 'Ödənilməli qalıq',
  paidSoFar: 'Artıq ödənilib',
  description: 'Təyinat',
  state: 'Vəziyyət',
  chooseMethod: 'Ödəniş üsulunu seçin',
  methodCard: 'Bank kartı ilə',
  methodTerminal: 'Ödəniş terminalı ilə',
  otherMethod: 'Başqa üsul seçin',
  cardNumber: 'Kartın nömrəsi',
  expiry: 'Bitmə tarixi (AA/İİ)',
  cvv: 'CVV',
  holder: 'Kart sahibi',
  pay: 'Ödə',
  charge: 'Kartdan çıxılacaq',
  testCards: 'Test kartları (simulyator)',
  testCardSuccess: 'Uğurlu ödəniş',
  testCardDeclined: 'Rədd edilir: vəsait çatışmır',
  testCardTimeout: 'Bank cavab vermir: ödəniş vaxtı bitir',
  testCardsNote: 'İstənilən gələcək tarix (AA/İİ), istənilən 3 rəqəmli CVV və latın hərfləri ilə ad. Luhn yoxlamasından keçən digər nömrələr uğurla ödənilir.',
  paymentCode: 'Ödəniş kodu',
  terminalHowTo: 'Terminalda necə ödəmək olar',
  terminalStep1: 'Ödəniş terminalında «Elektron pul kisələri» bölməsini açın.',
  terminalStep2: '«PulPal» seçin.',
  terminalStep3: 'Hesab nömrəsi kimi ödəniş kodunu daxil edin:',
  terminalStep4: 'Məbləği ödəyin. Hissə-hissə ödəmək olar; borcdan artıq ödəmək olmaz.',
  openTerminal: 'Terminal simulyatorunu açın',
  backToMerchant: 'Sayta qayıdın',
  declinedTitle: 'Kart rədd edildi',
  declinedText: 'Bank ödənişi rədd etdi: kartda kifayət qədər vəsait yoxdur. Başqa kartla yenidən cəhd edə bilərsiniz.',
  timedOutTitle: 'Ödəniş vaxtı bitdi',
  timedOutText: 'Bank vaxtında cavab vermədi, ödəniş baş tutmadı. Sayta qayıdıb yenidən ödəyin.',
  paidTitle: 'Ödəniş qəbul edildi',
  alreadyPaid: 'Bu ödəniş artıq tam ödənilib.',
  notPayable: 'Bu ödəniş artıq qəbul edilmir.',
  notFound: 'Ödəniş tapılmadı.',
  terminalTitle: 'Ödəniş terminalı',
  terminalPath: 'Elektron pul kisələri → PulPal',
  accountNumber: 'Hesab nömrəsi (ödəniş kodu)',
  continue: 'Davam edin',
  amountAzn: 'Məbləğ, AZN',
  partialHint: 'Hissə-hissə ödəmək olar; borcdan artıq ödəmək olmaz.',
  receipt: 'Qəbz',
  paidNow: 'Ödənildi',
  remaining: 'Qalıq borc',
  newPayment: 'Yeni ödəniş',
  otherCode: 'Başqa kod',
  indexTitle: 'Ödəniş agentinin simulyatoru',
  indexIntro: 'Yaradılmış ödənişlər (son 50). Ödəniş səhifəsi və terminal ekranı aşağıdakı keçidlərdədir.',
  noPayments: 'Hələ ödəniş yoxdur.',
  method: 'Üsul',
  reason: 'Səbəb',
} as const;

type Dict = { [K in keyof typeof az]: string };

const en: Dict = {
  banner: 'SIMULATOR — this is a local simulator of the payment agent (PulPal). No real money moves.',
  simTag: 'Simulator',
  agentName: 'PulPal payment agent (simulator)',
  payTitle: 'Payment',
  price: 'Amount',
  debt: 'Balance due',
  paidSoFar: 'Already paid',
  description: 'Purpose',
  state: 'State',
  chooseMethod: 'Choose a payment method',
  methodCard: 'By bank card',
  methodTerminal: 'At a payment terminal',
  otherMethod: 'Choose another method',
  cardNumber: 'Card number',
  expiry: 'Expiry (MM/YY)',
  cvv: 'CVV',
  holder: 'Cardholder',
  pay: 'Pay',
  charge: 'To be charged',
  testCards: 'Test cards (simulator)',
  testCardSuccess: 'Payment succeeds',
  testCardDeclined: 'Declined: insufficient funds',
  testCardTimeout: 'The bank does not answer: the payment times out',
  testCardsNote: 'Any future expiry (MM/YY), any 3-digit CVV and a name in Latin letters. Other numbers that pass the Luhn check are paid successfully.',
  paymentCode: 'Payment code',
  terminalHowTo: 'How to pay at a terminal',
  terminalStep1: 'At a payment terminal open “E-wallets”.',
  terminalStep2: 'Choose “PulPal”.',
  terminalStep3: 'Enter the payment code as the account number:',
  terminalStep4: 'Pay the amount. Partial payments are allowed; paying more than the balance is not.',
  openTerminal: 'Open the terminal simulator',
  backToMerchant: 'Return to the site',
  declinedTitle: 'Card declined',
  declinedText: 'The bank declined the payment: insufficient funds on the card. You can try another card.',
  timedOutTitle: 'The payment timed out',
  timedOutText: 'The bank did not answer in time and the payment did not go through. Return to the site and pay again.',
  paidTitle: 'Payment accepted',
  alreadyPaid: 'This payment has already been paid in full.',
  notPayable: 'This payment can no longer be paid.',
  notFound: 'Payment not found.',
  terminalTitle: 'Payment terminal',
  terminalPath: 'E-wallets → PulPal',
  accountNumber: 'Account number (payment code)',
  continue: 'Continue',
  amountAzn: 'Amount, AZN',
  partialHint: 'Partial payments are allowed; paying more than the balance is not.',
  receipt: 'Receipt',
  paidNow: 'Paid',
  remaining: 'Remaining balance',
  newPayment: 'New payment',
  otherCode: 'Another code',
  indexTitle: 'Payment agent simulator',
  indexIntro: 'Payments created so far (last 50). The payment page and the terminal screen are linked below.',
  noPayments: 'No payments yet.',
  method: 'Method',
  reason: 'Reason',
};

export const TEXTS: Record<Lang, Dict> = { az, en };

export type FieldErrorKey =
  | 'card_number_required'
  | 'card_number_invalid'
  | 'card_declined'
  | 'expiry_invalid'
  | 'expiry_past'
  | 'cvv_invalid'
  | 'holder_required'
  | 'holder_invalid'
  | 'code_required'
  | 'code_unknown'
  | 'not_payable'
  | 'already_paid'
  | 'amount_invalid'
  | 'amount_zero'
  | 'amount_overpay';

const ERRORS: Record<Lang, Record<FieldErrorKey, string>> = {
  az: {
    card_number_required: 'Kartın nömrəsini daxil edin.',
    card_number_invalid: 'Kartın nömrəsi səhvdir (Luhn yoxlamasından keçmir).',
    card_declined: 'Kart rədd edildi: kartda kifayət qədər vəsait yoxdur.',
    expiry_invalid: 'Tarixi AA/İİ şəklində daxil edin, məsələn 09/28.',
    expiry_past: 'Kartın müddəti bitib.',
    cvv_invalid: 'CVV 3 rəqəmdən ibarət olmalıdır.',
    holder_required: 'Kart sahibinin adını daxil edin.',
    holder_invalid: 'Adı latın hərfləri ilə daxil edin (2–64 simvol).',
    code_required: 'Ödəniş kodunu daxil edin.',
    code_unknown: 'Bu kodla ödəniş tapılmadı.',
    not_payable: 'Bu ödəniş artıq qəbul edilmir.',
    already_paid: 'Bu ödəniş artıq tam ödənilib.',
    amount_invalid: 'Məbləği AZN ilə daxil edin, məsələn 20.50.',
    amount_zero: 'Məbləğ sıfırdan böyük olmalıdır.',
    amount_overpay: 'Məbləğ borcdan çoxdur: ən çoxu {max}.',
  },
  en: {
    card_number_required: 'Enter the card number.',
    card_number_invalid: 'The card number is invalid (fails the Luhn check).',
    card_declined: 'Card declined: insufficient funds.',
    expiry_invalid: 'Enter the date as MM/YY, e.g. 09/28.',
    expiry_past: 'The card has expired.',
    cvv_invalid: 'CVV must be 3 digits.',
    holder_required: "Enter the cardholder's name.",
    holder_invalid: 'Enter the name in Latin letters (2–64 characters).',
    code_required: 'Enter the payment code.',
    code_unknown: 'No payment has this code.',
    not_payable: 'This payment can no longer be paid.',
    already_paid: 'This payment has already been paid in full.',
    amount_invalid: 'Enter the amount in AZN, e.g. 20.50.',
    amount_zero: 'The amount must be greater than zero.',
    amount_overpay: 'The amount exceeds the balance due: at most {max}.',
  },
};

export function errorText(lang: Lang, key: FieldErrorKey, vars: Record<string, string> = {}): string {
  return ERRORS[lang][key].replace(/\{(\w+)\}/g, (_, name: string) => vars[name] ?? '');
}

const STATE_LABELS: Record<Lang, Record<PaymentState, string>> = {
  az: {
    0: 'Yaradılıb',
    1: 'Ödənilib',
    2: 'Çatdırılıb',
    3: 'Xəta',
    4: 'Rədd edilib',
    5: 'Ləğv edilib',
    6: 'Vaxtı bitib',
    7: 'Geri qaytarılıb',
    8: 'Qismən ödənilib',
    9: 'Qismən geri qaytarılıb',
  },
  en: {
    0: 'Created',
    1: 'Paid',
    2: 'Delivered',
    3: 'Error',
    4: 'Declined',
    5: 'Canceled',
    6: 'Expired',
    7: 'Reversed',
    8: 'Partially paid',
    9: 'Partially reversed',
  },
};

export function stateLabel(lang: Lang, state: PaymentState): string {
  return `${STATE_LABELS[lang][state]} (${state})`;
}
