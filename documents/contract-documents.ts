/**
 * The legal documents of a contract: the contract itself (R4.1, R4.4.3) and the electronic lawyer's
 * order (R4.2.1, R4.3.2), as HTML from Handlebars templates (templates/*.hbs) and as PDF through the
 * PdfRenderer.
 *
 * The templates never see the raw terms: they get a view model built here, which leaves out the case
 * type (R4.1.1: it feeds statistics only, and appears in neither document). All user data reaches the
 * HTML through Handlebars' escaping `{{ }}`; nothing is inserted unescaped (issue 14: the fonts come from the renderer, not the HTML).
 */
import fs from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import QRCode from 'qrcode';
import { remainderQepik } from '../domain/contract/payments';
import type { ContractTerms, LegalEntity, NaturalPerson } from '../domain/contract/terms';
import { countryName } from '../locales/countries';
import { orderSignatureLines } from './signing-lines';
import { azDate, aznAmount, aznInWords, entityName, personName } from './format';
import type { PdfRenderer, RenderLane } from './pdf-renderer';
import type { ContractDocumentData, DocumentBureau, DocumentLawyer, OrderDocumentData } from './types';

export const TEMPLATES_DIR = path.resolve(__dirname, '..', 'templates');
const DEFAULT_PLACE = 'Bakı şəhəri';

// ---------------------------------------------------------------- templates (compiled once)

const hb = Handlebars.create();
let compiled: { contract: HandlebarsTemplateDelegate; order: HandlebarsTemplateDelegate } | undefined;

function readTemplate(name: string): string {
  return fs.readFileSync(path.join(TEMPLATES_DIR, name), 'utf8');
}

function templates() {
  if (compiled) return compiled;
  hb.registerPartial('layout', readTemplate('partials/layout.hbs'));
  hb.registerPartial('fields', readTemplate('partials/fields.hbs'));
  const options: CompileOptions = { noEscape: false, preventIndent: true };
  compiled = {
    contract: hb.compile(readTemplate('contract.hbs'), options),
    order: hb.compile(readTemplate('order.hbs'), options),
  };
  return compiled;
}

// ---------------------------------------------------------------- view models (no case type here)

interface Field {
  label: string;
  value: string;
}

const CITIZENSHIP_LABELS: Record<NaturalPerson['citizenship'], string> = {
  citizen: 'Azərbaycan Respublikasının vətəndaşı',
  foreign: 'Xarici dövlətin vətəndaşı',
  stateless: 'Vətəndaşlığı olmayan şəxs',
};

function fields(entries: [string, string | undefined][]): Field[] {
  return entries.filter((e): e is [string, string] => typeof e[1] === 'string' && e[1].trim() !== '').map(([label, value]) => ({ label, value }));
}

/** issue 13: "Xarici dövlətin vətəndaşı (Almaniya)" names the state; the others as before. */
function citizenshipLabel(person: NaturalPerson): string {
  const label = CITIZENSHIP_LABELS[person.citizenship];
  return person.citizenship === 'foreign' && person.country ? `${label} (${countryName(person.country, 'az')})` : label;
}

function personFields(person: NaturalPerson): Field[] {
  return fields([
    ['Soyadı, adı, atasının adı', personName(person)],
    ['Vətəndaşlığı', citizenshipLabel(person)],
    person.citizenship === 'citizen' ? ['FİN', person.fin] : ['Şəxsiyyəti təsdiq edən sənəd', person.documentNumber],
    ['Doğum tarixi', person.birthDate ? azDate(person.birthDate) : undefined],
    ['Ünvanı', person.address],
    ['Telefon', person.phone],
    ['E-poçt', person.email],
  ]);
}

function entityFields(entity: LegalEntity): Field[] {
  return fields([
    ['Adı', entityName(entity)],
    ['Statusu', entity.resident ? 'Rezident hüquqi şəxs' : 'Qeyri-rezident hüquqi şəxs'],
    ['VÖEN', entity.resident ? entity.voen : undefined],
    ['Ünvanı', entity.address],
    ['E-poçt', entity.email],
  ]);
}

