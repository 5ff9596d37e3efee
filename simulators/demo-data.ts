/**
 * The demo world: the lawyers, bureaus, citizens and companies that the local simulators of the
 * outside systems (ASAN İmza, population registry, tax service) know, and that the database seed
 * puts on the Bar's register. Everything here is invented; any likeness to real people, FINs,
 * VÖENs, phone numbers or bank accounts is accidental.
 *
 * This file depends only on the domain's identifier rules (not on the adapters), so the seed, the
 * simulators and the tests can all import it cheaply.
 *
 * Conventions
 * - `patronymic` is written as on Azerbaijani documents: father's name + "oğlu" (son) / "qızı"
 *   (daughter), e.g. "Tofiq oğlu". Full name order on documents: lastName firstName patronymic.
 * - FIN: 7 Latin capitals/digits (`isValidFin`, `FIN_PATTERN`). Phones: `+994` and 9 digits (`AZ_PHONE_PATTERN`).
 *   Mobile-signature user ID: 6 digits. Dates: ISO `YYYY-MM-DD`.
 */
import type { Actor } from '../domain/shared/actor';
import { isValidFin, isValidVoen } from '../domain/shared/identifiers';
import { displayName } from '../domain/shared/names';

// ---------------------------------------------------------------------------------------------
// Identifier formats (SPEC "Facts about the order and the outside systems" → Identifiers)
// ---------------------------------------------------------------------------------------------

/** The cabinet's own checks (R4.1.2, R4.1.3): the simulators judge FINs and VÖENs as the domain does. */
export { isValidFin, isValidVoen };

/**
 * FIN: 7 characters, Latin capital letters and digits, as the domain's `isValidFin` accepts after
 * normalising (real FINs avoid some letters; we don't check that). For simulators that match an
 * already normalised FIN; test/integrations/demo-data.test.ts keeps it in step with `isValidFin`.
 */
export const FIN_PATTERN = /^[A-Z0-9]{7}$/;
/** Azerbaijani mobile number in international form, e.g. +994501234567. */
export const AZ_PHONE_PATTERN = /^\+994\d{9}$/;
/** ASAN İmza user ID: 6 digits. */
export const MOBILE_SIGNATURE_USER_ID_PATTERN = /^\d{6}$/;

/**
 * The VÖEN check digit (9th digit) for the first 8 digits, or null when none exists (the weighted
 * sum mod 11 is 10). Read off the domain's `isValidVoen` rather than computed a second time.
 */
export function voenCheckDigit(first8: string): number | null {
  if (!/^\d{8}$/.test(first8)) return null;
  for (let digit = 0; digit <= 9; digit++) if (isValidVoen(`${first8}${digit}1`)) return digit;
  return null;
}

/** True for a valid VÖEN of a legal entity (10th digit 1). */
export function isLegalEntityVoen(voen: string): boolean {
  return isValidVoen(voen) && voen[9] === '1';
}

// ---------------------------------------------------------------------------------------------
// Bureaus and lawyers (R2.1, R2.2)
// ---------------------------------------------------------------------------------------------

export interface DemoBureau {
  key: string;
  name: string;
  /** The bureau's own VÖEN (bureaus are taxpayers). */
  voen: string;
  address: string;
  /** R2.1 (ii): the bureau (or the individual lawyer) has a contract with the payment agent. */
  hasPaymentAgentContract: boolean;
  /** An individually practising lawyer is a bureau of one. */
  isIndividualPractice: boolean;
  bankName: string;
  /** Azerbaijani IBAN: AZ + 2 check digits + 4-letter bank code + 20 characters (check digits valid). */
  bankAccount: string;
}

export interface DemoLawyer {
  /** Stable key for the seed and tests. */
  key: string;
  fin: string;
  mobileSignatureUserId: string;
  /** The phone number of the lawyer's ASAN İmza SIM. */
  phone: string;
  email: string;
  firstName: string;
  lastName: string;
  patronymic: string;
  licenseNumber: string;
  /** Date the lawyer started practising (R8.1). */
  practisingSince: string;
  bureauKey: string;
  /** Bureau head; an individually practising lawyer is the head of himself. */
  isHead: boolean;
  /** R2.1 (i): on the Bar's list of active lawyers (FIN + mobile-signature user ID). */
  onActiveList: boolean;
}

