/**
 * The Bar office's register over HTTP (issue 11; R2.1, R2.2): add and edit a lawyer with field
 * errors and a history of who changed what; an imported list previewed row by row and saved all or
 * nothing; a deactivated lawyer's open session ends at once and the next login is refused with the
 * R2.1 reason; a bureau whose agent contract is not valid today is refused (R2.1 ii), and let in
 * once the contract's dates hold. Nobody but the Bar office reaches any of it.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_LAWYER_WITHOUT_AGENT_CONTRACT, DEMO_UNLISTED_SIGNATURE_HOLDER } from '../../simulators/demo-data';
import { expectStatus, loginLawyer, phoneControl, webUrl } from '../support/api';
import { loginNewAdmin } from '../support/bar-office';
import { HttpClient } from '../support/http-client';
import { demoLawyer, startTestSystem, type TestSystem } from '../support/system';

let system: TestSystem;
let admin: HttpClient;
let adminId: string;
const tag = String(Date.now() % 1_000_000).padStart(6, '0');
const created: string[] = [];
const createdBureaus: string[] = [];

beforeAll(async () => {
  system = await startTestSystem({ web: true });
  ({ browser: admin, id: adminId } = await loginNewAdmin(system, 'Reyestr əməkdaşı'));
}, 120_000);
afterAll(async () => {
  if (system) {
    // The register is shared with the other files: what this one added goes again.
    await system.db('lawyers').whereIn('id', created).delete();
    await system.db('lawyers').where({ fin: DEMO_UNLISTED_SIGNATURE_HOLDER.fin }).delete();
    await system.db('bureaus').whereIn('id', createdBureaus).delete();
  }
  await system?.close();
});

const entry = (over: Record<string, unknown> = {}) => ({
  fin: `T${tag}`,
  mobileSignatureUserId: '900001',
  licenseNumber: `V-${tag}`,
  lastName: 'Reyestrova',
  firstName: 'Gülnar',
  patronymic: 'Arif qızı',
  bureauId: 'baki-1',
  isHead: false,
  practisingSince: '2018-04-01',
  phone: '+994 55 111 22 33',
  email: 'Gulnar.Reyestrova@example.az',
  ...over,
});

async function lawyerLogin(phone: string, userId: string) {
  const b = new HttpClient(webUrl(system));
  const started = expectStatus(await b.post('/api/auth/lawyer/start', { phone, userId }), 200, 'login start');
  await phoneControl(system).confirm(started.body.transactionId);
  return { b, completed: await b.post('/api/auth/lawyer/complete', { transactionId: started.body.transactionId }) };
}

const csv = (lines: string[]) => Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf8').toString('base64');
const HEADER = 'fin,user_id,licence,last_name,first_name,patronymic,bureau,head,practising_since,phone,email';

describe('the register of active lawyers (issue 11, R2.1 i, R2.2)', () => {
  it('R2.1 adds a lawyer, refuses bad input at the fields, and keeps each change with who and when', async () => {
    const refused = await admin.post(
      '/api/office/lawyers',
      entry({ fin: 'AB12', mobileSignatureUserId: '12345', licenseNumber: demoLawyer('lawyer-mammadov').licenseNumber, bureauId: 'nope' }),
    );
    expect(refused.status).toBe(400);
    expect(refused.body.error.fields.map((f: { field: string; reason: string }) => [f.field, f.reason])).toEqual([
      ['fin', 'register.fin_invalid'],
      ['mobileSignatureUserId', 'register.user_id_invalid'],
      ['licenseNumber', 'register.licence_taken'],
      ['bureauId', 'register.bureau_unknown'],
    ]);

    const added = expectStatus(await admin.post('/api/office/lawyers', entry()), 201, 'add').body.lawyer;
    created.push(added.id);
    expect(added).toMatchObject({
      fin: `T${tag}`,
      phone: '+994551112233',
      email: 'gulnar.reyestrova@example.az',
      onActiveRegister: true,
      practisingSince: '2018-04-01',
    });
    // The same FIN twice is refused.
    expect((await admin.post('/api/office/lawyers', entry({ licenseNumber: `W-${tag}` }))).body.error.fields[0].reason).toBe('register.fin_taken');

    const changed = expectStatus(await admin.patch(`/api/office/lawyers/${added.id}`, entry({ lastName: 'Yeniadova', isHead: false })), 200, 'edit').body
      .lawyer;
    expect(changed.lastName).toBe('Yeniadova');
    const { history } = expectStatus(await admin.get(`/api/office/lawyers/${added.id}`), 200, 'details').body;
    expect(history[0]).toMatchObject({
      field: 'lastName',
      old: 'Reyestrova',
      new: 'Yeniadova',
      actor: { kind: 'admin', id: adminId, name: 'Reyestr əməkdaşı' },
      source: 'api',
    });
    expect(history.some((h: { field: string; old: null; new: string }) => h.field === 'fin' && h.old === null && h.new === `T${tag}`)).toBe(true);

    const found = expectStatus(await admin.get(`/api/office/lawyers?q=yeniad`), 200, 'search').body;
    expect(found.lawyers.map((l: { id: string }) => l.id)).toEqual([added.id]);

    // An individually practising lawyer is a bureau of one, and its head.
    const individual = expectStatus(
      await admin.post('/api/office/lawyers', entry({ fin: `U${tag}`, licenseNumber: `X-${tag}`, bureauId: '__individual__' })),
      201,
      'individual',
    ).body.lawyer;
    created.push(individual.id);
    createdBureaus.push(individual.bureauId);
    expect(individual).toMatchObject({ bureauIndividual: true, isHead: true });
    expect(individual.bureauName).toContain('fərdi qaydada');

    // R2.2 a bureau has one head: naming a second one makes the first a member.
    const bureau = expectStatus(await admin.post('/api/office/bureaus', { name: `Sınaq bürosu ${tag}`, address: 'Bakı' }), 201, 'bureau').body.bureau;
    expect(bureau.agentContractValid).toBe(false);
    const first = expectStatus(
      await admin.post('/api/office/lawyers', entry({ fin: `P${tag}`, licenseNumber: `P-${tag}`, bureauId: bureau.id, isHead: true })),
      201,
      'head 1',
    ).body.lawyer;
    const second = expectStatus(
      await admin.post('/api/office/lawyers', entry({ fin: `Q${tag}`, licenseNumber: `Q-${tag}`, bureauId: bureau.id, isHead: true })),
      201,
      'head 2',
    ).body.lawyer;
    created.push(first.id, second.id);
    createdBureaus.push(bureau.id);
    const members = expectStatus(await admin.get(`/api/office/bureaus/${bureau.id}`), 200, 'members').body.bureau;
    expect(members.head).toEqual({ id: second.id, name: 'Reyestrova Gülnar' });
    expect(members.members.filter((m: { isHead: boolean }) => m.isHead)).toHaveLength(1);

    // Only the Bar office: a lawyer gets 403.
    const lawyer = await loginLawyer(system, 'lawyer-mammadov');
    expect((await lawyer.get('/api/office/lawyers')).status).toBe(403);
  });

  it('R2.1 an imported list shows every row with its errors, and saves all of it or nothing', async () => {
    const head = demoLawyer('head-huseynova');
    const lines = [
      HEADER,
      `N${tag},900002,N-${tag},Yüklənən,Rəna,,Bakı şəhəri 1 saylı Vəkil Bürosu,,2020-01-15,,`,
      `${head.fin},${head.mobileSignatureUserId},${head.licenseNumber},${head.lastName},${head.firstName},${head.patronymic},baki-1,bəli,,,`,
      // Issue 13: a date may be written dd.mm.yyyy too (15.01.2020 is a date now); a day that does not exist is not.
      `BAD1,12,,Səhv,,,yoxdur,,31.02.2020,,`,
      `N${tag},900003,M-${tag},Təkrar,Fuad,,baki-1,,,,`,
    ];
    const preview = expectStatus(await admin.post('/api/office/lawyers/import', { name: 'list.csv', data: csv(lines) }), 201, 'preview').body;
    expect(preview.rows.map((r: { line: number; action: string }) => [r.line, r.action])).toEqual([
      [2, 'add'],
      [3, 'unchanged'],
      [4, 'error'],
      [5, 'error'],
    ]);
    const bad = preview.rows[2].errors.map((e: { field: string }) => e.field);
    expect(bad).toEqual(['fin', 'mobileSignatureUserId', 'licenseNumber', 'firstName', 'bureauId', 'practisingSince']);
    expect(preview.rows[3].errors[0]).toMatchObject({ field: 'fin', reason: 'register.duplicate_in_file', params: { line: 2 } });

    const before = await system.db('lawyers').count<{ count: number }[]>('* as count');
    const refused = await admin.post(`/api/office/lawyers/import/${preview.token}/commit`, {});
    expect(refused.status).toBe(409);
    expect(refused.body.error.reason).toBe('register.import_has_errors');
    expect(await system.db('lawyers').count('* as count')).toEqual(before);
    expect(
      await system
        .db('lawyers')
        .where({ fin: `N${tag}` })
        .first(),
    ).toBeUndefined();

    // The corrected list, as XLSX: one new lawyer and one change of the one added above.
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Vəkillər');
    sheet.addRow(HEADER.split(','));
    sheet.addRow([`N${tag}`, '900002', `N-${tag}`, 'Yüklənən', 'Rəna', '', 'baki-1', '', new Date('2020-01-15T00:00:00Z'), '', '']);
    sheet.addRow([`T${tag}`, '900001', `V-${tag}`, 'Yeniadova', 'Gülnar', 'Arif qızı', 'baki-1', '', '2018-04-01', '+994551112233', 'yeni@example.az']);
    const xlsx = Buffer.from(await workbook.xlsx.writeBuffer()).toString('base64');
    const second = expectStatus(await admin.post('/api/office/lawyers/import', { name: 'list.xlsx', data: xlsx }), 201, 'xlsx preview').body;
    expect(second.counts).toEqual({ add: 1, update: 1, unchanged: 0, error: 0 });
    expect(second.rows[1].changes).toEqual([{ field: 'email', old: 'gulnar.reyestrova@example.az', new: 'yeni@example.az' }]);
    // Another admin cannot use this preview.
    const other = (await loginNewAdmin(system)).browser;
    expect((await other.post(`/api/office/lawyers/import/${second.token}/commit`, {})).status).toBe(404);

    const done = expectStatus(await admin.post(`/api/office/lawyers/import/${second.token}/commit`, {}), 200, 'commit').body;
    expect(done).toEqual({ added: 1, updated: 1, unchanged: 0 });
    const imported = await system
      .db('lawyers')
      .where({ fin: `N${tag}` })
      .first<{ id: string; practising_since: Date }>();
    created.push(imported.id);
    const history = expectStatus(await admin.get(`/api/office/lawyers/${created[0]}`), 200, 'history').body.history;
    expect(history[0]).toMatchObject({ field: 'email', new: 'yeni@example.az', source: 'import' });
    // The token is spent.
    expect((await admin.post(`/api/office/lawyers/import/${second.token}/commit`, {})).status).toBe(404);
    // A file that is neither CSV nor XLSX is refused by its content.
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex').toString('base64');
    expect((await admin.post('/api/office/lawyers/import', { name: 'list.csv', data: png })).body.error.reason).toBe('register.import_unreadable');
  });

  it('R2.1 a deactivated lawyer is logged out at once and refused at the next login; reactivated, let in again', async () => {
    const holder = DEMO_UNLISTED_SIGNATURE_HOLDER;
    const put = expectStatus(
      await admin.post(
        '/api/office/lawyers',
        entry({
          fin: holder.fin,
          mobileSignatureUserId: holder.userId,
          licenseNumber: `H-${tag}`,
          lastName: holder.lastName,
          firstName: holder.firstName,
          phone: '',
          email: '',
        }),
      ),
      201,
      'register the holder',
    ).body.lawyer;
    const { b: session, completed } = await lawyerLogin(holder.phone, holder.userId);
    expect(completed.status).toBe(200);
    expect((await session.get('/api/contracts')).status).toBe(200);

    const off = expectStatus(await admin.post(`/api/office/lawyers/${put.id}/deactivate`, {}), 200, 'deactivate').body;
    expect(off.sessionsEnded).toBe(1);
    expect((await session.get('/api/contracts')).status).toBe(401);
    expect((await session.get('/api/auth/me')).body.actor).toBeNull();
    const again = await lawyerLogin(holder.phone, holder.userId);
    expect(again.completed.status).toBe(403);
    expect(again.completed.body.error.reason).toBe('access.not_on_active_register');
    expect((await admin.post(`/api/office/lawyers/${put.id}/deactivate`, {})).status).toBe(409);

    const event = await system
      .db('security_events')
      .where({ kind: 'lawyer_deactivated', subject: `account:lawyer:${put.id}` })
      .first<{ actor_id: string; detail: unknown }>();
    expect(event).toMatchObject({ actor_id: adminId, detail: { sessionsEnded: 1 } });
    expect(JSON.stringify(event)).not.toContain(holder.fin);

    expectStatus(await admin.post(`/api/office/lawyers/${put.id}/reactivate`, {}), 200, 'reactivate');
    expect((await lawyerLogin(holder.phone, holder.userId)).completed.status).toBe(200);
  });

  it('R2.1 (ii) a bureau whose agent contract has expired is refused at login; with valid dates its lawyers come in', async () => {
    const lawyer = DEMO_LAWYER_WITHOUT_AGENT_CONTRACT;
    const bureau = expectStatus(await admin.get(`/api/office/bureaus/${lawyer.bureauKey}`), 200, 'bureau').body.bureau;
    expect(bureau.agentContract).toMatchObject({ validTo: '2025-12-31' });
    expect(bureau.agentContractValid).toBe(false);
    expect(bureau.members.map((m: { id: string }) => m.id)).toContain(lawyer.key);
    const refused = await lawyerLogin(lawyer.phone, lawyer.mobileSignatureUserId);
    expect(refused.completed.status).toBe(403);
    expect(refused.completed.body.error.reason).toBe('access.no_payment_agent_contract_bureau');

    const dashboard = expectStatus(await admin.get('/api/office/dashboard'), 200, 'dashboard').body.items;
    expect(dashboard.find((i: { key: string }) => i.key === 'bureaus_without_agent_contract').count).toBeGreaterThanOrEqual(1);
    expect(dashboard.map((i: { key: string }) => i.key)).toContain('assignments_awaiting_approval');

    const original = {
      name: bureau.name,
      address: bureau.address,
      agentContractNumber: bureau.agentContract.number,
      agentContractValidFrom: bureau.agentContract.validFrom,
      agentContractValidTo: bureau.agentContract.validTo,
    };
    const wrong = await admin.patch(`/api/office/bureaus/${lawyer.bureauKey}`, { ...original, agentContractValidTo: '2020-01-01' });
    expect(wrong.body.error.fields[0]).toMatchObject({ field: 'agentContractValidTo', reason: 'register.contract_dates_order' });
    try {
      const renewed = expectStatus(
        await admin.patch(`/api/office/bureaus/${lawyer.bureauKey}`, {
          ...original,
          agentContractNumber: 'AÖ-2026/YENİ',
          agentContractValidFrom: '2026-01-01',
          agentContractValidTo: '',
        }),
        200,
        'renew',
      ).body.bureau;
      expect(renewed.agentContractValid).toBe(true);
      expect(renewed.history[0]).toMatchObject({ actor: { id: adminId } });
      expect((await lawyerLogin(lawyer.phone, lawyer.mobileSignatureUserId)).completed.status).toBe(200);
    } finally {
      expectStatus(await admin.patch(`/api/office/bureaus/${lawyer.bureauKey}`, original), 200, 'restore');
    }
  });
});
