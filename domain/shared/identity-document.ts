/** An identity document's validity as the population registry reports it (issue 13). */

/** Expired when its last valid day ("YYYY-MM-DD") is before today in Baku; an unknown day is not judged. */
export function identityDocumentExpired(expiresOn: string | undefined, todayBaku: string): boolean {
  return typeof expiresOn === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(expiresOn) && expiresOn < todayBaku;
}
