/** Folding names for search (R4.8). */

const AZ_FOLD: Record<string, string> = { ə: 'e', ı: 'i', ö: 'o', ü: 'u', ş: 's', ç: 'c', ğ: 'g' };

/** Lower-cases and folds Azerbaijani letters, so "Əli", "əli" and "Eli" all match. */
export function foldForSearch(text: string): string {
  return text
    .replace(/İ/g, 'i')
    .toLowerCase()
    .replace(/[əıöüşçğ]/g, (ch) => AZ_FOLD[ch])
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}
