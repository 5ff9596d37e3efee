import { describe, expect, it } from 'vitest';
import {
  ALL_DEMO_LAWYERS,
  AZ_PHONE_PATTERN,
  DEMO_BUREAUS,
  DEMO_COMPANIES,
  DEMO_LAWYERS,
  DEMO_LAWYER_WITHOUT_AGENT_CONTRACT,
  DEMO_MOBILE_SIGNATURE_HOLDERS,
  DEMO_PEOPLE,
  DEMO_UNKNOWN_FIN,
  DEMO_UNKNOWN_VOEN,
  DEMO_UNLISTED_SIGNATURE_HOLDER,
  FIN_PATTERN,
  MOBILE_SIGNATURE_USER_ID_PATTERN,
  TAX_SIM_FAILURE_VOEN,
  TAX_SIM_TIMEOUT_VOEN,
  isLegalEntityVoen,
  isValidFin,
  isValidVoen,
  voenCheckDigit,
} from '../../simulators/demo-data';

function ibanIsValid(iban: string): boolean {
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  const digits = [...rearranged].map((c) => (/[A-Z]/.test(c) ? String(c.charCodeAt(0) - 55) : c)).join('');
  let remainder = 0;
  for (const d of digits) remainder = (remainder * 10 + Number(d)) % 97;
  return remainder === 1;
}

describe('VÖEN check digit (SPEC identifiers)', () => {
  it('accepts the python-stdnum examples and rejects broken ones', () => {
    expect(isValidVoen('1400057421')).toBe(true);
    expect(isValidVoen('1401555071')).toBe(true);
    expect(isValidVoen('1400057424')).toBe(false); // 10th digit must be 1 or 2
    expect(isValidVoen('1400057431')).toBe(false); // wrong check digit
    expect(isValidVoen('140005742')).toBe(false);
    expect(isValidVoen('14000574211')).toBe(false);
    expect(isValidVoen('14000574a1')).toBe(false);
  });

  it('computes the check digit as the weighted sum mod 11, none when it is 10', () => {
    expect(voenCheckDigit('14000574')).toBe(2);
    expect(voenCheckDigit('14034567')).toBeNull();
    expect(voenCheckDigit('1234567')).toBeNull();
  });

  it('R4.1.2 FIN_PATTERN says what the domain says of a normalised FIN', () => {
    for (const fin of ['5ZK7QPL', '3MN8RTY', DEMO_UNKNOWN_FIN, '5zk7qpl', '5ZK7QP', '5ZK7QPLX', '5ZK-QPL', 'ƏZK7QPL']) {
      expect(FIN_PATTERN.test(fin), fin).toBe(isValidFin(fin) && fin === fin.toUpperCase());
    }
  });

  it('R4.1.3 every demo company has a valid legal-entity VÖEN; special VÖENs are valid but unknown', () => {
    for (const company of DEMO_COMPANIES) expect(isLegalEntityVoen(company.voen), company.name).toBe(true);
    const known = new Set<string>(DEMO_COMPANIES.map((c) => c.voen));
    for (const voen of [TAX_SIM_TIMEOUT_VOEN, TAX_SIM_FAILURE_VOEN, DEMO_UNKNOWN_VOEN]) {
      expect(isLegalEntityVoen(voen), voen).toBe(true);
      expect(known.has(voen)).toBe(false);
    }
    expect(new Set([TAX_SIM_TIMEOUT_VOEN, TAX_SIM_FAILURE_VOEN, DEMO_UNKNOWN_VOEN]).size).toBe(3);
  });
});

