/**
 * Issue 9 item 4: the codec server decodes Temporal payloads for a signed-in operator only, and
 * answers the Temporal UI's origin only. Sessions are the cabinet's own (evk.sid), made by the real
 * logins of the web server; the payload is a real one from a workflow's raw history.
 */
import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../platform/logger';
import { type CodecServerHandle, startCodecServer } from '../../platform/codec-server';
import { DEMO_ADMIN, DEMO_OPERATOR } from '../../simulators/demo-seed';
import { contractWorkflowId, saveDraft } from '../../workflows/contract/messages';
import { expectStatus, loginLawyer, webUrl } from '../support/api';
import { HttpClient } from '../support/http-client';
import { actors, completeDraft, eventually, startTestSystem, type TestSystem, testDatabaseUrl, testTemporalAddress } from '../support/system';

let system: TestSystem;
let codec: CodecServerHandle;
const UI = 'http://localhost:8233';

beforeAll(async () => {
  system = await startTestSystem({ web: true });
  const log = createLogger('evk-test-codec');
  log.level = 'warn';
  codec = await startCodecServer({ config: { ...system.config, temporalUiOrigin: UI }, databaseUrl: testDatabaseUrl(), db: system.db, log, port: 0 });
});
afterAll(async () => {
  await codec?.close();
  await system?.close();
});

async function passwordLogin(login: string, password: string): Promise<HttpClient> {
  const browser = new HttpClient(webUrl(system));
  expectStatus(await browser.post('/api/auth/admin/login', { login, password }), 200, `login of ${login}`);
  return browser;
}

/** The first event's input, as the Temporal UI sends it: base64 metadata and data. */
async function encryptedInputOfANewContract(): Promise<{ body: unknown; fin: string }> {
  const draft = completeDraft();
  const contractId = `codec-${randomBytes(4).toString('hex')}`;
  const handle = await system.client.workflow.start('contractWorkflow', {
    workflowId: contractWorkflowId(contractId),
    taskQueue: system.taskQueue,
    args: [{ contractId, contractNumber: `M-${contractId}`, lawyerId: actors.lawyer.id, bureauId: actors.lawyer.bureauId!, draft: {} }],
  });
  await handle.executeUpdate(saveDraft, { args: [actors.lawyer, draft] });
  const connection = await Connection.connect({ address: testTemporalAddress() });
  try {
    const history = await new Client({ connection }).workflow.getHandle(handle.workflowId).fetchHistory();
    const update = history.events!.find((e) => e.workflowExecutionUpdateAcceptedEventAttributes)!;
    const payloads = update.workflowExecutionUpdateAcceptedEventAttributes!.acceptedRequest!.input!.args!.payloads!;
    const b64 = (b?: Uint8Array | null) => Buffer.from(b ?? new Uint8Array()).toString('base64');
    return {
      body: {
        payloads: payloads.map((p) => ({ metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, b64(v)])), data: b64(p.data) })),
      },
      fin: draft.applicant!.fin!,
    };
  } finally {
    await connection.close();
  }
}

const fromUi = { origin: UI, 'x-namespace': 'default' };

describe('codec server (issue 9 item 4)', () => {
  it('without a session /decode answers 401 JSON, and the payload stays closed', async () => {
    const { body } = await encryptedInputOfANewContract();
    const anonymous = new HttpClient(codec.url);
    const answer = await anonymous.request('POST', '/decode', { json: body, headers: fromUi });
    expect(answer.status).toBe(401);
    expect(answer.body.error.reason).toBe('codec.sign_in_required');
    expect(answer.text).not.toContain('json/plain');
  });

  it('a signed-in operator gets the payloads decoded (json/plain, the person readable), with CORS for the UI and no caching', async () => {
    const { body, fin } = await encryptedInputOfANewContract();
    const operator = await passwordLogin(DEMO_OPERATOR.login, DEMO_OPERATOR.password);
    expect((await operator.get('/api/auth/me')).body.actor.kind).toBe('operator');
    const answer = await operator.request('POST', `${codec.url}/decode`, { json: body, headers: fromUi });
    expect(answer.status, answer.text).toBe(200);
    expect(answer.headers.get('access-control-allow-origin')).toBe(UI);
    expect(answer.headers.get('access-control-allow-credentials')).toBe('true');
    expect(answer.headers.get('cache-control')).toBe('no-store');
    const [first] = (answer.body as { payloads: { metadata: Record<string, string>; data: string }[] }).payloads;
    const decoded = answer.body.payloads.map((p: { data: string }) => Buffer.from(p.data, 'base64').toString('utf8')).join('\n');
    expect(Buffer.from(first.metadata.encoding, 'base64').toString()).toBe('json/plain');
    expect(decoded).toContain(fin);
    // /encode round-trips through /decode.
    const encoded = await operator.request('POST', `${codec.url}/encode`, { json: answer.body, headers: fromUi });
    expect(Buffer.from(encoded.body.payloads[0].metadata.encoding, 'base64').toString()).toBe('binary/encrypted');
  });

  it('a Bar office (admin) or lawyer session is refused with 403 and recorded as a refused access', async () => {
    const { body } = await encryptedInputOfANewContract();
    const admin = await passwordLogin(DEMO_ADMIN.login, DEMO_ADMIN.password);
    const lawyer = await loginLawyer(system, 'lawyer-mammadov');
    for (const browser of [admin, lawyer]) {
      const answer = await browser.request('POST', `${codec.url}/decode`, { json: body, headers: fromUi });
      expect(answer.status).toBe(403);
      expect(answer.body.error.reason).toBe('codec.operator_only');
      expect(answer.text).not.toContain('json/plain');
    }
    // The event is written beside the answer (not before it): wait for both, as a loaded machine may take a moment.
    const refusedKinds = async () =>
      (await system.db('security_events').where({ kind: 'access_refused', subject: 'codec-server' }).select<{ actor_kind: string }[]>('actor_kind')).map(
        (r) => r.actor_kind,
      );
    const both = async () => {
      const kinds = await refusedKinds();
      return ['admin', 'lawyer'].every((k) => kinds.includes(k)) || undefined;
    };
    await eventually(both, { what: 'both refusals recorded', timeoutMs: 10_000 }).catch(() => undefined);
    expect(await refusedKinds()).toEqual(expect.arrayContaining(['admin', 'lawyer']));
  });

  it('CORS preflight: answered for the Temporal UI origin (credentials, X-Namespace allowed), not for another origin', async () => {
    const preflight = (origin: string) =>
      fetch(`${codec.url}/decode`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-namespace' },
      });
    const ok = await preflight(UI);
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe(UI);
    expect(ok.headers.get('access-control-allow-credentials')).toBe('true');
    expect(ok.headers.get('access-control-allow-headers')).toMatch(/x-namespace/);
    expect(ok.headers.get('access-control-allow-methods')).toMatch(/POST/);
    const evil = await preflight('http://evil.example');
    expect(evil.status).toBe(403);
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
    // A request from another origin is refused even with an operator's cookie, and gets no CORS headers.
    const operator = await passwordLogin(DEMO_OPERATOR.login, DEMO_OPERATOR.password);
    const answer = await operator.request('POST', `${codec.url}/decode`, { json: { payloads: [] }, headers: { origin: 'http://evil.example' } });
    expect(answer.status).toBe(403);
    expect(answer.headers.get('access-control-allow-origin')).toBeNull();
  });
});
