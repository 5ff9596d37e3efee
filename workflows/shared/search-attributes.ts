/**
 * Search attributes for operators in the Temporal UI: identifiers and status only, never personal
 * data. Each key is defined once here; the gateways set them at start, the contract workflow
 * upserts the status, and the dev server and the test setup register them from SEARCH_ATTRIBUTES.
 */
import { defineSearchAttributeKey, type SearchAttributePair, SearchAttributeType } from '@temporalio/common';

export const CONTRACT_ID_KEY = defineSearchAttributeKey('EvkContractId', SearchAttributeType.KEYWORD);
export const CONTRACT_STATUS_KEY = defineSearchAttributeKey('EvkContractStatus', SearchAttributeType.KEYWORD);
/** Shared by contracts and assignments (R5): the bureau and the lawyer a workflow belongs to. */
export const BUREAU_ID_KEY = defineSearchAttributeKey('EvkBureauId', SearchAttributeType.KEYWORD);
export const LAWYER_ID_KEY = defineSearchAttributeKey('EvkLawyerId', SearchAttributeType.KEYWORD);

/** What a new contract's workflow starts with: its ID, the draft status, its bureau and lawyer. */
export function contractStartAttributes(contractId: string, lawyer: { id: string; bureauId?: string }): SearchAttributePair[] {
  return [
    { key: CONTRACT_ID_KEY, value: contractId },
    { key: CONTRACT_STATUS_KEY, value: 'draft' },
    { key: BUREAU_ID_KEY, value: lawyer.bureauId! },
    { key: LAWYER_ID_KEY, value: lawyer.id },
  ];
}

/** Every key the namespace must know, by name, with its type as the Temporal CLI spells it. */
export const SEARCH_ATTRIBUTES = {
  [CONTRACT_ID_KEY.name]: 'Keyword',
  [CONTRACT_STATUS_KEY.name]: 'Keyword',
  [BUREAU_ID_KEY.name]: 'Keyword',
  [LAWYER_ID_KEY.name]: 'Keyword',
} as const satisfies Record<string, 'Keyword'>;
