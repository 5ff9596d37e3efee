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
  has_payment_agent_contract: boolean;
  individual: boolean;
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
}
