/** The pages' words come from the locale files (locales/), Azerbaijani first. */
export { isLocale, LOCALES, type Locale, translate } from '../../locales';
