import type { ContractDocumentData, OrderDocumentData } from '../../documents/types';

/** A two-instalment contract (1000 AZN, first 300 → 700) for a protected person who is not the applicant. */
export function sampleContract(overrides: Partial<ContractDocumentData> = {}): ContractDocumentData {
  return {
    contractNumber: 'MQ-2026-000123',
    version: 1,
    issuedAt: '2026-11-28T10:15:00Z',
    signedPlace: 'Bakı şəhəri',
    terms: {
      protectedPartyKind: 'natural',
      applicantIsProtectedParty: false,
      caseType: 'criminal',
      protectedPerson: {
        citizenship: 'citizen',
        fin: '5ZK7QPL',
        firstName: 'Rəşad',
        lastName: 'Əliyev',
        patronymic: 'Kamal oğlu',
        birthDate: '1988-03-14',
        address: 'Bakı şəhəri, Nəsimi rayonu, Səməd Vurğun küçəsi 34, mənzil 12',
        phone: '+994 50 555 12 34',
      },
      applicant: {
        citizenship: 'citizen',
        fin: '3MN8RTY',
        firstName: 'Gülnarə',
        lastName: 'Şükürova',
        patronymic: 'İsmayıl qızı',
        birthDate: '1961-09-02',
        address: 'Sumqayıt şəhəri, 9-cu mikrorayon, ev 17, mənzil 45',
        phone: '+994 55 777 88 99',
        email: 'gulnare.shukurova@example.az',
      },
      evidence: { none: false, holders: ['Nəsimi Rayon Polis İdarəsi', '“Azərişıq” ASC-nin Bakı filialı'] },
      assignment:
        'Hüquqları qorunan şəxsin istintaq orqanında ibtidai araşdırma mərhələsində müdafiəsi: dindirmələrdə iştirak, işin materialları ilə tanışlıq, vəsatət və şikayətlərin hazırlanması və verilməsi.\nZəruri hallarda ekspertiza təyin edilməsi barədə vəsatət qaldırılması.',
      institution: { id: 'inst-17', name: 'Bakı şəhəri Nəsimi Rayon Polis İdarəsi' },
      price: { totalQepik: 100_000, plan: 'two_instalments', firstInstalmentQepik: 30_000 },
    },
    lawyer: { fullName: 'Məmmədova Səbinə Vüqar qızı', licenseNumber: 'VV-0042', phone: '+994 12 404 55 66', email: 's.memmedova@huquq.az' },
    bureau: {
      name: '“Ədalət” Vəkil Bürosu',
      address: 'Bakı şəhəri, Yasamal rayonu, Şərifzadə küçəsi 12',
      headName: 'Hüseynov Tofiq Əli oğlu',
      bankAccount: 'AZ21NABZ00000000137010001944',
      voen: '1400057421',
    },
    ...overrides,
  };
}

export function sampleOrder(overrides: Partial<OrderDocumentData> = {}): OrderDocumentData {
  const contract = sampleContract();
  return {
    orderNumber: 'EVO-2026-004517',
    verificationUrl: 'https://evk.example.az/verify/EVO-2026-004517?code=q3Zt8kPw2LxN5mRb7HcY',
    contractNumber: contract.contractNumber,
    version: contract.version,
    contractDate: contract.issuedAt,
    issuedAt: '2026-11-29T08:40:00Z',
    terms: contract.terms,
    lawyer: contract.lawyer,
    bureau: contract.bureau,
    ...overrides,
  };
}