export const DEMO_BUREAUS = [
  {
    key: 'baki-1',
    name: 'Bakı şəhəri 1 saylı Vəkil Bürosu',
    voen: '1600123491',
    address: 'Bakı şəhəri, Nəsimi rayonu, Füzuli küçəsi 49, AZ1014',
    hasPaymentAgentContract: true,
    isIndividualPractice: false,
    bankName: 'Azərbaycan Beynəlxalq Bankı ASC',
    bankAccount: 'AZ22IBAZ38090019441234567801',
  },
  {
    key: 'quliyev',
    name: 'Vəkil Rəşad Quliyev (fərdi qaydada vəkil fəaliyyəti)',
    voen: '1405550191',
    address: 'Sumqayıt şəhəri, Sülh küçəsi 12, mənzil 7, AZ5000',
    hasPaymentAgentContract: true,
    isIndividualPractice: true,
    bankName: 'PAŞA Bank ASC',
    bankAccount: 'AZ06PAHA40060AZNHC0100012345',
  },
  {
    key: 'gence-2',
    name: 'Gəncə şəhəri 2 saylı Vəkil Bürosu',
    voen: '1400987631',
    address: 'Gəncə şəhəri, Atatürk prospekti 88, AZ2000',
    hasPaymentAgentContract: false,
    isIndividualPractice: false,
    bankName: 'Kapital Bank ASC',
    bankAccount: 'AZ24AIIB33070019440000123456',
  },
] as const satisfies readonly DemoBureau[];

export type DemoBureauKey = (typeof DEMO_BUREAUS)[number]['key'];

/**
 * The four lawyers who pass R2.1 and can log in: the head and two lawyers of
 * "Bakı şəhəri 1 saylı Vəkil Bürosu", and an individually practising lawyer (head of himself).
 */
export const DEMO_LAWYERS = [
  {
    key: 'head-huseynova',
    fin: '5ZK8R2M',
    mobileSignatureUserId: '204517',
    phone: '+994502104517',
    email: 'sebine.huseynova@bakivb1.example',
    firstName: 'Səbinə',
    lastName: 'Hüseynova',
    patronymic: 'Rəşid qızı',
    licenseNumber: 'VL-000412',
    practisingSince: '2006-03-15',
    bureauKey: 'baki-1',
    isHead: true,
    onActiveList: true,
  },
  {
    key: 'lawyer-mammadov',
    fin: '3HT7P1K',
    mobileSignatureUserId: '318842',
    phone: '+994553188420',
    email: 'elcin.memmedov@bakivb1.example',
    firstName: 'Elçin',
    lastName: 'Məmmədov',
    patronymic: 'Tofiq oğlu',
    licenseNumber: 'VL-001187',
    practisingSince: '2014-09-01',
    bureauKey: 'baki-1',
    isHead: false,
    onActiveList: true,
  },
  {
    key: 'lawyer-qasimova',
    fin: '7GN4W9D',
    mobileSignatureUserId: '427731',
    phone: '+994704277310',
    email: 'gunel.qasimova@bakivb1.example',
    firstName: 'Günel',
    lastName: 'Qasımova',
    patronymic: 'Şahin qızı',
    licenseNumber: 'VL-002043',
    practisingSince: '2019-02-11',
    bureauKey: 'baki-1',
    isHead: false,
    onActiveList: true,
  },
  {
    key: 'individual-quliyev',
    fin: '2XB6L8F',
    mobileSignatureUserId: '536608',
    phone: '+994775366080',
    email: 'resad.quliyev@quliyev-vekil.example',
    firstName: 'Rəşad',
    lastName: 'Quliyev',
    patronymic: 'Ağalar oğlu',
    licenseNumber: 'VL-000958',
    practisingSince: '2011-06-20',
    bureauKey: 'quliyev',
    isHead: true,
    onActiveList: true,
  },
] as const satisfies readonly DemoLawyer[];

