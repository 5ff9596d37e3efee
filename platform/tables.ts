/**
 * The shapes of the reference and document tables that several areas read (migrations/001), written
 * once. A query that selects some columns gets the matching Pick from knex (`db<LawyersTable>(…).first('id')`).
 */
import type { ContractTerms } from '../domain/contract';

export interface BureausTable {
  id: string;
  name: string;
  address: string;
  bank_account: string | null;
  individual: boolean;
  /** R2.1 (ii), migrations/015: the payment-agent contract; days as dates, no end date is open-ended. */
  agent_contract_number: string | null;
  agent_contract_valid_from: Date | string | null;
  agent_contract_valid_to: Date | string | null;
  created_at: Date;
}

export interface LawyersTable {
  id: string;
  fin: string;
  mobile_signature_user_id: string;
  first_name: string;
  last_name: string;
  patronymic: string | null;
  phone: string | null;
  email: string | null;
  license_number: string;
  bureau_id: string;
  is_head: boolean;
  on_active_register: boolean;
  created_at: Date;
  /** migrations/015 (issue 11, R8.1). */
  practising_since: Date | string | null;
  updated_at: Date;
}

/** One issued version of a contract's documents (R4.4.3): its order number and the PDFs' storage keys. */
export interface ContractVersionsTable {
  contract_id: string;
  version: number;
  order_number: string;
  terms: ContractTerms;
  issued_at: Date;
  contract_file: string | null;
  order_file: string | null;
  superseded_at: Date | null;
  /** Unguessable code printed in the order's QR code and link (issue 9 item 9, migration 010). */
  verification_code: string | null;
  /** Issue 13, R4.6: the court cases printed in this version's order (migration 025). */
  court_case_numbers: string[] | null;
}
