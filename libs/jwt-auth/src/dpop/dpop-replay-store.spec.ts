import { MemoryDpopReplayStore } from './dpop-replay-store.js';

describe('MemoryDpopReplayStore', () => {
  it('claims a key once until it expires', () => {
    let now = 1000;
    const store = new MemoryDpopReplayStore(10, () => now);
    expect(store.claim('a', 2000)).toBe(true);
    expect(store.claim('a', 2000)).toBe(false);
    now = 2000;
    expect(store.claim('a', 3000)).toBe(true);
  });

  it('stays within its capacity, dropping the oldest record first', () => {
    const store = new MemoryDpopReplayStore(3, () => 0);
    for (const key of ['a', 'b', 'c', 'd']) expect(store.claim(key, 10)).toBe(true);
    expect(store.size).toBe(3);
    expect(store.claim('d', 10)).toBe(false);
    expect(store.claim('a', 10)).toBe(true);
  });
});
