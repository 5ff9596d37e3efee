import { describe, expect, it } from 'vitest';
import { type ContractDraft, validateTerms } from '../../domain/contract';
import { describe as text } from '../../locales';

const person = { citizenship: 'citizen' as const, fin: '5ABCD12', firstName: 'Aysel', lastName: 'Məmmədova' };
const complete: ContractDraft = {
  protectedPartyKind: 'natural',
  applicantIsProtectedParty: true,
  caseType: 'civil',
  applicant: { ...person, phone: '+994501234567' },
  evidence: { none: true, holders: [] },
  assignment: 'Məhkəmədə təmsilçilik',
  institution: { id: 'inst-1', name: 'Bakı Apellyasiya Məhkəməsi' },
  price: { totalQepik: 100_000, plan: 'single' },
};
const codesOf = (draft: ContractDraft, mode: 'partial' | 'complete' = 'complete') => validateTerms(draft, mode).map((e) => `${e.field}:${e.code}`);

describe('the terms of a contract (R4.1)', () => {
  it('R4.1.1–R4.1.6 a complete draft has no errors; an empty one lacks every part, each at its field', () => {
    expect(validateTerms(complete, 'complete')).toEqual([]);
    expect(codesOf({})).toEqual(
      expect.arrayContaining([
        'protectedPartyKind:terms.party_kind_required',
        'caseType:terms.case_type_required',
        'applicant:terms.applicant_required',
        'evidence:terms.evidence_required',
        'assignment:terms.assignment_required',
        'institution:terms.institution_required',
        'price.totalQepik:terms.price_required',
      ]),
    );
    expect(validateTerms({}, 'partial')).toEqual([]);
  });

  it('R4.1.2 a citizen needs a valid FIN; a foreigner a document number', () => {
    expect(codesOf({ applicant: { ...person, fin: 'abc' } }, 'partial')).toEqual(['applicant.fin:terms.fin_invalid']);
    // issue 13: and the state of citizenship, from the standard list.
    expect(codesOf({ ...complete, applicant: { citizenship: 'foreign', firstName: 'John', lastName: 'Smith', email: 'j@example.com' } })).toEqual([
      'applicant.documentNumber:terms.document_number_required',
      'applicant.country:terms.country_required',
    ]);
    const foreigner = { citizenship: 'foreign', documentNumber: 'C01X00T47', firstName: 'John', lastName: 'Smith', email: 'j@example.com' } as const;
    expect(codesOf({ ...complete, applicant: { ...foreigner, country: 'DE' } })).toEqual([]);
    expect(codesOf({ applicant: { ...foreigner, country: 'XX' } }, 'partial')).toEqual(['applicant.country:terms.country_invalid']);
    expect(codesOf({ applicant: { ...foreigner, country: 'AZ' } }, 'partial')).toEqual(['applicant.country:terms.country_invalid']);
  });

  it('R4.1.2 the applicant gives a phone or an e-mail; two people of one contract never share one', () => {
    expect(codesOf({ ...complete, applicant: person })).toEqual(['applicant.phone:terms.contact_required']);
    const shared: ContractDraft = { ...complete, applicantIsProtectedParty: false, protectedPerson: { ...person, fin: '7XYZ123', phone: '050 123 45 67' } };
    expect(codesOf(shared)).toEqual(['protectedPerson.phone:terms.phone_shared']);
    expect(codesOf({ applicant: { phone: '12' } }, 'partial')).toEqual(['applicant.phone:terms.phone_invalid']);
  });

  it('R4.1.3 a resident legal entity needs a VÖEN with a valid check digit', () => {
    const entity: ContractDraft = { ...complete, protectedPartyKind: 'legal', protectedEntity: { resident: true, voen: '1234567890', name: 'MMC' } };
    expect(codesOf(entity)).toEqual(['protectedEntity.voen:terms.voen_invalid']);
  });

  it('R4.1.4 evidence: holders or "Mövcud deyil", not both; a holder line at most 300 characters', () => {
    expect(codesOf({ evidence: { none: true, holders: ['Polis'] } }, 'partial')).toEqual(['evidence:terms.evidence_conflict']);
    expect(validateTerms({ evidence: { none: false, holders: ['x'.repeat(301)] } }, 'partial')).toEqual([
      { field: 'evidence.holders.0', code: 'terms.too_long', params: { max: 300 } },
    ]);
  });

  it('R4.1.6 the first instalment is less than the price; a price above 1,000,000 AZN looks mistyped', () => {
    const errors = validateTerms({ price: { totalQepik: 100_000, plan: 'two_instalments', firstInstalmentQepik: 100_000 } }, 'partial');
    expect(errors).toEqual([{ field: 'price.firstInstalmentQepik', code: 'terms.first_payment_not_less' }]);
    expect(text('en', errors[0].code)).toBe('The first payment must be less than the price.');
    expect(text('az', errors[0].code)).toBe('İlkin ödəniş müqavilənin qiymətindən az olmalıdır.');
    expect(codesOf({ price: { totalQepik: 100_000_001 } }, 'partial')).toEqual(['price.totalQepik:terms.price_too_large']);
  });

  it('R4.1.5 the institution is chosen from the list or typed under "Digər"', () => {
    expect(codesOf({ institution: { name: ' ' } }, 'partial')).toEqual(['institution.name:terms.institution_name_required']);
  });
});
