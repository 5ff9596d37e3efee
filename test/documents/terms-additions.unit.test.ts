/** issue 13 (a foreign citizen's state, an expired identity card) and issue 12 (the remainder's due date), as rules. */
import countries from 'i18n-iso-countries';
import { describe, expect, it } from 'vitest';
import { type ContractDraft, dueDateErrors, normalizeTerms, validateTerms } from '../../domain/contract';
import { ISO_COUNTRY_CODES, isForeignCountryCode } from '../../domain/shared/countries';
import { identityDocumentExpired } from '../../domain/shared/identity-document';
import { countryName, foreignCountries } from '../../locales/countries';
import { contractView, orderView } from '../../documents/contract-documents';
import { sampleContract, sampleOrder } from './fixtures';

const twoInstalments = { totalQepik: 100_000, plan: 'two_instalments', firstInstalmentQepik: 30_000 } as const;

describe('issue 13, R4.1.2: a foreign citizen is identified by the document and the state', () => {
  it("the domain's code list is the standard one (i18n-iso-countries), and Azerbaijan is no foreign state", () => {
    expect([...ISO_COUNTRY_CODES]).toEqual(Object.keys(countries.getAlpha2Codes()).sort());
    expect(isForeignCountryCode('DE')).toBe(true);
    for (const code of ['AZ', 'XX', 'de', 'DEU', '', undefined, 7]) expect(isForeignCountryCode(code)).toBe(false);
  });

  it('the states are named in Azerbaijani and English, sorted for the list', () => {
    expect(countryName('DE', 'az')).toBe('Almaniya');
    expect(countryName('DE', 'en')).toBe('Germany');
    const az = foreignCountries('az');
    expect(az.some((c) => c.code === 'AZ')).toBe(false);
    expect(az.find((c) => c.code === 'TR')?.name).toBe('Türkiyə');
    expect(az.map((c) => c.name)).toEqual([...az.map((c) => c.name)].sort((a, b) => a.localeCompare(b, 'az')));
  });

  it('the contract prints the state; the order identifies each kind of party by the least that suffices', async () => {
    const base = sampleContract();
    const foreign = { citizenship: 'foreign', documentNumber: 'C01X00T47', country: 'DE', firstName: 'Hans', lastName: 'Müller' } as const;
    const terms = { ...base.terms, protectedPerson: foreign };
    const contract = contractView({ ...base, terms });
    expect(contract.protectedParty.fields).toContainEqual({ label: 'Vətəndaşlığı', value: 'Xarici dövlətin vətəndaşı (Almaniya)' });
    const order = await orderView(sampleOrder({ terms }));
    expect(order.protectedParty.identifiers).toEqual([
      { label: 'Şəxsiyyəti təsdiq edən sənəd', value: 'C01X00T47' },
      { label: 'Vətəndaşlığı', value: 'Xarici dövlətin vətəndaşı (Almaniya)' },
    ]);
    // A citizen by the FIN only: no birth date, no address, no ID card number.
    expect((await orderView(sampleOrder())).protectedParty.identifiers).toEqual([{ label: 'FİN', value: '5ZK7QPL' }]);
    const entity = { resident: true, voen: '1400057421', name: '“Qafqaz Tikinti” MMC' };
    const legal = await orderView(sampleOrder({ terms: { ...base.terms, protectedPartyKind: 'legal', protectedEntity: entity } }));
    expect(legal.protectedParty.identifiers).toEqual([{ label: 'VÖEN', value: '1400057421' }]);
  });

  it('the state is kept only for a foreign citizen', () => {
    const draft: ContractDraft = { ...sampleContract().terms, applicant: { ...sampleContract().terms.applicant, country: 'de' } };
    expect(normalizeTerms(draft).applicant.country).toBeUndefined();
    const foreign = normalizeTerms({ ...draft, applicant: { ...draft.applicant, citizenship: 'foreign', documentNumber: 'X1', country: ' de ' } });
    expect(foreign.applicant.country).toBe('DE');
  });

  it('an identity card is expired after its last valid day in Baku; an unknown day is not judged', () => {
    expect(identityDocumentExpired('2025-02-09', '2026-12-01')).toBe(true);
    expect(identityDocumentExpired('2026-12-01', '2026-12-01')).toBe(false);
    expect(identityDocumentExpired(undefined, '2026-12-01')).toBe(false);
    expect(identityDocumentExpired('soon', '2026-12-01')).toBe(false);
  });
});

describe('issue 12: the due date of the second instalment', () => {
  it('is a real day when given; a day typed in the wizard lies ahead', () => {
    const codes = (price: ContractDraft['price']) => validateTerms({ price }, 'partial').map((e) => `${e.field}:${e.code}`);
    expect(codes({ ...twoInstalments, secondInstalmentDueOn: '2027-02-30' })).toEqual(['price.secondInstalmentDueOn:terms.due_date_invalid']);
    expect(codes({ ...twoInstalments, secondInstalmentDueOn: '2027-03-15' })).toEqual([]);
    expect(codes({ ...twoInstalments })).toEqual([]); // optional: no day, no reminder
    expect(dueDateErrors({ ...twoInstalments, secondInstalmentDueOn: '2026-12-01' }, '2026-12-01').map((e) => e.code)).toEqual(['terms.due_date_past']);
    expect(dueDateErrors({ ...twoInstalments, secondInstalmentDueOn: '2026-12-02' }, '2026-12-01')).toEqual([]);
  });

  it('is kept with two instalments only, and printed in the contract', () => {
    const base = sampleContract();
    const single = normalizeTerms({ ...base.terms, price: { totalQepik: 100_000, plan: 'single', secondInstalmentDueOn: '2027-03-15' } });
    expect(single.price.secondInstalmentDueOn).toBeUndefined();
    const view = contractView({ ...base, terms: { ...base.terms, price: { ...twoInstalments, secondInstalmentDueOn: '2027-03-15' } } });
    expect(view.price.dueOn).toBe('15 mart 2027');
  });
});
