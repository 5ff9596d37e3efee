/**
 * The cabinets' words: Azerbaijani first (the manual's own labels), English second.
 * Keys are English phrases in dotted groups; a missing English text falls back to Azerbaijani.
 */
export const LOCALES = ['az', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

type Dictionary = Record<string, string>;

const az: Dictionary = {
  'app.name': 'Elektron Vəkil Kabineti',
  'app.skip': 'Əsas məzmuna keç',
  'nav.info': 'Məlumatlar',
  'nav.contracts': 'Müqavilə işləri',
  'nav.assigned': 'Təyin olunan işlər',
  'nav.projects': 'Layihələr',
  'nav.messages': 'Mesajlar',
  'nav.profile': 'Profil',
  'nav.logout': 'Çıxış',
  'nav.myContracts': 'Müqavilələrim',
  'nav.password': 'Şifrəni dəyiş',
  'login.title': 'Giriş',
  'login.asLawyer': 'Vəkil kimi giriş et',
  'login.asApplicant': 'Müraciət edən şəxs kimi giriş',
  'login.asAdmin': 'Vəkillər Kollegiyası (aparat)',
  'login.phone': 'ASAN İmza mobil nömrəsi',
  'login.userId': 'İstifadəçi ID',
  'login.continue': 'Davam et',
  'login.code': 'Yoxlama kodu',
  'login.codeHelp': 'Telefonunuzdakı kodun bu kodla eyni olduğunu yoxlayın və PIN1 ilə təsdiqləyin.',
  'login.confirmed': 'Təsdiqlədim',
  'login.waiting': 'Telefonda təsdiq gözlənilir…',
  'login.login': 'Login',
  'login.password': 'Şifrə',
  'login.submit': 'Daxil ol',
  'login.simulatorHint': 'Bu, ASAN İmza simulyatorudur: təsdiq üçün {url} səhifəsini açın.',
  'password.title': 'Şifrəni dəyiş',
  'password.current': 'Hazırkı şifrə',
  'password.new': 'Yeni şifrə (ən azı 8 simvol)',
  'password.save': 'Yadda saxla',
  'password.changed': 'Şifrə dəyişdirildi.',
  'password.mustChange': 'İlk girişdir: zəhmət olmasa şifrənizi dəyişin.',
  'contracts.title': 'Müqavilə işləri',
  'contracts.new': 'Yeni müqavilə yarat',
  'contracts.current': 'Cari işlər',
  'contracts.awaitingApproval': 'Təsdiqə gələn işlər',
  'contracts.archive': 'Arxiv',
  'contracts.bureau': 'Büronun işləri',
  'contracts.none': 'Hələ müqavilə yoxdur.',
  'contracts.number': 'Nömrə',
  'contracts.protectedParty': 'Hüquqları qorunan şəxs',
  'contracts.applicant': 'Müraciət edən şəxs',
  'contracts.institution': 'Qurum',
  'contracts.status': 'Status',
  'contracts.price': 'Qiymət',
  'contracts.balance': 'Qalıq borc',
  'contracts.created': 'Yaradılıb',
  'contracts.open': 'Aç',
  'section.empty': 'Bu bölmə hazırlanır.',
  'status.draft': 'Layihə (qaralama)',
  'status.awaiting_approval': 'Təsdiq gözləyir',
  'status.awaiting_payment': 'Ödəniş gözləyir',
  'status.awaiting_fee': 'Kollegiya haqqı gözləyir',
  'status.active': 'Qüvvədədir (order verilib)',
  'status.finished': 'Bitib (arxiv)',
  'status.terminated': 'Xitam verilib (arxiv)',
  'status.discarded': 'Silinib',
  'error.title': 'Xəta',
  'error.notFound': 'Belə səhifə yoxdur və ya sizə aid deyil.',
  'error.generic': 'Xəta baş verdi; daxil etdikləriniz itməyib, yenidən cəhd edin.',
  'error.csrf': 'Forma köhnəlib; səhifəni yeniləyib yenidən göndərin.',
  'error.tooMany': 'Çox sayda cəhd: bir neçə dəqiqədən sonra yenidən yoxlayın.',
  'form.errorsIntro': 'Formada düzəldilməli sahələr var:',
  'lang.switch': 'English',
};

const en: Dictionary = {
  'app.name': 'Electronic Lawyer Cabinet',
  'app.skip': 'Skip to main content',
  'nav.info': 'Information',
  'nav.contracts': 'Contract cases',
  'nav.assigned': 'Assigned cases',
  'nav.projects': 'Projects',
  'nav.messages': 'Messages',
  'nav.profile': 'Profile',
  'nav.logout': 'Log out',
  'nav.myContracts': 'My contracts',
  'nav.password': 'Change password',
  'login.title': 'Log in',
  'login.asLawyer': 'Log in as a lawyer',
  'login.asApplicant': 'Log in as an applicant',
  'login.asAdmin': 'Bar office',
  'login.phone': 'Mobile-signature phone number',
  'login.userId': 'User ID',
  'login.continue': 'Continue',
  'login.code': 'Verification code',
  'login.codeHelp': 'Check that your phone shows the same code and confirm with PIN1.',
  'login.confirmed': 'I have confirmed',
  'login.waiting': 'Waiting for confirmation on the phone…',
  'login.login': 'Login',
  'login.password': 'Password',
  'login.submit': 'Log in',
  'login.simulatorHint': 'This is the ASAN İmza simulator: open {url} to confirm.',
  'password.title': 'Change password',
  'password.current': 'Current password',
  'password.new': 'New password (at least 8 characters)',
  'password.save': 'Save',
  'password.changed': 'Password changed.',
  'password.mustChange': 'First login: please change your password.',
  'contracts.title': 'Contract cases',
  'contracts.new': 'Create a new contract',
  'contracts.current': 'Current cases',
  'contracts.awaitingApproval': 'Awaiting approval',
  'contracts.archive': 'Archive',
  'contracts.bureau': "Bureau's cases",
  'contracts.none': 'No contracts yet.',
  'contracts.number': 'Number',
  'contracts.protectedParty': 'Protected party',
  'contracts.applicant': 'Applicant',
  'contracts.institution': 'Institution',
  'contracts.status': 'Status',
  'contracts.price': 'Price',
  'contracts.balance': 'Balance due',
  'contracts.created': 'Created',
  'contracts.open': 'Open',
  'section.empty': 'This section is coming.',
  'status.draft': 'Draft',
  'status.awaiting_approval': 'Awaiting approval',
  'status.awaiting_payment': 'Awaiting payment',
  'status.awaiting_fee': 'Awaiting the Bar fee',
  'status.active': 'In force (order issued)',
  'status.finished': 'Finished (archive)',
  'status.terminated': 'Terminated (archive)',
  'status.discarded': 'Deleted',
  'error.title': 'Error',
  'error.notFound': 'No such page, or it is not yours.',
  'error.generic': 'Something went wrong; nothing you entered was lost. Try again.',
  'error.csrf': 'The form has expired; reload the page and send it again.',
  'error.tooMany': 'Too many attempts: try again in a few minutes.',
  'form.errorsIntro': 'Some fields need correcting:',
  'lang.switch': 'Azərbaycanca',
};

const DICTIONARIES: Record<Locale, Dictionary> = { az, en };

/** Adds words to both dictionaries (each page module brings its own). */
export function addTranslations(entries: Record<string, { az: string; en: string }>) {
  for (const [key, { az: a, en: e }] of Object.entries(entries)) {
    az[key] = a;
    en[key] = e;
  }
}

export function translate(locale: Locale, key: string, vars: Record<string, unknown> = {}): string {
  const text = DICTIONARIES[locale][key] ?? az[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? ''));
}

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}
