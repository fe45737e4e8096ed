import { TokenCache } from './token-cache.js';

const kept = (token: string, refreshAt = 1000) => ({ token, expiresAt: refreshAt + 30, refreshAt });

describe('TokenCache', () => {
  it('serves a kept token until its refresh point, then fetches again', async () => {
    const cache = new TokenCache(10);
    let fetches = 0;
    const fetch = async () => kept(`t${++fetches}`);
    expect(await cache.get('k', 0, fetch)).toBe('t1');
    expect(await cache.get('k', 999, fetch)).toBe('t1');
    expect(await cache.get('k', 1000, fetch)).toBe('t2');
    expect(fetches).toBe(2);
  });

  it('shares one fetch among concurrent callers, and keeps nothing when it fails', async () => {
    const cache = new TokenCache(10);
    let fetches = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const fetch = async () => {
      fetches++;
      await gate;
      return kept('shared');
    };
    const all = Promise.all(Array.from({ length: 50 }, () => cache.get('k', 0, fetch)));
    release();
    expect(new Set(await all)).toEqual(new Set(['shared']));
    expect(fetches).toBe(1);
    const failing = () => Promise.reject(new Error('issuer down'));
    await expect(Promise.all([cache.get('x', 0, failing), cache.get('x', 0, failing)])).rejects.toThrow('issuer down');
    expect(cache.size).toBe(1);
    expect(await cache.get('x', 0, async () => kept('later'))).toBe('later');
  });

  it('is bounded: the least recently used key goes first', async () => {
    const cache = new TokenCache(2);
    await cache.get('a', 0, async () => kept('ta'));
    await cache.get('b', 0, async () => kept('tb'));
    await cache.get('a', 0, async () => kept('unused')); // a is now the most recently used
    await cache.get('c', 0, async () => kept('tc'));
    expect(cache.size).toBe(2);
    expect(await cache.get('a', 0, async () => kept('refetched'))).toBe('ta');
    expect(await cache.get('b', 0, async () => kept('tb2'))).toBe('tb2');
  });

  it('drop forgets a token by its value', async () => {
    const cache = new TokenCache(10);
    await cache.get('k', 0, async () => kept('old'));
    expect(cache.drop('old')).toBe(true);
    expect(cache.drop('old')).toBe(false);
    expect(await cache.get('k', 0, async () => kept('new'))).toBe('new');
  });
});