interface ProtectedPartyView {
  name: string;
  kindLabel: string;
  sameAsApplicant: boolean;
  fields: Field[];
  /** What a court identifies the party by in the order (issue 13), least personal data that suffices. */
  identifiers: Field[];
}

/**
 * issue 13: the order names the protected party as a court identifies it, and no more: a citizen by
 * the FIN (unique, and what e-court's parties carry; not the ID card, which is renewed), a foreign
 * citizen or a stateless person by the document number and the state of citizenship, a resident
 * entity by its VÖEN. No birth date, address or contacts: the order is shown to third parties.
 */
function identifiersOf(party: { person?: NaturalPerson; entity?: LegalEntity }): Field[] {
  const { person, entity } = party;
  if (entity) return fields([['VÖEN', entity.resident ? entity.voen : undefined]]);
  if (!person) return [];
  if (person.citizenship === 'citizen') return fields([['FİN', person.fin]]);
  return fields([
    ['Şəxsiyyəti təsdiq edən sənəd', person.documentNumber],
    ['Vətəndaşlığı', citizenshipLabel(person)],
  ]);
}

function protectedParty(terms: ContractTerms): ProtectedPartyView {
  if (terms.protectedPartyKind === 'legal') {
    const entity = terms.protectedEntity;
    if (!entity) throw new Error('The contract has a legal-entity protected party but no entity data');
    return { name: entityName(entity), kindLabel: 'Hüquqi şəxs', sameAsApplicant: false, fields: entityFields(entity), identifiers: identifiersOf({ entity }) };
  }
  if (terms.applicantIsProtectedParty) {
    const person = terms.applicant;
    return { name: personName(person), kindLabel: 'Fiziki şəxs', sameAsApplicant: true, fields: [], identifiers: identifiersOf({ person }) };
  }
  const person = terms.protectedPerson;
  if (!person) throw new Error('The contract has a separate protected person but no data for them');
  return { name: personName(person), kindLabel: 'Fiziki şəxs', sameAsApplicant: false, fields: personFields(person), identifiers: identifiersOf({ person }) };
}

function lawyerFields(lawyer: DocumentLawyer, bureau: DocumentBureau): Field[] {
  return fields([
    ['Soyadı, adı, atasının adı', lawyer.fullName],
    ['Vəkil vəsiqəsi №', lawyer.licenseNumber],
    ['Vəkil qurumu', bureau.name],
    ['Telefon', lawyer.phone],
    ['E-poçt', lawyer.email],
  ]);
}

function bureauFields(bureau: DocumentBureau): Field[] {
  return fields([
    ['Adı', bureau.name],
    ['Ünvanı', bureau.address],
    ['VÖEN', bureau.voen],
    ['Bank hesabı', bureau.bankAccount],
    ['Rəhbəri', bureau.headName],
  ]);
}

function priceView(terms: ContractTerms) {
  const { price } = terms;
  const twoInstalments = price.plan === 'two_instalments';
  const first = price.firstInstalmentQepik ?? 0;
  const rest = remainderQepik(price);
  return {
    total: aznAmount(price.totalQepik),
    totalWords: aznInWords(price.totalQepik),
    twoInstalments,
    first: twoInstalments ? aznAmount(first) : undefined,
    firstWords: twoInstalments ? aznInWords(first) : undefined,
    remainder: twoInstalments ? aznAmount(rest) : undefined,
    remainderWords: twoInstalments ? aznInWords(rest) : undefined,
    // issue 12: the day the remainder is due, when the terms say it.
    dueOn: twoInstalments && price.secondInstalmentDueOn ? azDate(price.secondInstalmentDueOn) : undefined,
  };
}

function versionLine(version: number, supersedesVersion: number | undefined): string {
  return supersedesVersion !== undefined ? `Versiya ${version} — əvvəlki versiyanı əvəz edir` : `Versiya ${version}`;
}

function layoutContext(title: string) {
  return { title };
}

export function contractFooterLabel(data: Pick<ContractDocumentData, 'contractNumber' | 'version'>): string {
  return `Müqavilə № ${data.contractNumber} · Versiya ${data.version}`;
}