/**
 * R2.1 (ii) refusal case: on the Bar's active list, with a working ASAN İmza, but his bureau
 * ("Gəncə şəhəri 2 saylı Vəkil Bürosu") has no contract with the payment agent.
 */
export const DEMO_LAWYER_WITHOUT_AGENT_CONTRACT = {
  key: 'no-contract-celebiyev',
  fin: '6MR3V5C',
  mobileSignatureUserId: '645193',
  phone: '+994516451930',
  email: 'orxan.celebiyev@gencevb2.example',
  firstName: 'Orxan',
  lastName: 'Çələbiyev',
  patronymic: 'Vüqar oğlu',
  licenseNumber: 'VL-001634',
  practisingSince: '2016-11-07',
  bureauKey: 'gence-2',
  isHead: true,
  onActiveList: true,
} as const satisfies DemoLawyer;

/** Every lawyer on the Bar's register (what the seed inserts): the four above plus the R2.1 (ii) case. */
export const ALL_DEMO_LAWYERS: readonly DemoLawyer[] = [...DEMO_LAWYERS, DEMO_LAWYER_WITHOUT_AGENT_CONTRACT];

/** A demo lawyer of the register as the actor of their signed-in steps (the tests and the bench drive workflows as them). */
export function demoLawyerActor(key: string): Actor {
  const l = ALL_DEMO_LAWYERS.find((x) => x.key === key);
  if (!l) throw new Error(`no demo lawyer ${key}`);
  return { kind: 'lawyer', id: l.key, bureauId: l.bureauKey, isHead: l.isHead };
}

/** A holder of an ASAN İmza SIM card, as the mobile-signature provider knows them. */
export interface DemoSignatureHolder {
  phone: string;
  userId: string;
  fin: string;
  firstName: string;
  lastName: string;
  patronymic: string;
}

/**
 * R2.1 (i) refusal case: has a working ASAN İmza, so the mobile signature confirms who he is,
 * but he is NOT on the Bar's list of active lawyers (a law graduate, not a member of the Bar).
 * The seed must not put him on the register.
 */
export const DEMO_UNLISTED_SIGNATURE_HOLDER = {
  phone: '+994997025561',
  userId: '702556',
  fin: '4PD9S1T',
  firstName: 'Fərid',
  lastName: 'Süleymanov',
  patronymic: 'Nazim oğlu',
} as const satisfies DemoSignatureHolder;

/** Everyone the ASAN İmza simulator knows: all registered lawyers and the unlisted holder. */
export const DEMO_MOBILE_SIGNATURE_HOLDERS: readonly DemoSignatureHolder[] = [
  ...ALL_DEMO_LAWYERS.map((l) => ({
    phone: l.phone,
    userId: l.mobileSignatureUserId,
    fin: l.fin,
    firstName: l.firstName,
    lastName: l.lastName,
    patronymic: l.patronymic,
  })),
  DEMO_UNLISTED_SIGNATURE_HOLDER,
];

// ---------------------------------------------------------------------------------------------
// Citizens in the population registry (R4.1.2)
// ---------------------------------------------------------------------------------------------

export interface DemoIdentityDocument {
  type: 'identity_card';
  /** "AA" (new ID cards, 7 digits) or "AZE" (older cards, 8 digits). */
  series: string;
  number: string;
  issuedOn: string;
  expiresOn: string;
  issuedBy: string;
}

export interface DemoPerson {
  fin: string;
  firstName: string;
  lastName: string;
  patronymic: string;
  birthDate: string;
  birthPlace: string;
  gender: 'male' | 'female';
  citizenship: 'AZ';
  address: string;
  identityDocument: DemoIdentityDocument;
  /**
   * Not registry data: a phone and e-mail a tester can type for this person as an applicant
   * (R4.1.2 wants at least one). Unique across the demo world.
   */
  demoContact: { phone: string; email: string };
}

const ID_CARD_ISSUER = 'Daxili İşlər Nazirliyi';

/** issue 13: the identity cards of 2KM4N6P and 6CD8E1F have expired, so the wizard's warning can be seen. */
export const DEMO_EXPIRED_ID_FINS = ['2KM4N6P', '6CD8E1F'] as const;

