/**
 * The texts of e-mails and SMS (R4.2, R4.3.1), Azerbaijani first and English second.
 * Plain strings with {placeholders}; values are inserted as text, never as markup.
 */
import type { NotificationEvent } from '../contract/types';

export type Audience = 'applicant' | 'head' | 'lawyer';
export type Channel = 'email' | 'sms';
export type Locale = 'az' | 'en';

export interface MessageContext {
  contractNumber: string;
  lawyerName: string;
  bureauName: string;
  protectedPartyName: string;
  amountDue: string;
  cabinetUrl: string;
  contractUrl: string;
  login?: string;
  reason?: string;
}

interface Text {
  subject: string;
  email: string;
  sms: string;
}

type Catalogue = Partial<Record<NotificationEvent | 'cabinet_credentials', Partial<Record<Audience, Record<Locale, Text>>>>>;

const CATALOGUE: Catalogue = {
  submitted: {
    applicant: {
      az: {
        subject: '№ {contractNumber} müqaviləsi təsdiqə göndərildi',
        email: 'Hörmətli müraciət edən şəxs,\n\nVəkil {lawyerName} ({bureauName}) {protectedPartyName} üçün № {contractNumber} hüquqi yardım müqaviləsini hazırlayıb və büro rəhbərinin təsdiqinə göndərib. Müqaviləni kabinetinizdə oxuya bilərsiniz: {cabinetUrl}',
        sms: 'EVK: № {contractNumber} müqaviləsi təsdiqə göndərildi. Kabinet: {cabinetUrl}',
      },
      en: {
        subject: 'Contract No {contractNumber} sent for approval',
        email: 'Dear applicant,\n\nLawyer {lawyerName} ({bureauName}) has drawn up legal-aid contract No {contractNumber} for {protectedPartyName} and sent it to the bureau head for approval. You can read it in your cabinet: {cabinetUrl}',
        sms: 'EVK: contract No {contractNumber} sent for approval. Cabinet: {cabinetUrl}',
      },
    },
    head: {
      az: {
        subject: 'Təsdiqə gələn iş: № {contractNumber}',
        email: 'Vəkil {lawyerName} № {contractNumber} müqaviləsini ({protectedPartyName}) təsdiqə göndərib. "Müqavilə işləri" → "Təsdiqə gələn işlər": {contractUrl}',
        sms: 'EVK: № {contractNumber} müqaviləsi təsdiqinizi gözləyir.',
      },
      en: {
        subject: 'Awaiting approval: No {contractNumber}',
        email: 'Lawyer {lawyerName} has sent contract No {contractNumber} ({protectedPartyName}) for approval: {contractUrl}',
        sms: 'EVK: contract No {contractNumber} awaits your approval.',
      },
    },
  },
  cabinet_credentials: {
    applicant: {
      az: {
        subject: 'Elektron Vəkil Kabineti: girişiniz',
        email: 'Sizin üçün kabinet yaradıldı: {cabinetUrl}\nGiriş: {login}\nŞifrə: {password}\nİlk girişdə şifrənizi dəyişin.',
        sms: 'EVK kabinet: {cabinetUrl} Giriş: {login} Şifrə: {password}',
      },
      en: {
        subject: 'Electronic Lawyer Cabinet: your login',
        email: 'A cabinet has been opened for you: {cabinetUrl}\nLogin: {login}\nPassword: {password}\nPlease change the password when you first log in.',
        sms: 'EVK cabinet: {cabinetUrl} Login: {login} Password: {password}',
      },
    },
  },
  rejected: {
    lawyer: {
      az: { subject: '№ {contractNumber} müqaviləsi geri qaytarıldı', email: 'Büro rəhbəri № {contractNumber} müqaviləsini təsdiqləmədi. Səbəb: {reason}\n{contractUrl}', sms: 'EVK: № {contractNumber} geri qaytarıldı: {reason}' },
      en: { subject: 'Contract No {contractNumber} returned', email: 'The bureau head did not approve contract No {contractNumber}. Reason: {reason}\n{contractUrl}', sms: 'EVK: No {contractNumber} returned: {reason}' },
    },
  },
  approved: {
    applicant: {
      az: { subject: '№ {contractNumber} müqaviləsi təsdiqləndi: ödəniş edin', email: 'Müqavilə təsdiqləndi. Ödəniləcək məbləğ: {amountDue} AZN. Kabinetinizdə "Ödə" düyməsini basın: {cabinetUrl}', sms: 'EVK: № {contractNumber} təsdiqləndi. Ödəniş: {amountDue} AZN. {cabinetUrl}' },
      en: { subject: 'Contract No {contractNumber} approved: please pay', email: 'The contract has been approved. Amount due: {amountDue} AZN. Press "Pay" in your cabinet: {cabinetUrl}', sms: 'EVK: No {contractNumber} approved. Due: {amountDue} AZN. {cabinetUrl}' },
    },
  },
  payment_reminder: {
    applicant: {
      az: { subject: 'Xatırlatma: № {contractNumber} üzrə ödəniş', email: '№ {contractNumber} müqaviləsi üzrə {amountDue} AZN ödəniş gözlənilir: {cabinetUrl}', sms: 'EVK: № {contractNumber} üzrə {amountDue} AZN ödəniş gözlənilir.' },
      en: { subject: 'Reminder: payment for No {contractNumber}', email: 'A payment of {amountDue} AZN is awaited for contract No {contractNumber}: {cabinetUrl}', sms: 'EVK: {amountDue} AZN awaited for No {contractNumber}.' },
    },
  },
  order_issued: {
    lawyer: {
      az: { subject: 'Order hazırdır: № {contractNumber}', email: '№ {contractNumber} müqaviləsi üzrə ödəniş alındı, elektron vəkil orderi yaradıldı: {contractUrl}', sms: 'EVK: № {contractNumber} üzrə order yaradıldı.' },
      en: { subject: 'Order issued: No {contractNumber}', email: 'Payment received for contract No {contractNumber}; the lawyer\'s order has been issued: {contractUrl}', sms: 'EVK: order issued for No {contractNumber}.' },
    },
    applicant: {
      az: { subject: 'Ödəniş qəbul edildi: № {contractNumber}', email: 'Ödənişiniz qəbul edildi, vəkil orderi yaradıldı. {cabinetUrl}', sms: 'EVK: ödəniş qəbul edildi, order yaradıldı.' },
      en: { subject: 'Payment received: No {contractNumber}', email: 'Your payment has been received and the lawyer\'s order issued. {cabinetUrl}', sms: 'EVK: payment received, order issued.' },
    },
  },
  amendment_needs_consent: {
    applicant: {
      az: { subject: 'Qiymət dəyişikliyi razılığınızı gözləyir: № {contractNumber}', email: '№ {contractNumber} müqaviləsinin qiymətinin dəyişdirilməsi təklif olunur. Kabinetinizdə razılıq verin və ya imtina edin: {cabinetUrl}', sms: 'EVK: № {contractNumber} qiymət dəyişikliyi razılığınızı gözləyir. {cabinetUrl}' },
      en: { subject: 'A price change awaits your consent: No {contractNumber}', email: 'A change of the price of contract No {contractNumber} is proposed. Consent or decline in your cabinet: {cabinetUrl}', sms: 'EVK: price change of No {contractNumber} awaits your consent. {cabinetUrl}' },
    },
  },
  amendment_needs_approval: {
    head: {
      az: { subject: 'Düzəliş təsdiqinizi gözləyir: № {contractNumber}', email: 'Vəkil {lawyerName} № {contractNumber} müqaviləsinə düzəliş edib: {contractUrl}', sms: 'EVK: № {contractNumber} düzəlişi təsdiqinizi gözləyir.' },
      en: { subject: 'An amendment awaits your approval: No {contractNumber}', email: 'Lawyer {lawyerName} has amended contract No {contractNumber}: {contractUrl}', sms: 'EVK: amendment of No {contractNumber} awaits approval.' },
    },
  },
  amendment_applied: {
    lawyer: {
      az: { subject: 'Düzəliş qüvvəyə mindi: № {contractNumber}', email: 'Düzəliş qüvvəyə mindi; müqavilə və order yeni versiya kimi yaradılır: {contractUrl}', sms: 'EVK: № {contractNumber} düzəlişi qüvvəyə mindi.' },
      en: { subject: 'Amendment in force: No {contractNumber}', email: 'The amendment is in force; the contract and order are issued as a new version: {contractUrl}', sms: 'EVK: amendment of No {contractNumber} in force.' },
    },
    applicant: {
      az: { subject: 'Müqavilədə dəyişiklik: № {contractNumber}', email: '№ {contractNumber} müqaviləsinə edilən düzəliş qüvvəyə mindi: {cabinetUrl}', sms: 'EVK: № {contractNumber} müqaviləsi dəyişdirildi.' },
      en: { subject: 'Contract changed: No {contractNumber}', email: 'The amendment of contract No {contractNumber} is in force: {cabinetUrl}', sms: 'EVK: contract No {contractNumber} changed.' },
    },
  },
  amendment_rejected: {
    lawyer: {
      az: { subject: 'Düzəliş qəbul edilmədi: № {contractNumber}', email: '№ {contractNumber} müqaviləsinə düzəliş qəbul edilmədi. {reason}\n{contractUrl}', sms: 'EVK: № {contractNumber} düzəlişi qəbul edilmədi.' },
      en: { subject: 'Amendment not accepted: No {contractNumber}', email: 'The amendment of contract No {contractNumber} was not accepted. {reason}\n{contractUrl}', sms: 'EVK: amendment of No {contractNumber} not accepted.' },
    },
  },
  finished: {
    applicant: {
      az: { subject: '№ {contractNumber} müqaviləsi başa çatdı', email: '№ {contractNumber} müqaviləsi üzrə iş başa çatdı və arxivə göndərildi.', sms: 'EVK: № {contractNumber} başa çatdı.' },
      en: { subject: 'Contract No {contractNumber} finished', email: 'The work under contract No {contractNumber} is finished and archived.', sms: 'EVK: No {contractNumber} finished.' },
    },
  },
  terminated: {
    applicant: {
      az: { subject: '№ {contractNumber} müqaviləsinə xitam verildi', email: '№ {contractNumber} müqaviləsinə xitam verildi. Səbəb: {reason}', sms: 'EVK: № {contractNumber} müqaviləsinə xitam verildi.' },
      en: { subject: 'Contract No {contractNumber} terminated', email: 'Contract No {contractNumber} has been terminated. Reason: {reason}', sms: 'EVK: No {contractNumber} terminated.' },
    },
  },
  restarted: {
    applicant: {
      az: { subject: '№ {contractNumber} üzrə iş yenidən başladı', email: '№ {contractNumber} müqaviləsi üzrə iş yenidən başladıldı.', sms: 'EVK: № {contractNumber} yenidən başladı.' },
      en: { subject: 'Contract No {contractNumber} restarted', email: 'The work under contract No {contractNumber} has been restarted.', sms: 'EVK: No {contractNumber} restarted.' },
    },
  },
};

