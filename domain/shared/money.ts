/** Money is integer qəpik everywhere (1 AZN = 100 qəpik). */

export function formatAzn(qepik: number): string {
  const sign = qepik < 0 ? '-' : '';
  const abs = Math.abs(qepik);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** "12.5", "12,50", 12.5 → 1250 qəpik; undefined when it is not an amount. */
export function parseAznToQepik(value: string | number): number | undefined {
  const text = String(value).trim().replace(',', '.');
  if (!/^\d+(\.\d{1,2})?$/.test(text)) return undefined;
  const [whole, fraction = ''] = text.split('.');
  return Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
}
