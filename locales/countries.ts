/** The names of states in Azerbaijani and English (issue 13), from i18n-iso-countries' own lists. */
import countries from 'i18n-iso-countries';
import az from 'i18n-iso-countries/langs/az.json';
import en from 'i18n-iso-countries/langs/en.json';
import { ISO_COUNTRY_CODES } from '../domain/shared/countries';

countries.registerLocale(az);
countries.registerLocale(en);

export type CountryLocale = 'az' | 'en';

/** "DE" → "Almaniya" (az) / "Germany" (en); an unknown code comes back as it is. */
export function countryName(code: string, locale: CountryLocale = 'az'): string {
  return countries.getName(code, locale, { select: 'official' }) ?? code;
}

/** Every foreign state (Azerbaijan itself is not foreign), sorted by its name in `locale`. */
export function foreignCountries(locale: CountryLocale): { code: string; name: string }[] {
  return ISO_COUNTRY_CODES.filter((code) => code !== 'AZ')
    .map((code) => ({ code: String(code), name: countryName(code, locale) }))
    .sort((a, b) => a.name.localeCompare(b.name, locale));
}