export const DEMO_PEOPLE = [
  {
    fin: '1AB2C3D',
    firstName: 'Aysel',
    lastName: 'Əliyeva',
    patronymic: 'Kamran qızı',
    birthDate: '1990-04-12',
    birthPlace: 'Bakı şəhəri',
    gender: 'female',
    citizenship: 'AZ',
    address: 'Bakı şəhəri, Yasamal rayonu, Şərifzadə küçəsi 24, mənzil 15',
    identityDocument: { type: 'identity_card', series: 'AA', number: '1234567', issuedOn: '2021-05-18', expiresOn: '2031-05-18', issuedBy: ID_CARD_ISSUER },
    demoContact: { phone: '+994501110101', email: 'aysel.aliyeva@mail.example' },
  },
  {
    fin: '2KM4N6P',
    firstName: 'Tural',
    lastName: 'Həsənov',
    patronymic: 'Məhəmməd oğlu',
    birthDate: '1985-11-03',
    birthPlace: 'Şəki şəhəri',
    gender: 'male',
    citizenship: 'AZ',
    address: 'Bakı şəhəri, Xətai rayonu, Xocalı prospekti 31, mənzil 42',
    identityDocument: { type: 'identity_card', series: 'AZE', number: '12345678', issuedOn: '2015-02-09', expiresOn: '2025-02-09', issuedBy: ID_CARD_ISSUER },
    demoContact: { phone: '+994551110202', email: 'tural.hasanov@mail.example' },
  },
  {
    fin: '3QR5S7T',
    firstName: 'Gülnarə',
    lastName: 'İsmayılova',
    patronymic: 'Arif qızı',
    birthDate: '1972-07-21',
    birthPlace: 'Gəncə şəhəri',
    gender: 'female',
    citizenship: 'AZ',
    address: 'Gəncə şəhəri, Nizami küçəsi 5, mənzil 3',
    identityDocument: { type: 'identity_card', series: 'AA', number: '2345678', issuedOn: '2020-09-30', expiresOn: '2030-09-30', issuedBy: ID_CARD_ISSUER },
    demoContact: { phone: '+994701110303', email: 'gulnare.ismayilova@mail.example' },
  },
  {
    fin: '4UV6W8X',
    firstName: 'Kənan',
    lastName: 'Bağırov',
    patronymic: 'Zaur oğlu',
    birthDate: '1998-01-17',
    birthPlace: 'Lənkəran şəhəri',
    gender: 'male',
    citizenship: 'AZ',
    address: 'Lənkəran şəhəri, Heydər Əliyev prospekti 61',
    identityDocument: { type: 'identity_card', series: 'AA', number: '3456789', issuedOn: '2022-01-20', expiresOn: '2032-01-20', issuedBy: ID_CARD_ISSUER },
    demoContact: { phone: '+994771110404', email: 'kenan.bagirov@mail.example' },
  },
  {
    fin: '5YZ7A9B',
    firstName: 'Şəlalə',
    lastName: 'Cəfərova',
    patronymic: 'Ülvi qızı',
    birthDate: '1981-09-05',
    birthPlace: 'Quba şəhəri',
    gender: 'female',
    citizenship: 'AZ',
    address: 'Bakı şəhəri, Binəqədi rayonu, Cəlil Məmmədquluzadə küçəsi 102, mənzil 8',
    identityDocument: { type: 'identity_card', series: 'AA', number: '4567890', issuedOn: '2019-12-02', expiresOn: '2029-12-02', issuedBy: ID_CARD_ISSUER },
    demoContact: { phone: '+994991110505', email: 'shelale.cafarova@mail.example' },
  },
  {
    fin: '6CD8E1F',
    firstName: 'Vüsal',
    lastName: 'Novruzov',
    patronymic: 'Çingiz oğlu',
    birthDate: '1976-05-28',
    birthPlace: 'Naxçıvan şəhəri',
    gender: 'male',
    citizenship: 'AZ',
    address: 'Sumqayıt şəhəri, 9-cu mikrorayon, bina 14, mənzil 60',
    identityDocument: { type: 'identity_card', series: 'AZE', number: '23456789', issuedOn: '2014-03-14', expiresOn: '2024-03-14', issuedBy: ID_CARD_ISSUER },
    demoContact: { phone: '+994501110606', email: 'vusal.novruzov@mail.example' },
  },
  {
    fin: '7GH9J2K',
    firstName: 'Ülviyyə',
    lastName: 'Rüstəmova',
    patronymic: 'Söhrab qızı',
    birthDate: '2001-10-09',
    birthPlace: 'Mingəçevir şəhəri',
    gender: 'female',
    citizenship: 'AZ',
    address: 'Mingəçevir şəhəri, Dostluq küçəsi 7, mənzil 21',
    identityDocument: { type: 'identity_card', series: 'AA', number: '5678901', issuedOn: '2023-06-01', expiresOn: '2033-06-01', issuedBy: ID_CARD_ISSUER },
    demoContact: { phone: '+994551110707', email: 'ulviyye.rustemova@mail.example' },
  },
  {
    fin: '8LM1N3P',
    firstName: 'Ağasəlim',
    lastName: 'Şükürov',
    patronymic: 'Oqtay oğlu',
    birthDate: '1964-02-14',
    birthPlace: 'Şamaxı rayonu',
    gender: 'male',
    citizenship: 'AZ',
    address: 'Bakı şəhəri, Səbail rayonu, Üzeyir Hacıbəyov küçəsi 40, mənzil 11',
    identityDocument: { type: 'identity_card', series: 'AA', number: '6789012', issuedOn: '2020-02-25', expiresOn: '2030-02-25', issuedBy: ID_CARD_ISSUER },
    demoContact: { phone: '+994701110808', email: 'agaselim.shukurov@mail.example' },
  },
] as const satisfies readonly DemoPerson[];