describe('demo lawyers and bureaus (R2.1, R2.2)', () => {
  const bureau = (key: string) => DEMO_BUREAUS.find((b) => b.key === key);

  it('R2.1 the four demo lawyers pass both conditions: on the active list, bureau with a payment-agent contract', () => {
    expect(DEMO_LAWYERS).toHaveLength(4);
    for (const lawyer of DEMO_LAWYERS) {
      expect(lawyer.onActiveList).toBe(true);
      expect(bureau(lawyer.bureauKey)?.hasPaymentAgentContract, lawyer.key).toBe(true);
    }
  });

  it('R2.1 a bureau head with two lawyers, and an individual lawyer who is head of himself', () => {
    const baki = DEMO_LAWYERS.filter((l) => l.bureauKey === 'baki-1');
    expect(baki.filter((l) => l.isHead)).toHaveLength(1);
    expect(baki.filter((l) => !l.isHead)).toHaveLength(2);
    const individual = DEMO_LAWYERS.filter((l) => bureau(l.bureauKey)?.isIndividualPractice);
    expect(individual).toHaveLength(1);
    expect(individual[0].isHead).toBe(true);
    expect(DEMO_LAWYERS.filter((l) => l.bureauKey === individual[0].bureauKey)).toHaveLength(1);
  });

  it('R2.1(ii) one lawyer on the list whose bureau has no payment-agent contract', () => {
    expect(DEMO_LAWYER_WITHOUT_AGENT_CONTRACT.onActiveList).toBe(true);
    expect(bureau(DEMO_LAWYER_WITHOUT_AGENT_CONTRACT.bureauKey)?.hasPaymentAgentContract).toBe(false);
    expect(ALL_DEMO_LAWYERS).toContain(DEMO_LAWYER_WITHOUT_AGENT_CONTRACT);
  });

  it('R2.1(i) one mobile-signature holder who is not a registered lawyer', () => {
    expect(ALL_DEMO_LAWYERS.some((l) => l.fin === DEMO_UNLISTED_SIGNATURE_HOLDER.fin)).toBe(false);
    expect(DEMO_MOBILE_SIGNATURE_HOLDERS).toContainEqual(DEMO_UNLISTED_SIGNATURE_HOLDER);
  });

  it('R2.3 every registered lawyer has a mobile signature; identifiers are well formed and unique', () => {
    for (const lawyer of ALL_DEMO_LAWYERS) {
      expect(DEMO_MOBILE_SIGNATURE_HOLDERS.some((h) => h.phone === lawyer.phone && h.userId === lawyer.mobileSignatureUserId && h.fin === lawyer.fin)).toBe(
        true,
      );
    }
    for (const holder of DEMO_MOBILE_SIGNATURE_HOLDERS) {
      expect(holder.fin).toMatch(FIN_PATTERN);
      expect(holder.phone).toMatch(AZ_PHONE_PATTERN);
      expect(holder.userId).toMatch(MOBILE_SIGNATURE_USER_ID_PATTERN);
    }
    const phones = [...DEMO_MOBILE_SIGNATURE_HOLDERS.map((h) => h.phone), ...DEMO_PEOPLE.map((p) => p.demoContact.phone)];
    const fins = [...DEMO_MOBILE_SIGNATURE_HOLDERS.map((h) => h.fin), ...DEMO_PEOPLE.map((p) => p.fin), DEMO_UNKNOWN_FIN];
    expect(new Set(phones).size).toBe(phones.length);
    expect(new Set(fins).size).toBe(fins.length);
    expect(new Set(DEMO_MOBILE_SIGNATURE_HOLDERS.map((h) => h.userId)).size).toBe(DEMO_MOBILE_SIGNATURE_HOLDERS.length);
    expect(new Set(ALL_DEMO_LAWYERS.map((l) => l.email)).size).toBe(ALL_DEMO_LAWYERS.length);
  });

  it('bureau accounts are IBANs with valid check digits and bureau VÖENs are valid', () => {
    for (const b of DEMO_BUREAUS) {
      expect(b.bankAccount).toMatch(/^AZ\d{2}[A-Z]{4}[A-Z0-9]{20}$/);
      expect(ibanIsValid(b.bankAccount), b.bankAccount).toBe(true);
      expect(isLegalEntityVoen(b.voen), b.voen).toBe(true);
    }
  });
});

describe('demo citizens (R4.1.2)', () => {
  it('R4.1.2 citizens have well-formed FINs, ISO dates and identity documents; the unknown FIN is not among them', () => {
    expect(DEMO_PEOPLE.length).toBeGreaterThanOrEqual(8);
    for (const p of DEMO_PEOPLE) {
      expect(p.fin).toMatch(FIN_PATTERN);
      expect(p.citizenship).toBe('AZ');
      expect(p.birthDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(p.identityDocument.issuedOn < p.identityDocument.expiresOn).toBe(true);
      expect(p.demoContact.phone).toMatch(AZ_PHONE_PATTERN);
    }
    expect(DEMO_UNKNOWN_FIN).toMatch(FIN_PATTERN);
  });

  it('uses the Azerbaijani letters ə ğ ı ö ü ş ç', () => {
    const text = JSON.stringify([DEMO_PEOPLE, DEMO_LAWYERS, DEMO_BUREAUS, DEMO_COMPANIES]).toLowerCase();
    for (const letter of ['ə', 'ğ', 'ı', 'ö', 'ü', 'ş', 'ç']) expect(text, letter).toContain(letter);
  });
});
