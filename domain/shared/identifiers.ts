/** Identifiers and contacts of people and entities: FIN, VÖEN, phone, e-mail (R4.1.2, R4.1.3). */

const FIN_PATTERN = /^[A-Z0-9]{7}$/;

export function normalizeFin(value: string): string {
  return value.trim().toUpperCase();
}

export function isValidFin(value: string): boolean {
  return FIN_PATTERN.test(normalizeFin(value));
}

/** VÖEN: 10 digits, the 9th a check digit over the first 8 (weights 4,1,8,6,2,7,5,3 mod 11). */
export function isValidVoen(value: string): boolean {
  if (!/^\d{10}$/.test(value)) return false;
  const weights = [4, 1, 8, 6, 2, 7, 5, 3];
  const sum = weights.reduce((acc, w, i) => acc + w * Number(value[i]), 0);
  const check = sum % 11;
  return check < 10 && check === Number(value[8]) && (value[9] === '1' || value[9] === '2');
}

/** "+994 50 123 45 67", "050-123-45-67" → "+994501234567"; anything unparseable is returned trimmed. */
export function normalizePhone(value: string): string {
  const compact = value.replace(/[\s\-().]/g, '');
  if (/^0\d{9}$/.test(compact)) return `+994${compact.slice(1)}`;
  if (/^994\d{9}$/.test(compact)) return `+${compact}`;
  if (/^00\d{8,15}$/.test(compact)) return `+${compact.slice(2)}`;
  return compact;
}

export function isValidPhone(value: string): boolean {
  return /^\+\d{8,15}$/.test(normalizePhone(value));
}

export function normalizeEmail(value: string): string {
  return value.trim().toLowerCase();
}

export function isValidEmail(value: string): boolean {
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(normalizeEmail(value));
}
