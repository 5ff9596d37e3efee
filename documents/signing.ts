/**
 * The order's electronic signature (issue 13): a standard embedded PDF signature (ISO 32000
 * `adbe.pkcs7.detached`, a CMS SignedData over the file but its /Contents), made in two halves so
 * that a mobile-signature provider signs a HASH, as a SIM does:
 *
 *   1. `prepareForSignature`: the placeholder (@signpdf/placeholder-plain), the final ByteRange
 *      (@signpdf/signpdf), the digest of the bytes it covers, and the CMS signed attributes
 *      (content type, signing time, message digest) whose SHA-256 is what the provider signs;
 *   2. `embedSignature`: the provider's signature value and certificate chain assembled into the
 *      SignedData and written into the placeholder, nothing else of the file changing.
 *
 * `checkEmbeddedSignature` is what /verify shows: the ByteRange covers the whole file but the
 * signature, the digest matches, the signature verifies with the signer's certificate, which its
 * issuer in the chain signed. Trust in the issuer is not decided here: /verify names it.
 */
import { createHash } from 'node:crypto';
import forge from 'node-forge';
import { plainAddPlaceholder } from '@signpdf/placeholder-plain';
import { SignPdf, Signer } from '@signpdf/signpdf';
import { SUBFILTER_ADOBE_PKCS7_DETACHED } from '@signpdf/utils';

const { asn1, pki } = forge;

/** Room for the CMS (hex doubles it): a 2048-bit signature and a chain of two certificates need ~3 KB. */
export const SIGNATURE_PLACEHOLDER_BYTES = 12_288;

export interface SignatureMeta {
  /** Printed by PDF readers as the signature's reason. */
  reason: string;
  /** The signer's name as the reader shows it. */
  name: string;
  location: string;
  contactInfo: string;
  /** The time in the signed attributes; the printed lines of the signed copy say the same. */
  signingTime: Date;
}

export interface PreparedSignature {
  /** The PDF with its final ByteRange and an all-zero /Contents: embedding changes only /Contents. */
  pdf: Buffer;
  byteRange: [number, number, number, number];
  /** DER of the signed attributes (a SET), kept until the provider answers. */
  signedAttributes: Buffer;
  /** SHA-256 of `signedAttributes`: what the provider signs. */
  hashToSign: Buffer;
}

/** Collects the bytes @signpdf would sign, and signs nothing: the provider does, later. */
class CapturingSigner extends Signer {
  bytes?: Buffer;
  override sign(pdf: Buffer): Promise<Buffer> {
    this.bytes = pdf;
    return Promise.resolve(Buffer.alloc(0));
  }
}

const bin = (b: Buffer) => b.toString('binary');
const fromBin = (s: string) => Buffer.from(s, 'binary');
const oid = (id: string) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(id).getBytes());
const algorithm = (id: string) =>
  asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [oid(id), asn1.create(asn1.Class.UNIVERSAL, asn1.Type.NULL, false, '')]);
const integer = (n: number) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, asn1.integerToDer(n).getBytes());
const attribute = (type: string, value: forge.asn1.Asn1) =>
  asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [oid(type), asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SET, true, [value])]);

/** The CMS signed attributes, in the order Adobe's and the EU's validators expect. */
export function signedAttributesOf(contentDigest: Buffer, signingTime: Date): Buffer {
  const set = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SET, true, [
    attribute(pki.oids.contentType, oid(pki.oids.data)),
    attribute(pki.oids.signingTime, asn1.create(asn1.Class.UNIVERSAL, asn1.Type.UTCTIME, false, asn1.dateToUtcTime(signingTime))),
    attribute(pki.oids.messageDigest, asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OCTETSTRING, false, bin(contentDigest))),
  ]);
  return fromBin(asn1.toDer(set).getBytes());
}

