/** The register's rules (issue 11; R2.1, R2.2): an entry's checks, the history's diff, the import's plan of every row. */
import { describe, expect, it } from 'vitest';
import {
  bureauProblems,
  foldName,
  type LawyerInput,
  lawyerChanges,
  lawyerProblems,
  normalizeLawyer,
  planImport,
  type RegisterSnapshot,
} from '../../domain/office';

const entry: LawyerInput = {
  fin: ' 5zk8r2m ',
  mobileSignatureUserId: '204517',
  licenseNumber: 'VL-1',
  lastName: 'Hüseynova',
  firstName: 'Səbinə',
  patronymic: '',
  bureauId: 'baki-1',
  isHead: true,
  practisingSince: '2006-03-15',
  phone: '050 210 45 17',
  email: 'A@B.AZ',
};

const snapshot = (): RegisterSnapshot => ({
  lawyersByFin: new Map([['5ZK8R2M', { ...normalizeLawyer(entry), onActiveRegister: true, id: 'l1', bureauIndividual: false }]]),
  licenceHolders: new Map([['VL-1', 'l1']]),
  bureauIds: new Map([
    ['baki-1', 'baki-1'],
    [foldName('Bakı şəhəri 1 saylı Vəkil Bürosu'), 'baki-1'],
  ]),
});

describe('an entry of the register (R2.1 i)', () => {
  it('R2.1 normalises the FIN, phone and e-mail, and refuses each bad field with its code', () => {
    const clean = normalizeLawyer(entry);
    expect(clean).toMatchObject({ fin: '5ZK8R2M', phone: '+994502104517', email: 'a@b.az' });
    expect(lawyerProblems(clean, { bureauExists: true, selfId: 'l1', finHolder: 'l1', licenceHolder: 'l1' })).toEqual([]);
    const bad = normalizeLawyer({
      ...entry,
      fin: 'AB1',
      mobileSignatureUserId: '12a456',
      licenseNumber: '',
      firstName: '',
      practisingSince: '2021-02-30',
      email: 'x',
    });
    expect(lawyerProblems(bad, { bureauExists: false }).map((e) => e.reason)).toEqual([
      'register.fin_invalid',
      'register.user_id_invalid',
      'register.licence_required',
      'register.first_name_required',
      'register.bureau_unknown',
      'register.date_invalid',
      'register.email_invalid',
    ]);
    expect(lawyerProblems(clean, { bureauExists: true, finHolder: 'l2', licenceHolder: 'l2' }).map((e) => e.reason)).toEqual([
      'register.fin_taken',
      'register.licence_taken',
    ]);
  });

  it('R2.1 the history is the fields that changed, old → new', () => {
    const before = { ...normalizeLawyer(entry), onActiveRegister: true };
    expect(lawyerChanges(before, { ...before, lastName: 'Yeni', onActiveRegister: false })).toEqual([
      { field: 'lastName', old: 'Hüseynova', new: 'Yeni' },
      { field: 'onActiveRegister', old: 'true', new: 'false' },
    ]);
  });

  it('R2.1 (ii) a bureau contract needs a number and a first day, and ends no earlier than it starts', () => {
    const b = { name: 'Büro', address: 'Bakı', agentContractNumber: '', agentContractValidFrom: '', agentContractValidTo: '2026-01-01' };
    expect(bureauProblems(b).map((e) => e.reason)).toEqual(['register.contract_number_required', 'register.contract_from_required']);
    expect(bureauProblems({ ...b, agentContractNumber: 'A-1', agentContractValidFrom: '2026-02-01' }).map((e) => e.reason)).toEqual([
      'register.contract_dates_order',
    ]);
    expect(bureauProblems({ ...b, agentContractNumber: 'A-1', agentContractValidFrom: '2025-02-01', agentContractValidTo: '' })).toEqual([]);
  });
});

describe('the import plan (issue 11, R2.1 i)', () => {
  it('R2.1 names every row: a new lawyer, an unchanged one, a change, a bad row and a duplicate; a bureau by name or "fərdi"', () => {
    const plan = planImport(
      [
        ['FİN', 'İstifadəçi ID', 'Vəsiqə nömrəsi', 'Soyad', 'Ad', 'Büro', 'E-poçt'],
        ['1AAAAAA', '111111', 'VL-2', 'Yeni', 'Vəkil', 'Bakı şəhəri 1 saylı Vəkil Bürosu', ''],
        ['5ZK8R2M', '204517', 'VL-1', 'Hüseynova', 'Səbinə', 'baki-1', ''],
        ['', '', '', '', '', '', ''],
        ['1AAAAAA', '222222', 'VL-3', 'Təkrar', 'Vəkil', 'fərdi', ''],
        ['2BBBBBB', '333333', 'VL-1', 'Başqa', 'Vəkil', 'yoxdur', ''],
      ],
      snapshot(),
    );
    expect(plan.rows.map((r) => [r.line, r.action])).toEqual([
      [2, 'add'],
      [3, 'unchanged'],
      [5, 'error'],
      [6, 'error'],
    ]);
    expect(plan.rows[0].entry.bureauId).toBe('baki-1');
    expect(plan.rows[2].errors).toEqual([{ field: 'fin', code: 'duplicate', reason: 'register.duplicate_in_file', params: { line: 2 } }]);
    expect(plan.rows[3].errors.map((e) => e.reason)).toEqual(['register.licence_taken', 'register.bureau_unknown', 'register.duplicate_in_file']);
    expect(plan.counts).toEqual({ add: 1, update: 0, unchanged: 1, error: 2 });
  });

  it('R2.1 a header without the required columns reads nothing', () => {
    expect(
      planImport(
        [
          ['fin', 'ad'],
          ['1AAAAAA', 'X'],
        ],
        snapshot(),
      ).missingColumns,
    ).toEqual(['mobileSignatureUserId', 'licenseNumber', 'lastName', 'bureauId']);
  });
});
