/**
 * Issue 14, R4.2.1: the renderer's pages go first to the documents somebody waits for (the order on
 * the payment path); contracts rendered ahead of need (prepared at approval) wait behind them and
 * never hold every page.
 */
import { describe, expect, it } from 'vitest';
import { PageSlots, type RenderLane, WORKER_RENDERER_PAGES } from '../../documents/pdf-renderer';

/** Asks for a slot and records the order in which the asks are granted. */
function ask(slots: PageSlots, lane: RenderLane, name: string, granted: string[]): Promise<void> {
  return slots.acquire(lane).then(() => {
    granted.push(name);
  });
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('PageSlots: the order first, preparations behind it (issue 14, R4.2.1)', () => {
  it('a waiting order gets the next free page before a preparation that waited longer', async () => {
    const slots = new PageSlots(2, 1);
    const granted: string[] = [];
    void ask(slots, 'now', 'order 1', granted);
    void ask(slots, 'now', 'order 2', granted);
    await settle();
    void ask(slots, 'ahead', 'prepared contract', granted);
    await settle();
    void ask(slots, 'now', 'order 3', granted);
    await settle();
    expect(granted).toEqual(['order 1', 'order 2']);
    expect(slots.queued).toEqual({ now: 1, ahead: 1 });
    slots.release('now');
    await settle();
    expect(granted).toEqual(['order 1', 'order 2', 'order 3']);
    slots.release('now');
    await settle();
    expect(granted).toEqual(['order 1', 'order 2', 'order 3', 'prepared contract']);
  });

  it('preparations hold at most maxAhead pages, so an order finds one free at once', async () => {
    const slots = new PageSlots(2, 1);
    const granted: string[] = [];
    void ask(slots, 'ahead', 'prepared 1', granted);
    void ask(slots, 'ahead', 'prepared 2', granted);
    await settle();
    expect(granted).toEqual(['prepared 1']);
    void ask(slots, 'now', 'order', granted);
    await settle();
    expect(granted).toEqual(['prepared 1', 'order']);
    slots.release('now');
    await settle();
    // The page the order freed is not the preparations' to take while one of theirs still renders.
    expect(granted).toEqual(['prepared 1', 'order']);
    slots.release('ahead');
    await settle();
    expect(granted).toEqual(['prepared 1', 'order', 'prepared 2']);
  });

  it('without preparations, orders share every page first come, first served', async () => {
    const slots = new PageSlots(3, 2);
    const granted: string[] = [];
    for (const n of [1, 2, 3, 4, 5]) void ask(slots, 'now', `order ${n}`, granted);
    await settle();
    expect(granted).toEqual(['order 1', 'order 2', 'order 3']);
    slots.release('now');
    slots.release('now');
    await settle();
    expect(granted).toEqual(['order 1', 'order 2', 'order 3', 'order 4', 'order 5']);
  });

  it('a preparation somebody starts waiting for is hurried: it goes behind the waiting orders, before the other preparations, and gives its page back as an order', async () => {
    const slots = new PageSlots(2, 1);
    const granted: string[] = [];
    const lanes: string[] = [];
    void ask(slots, 'now', 'order 1', granted);
    void ask(slots, 'now', 'order 2', granted);
    await settle();
    void ask(slots, 'ahead', 'prepared 1', granted);
    let hurry!: () => void;
    const hurried = new Promise<void>((resolve) => (hurry = resolve));
    void slots.acquire('ahead', hurried).then((lane) => {
      granted.push('prepared 2, hurried');
      lanes.push(lane);
    });
    void ask(slots, 'now', 'order 3', granted);
    await settle();
    hurry();
    await settle();
    expect(slots.queued).toEqual({ now: 2, ahead: 1 });
    slots.release('now');
    await settle();
    slots.release('now');
    await settle();
    expect(granted).toEqual(['order 1', 'order 2', 'order 3', 'prepared 2, hurried']);
    // It holds its page as an order does, so the lane that gets it back is `now`.
    expect(lanes).toEqual(['now']);
    slots.release('now');
    await settle();
    expect(granted).toEqual(['order 1', 'order 2', 'order 3', 'prepared 2, hurried', 'prepared 1']);
  });

  it("the worker's pages: while a preparation renders, an order and the contract rendered beside it both start at once, and a second preparation waits", async () => {
    const slots = new PageSlots(WORKER_RENDERER_PAGES.maxConcurrent, WORKER_RENDERER_PAGES.maxAhead);
    const granted: string[] = [];
    void ask(slots, 'ahead', 'prepared 1', granted);
    await settle();
    void ask(slots, 'ahead', 'prepared 2', granted);
    void ask(slots, 'now', 'order', granted);
    void ask(slots, 'now', 'contract at payment', granted);
    await settle();
    expect(granted).toEqual(['prepared 1', 'order', 'contract at payment']);
    expect(slots.queued).toEqual({ now: 0, ahead: 1 });
  });
});
