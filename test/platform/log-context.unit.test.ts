/** Issue 10 item 8: log lines carry the contract's ID (never personal data), so one contract's story can be followed. */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { contractIdOfPath, contractIdOfWorkflowId, createLogger, withLogContext } from '../../platform/logger';

describe('the contract ID on log lines (issue 10 item 8)', () => {
  it('every line logged inside withLogContext names the contract; lines outside do not', async () => {
    const lines: Record<string, unknown>[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
        done();
      },
    });
    const log = createLogger('evk-test', 'info', stream);
    await withLogContext({ contractId: '2026-000123' }, async () => {
      await Promise.resolve();
      log.info('document issued');
    });
    log.info('outside');
    expect(lines[0]).toMatchObject({ contractId: '2026-000123', msg: 'document issued' });
    expect(lines[1]).not.toHaveProperty('contractId');
  });

  it('finds the contract in an API or page path and in a contract workflow ID, nowhere else', () => {
    expect(contractIdOfPath('/api/contracts/2026-000123/submit')).toBe('2026-000123');
    expect(contractIdOfPath('/contracts/2026-000123/wizard/5')).toBe('2026-000123');
    expect(contractIdOfPath('/contracts/new')).toBeUndefined();
    expect(contractIdOfPath('/api/lookups/people/AB12C3D')).toBeUndefined();
    expect(contractIdOfWorkflowId('contract-2026-000123')).toBe('2026-000123');
    expect(contractIdOfWorkflowId('notification-dispatcher')).toBeUndefined();
  });
});
