import { describe, expect, it } from 'vitest';
import { NOTIFICATION_EVENTS } from '../../activities/contract/types';
import { audiencesOf, composeMessage, type MessageContext } from '../../activities/notifications/messages';
import { DICTIONARIES, hasText, LOCALES } from '../../locales';

const context: MessageContext = {
  contractNumber: 'M-2026-000042',
  lawyerName: 'Elçin Məmmədov',
  bureauName: 'Bakı 1 saylı vəkil bürosu',
  protectedPartyName: 'Əliyev Rəşad',
  amountDue: '300.00',
  cabinetUrl: 'https://evk.example.az/applicant',
  contractUrl: 'https://evk.example.az/contracts/2026-000042',
  reason: 'Qiyməti yoxlayın',
};

describe('e-mail and SMS texts (R4.2, R4.3.1)', () => {
  it('R4.2.1 "pay now" tells the applicant the amount in Azerbaijani and in English', () => {
    expect(composeMessage('approved', 'applicant', 'sms', 'az', context)?.body).toBe(
      'EVK: № M-2026-000042 təsdiqləndi. Ödəniş: 300.00 AZN. https://evk.example.az/applicant',
    );
    expect(composeMessage('approved', 'applicant', 'email', 'en', context)?.subject).toBe('Contract No M-2026-000042 approved: please pay');
  });

  it('R4.2.3 the lawyer reads the reason of a rejection', () => {
    expect(composeMessage('rejected', 'lawyer', 'email', 'az', context)?.body).toBe(
      'Büro rəhbəri № M-2026-000042 müqaviləsini təsdiqləmədi. Səbəb: Qiyməti yoxlayın\nhttps://evk.example.az/contracts/2026-000042',
    );
  });

  // Issue 9 item 1: a new cabinet gets a one-time activation link instead of a password.
  it('R4.3.1 the activation token stays a placeholder until the dispatcher sends the message', () => {
    const body = composeMessage('cabinet_credentials', 'applicant', 'email', 'az', {
      ...context,
      login: 'resad@example.az',
      activationUrl: 'https://evk.example.az/activate?token=',
    })?.body;
    expect(body).toContain('https://evk.example.az/activate?token={password}\nGiriş: resad@example.az\n');
    expect(body).not.toContain('Şifrə:');
  });

  it('an audience that does not hear of an event gets no message', () => {
    expect(composeMessage('rejected', 'applicant', 'email', 'az', context)).toBeUndefined();
  });

  it.each(LOCALES)('every event and audience has a subject, an e-mail and an SMS in %s', (locale) => {
    for (const event of [...NOTIFICATION_EVENTS, 'cabinet_credentials' as const]) {
      for (const audience of audiencesOf(event)) {
        for (const part of ['subject', 'email', 'sms'])
          expect(hasText(locale, `notification.${event}.${audience}.${part}`), `${event}.${audience}.${part}`).toBe(true);
      }
    }
    expect(Object.keys(DICTIONARIES[locale]).filter((k) => k.startsWith('notification.')).length).toBe(54); // 48 + payment_reversed to the lawyer and the head (issue 9 item 3)
  });
});
