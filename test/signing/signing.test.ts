/**
 * Issue 13 (R4.2.1, R4.4.3, R4.6): the order signed electronically with one confirmation of the
 * mobile signature, checked by an INDEPENDENT validator (pdf-signature-reader from npm, not our
 * code); /verify shows the signature, the head's confirmation of the bureau's copy, and names the
 * versions that replace each other.
 */
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pdfText } from '../documents/pdf-reading';
import { activeContract, expectStatus, getContract, loginLawyer, phoneControl, waitForContract } from '../support/api';
import { HttpClient } from '../support/http-client';
import { demoLawyer, eventually, startTestSystem, type TestSystem } from '../support/system';

// A CommonJS package without types: what it answers is read as the README says.
interface IndependentCheck {
  verified: boolean;
  integrity: boolean;
  authenticity: boolean;
  expired: boolean;
  message?: string;
  signatures?: { meta: { certs: { issuedBy: Record<string, string>; issuedTo: Record<string, string> }[] } }[];
}
const verifyPdf = createRequire(__filename)('pdf-signature-reader') as (pdf: Buffer) => IndependentCheck;

let system: TestSystem;
let lawyer: HttpClient;
let head: HttpClient;
const flat = (s: string) => s.replace(/\s+/g, ' ');

beforeAll(async () => {
  system = await startTestSystem({ web: true });
  [lawyer, head] = await Promise.all([loginLawyer(system, 'lawyer-mammadov'), loginLawyer(system, 'head-huseynova')]);
});
afterAll(() => system?.close());

