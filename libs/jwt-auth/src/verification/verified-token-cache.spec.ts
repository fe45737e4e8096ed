import { generateKeyPairSync } from 'node:crypto';
import type { AuthenticatedUser } from '@app/contracts';
import type { JwtAuthSettings } from '../interfaces/jwt-auth-options.interface.js';
import type { ResolvedKey, SigningKeyResolver } from './signing-key.resolver.js';
import { VerifiedTokenCache } from './verified-token-cache.js';

const NBF = 1_900_000_000;
const EXP = NBF + 900;
const { publicKey } = generateKeyPairSync('ed25519');

function resolvedKey(kid: string): ResolvedKey {
  return { kid, key: publicKey, jwkAlg: 'EdDSA', pem: '' };
}

function user(tokenId: string): AuthenticatedUser {
  return { userId: 'u-1', username: 'carol', scopes: ['a', 'b'], tokenId, expiresAt: EXP };
}

/** A token verified twice: the second verification stores it (the first only notes it). */
function storeVerified(cache: VerifiedTokenCache, ...args: Parameters<VerifiedTokenCache['remember']>): void {
  cache.remember(...args);
  cache.remember(...args);
}

describe('VerifiedTokenCache', () => {
  let nowMs: number;
  let confirmed: Set<ResolvedKey>;
  const keyA = resolvedKey('kid-a');
  const keyB = resolvedKey('kid-b');

  function cacheOf(size: number): VerifiedTokenCache {
    const resolver = { isConfirmed: (key: ResolvedKey) => confirmed.has(key) } as unknown as SigningKeyResolver;
    return new VerifiedTokenCache({ verifiedTokenCacheSize: size } as JwtAuthSettings, () => nowMs, resolver);
  }

  beforeEach(() => {
    nowMs = (NBF + 10) * 1000;
    confirmed = new Set([keyA, keyB]);
  });

  it('answers the exact token only, with a copy the caller may change', () => {
    const cache = cacheOf(10);
    storeVerified(cache, 'aaa.bbb.ccc', user('j-1'), keyA, { nbf: NBF, exp: EXP });

    const hit = cache.get('aaa.bbb.ccc');
    hit?.scopes.push('admin');

    expect(hit).toEqual({ ...user('j-1'), scopes: ['a', 'b', 'admin'] });
    expect(cache.get('aaa.bbb.ccc')).toEqual(user('j-1'));
    expect(cache.get('aaa.bbb.cc')).toBeUndefined();
    expect(cache.get('aaa.bbb.ccd')).toBeUndefined();
    expect(cache.get('aaa.bbb.ccc ')).toBeUndefined();
  });

  it('misses a different token that ends like a cached one, and keeps the cached one', () => {
    const cache = cacheOf(10);
    const ending = 'x'.repeat(40);
    storeVerified(cache, `aaa.bbb.${ending}`, user('j-1'), keyA, { nbf: NBF, exp: EXP });

    expect(cache.get(`aaa.bbc.${ending}`)).toBeUndefined();
    expect(cache.get(`aab.bbb.${ending}`)).toBeUndefined();
    expect(cache.get(`aaa.bbb.${ending}`)).toEqual(user('j-1'));
  });

  it('serves a token until just before exp and never from exp on, without the clock tolerance', () => {
    const cache = cacheOf(10);
    storeVerified(cache, 't', user('j-1'), keyA, { nbf: NBF, exp: EXP });

    nowMs = EXP * 1000 - 1;
    expect(cache.get('t')).toBeDefined();
    nowMs = EXP * 1000;
    expect(cache.get('t')).toBeUndefined();
    nowMs = EXP * 1000 - 1;
    expect(cache.get('t')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('does not store a token that is not yet valid (accepted only within the tolerance) or already expired', () => {
    const cache = cacheOf(10);
    nowMs = NBF * 1000 - 1;
    storeVerified(cache, 'early', user('j-1'), keyA, { nbf: NBF, exp: EXP });
    nowMs = EXP * 1000;
    storeVerified(cache, 'late', user('j-2'), keyA, { nbf: NBF, exp: EXP });
    nowMs = NBF * 1000;

    expect(cache.size).toBe(0);
    expect(cache.get('early')).toBeUndefined();
  });

  it('refuses a hit, and forgets the token, when the clock is set back before nbf', () => {
    const cache = cacheOf(10);
    storeVerified(cache, 't', user('j-1'), keyA, { nbf: NBF, exp: EXP });

    nowMs = NBF * 1000 - 1;

    expect(cache.get('t')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('does not store a token without nbf or exp', () => {
    const cache = cacheOf(10);
    storeVerified(cache, 'no-nbf', user('j-1'), keyA, { exp: EXP });
    storeVerified(cache, 'no-exp', user('j-2'), keyA, { nbf: NBF });

    expect(cache.size).toBe(0);
  });

  it('does not store a token whose exp or nbf is not finite (exp 1e400 would never expire)', () => {
    const cache = cacheOf(10);
    storeVerified(cache, 'exp-infinite', user('j-1'), keyA, { nbf: NBF, exp: Number.POSITIVE_INFINITY });
    storeVerified(cache, 'exp-nan', user('j-2'), keyA, { nbf: NBF, exp: Number.NaN });
    storeVerified(cache, 'nbf-infinite', user('j-3'), keyA, { nbf: Number.NEGATIVE_INFINITY, exp: EXP });

    expect(cache.size).toBe(0);
  });

  it('drops expired tokens nobody asks for again, at the next store a minute or more after the last sweep', () => {
    const cache = cacheOf(10);
    storeVerified(cache, 'short', user('j-1'), keyA, { nbf: NBF, exp: NBF + 60 });
    storeVerified(cache, 'long', user('j-2'), keyA, { nbf: NBF, exp: EXP });

    nowMs = (NBF + 100) * 1000;
    storeVerified(cache, 'later', user('j-3'), keyA, { nbf: NBF, exp: EXP });

    expect(cache.size).toBe(2);
    expect(cache.get('long')).toBeDefined();
    expect(cache.get('later')).toBeDefined();
  });

  it('drops every token of a key the key set no longer confirms (revoked, replaced, or not reread in time)', () => {
    const cache = cacheOf(10);
    storeVerified(cache, 'of-a', user('j-1'), keyA, { nbf: NBF, exp: EXP });
    storeVerified(cache, 'of-b', user('j-2'), keyB, { nbf: NBF, exp: EXP });

    confirmed.delete(keyA);

    expect(cache.get('of-a')).toBeUndefined();
    expect(cache.get('of-b')).toBeDefined();
    confirmed.add(keyA);
    expect(cache.get('of-a')).toBeUndefined();
  });

  it('does not store a token whose key is not confirmed right now', () => {
    const cache = cacheOf(10);
    confirmed.clear();
    storeVerified(cache, 't', user('j-1'), keyA, { nbf: NBF, exp: EXP });
    confirmed.add(keyA);

    expect(cache.get('t')).toBeUndefined();
  });

  it('holds at most its size, dropping the oldest stored token first', () => {
    const cache = cacheOf(3);
    for (const token of ['t1', 't2', 't3', 't4']) storeVerified(cache, token, user(token), keyA, { nbf: NBF, exp: EXP });

    expect(cache.size).toBe(3);
    expect(cache.get('t1')).toBeUndefined();
    expect(['t2', 't3', 't4'].map((token) => cache.get(token)?.tokenId)).toEqual(['t2', 't3', 't4']);
  });

  it('keeps evicting in store order over many rounds, a token stored again counting from its new store', () => {
    const cache = cacheOf(3);
    const store = (token: string) => storeVerified(cache, token, user(token), keyA, { nbf: NBF, exp: EXP });
    for (const token of ['t1', 't2', 't3']) store(token);
    store('t1'); // stored again: now the newest
    store('t4'); // evicts t2, the oldest
    expect(['t1', 't2', 't3', 't4'].map((token) => cache.get(token)?.tokenId)).toEqual(['t1', undefined, 't3', 't4']);
    for (let i = 5; i <= 40; i += 1) store(`t${i}`); // many rounds past the start of the table
    expect(['t37', 't38', 't39', 't40'].map((token) => cache.get(token)?.tokenId)).toEqual([undefined, 't38', 't39', 't40']);
    confirmed.delete(keyA);
    expect(cache.get('t39')).toBeUndefined(); // forgotten on a failed hit; the next evictions skip it
    confirmed.add(keyA);
    store('t41');
    store('t42');
    expect(['t38', 't40', 't41', 't42'].map((token) => cache.get(token)?.tokenId)).toEqual([undefined, 't40', 't41', 't42']);
    expect(cache.size).toBe(3);
  });

  it('stores a token at its second verification only: the first notes it, and costs no entry', () => {
    const cache = cacheOf(3);
    cache.remember('t1', user('t1'), keyA, { nbf: NBF, exp: EXP });
    expect(cache.size).toBe(0);
    expect(cache.get('t1')).toBeUndefined();
    cache.remember('t1', user('t1'), keyA, { nbf: NBF, exp: EXP });
    expect(cache.get('t1')?.tokenId).toBe('t1');
  });

  it('notes at most its size of tokens seen once, forgetting the oldest note first', () => {
    const cache = cacheOf(2);
    for (const token of ['t1', 't2', 't3']) cache.remember(token, user(token), keyA, { nbf: NBF, exp: EXP });
    cache.remember('t1', user('t1'), keyA, { nbf: NBF, exp: EXP }); // its note was dropped: noted again, not stored
    cache.remember('t3', user('t3'), keyA, { nbf: NBF, exp: EXP });
    expect(['t1', 't3'].map((token) => cache.get(token)?.tokenId)).toEqual([undefined, 't3']);
  });

  it('stores nothing with size 0', () => {
    const cache = cacheOf(0);
    storeVerified(cache, 't', user('j-1'), keyA, { nbf: NBF, exp: EXP });

    expect(cache.size).toBe(0);
    expect(cache.get('t')).toBeUndefined();
  });
});