export function readByteRange(pdf: Buffer): [number, number, number, number] | undefined {
  const text = pdf.toString('latin1');
  const all = [...text.matchAll(/\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g)];
  const last = all.at(-1);
  return last ? [Number(last[1]), Number(last[2]), Number(last[3]), Number(last[4])] : undefined;
}

export function signedBytes(pdf: Buffer, [a, b, c, d]: [number, number, number, number]): Buffer {
  return Buffer.concat([pdf.subarray(a, a + b), pdf.subarray(c, c + d)]);
}

export async function prepareForSignature(pdf: Buffer, meta: SignatureMeta): Promise<PreparedSignature> {
  const withPlaceholder = plainAddPlaceholder({
    pdfBuffer: pdf,
    reason: meta.reason,
    name: meta.name,
    location: meta.location,
    contactInfo: meta.contactInfo,
    signingTime: meta.signingTime,
    signatureLength: SIGNATURE_PLACEHOLDER_BYTES,
    subFilter: SUBFILTER_ADOBE_PKCS7_DETACHED,
    appName: 'Elektron Vakil Kabineti',
  });
  const capture = new CapturingSigner();
  const prepared = await new SignPdf().sign(withPlaceholder, capture);
  const byteRange = readByteRange(prepared);
  if (!byteRange || !capture.bytes) throw new Error('prepareForSignature: no ByteRange after the placeholder');
  const contentDigest = createHash('sha256').update(signedBytes(prepared, byteRange)).digest();
  const signedAttributes = signedAttributesOf(contentDigest, meta.signingTime);
  return { pdf: prepared, byteRange, signedAttributes, hashToSign: createHash('sha256').update(signedAttributes).digest() };
}

/**
 * The SignedData (RFC 5652) around a provider's signature: version 1, SHA-256, detached content,
 * the certificates (leaf first), one SignerInfo naming the leaf by issuer and serial number.
 */
export function assembleCms(input: { signedAttributes: Buffer; signature: Buffer; certificates: Buffer[] }): Buffer {
  const certs = input.certificates.map((der) => asn1.fromDer(bin(der)));
  // The issuer and serial exactly as the certificate encodes them (forge would re-encode UTF-8 names).
  const tbs = (certs[0].value as forge.asn1.Asn1[])[0].value as forge.asn1.Asn1[];
  const offset = tbs[0].tagClass === asn1.Class.CONTEXT_SPECIFIC ? 1 : 0;
  const attrs = asn1.fromDer(bin(input.signedAttributes));
  // The signed attributes are DER-hashed as a SET, and carried as [0] IMPLICIT.
  const implicitAttrs = asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, attrs.value);
  const issuerAndSerial = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
    asn1.fromDer(asn1.toDer(tbs[offset + 2])),
    asn1.fromDer(asn1.toDer(tbs[offset])),
  ]);
  const signerInfo = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
    integer(1),
    issuerAndSerial,
    algorithm(pki.oids.sha256),
    implicitAttrs,
    algorithm(pki.oids.rsaEncryption),
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OCTETSTRING, false, bin(input.signature)),
  ]);
  const signedData = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
    integer(1),
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SET, true, [algorithm(pki.oids.sha256)]),
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [oid(pki.oids.data)]),
    asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, certs),
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SET, true, [signerInfo]),
  ]);
  const contentInfo = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
    oid(pki.oids.signedData),
    asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, [signedData]),
  ]);
  return fromBin(asn1.toDer(contentInfo).getBytes());
}

/** Writes the CMS into the prepared file's /Contents; everything the ByteRange covers stays as it was. */
export function embedSignature(prepared: Buffer, cms: Buffer): Buffer {
  const range = readByteRange(prepared);
  if (!range) throw new Error('embedSignature: the file has no ByteRange');
  const start = range[1] + 1; // after '<'
  const end = range[2] - 1; // before '>'
  const hex = cms.toString('hex');
  if (hex.length > end - start) throw new Error(`embedSignature: the signature (${hex.length} hex) exceeds the placeholder (${end - start})`);
  const signed = Buffer.from(prepared);
  signed.write(hex.padEnd(end - start, '0'), start, 'latin1');
  return signed;
}

