/**
 * The ASAN İmza SIMULATOR's own test certificate authority (issue 13): a CA key and certificate and
 * one certificate per SIM holder, created on first use and kept in the simulator's data folder (or
 * in memory without one). Every name says what it is: "SIMULATOR — test CA, not valid". Keys are
 * made by Node's crypto (fast), certificates by node-forge. The holder's FIN is not in the
 * certificate (the least personal data: the name, as on the Bar's public register).
 */
import { constants, generateKeyPairSync, privateEncrypt, sign } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import forge from 'node-forge';

export const TEST_CA_NOTE = 'SIMULATOR — test CA, not valid';
export const TEST_CA_NAME = `ASAN İmza ${TEST_CA_NOTE}`;

interface KeyAndCertificate {
  keyPem: string;
  certPem: string;
}

export interface HolderName {
  userId: string;
  firstName: string;
  lastName: string;
  patronymic: string;
}

const utf8 = (name: string, value: string) => ({ name, value, valueTagClass: forge.asn1.Type.UTF8 as unknown as number });

const caNames = () => [utf8('commonName', TEST_CA_NAME), utf8('organizationName', TEST_CA_NOTE), { name: 'countryName', value: 'AZ' }];

function newKeys(): { privatePem: string; publicPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

/** Signs with Node's crypto (forge's pure-JS RSA takes seconds on a busy machine). */
function signCertificate(cert: forge.pki.Certificate, privatePem: string) {
  const oid = forge.pki.oids.sha256WithRSAEncryption;
  const writable = cert as forge.pki.Certificate & { signatureOid: string; siginfo: { algorithmOid: string }; tbsCertificate: forge.asn1.Asn1 };
  writable.signatureOid = oid;
  writable.siginfo.algorithmOid = oid;
  writable.tbsCertificate = (forge.pki as unknown as { getTBSCertificate(c: forge.pki.Certificate): forge.asn1.Asn1 }).getTBSCertificate(cert);
  const tbs = Buffer.from(forge.asn1.toDer(writable.tbsCertificate).getBytes(), 'binary');
  cert.signature = sign('sha256', tbs, privatePem).toString('binary');
}

function serial(): string {
  // Positive, 16 bytes.
  return `01${forge.util.bytesToHex(forge.random.getBytesSync(15))}`;
}

export class TestCertificateAuthority {
  private ca?: KeyAndCertificate;
  private readonly holders = new Map<string, KeyAndCertificate>();

  /** `dir`: where the keys are kept; none, in memory for this process. */
  constructor(private readonly dir?: string) {}

  private read(name: string): KeyAndCertificate | undefined {
    if (!this.dir) return undefined;
    const file = path.join(this.dir, `${name}.json`);
    return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as KeyAndCertificate) : undefined;
  }

  private write(name: string, value: KeyAndCertificate) {
    if (!this.dir) return;
    mkdirSync(this.dir, { recursive: true });
    writeFileSync(path.join(this.dir, `${name}.json`), JSON.stringify(value), { mode: 0o600 });
  }

  authority(): KeyAndCertificate {
    if (this.ca) return this.ca;
    this.ca = this.read('test-ca');
    if (this.ca) return this.ca;
    const keys = newKeys();
    const cert = forge.pki.createCertificate();
    cert.publicKey = forge.pki.publicKeyFromPem(keys.publicPem);
    cert.serialNumber = serial();
    cert.validity.notBefore = new Date(Date.now() - 86_400_000);
    cert.validity.notAfter = new Date(Date.now() + 10 * 365 * 86_400_000);
    cert.setSubject(caNames());
    cert.setIssuer(caNames());
    cert.setExtensions([
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    ]);
    signCertificate(cert, keys.privatePem);
    this.ca = { keyPem: keys.privatePem, certPem: forge.pki.certificateToPem(cert) };
    this.write('test-ca', this.ca);
    return this.ca;
  }

  holder(person: HolderName): KeyAndCertificate {
    const known = this.holders.get(person.userId) ?? this.read(`holder-${person.userId}`);
    if (known) {
      this.holders.set(person.userId, known);
      return known;
    }
    const ca = this.authority();
    const keys = newKeys();
    const cert = forge.pki.createCertificate();
    cert.publicKey = forge.pki.publicKeyFromPem(keys.publicPem);
    cert.serialNumber = serial();
    cert.validity.notBefore = new Date(Date.now() - 86_400_000);
    cert.validity.notAfter = new Date(Date.now() + 2 * 365 * 86_400_000);
    cert.setSubject([
      utf8('commonName', `${person.lastName} ${person.firstName} ${person.patronymic}`.trim()),
      utf8('organizationName', TEST_CA_NOTE),
      { name: 'countryName', value: 'AZ' },
    ]);
    // The CA's names as written (forge would encode parsed UTF-8 values a second time).
    cert.setIssuer(caNames());
    cert.setExtensions([
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, nonRepudiation: true, critical: true },
    ]);
    signCertificate(cert, ca.keyPem);
    const made = { keyPem: keys.privatePem, certPem: forge.pki.certificateToPem(cert) };
    this.holders.set(person.userId, made);
    this.write(`holder-${person.userId}`, made);
    return made;
  }

  /** The holder's chain, DER, the holder's certificate first. */
  chain(person: HolderName): Buffer[] {
    return [this.holder(person).certPem, this.authority().certPem].map((pem) =>
      Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(forge.pki.certificateFromPem(pem))).getBytes(), 'binary'),
    );
  }

  /** RSASSA-PKCS1-v1_5 over a SHA-256 hash given as is: what a SIM does with the hash it is sent. */
  signHash(person: HolderName, hash: Buffer): Buffer {
    const digestInfo = Buffer.concat([Buffer.from('3031300d060960864801650304020105000420', 'hex'), hash]);
    return privateEncrypt({ key: this.holder(person).keyPem, padding: constants.RSA_PKCS1_PADDING }, digestInfo);
  }
}