export function orderFooterLabel(data: Pick<OrderDocumentData, 'orderNumber'>): string {
  return `Elektron vəkil orderi № ${data.orderNumber}`;
}

/** The contract as it is shown to the template: everything but the case type. */
export function contractView(data: ContractDocumentData) {
  const { terms } = data;
  const party = protectedParty(terms);
  const holders = terms.evidence.none ? [] : terms.evidence.holders.map((h) => h.trim()).filter(Boolean);
  return {
    ...layoutContext(`Hüquqi yardım göstərilməsi haqqında müqavilə № ${data.contractNumber}`),
    contractNumber: data.contractNumber,
    version: data.version,
    versionLine: versionLine(data.version, data.supersedesVersion),
    supersedesVersion: data.supersedesVersion,
    date: azDate(data.issuedAt),
    place: data.signedPlace?.trim() || DEFAULT_PLACE,
    applicant: { name: personName(terms.applicant), fields: personFields(terms.applicant) },
    forEntity: terms.protectedPartyKind === 'legal' ? party.name : undefined,
    protectedParty: party,
    lawyer: { ...data.lawyer, fields: lawyerFields(data.lawyer, data.bureau) },
    bureau: { ...data.bureau, fields: bureauFields(data.bureau) },
    assignment: terms.assignment.trim(),
    institution: terms.institution.name.trim(),
    evidenceHolders: holders,
    price: priceView(terms),
  };
}

export async function qrCodeDataUrl(text: string): Promise<string> {
  const svg = await QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 0, color: { dark: '#000000', light: '#ffffff' } });
  return `data:image/svg+xml;base64,${Buffer.from(svg, 'utf8').toString('base64')}`;
}

/** The order as it is shown to the template: everything but the case type. */
export async function orderView(data: OrderDocumentData) {
  const party = protectedParty(data.terms);
  return {
    ...layoutContext(`Elektron vəkil orderi № ${data.orderNumber}`),
    orderNumber: data.orderNumber,
    verificationUrl: data.verificationUrl,
    qrCode: await qrCodeDataUrl(data.verificationUrl),
    contractNumber: data.contractNumber,
    contractDate: azDate(data.contractDate ?? data.issuedAt),
    version: data.version,
    supersedesVersion: data.supersedesVersion,
    issuedDate: azDate(data.issuedAt),
    lawyer: data.lawyer,
    bureau: data.bureau,
    protectedParty: party,
    institution: data.terms.institution.name.trim(),
    // issue 13, R4.6: the court cases the order was joined to, printed in the re-issued version.
    courtCases: (data.courtCaseNumbers ?? []).join(', ') || undefined,
    // Issue 13: the version line naming the order it replaces, and the signature lines.
    ...orderSignatureLines(data),
  };
}

// ---------------------------------------------------------------- public API

/** A promise like renderOrderHtml's (which draws the QR code), so both documents are called alike. */
export function renderContractHtml(data: ContractDocumentData): Promise<string> {
  return new Promise((resolve) => resolve(templates().contract(contractView(data))));
}

export async function renderOrderHtml(data: OrderDocumentData): Promise<string> {
  return templates().order(await orderView(data));
}

/** `lane: 'ahead'` for a contract rendered before anyone waits for it (prepared at approval, issue 14), `hurry` when somebody then does. */
export async function renderContractPdf(renderer: PdfRenderer, data: ContractDocumentData, lane: RenderLane = 'now', hurry?: Promise<void>): Promise<Buffer> {
  const html = await renderContractHtml(data);
  return renderer.renderPdf(html, { footer: true, footerLabel: contractFooterLabel(data), creationDate: data.issuedAt, lane, hurry });
}

export async function renderOrderPdf(renderer: PdfRenderer, data: OrderDocumentData): Promise<Buffer> {
  const html = await renderOrderHtml(data);
  return renderer.renderPdf(html, { footer: true, footerLabel: orderFooterLabel(data), creationDate: data.issuedAt });
}
