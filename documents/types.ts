/**
 * The data the legal documents of a contract are generated from (SPEC §4.1–4.4).
 * Dates are ISO 8601 strings; money is integer qəpik inside `terms.price` (domain/contract.ts).
 */
import type { ContractTerms } from '../domain/contract/terms';

export interface DocumentLawyer {
  fullName: string;
  /** The lawyer's licence (vəsiqə) number on the Bar's register. */
  licenseNumber: string;
  phone?: string;
  email?: string;
}

export interface DocumentBureau {
  name: string;
  address: string;
  /** The bureau head; for an individually practising lawyer, the lawyer. */
  headName: string;
  /** The bureau's bank account (IBAN), printed in the contract's payment section when known. */
  bankAccount?: string;
  /** The bureau's VÖEN, when it has one. */
  voen?: string;
}

/** One version of a contract (R4.4.3: every amendment that takes effect generates version v+1). */
export interface ContractDocumentData {
  contractNumber: string;
  /** 1 for the contract as first approved, +1 for every amendment that took effect. */
  version: number;
  /** When this version was generated (ISO); printed as the document date, in Baku time. */
  issuedAt: string;
  /** Where the contract is signed; "Bakı şəhəri" when absent. */
  signedPlace?: string;
  /** Note: `terms.caseType` is never printed (R4.1.1). */
  terms: ContractTerms;
  lawyer: DocumentLawyer;
  bureau: DocumentBureau;
  /** The version this one replaces, printed as "Versiya 2 — əvvəlki versiyanı (Versiya 1) əvəz edir". */
  supersedesVersion?: number;
}

/** The electronic lawyer's order issued after payment (R4.2.1, R4.3.2). */
export interface OrderDocumentData {
  /** The order's unique series and number, e.g. "EVO-2026-000123". */
  orderNumber: string;
  /** Public page where anyone holding the order checks that it is genuine; encoded in the QR code. */
  verificationUrl: string;
  contractNumber: string;
  /** Version of the contract the order is generated from (R4.4.3). */
  version: number;
  /** The date of the contract (ISO): when it was first concluded. Defaults to `issuedAt`. */
  contractDate?: string;
  /** When the order (this version of it) was issued (ISO). */
  issuedAt: string;
  /** Note: `terms.caseType` is never printed (R4.1.1). */
  terms: ContractTerms;
  lawyer: DocumentLawyer;
  bureau: DocumentBureau;
  /** The order version this one replaces after an amendment (R4.4.3). */
  supersedesVersion?: number;
  /** R4.6, issue 13: the court cases the lawyer joined with an earlier version; printed when present. */
  courtCaseNumbers?: string[];
  /** Issue 13: the number of the order this version replaces, printed in its version line. */
  supersedesOrderNumber?: string;
  /** Issue 13: on the electronically signed copy only, who signs and when (the signed attributes' time). */
  electronicSignature?: { signerName: string; signedAt: string };
}
