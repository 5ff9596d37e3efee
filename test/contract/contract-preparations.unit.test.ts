/**
 * Issue 14, R4.2: the contracts a worker prepares at approval go one at a time, in the approvals'
 * order, with a bounded queue; the order of a contract settles its preparation first: one still
 * waiting is withdrawn, one under way is waited for (so the same contract is not rendered twice).
 */
import { describe, expect, it } from 'vitest';
import { ContractPreparations } from '../../activities/contract/documents';

/** A preparation that runs until released, recording when it starts and the hurry it is given. */
function gated(started: string[], id: string) {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let given!: (hurry: Promise<void>) => void;
  const hurried = new Promise<void>((resolve) => (given = (hurry) => void hurry.then(resolve)));
  return {
    run: (hurry: Promise<void>) => {
      started.push(id);
      given(hurry);
      return gate;
    },
    release,
    hurried,
  };
}

const settled = () => new Promise((resolve) => setImmediate(resolve));

describe('issue 14: the contracts prepared at approval', () => {
  it('R4.2 one at a time, in order; a full queue leaves the next approval unprepared', async () => {
    const started: string[] = [];
    const errors: string[] = [];
    const queue = new ContractPreparations((id) => errors.push(id), 2);
    const a = gated(started, 'a');
    const b = gated(started, 'b');
    const c = gated(started, 'c');
    const d = gated(started, 'd');
    queue.add('a', a.run);
    queue.add('b', b.run);
    queue.add('c', c.run);
    queue.add('d', d.run);
    // The same one again is not queued twice.
    queue.add('b', b.run);
    expect(started).toEqual(['a']);
    expect(queue.size).toEqual({ waiting: 2, running: true });
    a.release();
    await settled();
    expect(started).toEqual(['a', 'b']);
    b.release();
    await settled();
    c.release();
    await settled();
    // d came when two were waiting: not prepared (its order renders the contract).
    expect(started).toEqual(['a', 'b', 'c']);
    expect(queue.size).toEqual({ waiting: 0, running: false });
    expect(errors).toEqual([]);
  });

  it('R4.2.1 the order withdraws a preparation still waiting and waits for one under way; a failed one is reported and the next goes on', async () => {
    const started: string[] = [];
    const errors: string[] = [];
    const queue = new ContractPreparations((id) => errors.push(id));
    const a = gated(started, 'a');
    queue.add('a', a.run);
    queue.add('b', () => (started.push('b'), Promise.resolve()));
    queue.add('c', () => (started.push('c'), Promise.reject(new Error('renderer gone'))));
    queue.add('d', () => (started.push('d'), Promise.resolve()));
    // b's order comes first: b is withdrawn, never rendered here.
    await queue.settle('b');
    // a's order hurries a's render and waits for it.
    let aHurried = false;
    void a.hurried.then(() => (aHurried = true));
    let aSettled = false;
    const settling = queue.settle('a').then(() => (aSettled = true));
    await settled();
    expect(aSettled).toBe(false);
    expect(aHurried).toBe(true);
    a.release();
    await settling;
    expect(aSettled).toBe(true);
    await settled();
    await settled();
    expect(started).toEqual(['a', 'c', 'd']);
    expect(errors).toEqual(['c']);
    // Settling one that is not there answers at once.
    await queue.settle('zzz');
  });
});