describe('the order signed electronically (issue 13)', () => {
  it('R4.2.1: one confirmation on the phone signs the order; an independent validator accepts the signature, which covers the whole file but itself and breaks with one byte changed', async () => {
    const { id, applicant, details } = await activeContract(system, { lawyer, head });
    const v1 = details.documents[0];
    const base = `/api/signing/contracts/${id}/versions/1`;
    expect((await lawyer.get(base)).body).toMatchObject({ status: 'unsigned' });
    // The head sees the contract but does not sign the lawyer's order.
    expect((await head.post(`${base}/signature`)).body.error.reason).toBe('signing.not_yours');

    const asked = expectStatus(await lawyer.post(`${base}/signature`), 202, 'İmzala');
    expect(asked.body).toMatchObject({ status: 'pending', verificationCode: expect.stringMatching(/^\d{4}$/) });
    // Asking again while the phone waits gives the same request, not a second one.
    expect((await lawyer.post(`${base}/signature`)).body.verificationCode).toBe(asked.body.verificationCode);
    const phone = phoneControl(system);
    const request = await eventually(() => phone.pendingFor(demoLawyer('lawyer-mammadov').phone), { what: 'the signing request on the phone' });
    expect(request).toMatchObject({ kind: 'sign', verificationCode: asked.body.verificationCode });
    expect(request.description).toContain(v1.orderNumber);
    await phone.confirm(request.transactionId);

    const signed = await eventually(
      async () => {
        const state = (await lawyer.get(base)).body;
        return state.status === 'signed' ? state : undefined;
      },
      { what: 'the signed copy', timeoutMs: 20_000 },
    );
    expect(signed.signerName).toBe('Məmmədov Elçin Tofiq oğlu');
    const pdf = (await applicant.getBytes(signed.signedOrderUrl)).bytes;

    // The independent validator: the digest matches the bytes and the signature the signed attributes.
    const independent = verifyPdf(pdf);
    expect(independent.message).toBeUndefined();
    expect(independent.integrity).toBe(true);
    expect(independent.expired).toBe(false);
    // The simulator's CA is nobody's trust anchor, and its names say so.
    expect(independent.authenticity).toBe(false);
    const certs = independent.signatures![0].meta.certs;
    expect(JSON.stringify(certs)).toContain('SIMULATOR');
    expect(JSON.stringify(certs)).toContain('test CA, not valid');

    // ByteRange: from the first byte to the last, but the signature's hex string.
    const ranges = [...pdf.toString('latin1').matchAll(/\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g)];
    expect(ranges).toHaveLength(1);
    const [a, b, c, d] = ranges[0].slice(1).map(Number);
    expect(a).toBe(0);
    expect(c + d).toBe(pdf.length);
    expect(pdf.subarray(b, c).toString('latin1')).toMatch(/^<[0-9a-f]+>$/);
    expect(pdf.toString('latin1')).toMatch(/\/SubFilter\s*\/adbe\.pkcs7\.detached/);

    // One byte changed in what is signed: the validator notices.
    const tampered = Buffer.from(pdf);
    tampered[Math.floor(b / 2)] ^= 0x01;
    expect(verifyPdf(tampered).integrity).toBe(false);

    // The printed lines: the signed copy says by whom; the order itself (unchanged, a file of its own) says by hand.
    expect(flat(await pdfText(pdf))).toContain('Elektron imza ilə imzalanmışdır: Məmmədov Elçin Tofiq oğlu');
    const original = (await lawyer.getBytes(v1.orderUrl)).bytes;
    expect(original.toString('latin1')).not.toContain('/ByteRange');
    expect(flat(await pdfText(original))).toContain('əl ilə imzalanmalıdır');

    // Signing twice gives one signed copy.
    expect((await lawyer.post(`${base}/signature`)).body.error.reason).toBe('signing.already_signed');

    // The head confirms the bureau's copy; nobody else may.
    expect((await lawyer.post(`${base}/bureau-copy-confirmation`)).body.error.reason).toBe('signing.not_head');
    const confirmed = expectStatus(await head.post(`${base}/bureau-copy-confirmation`), 200, 'head confirms');
    expect(confirmed.body.headConfirmation).toMatchObject({ by: 'head-huseynova' });

    // /verify checks the signature and shows who signed and when, and the head's confirmation.
    const code = (await system.db('contract_versions').where({ order_number: v1.orderNumber }).first()).verification_code as string;
    const anonymous = new HttpClient(system.web!.url);
    const verdict = (await anonymous.get(`/verify/${v1.orderNumber}?code=${code}`)).body;
    expect(verdict).toMatchObject({
      status: 'current',
      version: 1,
      institution: 'Bakı Ağır Cinayətlər Məhkəməsi',
      signature: { status: 'valid', signerName: 'Məmmədov Elçin Tofiq oğlu', issuerName: expect.stringContaining('SIMULATOR') },
      bureauCopy: { confirmedBy: expect.stringContaining('Hüseynova') },
    });
    expect(verdict.signature.signingTime).toMatch(/^\d{4}-/);
    const page = await anonymous.get(`/verify/${v1.orderNumber}?code=${code}`, { accept: 'text/html' });
    expect(page.text).toContain('data-signature="valid"');
    expect(page.text).toContain('Məmmədov Elçin Tofiq oğlu');
    // Without the code: whether the number exists, nothing more.
    expect((await anonymous.get(`/verify/${v1.orderNumber}`)).body).toEqual({ orderNumber: v1.orderNumber, exists: true, verified: false });

    // R4.4.3: version 2 names the order it replaces, and /verify of the old one names the new one.
    expectStatus(
      await lawyer.post(`/api/contracts/${id}/amendments`, { changes: { price: { totalQepik: 150_000, plan: 'single' } }, note: 'Əlavə iclaslar' }),
      200,
      'amend',
    );
    expectStatus(await applicant.post(`/api/contracts/${id}/amendment/consent`, { consent: true }), 200, 'consent');
    expectStatus(await head.post(`/api/contracts/${id}/amendment/approve`), 200, 'approve');
    const amended = await waitForContract(lawyer, id, (x) => x.contract.currentVersion === 2, 'version 2');
    const v2 = amended.documents.find((x) => x.version === 2)!;
    expect(flat(await pdfText((await lawyer.getBytes(v2.orderUrl)).bytes))).toContain(`Versiya 2 — ${v1.orderNumber} nömrəli orderi əvəz edir`);
    const old = (await anonymous.get(`/verify/${v1.orderNumber}?code=${code}`)).body;
    expect(old).toMatchObject({ status: 'superseded', replacedBy: { orderNumber: v2.orderNumber } });
    const next = (await anonymous.get(old.replacedBy.verifyUrl)).body;
    expect(next).toMatchObject({ status: 'current', version: 2, replaces: { orderNumber: v1.orderNumber }, signature: { status: 'not_signed' } });
    // A superseded order is not signed any more.
    expect((await lawyer.post(`${base}/signature`)).body.error.reason).toBe('signing.order_not_current');
    expect((await lawyer.post(`/api/signing/contracts/${id}/versions/9/signature`)).status).toBe(404);
    expect((await getContract(lawyer, id)).documents).toHaveLength(2);
  });
});
