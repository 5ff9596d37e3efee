/**
 * Issue 9 item 4: a full contract (draft with a person's FIN, names, birth date, address, phone,
 * e-mail and price → submit → approve → pay → order) leaves nothing of that person in Temporal.
 * The history is read raw, as anyone with access to the Temporal server or its UI without the codec
 * server would read it: through a client WITHOUT the data converter.
 */
import { randomBytes } from 'node:crypto';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import type { Payload } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatAzn } from '../../domain/shared/money';
import type { contractWorkflow } from '../../workflows/contract/workflow';
import {
  approve,
  type ContractView,
  contractWorkflowId,
  getContractState,
  paymentCompleted,
  saveDraft,
  submitForApproval,
} from '../../workflows/contract/messages';
import { testDataConverter } from '../support/replay';
import { actors, completeDraft, eventually, startTestSystem, type TestSystem, uniquePerson, testTemporalAddress } from '../support/system';

let system: TestSystem;
let rawConnection: Connection;
/** What an outsider sees: the same server, no codec. */
let rawClient: Client;

beforeAll(async () => {
  system = await startTestSystem();
  rawConnection = await Connection.connect({ address: testTemporalAddress() });
  rawClient = new Client({ connection: rawConnection });
});
afterAll(async () => {
  await rawConnection?.close();
  await system?.close();
});

/**
 * Bytes as text (a json/plain payload reads as its JSON), so that a search finds what a person
 * could read. Walked by hand: protobuf messages' own toJSON would turn bytes into base64, which
 * would hide clear text from the search.
 */
function readable(value: unknown): unknown {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8');
  if (Array.isArray(value)) return value.map(readable);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, readable(v)]));
  return value;
}
const serialize = (value: unknown) => JSON.stringify(readable(value));

/**
 * Every Payload ({ metadata, data }) in the history, with where it is. Two kinds are not ours and
 * never pass a codec: search attributes (IDs and status only) and the SDK core's own local-activity
 * marker bookkeeping (`details.data`: sequence number, attempt, activity type, times) — the local
 * activity's arguments and result are in `details.result` and the input, encrypted. The text search
 * above covers both anyway.
 */
function payloadsIn(value: unknown, where = '', out: { where: string; encoding: string; payload: Payload }[] = []) {
  if (!value || typeof value !== 'object') return out;
  if (Array.isArray(value)) {
    value.forEach((v, i) => payloadsIn(v, `${where}[${i}]`, out));
    return out;
  }
  const record = value as Record<string, unknown>;
  if ('metadata' in record && 'data' in record && record.metadata && typeof record.metadata === 'object') {
    const encoding = (record.metadata as Record<string, Uint8Array | undefined>).encoding;
    out.push({ where, encoding: encoding ? Buffer.from(encoding).toString('utf8') : '(none)', payload: record });
    return out;
  }
  for (const [k, v] of Object.entries(record)) {
    if (k === 'searchAttributes') continue;
    if (k === 'data' && where.endsWith('markerRecordedEventAttributes.details')) continue;
    // The SDK's own patch marker (`patched()`): its payload is the patch ID, written by the SDK past the codec.
    if (k === 'patch-data' && where.endsWith('markerRecordedEventAttributes.details')) continue;
    payloadsIn(v, `${where}.${k}`, out);
  }
  return out;
}

describe('issue 9 item 4: personal data never in clear in Temporal', () => {
  it('a full contract path leaves no FIN, name, birth date, address, phone, e-mail or price in the raw history; every payload is binary/encrypted', async () => {
    const tag = randomBytes(3).toString('hex');
    const applicant = uniquePerson({
      firstName: 'Zərifəxanım',
      lastName: `Qəhrəmanlı${tag}`,
      patronymic: 'Süleyman qızı',
      birthDate: '1979-11-23',
      address: `Gəncə şəhəri, Nizami küçəsi ${tag}`,
    });
    const protectedPerson = uniquePerson({
      firstName: 'Elməddin',
      lastName: `Cəfərzadə${tag}`,
      patronymic: 'Tofiq oğlu',
      birthDate: '1968-02-29',
      phone: undefined,
      email: undefined,
    });
    const priceQepik = 2_468_013;
    const draft = completeDraft({ applicant, protectedPerson, price: { totalQepik: priceQepik, plan: 'single' } });

    const contractId = `enc-${randomBytes(4).toString('hex')}`;
    const handle = (await system.client.workflow.start('contractWorkflow', {
      workflowId: contractWorkflowId(contractId),
      taskQueue: system.taskQueue,
      args: [{ contractId, contractNumber: `M-${contractId}`, lawyerId: actors.lawyer.id, bureauId: actors.lawyer.bureauId!, draft: {} }],
    })) as WorkflowHandle<typeof contractWorkflow>;
    await handle.executeUpdate(saveDraft, { args: [actors.lawyer, draft] });
    await handle.executeUpdate(submitForApproval, { args: [actors.lawyer] });
    await eventually(async () => (await handle.query(getContractState)).applicantAccountId, { what: 'the applicant cabinet' });
    await handle.executeUpdate(approve, { args: [actors.head] });
    await handle.signal(paymentCompleted, { paymentId: `agent-${tag}`, amountQepik: priceQepik, method: 'card', paidAt: new Date().toISOString() });
    const active = await eventually(
      async () => {
        const v: ContractView = await handle.query(getContractState);
        return v.status === 'active' && v.issuedVersions.length === 1 ? v : undefined;
      },
      { what: 'the order', timeoutMs: 60_000 },
    );
    expect(active.issuedVersions[0].orderNumber).toMatch(/^EVO-/);

    const secrets = [
      applicant.fin,
      protectedPerson.fin,
      applicant.firstName,
      applicant.lastName,
      applicant.patronymic,
      protectedPerson.firstName,
      protectedPerson.lastName,
      applicant.birthDate,
      protectedPerson.birthDate,
      applicant.address,
      `Nizami küçəsi ${tag}`,
      applicant.phone,
      applicant.phone.replace('+994', ''),
      applicant.email,
      String(priceQepik),
      formatAzn(priceQepik),
      formatAzn(priceQepik).replace('.', ','),
    ];

    const history = await rawClient.workflow.getHandle(handle.workflowId).fetchHistory();
    const raw = serialize(history);
    expect(raw.length).toBeGreaterThan(10_000);
    expect(secrets.filter((s) => raw.includes(s))).toEqual([]);

    const payloads = payloadsIn(history);
    // Twenty since the contacts' claim and the contract's preparation are no activities of their own (issue 14).
    expect(payloads.length).toBeGreaterThanOrEqual(15);
    expect(payloads.filter((p) => p.encoding !== 'binary/encrypted').map((p) => `${p.where}: ${p.encoding}`)).toEqual([]);
    const markerData = serialize(
      history.events?.find((e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity')?.markerRecordedEventAttributes?.details?.data,
    );
    expect(markerData).toMatch(/activity_type|activityType/);
    // …and the patch markers hold the patch's name only (the raw search above already covers their bytes).
    const patchData = serialize(
      history.events?.filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_patch').map((e) => e.markerRecordedEventAttributes?.details),
    );
    // Issue 14: one marker stands for the workflow's earlier changes (workflows/contract/versions.ts).
    expect(patchData).toContain('contract-path-2026-12');

    // The search itself works: the same payloads opened with the suite's key show the person.
    const opened = await testDataConverter().payloadCodecs![0].decode(payloads.map((p) => p.payload));
    const readable = serialize(opened);
    expect(readable).toContain(applicant.fin);
    expect(readable).toContain(applicant.email);
  });
});
