/**
 * issue 13, issue 12 over the JSON API and in the documents the worker issues: a foreign citizen's
 * state is required and checked against the standard list, the remainder's due date is a real day,
 * and the order and contract of a paid contract print the state, the party's identifier and the
 * due date (read back from the issued PDFs).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContractDraft } from '../../domain/contract';
import { activeContract, createDraft, loginDemoLawyers } from '../support/api';
import type { HttpClient } from '../support/http-client';
import { completeDraft, startTestSystem, type TestSystem, uniquePerson } from '../support/system';
import { pdfText } from '../documents/pdf-reading';

let system: TestSystem;
let lawyer: HttpClient;
let head: HttpClient;

beforeAll(async () => {
  system = await startTestSystem({ web: true });
  ({ lawyer, head } = await loginDemoLawyers(system));
}, 120_000);
afterAll(async () => {
  await system?.close();
});

const flat = (text: string) => text.replace(/\s+/g, ' ');
const reasons = (answer: { body: { error: { fields: { field: string; reason: string }[] } } }) => answer.body.error.fields.map((f) => `${f.field}:${f.reason}`);

describe('issue 13, issue 12: the state, the identifier and the due date, from the API to the PDFs', () => {
  it('R4.1.2 refuses a foreign citizen without a state or with one not on the list, and an impossible due day', async () => {
    const foreigner = {
      ...uniquePerson(),
      citizenship: 'foreign' as const,
      fin: undefined,
      documentNumber: 'C01X00T47',
      firstName: 'Hans',
      lastName: 'Müller',
    };
    const id = await createDraft(lawyer, completeDraft({ protectedPerson: { ...foreigner, phone: undefined, email: undefined } }));
    const submit = await lawyer.post(`/api/contracts/${id}/submit`);
    expect(submit.status).toBe(400);
    expect(reasons(submit)).toEqual(['protectedPerson.country:terms.country_required']);
    const unknown = await lawyer.patch(`/api/contracts/${id}/draft`, { protectedPerson: { country: 'XX' } });
    expect(unknown.status).toBe(400);
    expect(reasons(unknown)).toEqual(['protectedPerson.country:terms.country_invalid']);
    const badDay = await lawyer.patch(`/api/contracts/${id}/draft`, {
      price: { totalQepik: 100_000, plan: 'two_instalments', firstInstalmentQepik: 30_000, secondInstalmentDueOn: '2030-02-30' },
    });
    expect(reasons(badDay)).toEqual(['price.secondInstalmentDueOn:terms.due_date_invalid']);
    expect(badDay.body.error.fields[0].message).toBe('Type the date as dd.mm.yyyy, e.g. 15.03.2027.'); // the API answers in Accept-Language's language
  });

  it('R4.3.2: the issued order identifies a foreign protected person by the document and the state; the contract prints the due date', async () => {
    const dueOn = `${new Date().getFullYear() + 1}-03-15`;
    const foreigner = { citizenship: 'foreign', documentNumber: 'C01X00T48', country: 'DE', firstName: 'Hans', lastName: 'Müller' } as const;
    const draft: ContractDraft = completeDraft({
      protectedPerson: foreigner,
      price: { totalQepik: 100_000, plan: 'two_instalments', firstInstalmentQepik: 30_000, secondInstalmentDueOn: dueOn },
    });
    const { id, details } = await activeContract(system, { lawyer, head }, draft);
    expect(details.contract.terms?.protectedPerson?.country).toBe('DE');
    const document = details.documents[0];
    const order = flat(await pdfText((await lawyer.getBytes(document.orderUrl)).bytes));
    expect(order).toContain('Şəxsiyyəti təsdiq edən sənəd C01X00T48');
    expect(order).toContain('Vətəndaşlığı Xarici dövlətin vətəndaşı (Almaniya)');
    const contract = flat(await pdfText((await lawyer.getBytes(document.contractUrl)).bytes));
    expect(contract).toContain('Xarici dövlətin vətəndaşı (Almaniya)');
    expect(contract).toContain(`Qalan məbləğ 15 mart ${dueOn.slice(0, 4)} tarixinədək ödənilir.`);
    // issue 12: the first order planned the reminder of the remainder.
    const reminder = await system.client.workflow.getHandle(`instalment-reminder-${id}`).describe();
    expect(reminder.status.name).toBe('RUNNING');
  });
});