/** Which audiences hear of an event by SMS as well as e-mail (the rest get e-mail only). */
const SMS_AUDIENCES: Partial<Record<NotificationEvent | 'cabinet_credentials', Audience[]>> = {
  submitted: ['applicant', 'head'],
  cabinet_credentials: ['applicant'],
  approved: ['applicant'],
  payment_reminder: ['applicant'],
  order_issued: ['lawyer'],
  amendment_needs_consent: ['applicant'],
};

export function audiencesOf(event: NotificationEvent | 'cabinet_credentials'): Audience[] {
  return Object.keys(CATALOGUE[event] ?? {}) as Audience[];
}

export function usesSms(event: NotificationEvent | 'cabinet_credentials', audience: Audience): boolean {
  return SMS_AUDIENCES[event]?.includes(audience) ?? false;
}

export function composeMessage(
  event: NotificationEvent | 'cabinet_credentials',
  audience: Audience,
  channel: Channel,
  locale: Locale,
  context: MessageContext,
): { subject: string; body: string } | undefined {
  const text = CATALOGUE[event]?.[audience]?.[locale];
  if (!text) return undefined;
  const fill = (template: string) =>
    template.replace(/\{(\w+)\}/g, (whole, name: string) => {
      // {password} stays a placeholder: the dispatcher fills it from the encrypted secret at sending time.
      if (name === 'password') return whole;
      const value = (context as unknown as Record<string, string | undefined>)[name];
      return value ?? '';
    });
  return { subject: fill(text.subject), body: fill(channel === 'sms' ? text.sms : text.email) };
}