/**
 * A well-formed FIN the population registry does not know (R4.1.2: "when the registry has
 * nothing, the lawyer types it").
 */
export const DEMO_UNKNOWN_FIN = '9ZZ9ZZ9';

/** Tural Həsənov's identity card expired on 2025-02-09: the registry still returns it, as the real one would. */
export const DEMO_PERSON_WITH_EXPIRED_ID_FIN = '2KM4N6P';

// ---------------------------------------------------------------------------------------------
// Resident legal entities in the tax service (R4.1.3)
// ---------------------------------------------------------------------------------------------

export interface DemoCompany {
  /** Valid VÖEN of a legal entity (10th digit 1, 9th the check digit). */
  voen: string;
  name: string;
  /** MMC = limited liability company, ASC = joint-stock company. */
  legalForm: 'MMC' | 'ASC' | 'QSC';
  address: string;
  email: string | null;
  directorName: string;
  /** The director's FIN, when the director is one of DEMO_PEOPLE (handy as the signing applicant). */
  directorFin: string | null;
  registeredOn: string;
}

export const DEMO_COMPANIES = [
  {
    voen: '1700234551',
    name: '"Xəzər Logistika" MMC',
    legalForm: 'MMC',
    address: 'Bakı şəhəri, Nərimanov rayonu, Təbriz küçəsi 76, AZ1069',
    email: 'office@xezer-logistika.example',
    directorName: 'Həsənov Tural Məhəmməd oğlu',
    directorFin: '2KM4N6P',
    registeredOn: '2012-04-17',
  },
  {
    voen: '1300886121',
    name: '"Şirvan Aqro" MMC',
    legalForm: 'MMC',
    address: 'Şirvan şəhəri, Üzeyir Hacıbəyov küçəsi 3, AZ1700',
    email: 'info@shirvan-aqro.example',
    directorName: 'Novruzov Vüsal Çingiz oğlu',
    directorFin: '6CD8E1F',
    registeredOn: '2008-10-02',
  },
  {
    voen: '2001443251',
    name: '"Göygöl Tikinti" ASC',
    legalForm: 'ASC',
    address: 'Gəncə şəhəri, Cavad xan küçəsi 19, AZ2001',
    email: 'muraciet@goygol-tikinti.example',
    directorName: 'İsmayılova Gülnarə Arif qızı',
    directorFin: '3QR5S7T',
    registeredOn: '2003-06-25',
  },
  {
    voen: '1400099901',
    name: '"Çinar Proqram Həlləri" MMC',
    legalForm: 'MMC',
    address: 'Bakı şəhəri, Xətai rayonu, Nobel prospekti 15, AZ1025',
    email: null,
    directorName: 'Şükürov Ağasəlim Oqtay oğlu',
    directorFin: '8LM1N3P',
    registeredOn: '2019-01-29',
  },
] as const satisfies readonly DemoCompany[];

