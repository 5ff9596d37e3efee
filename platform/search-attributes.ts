/** Registers the cabinet's search attributes on any Temporal cluster at start-up (they are not encrypted: IDs and status only). */
import { Connection } from '@temporalio/client';
import { encodeSearchAttributeIndexedValueType } from '@temporalio/common/lib/search-attributes';
import { sleep } from './processes';

export type SearchAttributeKind = 'Keyword' | 'Text' | 'Int' | 'Double' | 'Bool' | 'Datetime' | 'KeywordList';

/** Adds the search attributes that `namespace` lacks; fails if one exists with another type. */
export async function ensureSearchAttributes(address: string, namespace: string, attrs: Record<string, SearchAttributeKind>): Promise<void> {
  const connection = await Connection.connect({ address, connectTimeout: '10s' });
  try {
    await ensureSearchAttributesOn(connection, namespace, attrs);
  } finally {
    await connection.close();
  }
}

const INDEXED_VALUE_TYPES: Record<SearchAttributeKind, number> = {
  Keyword: encodeIndexedValueType('KEYWORD'),
  Text: encodeIndexedValueType('TEXT'),
  Int: encodeIndexedValueType('INT'),
  Double: encodeIndexedValueType('DOUBLE'),
  Bool: encodeIndexedValueType('BOOL'),
  Datetime: encodeIndexedValueType('DATETIME'),
  KeywordList: encodeIndexedValueType('KEYWORD_LIST'),
};

function encodeIndexedValueType(type: Parameters<typeof encodeSearchAttributeIndexedValueType>[0]): number {
  const value = encodeSearchAttributeIndexedValueType(type);
  if (value === undefined) throw new Error(`Unknown search attribute type ${String(type)}`);
  return value;
}

function kindOf(indexedValueType: number): string {
  const entry = Object.entries(INDEXED_VALUE_TYPES).find(([, value]) => value === indexedValueType);
  return entry ? entry[0] : `type #${indexedValueType}`;
}

export async function ensureSearchAttributesOn(connection: Connection, namespace: string, attrs: Record<string, SearchAttributeKind>): Promise<void> {
  const listed = await connection.operatorService.listSearchAttributes({ namespace });
  const existing: Record<string, number> = { ...listed.systemAttributes, ...listed.customAttributes };
  const missing: Record<string, number> = {};
  for (const [name, kind] of Object.entries(attrs)) {
    const wanted = INDEXED_VALUE_TYPES[kind];
    if (wanted === undefined) throw new Error(`Search attribute ${name} has unknown type "${kind}"`);
    const have = existing[name];
    if (have === undefined) missing[name] = wanted;
    else if (have !== wanted) {
      throw new Error(
        `Search attribute ${name} exists in namespace "${namespace}" as ${kindOf(have)}, but ${kind} is needed. ` +
          'A search attribute cannot change type: remove it (temporal operator search-attribute remove) or rename ours.',
      );
    }
  }
  if (Object.keys(missing).length === 0) return;
  await connection.operatorService.addSearchAttributes({ namespace, searchAttributes: missing });
  // Elasticsearch-backed clusters register them asynchronously.
  const deadline = Date.now() + 30_000;
  for (;;) {
    const now = await connection.operatorService.listSearchAttributes({ namespace });
    const absent = Object.keys(missing).filter((name) => now.customAttributes[name] === undefined);
    if (absent.length === 0) return;
    if (Date.now() > deadline) {
      throw new Error(`Search attributes ${absent.join(', ')} were added to namespace "${namespace}" but do not show up`);
    }
    await sleep(500);
  }
}
