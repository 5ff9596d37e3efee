/**
 * Court case numbers (R4.6), dependency-free so the workflow's validator, the API and the e-court
 * adapter read them the same way.
 */

/** A court case number as typed: trimmed, spaces around separators removed, runs of spaces single. */
export function normalizeCaseNumber(value: string): string {
  return value
    .trim()
    .replace(/\s*([-/()])\s*/g, '$1')
    .replace(/\s+/g, ' ');
}

/** A plausible court case number, e.g. "2(006)-1043/2026": 3–40 letters, digits, - / ( ) . and spaces. */
export function isPlausibleCaseNumber(value: string): boolean {
  return /^[0-9A-Za-z(][0-9A-Za-z\-/().\s]{2,39}$/.test(normalizeCaseNumber(value));
}