/** A valid VÖEN (correct check digit) that the tax service does not know → 404. */
export const DEMO_UNKNOWN_VOEN = '1500077741';

/**
 * The tax-service simulator never answers in time for this valid VÖEN: it holds the request
 * (default 2 minutes) and then answers 504. Use it to show the "look-up is slow" path of R4.1.3.
 */
export const TAX_SIM_TIMEOUT_VOEN = '9900000141';

/**
 * The tax-service simulator always fails for this valid VÖEN with 503 SERVICE_UNAVAILABLE.
 * Use it to show the "look-up failed, type the data" path of R4.1.3.
 */
export const TAX_SIM_FAILURE_VOEN = '9900000271';

// ---------------------------------------------------------------------------------------------
// Court cases in the e-court portal (R4.6)
// ---------------------------------------------------------------------------------------------

export interface DemoCourtParty {
  /** A natural person by FIN, a legal entity by VÖEN. */
  fin?: string;
  voen?: string;
  name: string;
  role: 'plaintiff' | 'defendant' | 'accused' | 'victim' | 'third_party' | 'applicant';
}

export interface DemoCourtCase {
  /** As the courts number them: "<kind>(<court code>)-<sequence>/<year>". */
  caseNumber: string;
  courtName: string;
  subject: string;
  parties: DemoCourtParty[];
}

const person = (fin: string, role: DemoCourtParty['role']): DemoCourtParty => {
  const p = DEMO_PEOPLE.find((x) => x.fin === fin);
  if (!p) throw new Error(`No demo person has FIN ${fin}`);
  return { fin, name: displayName(p), role };
};
const company = (voen: string, role: DemoCourtParty['role']): DemoCourtParty => {
  const c = DEMO_COMPANIES.find((x) => x.voen === voen);
  if (!c) throw new Error(`No demo company has VÖEN ${voen}`);
  return { voen, name: c.name, role };
};

/** Court cases the e-court simulator knows; their parties are DEMO_PEOPLE and DEMO_COMPANIES. */
export const DEMO_COURT_CASES: readonly DemoCourtCase[] = [
  {
    caseNumber: '1(101)-215/2026',
    courtName: 'Bakı Ağır Cinayətlər Məhkəməsi',
    subject: 'Cinayət işi (CM-nin 178.2-ci maddəsi)',
    parties: [person('1AB2C3D', 'accused'), person('5YZ7A9B', 'victim')],
  },
  {
    caseNumber: '2(006)-1043/2026',
    courtName: 'Bakı şəhəri Yasamal Rayon Məhkəməsi',
    subject: 'Mülki iş: borcun tutulması',
    parties: [person('2KM4N6P', 'plaintiff'), person('3QR5S7T', 'defendant')],
  },
  {
    caseNumber: '2(102)-77/2026',
    courtName: 'Bakı Kommersiya Məhkəməsi',
    subject: 'İqtisadi mübahisə: müqavilə üzrə borc',
    parties: [company('1700234551', 'plaintiff'), company('1300886121', 'defendant')],
  },
  {
    caseNumber: '1(004)-388/2026',
    courtName: 'Bakı şəhəri Nəsimi Rayon Məhkəməsi',
    subject: 'Cinayət işi (CM-nin 186.1-ci maddəsi)',
    parties: [person('4UV6W8X', 'accused'), person('6CD8E1F', 'victim'), person('7GH9J2K', 'victim'), person('8LM1N3P', 'victim')],
  },
] as const;

/** A well-formed court case number that the e-court simulator does not know. */
export const DEMO_UNKNOWN_CASE_NUMBER = '2(999)-1/2026';