export type SignatureCheck =
  | { status: 'not_signed' }
  | { status: 'invalid'; reason: string }
  | { status: 'valid'; signerName: string; signingTime?: string; issuerName: string; serialNumber: string };

const utf8 = (value: unknown): string => {
  const s = typeof value === 'string' ? value : '';
  try {
    return forge.util.decodeUtf8(s);
  } catch {
    return s;
  }
};
const commonName = (name: forge.pki.Certificate['subject']): string => utf8((name.getField('CN') as { value?: unknown } | null)?.value);

/** What /verify says of a PDF's embedded signature; never throws on a malformed file. */
export function checkEmbeddedSignature(pdf: Buffer): SignatureCheck {
  const range = readByteRange(pdf);
  if (!range) return { status: 'not_signed' };
  try {
    const [a, b, c, d] = range;
    if (a !== 0 || c + d !== pdf.length || pdf[b] !== 0x3c || pdf[c - 1] !== 0x3e) return { status: 'invalid', reason: 'byte_range' };
    // The zeros that pad the placeholder follow the DER and are not read.
    const hex = pdf.subarray(b + 1, c - 1).toString('latin1');
    if (!/^[0-9a-fA-F]+$/.test(hex)) return { status: 'invalid', reason: 'contents' };
    const message = forge.pkcs7.messageFromAsn1(asn1.fromDer(forge.util.hexToBytes(hex), { parseAllBytes: false } as never)) as unknown as {
      certificates: forge.pki.Certificate[];
      rawCapture: { signature: string; authenticatedAttributes: forge.asn1.Asn1[]; serial: string };
    };
    const { certificates, rawCapture } = message;
    const leaf = certificates.find((cert) => cert.serialNumber === forge.util.bytesToHex(rawCapture.serial)) ?? certificates[0];
    if (!leaf) return { status: 'invalid', reason: 'no_certificate' };
    const attrs = rawCapture.authenticatedAttributes;
    const set = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SET, true, attrs);
    const attrsHash = forge.md.sha256.create().update(asn1.toDer(set).getBytes()).digest().getBytes();
    if (!(leaf.publicKey as forge.pki.rsa.PublicKey).verify(attrsHash, rawCapture.signature)) return { status: 'invalid', reason: 'signature' };
    const valueOf = (type: string) => attrs.find((attr) => asn1.derToOid((attr.value as forge.asn1.Asn1[])[0].value as string) === type);
    const digestAttr = valueOf(pki.oids.messageDigest);
    const claimed = digestAttr ? (((digestAttr.value as forge.asn1.Asn1[])[1].value as forge.asn1.Asn1[])[0].value as string) : '';
    const actual = createHash('sha256').update(signedBytes(pdf, range)).digest().toString('binary');
    if (claimed !== actual) return { status: 'invalid', reason: 'digest' };
    const issuer = certificates.find((cert) => cert !== leaf && cert.subject.hash === leaf.issuer.hash);
    if (!issuer || !issuer.verify(leaf)) return { status: 'invalid', reason: 'chain' };
    const timeAttr = valueOf(pki.oids.signingTime);
    const time = timeAttr ? asn1.utcTimeToDate(((timeAttr.value as forge.asn1.Asn1[])[1].value as forge.asn1.Asn1[])[0].value as string) : undefined;
    return {
      status: 'valid',
      signerName: commonName(leaf.subject),
      ...(time ? { signingTime: time.toISOString() } : {}),
      issuerName: commonName(leaf.issuer),
      serialNumber: leaf.serialNumber,
    };
  } catch (error) {
    return { status: 'invalid', reason: error instanceof Error && /verify|signature/i.test(error.message) ? 'signature' : 'malformed' };
  }
}
